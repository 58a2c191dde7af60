/**
 * An in-memory archive over the real WAL fixtures (fixtures/archive: PostgreSQL 15, 1 MiB segments, timeline 2
 * branching at 0/D000A0), laid out as barman-cloud lays out `<path>/<server>/`, with backup.info files written
 * the way barman-cloud-backup writes them.
 */
import * as fs from 'fs';
import * as path from 'path';
import { ArchiveReadError, ListedObject, ObjectReader } from '../../src/recovery/s3';

export const FIXTURE_DIR = path.join(__dirname, 'fixtures', 'archive');
export const SEGMENT_SIZE = 1024 * 1024;

/** A backup.info as barman-cloud-backup writes it (the keys recovery reads, plus some it ignores). */
export interface BackupFields {
  beginTime: string;
  endTime: string;
  beginXlog: string;
  endXlog: string;
  beginWal: string;
  endWal: string;
  timeline?: number;
  status?: string;
  name?: string;
}

export function backupInfo(fields: BackupFields): string {
  return [
    "backup_label='START WAL LOCATION: 0/B00028 (file 00000001000000000000000B)\\nBACKUP METHOD: streamed\\n'",
    `backup_name=${fields.name ?? 'None'}`,
    'begin_offset=40',
    `begin_time=${fields.beginTime}`,
    `begin_wal=${fields.beginWal}`,
    `begin_xlog=${fields.beginXlog}`,
    'compression=None',
    `end_time=${fields.endTime}`,
    `end_wal=${fields.endWal}`,
    `end_xlog=${fields.endXlog}`,
    'error=None',
    'server_name=cloud',
    `status=${fields.status ?? 'DONE'}`,
    'systemid=7714555653770117447',
    `timeline=${fields.timeline ?? 1}`,
    'version=150020',
    `xlog_segment_size=${SEGMENT_SIZE}`,
    '',
  ].join('\n');
}

/** The pg_basebackup in the fixtures (START 0/B00028, STOP 0/B00170), as a barman backup. */
export const FIXTURE_BACKUP = backupInfo({
  beginTime: '2026-12-02 04:19:14.000000+00:00',
  endTime: '2026-12-02 04:19:14.900000+00:00',
  beginXlog: '0/B00028',
  endXlog: '0/B00170',
  beginWal: '00000001000000000000000B',
  endWal: '00000001000000000000000B',
  name: 'backup-20261202041914',
});

/**
 * A backup of timeline 1 taken after timeline 2 branched off (at 0/D000A0): CNPG picks it by time for a target
 * after it, but recovery along timeline 2 cannot use it, so the older FIXTURE_BACKUP must be pinned.
 */
export const STRAY_TIMELINE_1_BACKUP = backupInfo({
  beginTime: '2026-12-02 04:19:22.000000+00:00',
  endTime: '2026-12-02 04:19:22.100000+00:00',
  beginXlog: '0/D00028',
  endXlog: '0/D00100',
  beginWal: '00000001000000000000000D',
  endWal: '00000001000000000000000D',
});

/** The backups of an archive where CNPG's own choice fails and the older backup must be pinned. */
export const BACKUPS_NEEDING_A_PIN: Readonly<Record<string, string>> = { '20261202T041914': FIXTURE_BACKUP, '20261202T041922': STRAY_TIMELINE_1_BACKUP };

/** An archive at `s3://bucket/pg/<server>/` from the fixture files, with the given backups and without some files. */
export class FixtureArchive implements ObjectReader {
  public readonly objects = new Map<string, Buffer>();
  public gets = 0;

  constructor(options: { server?: string; backups?: Record<string, string>; without?: string[] } = {}) {
    const server = `pg/${options.server ?? 'srv'}/`;
    for (const f of fs.readdirSync(FIXTURE_DIR)) {
      const base = f.replace(/\.bz2$/, '');
      if (options.without?.includes(base)) continue;
      const key = /^[0-9A-F]{8}\.history$/.test(base) ? `${server}wals/${f}` : `${server}wals/${f.slice(0, 16)}/${f}`;
      this.objects.set(key, fs.readFileSync(path.join(FIXTURE_DIR, f)));
    }
    for (const [id, info] of Object.entries(options.backups ?? { '20261202T041914': FIXTURE_BACKUP })) {
      this.objects.set(`${server}base/${id}/backup.info`, Buffer.from(info));
      this.objects.set(`${server}base/${id}/data.tar.bz2`, Buffer.from('tar'));
    }
  }

  public async list(prefix: string, maxKeys: number): Promise<ListedObject[]> {
    const out = [...this.objects].filter(([k]) => k.startsWith(prefix)).sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([key, b]) => ({ key, size: b.length }));
    if (out.length > maxKeys) throw new ArchiveReadError(`more than ${maxKeys} objects`);
    return out;
  }

  public async get(key: string, maxBytes: number): Promise<Buffer> {
    this.gets++;
    const b = this.objects.get(key);
    if (!b) throw new ArchiveReadError(`${key}: HTTP 404 NoSuchKey`);
    if (b.length > maxBytes) throw new ArchiveReadError(`${key} is over the ${maxBytes}-byte limit`);
    return b;
  }

  public describe(key: string): string {
    return `s3://bucket/${key}`;
  }
}
