/**
 * A database archiving into the lab, and the truths it records as it writes.
 */
import * as fs from 'fs';
import * as path from 'path';
import { BarmanTarget, Manifest } from './barman-config';
import { PgServer } from './postgres';
import { run, sleep, waitFor } from './processes';
import type { ArchiveLab, BackupTruth, RestorePointTruth, RowTruth, SourceOptions } from '../archive-lab';

/** A database archiving into the lab. */
export class SourceDatabase {
  /** Rows committed, in commit order. */
  public readonly rows: RowTruth[] = [];
  public readonly backups: BackupTruth[] = [];
  public readonly restorePoints: RestorePointTruth[] = [];
  /** Segments archived (pg_stat_archiver.last_archived_wal after each switch). */
  public readonly archivedSegments: string[] = [];
  private nextId = 1;

  constructor(
    public readonly lab: ArchiveLab,
    public readonly server: PgServer,
    public readonly target: BarmanTarget,
    public readonly manifests: readonly Manifest[],
    public readonly options: SourceOptions,
  ) {}

  /** Continues numbering rows from `id` (a promoted restore writes on from here). */
  public continueAt(id: number): void {
    this.nextId = id;
  }

  /** Commits one row in its own transaction and reports its commit record's truths. */
  public async writeRow(): Promise<RowTruth> {
    const id = this.nextId++;
    const out = await this.server.sql(
      `INSERT INTO lab_rows (id, note) VALUES (${id}, 'row ${id}');\n`
      + 'SELECT xmin::text, to_char(pg_xact_commit_timestamp(xmin) AT TIME ZONE \'UTC\', \'YYYY-MM-DD HH24:MI:SS.US\'), '
      + `pg_current_wal_insert_lsn(), pg_walfile_name(pg_current_wal_insert_lsn()) FROM lab_rows WHERE id = ${id};`);
    const [xid, time, lsnAfter, segment] = out.split('|');
    if (!xid || !/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{6}$/.test(time ?? '')) throw new Error(`unexpected row truth ${JSON.stringify(out)}`);
    const row: RowTruth = {
      id,
      xid,
      commitTime: `${time}+00:00`,
      commitTimeRfc3339: `${time.replace(' ', 'T')}Z`,
      lsnAfter,
      segment,
      timeline: parseInt(segment.slice(0, 8), 16),
    };
    this.rows.push(row);
    return row;
  }

  /** Commits `count` rows, `spacingMs` apart, so time targets between rows are unambiguous. */
  public async writeRows(count: number, spacingMs = 30): Promise<RowTruth[]> {
    const rows: RowTruth[] = [];
    for (let i = 0; i < count; i++) {
      if (i > 0 || this.rows.length) await sleep(spacingMs);
      rows.push(await this.writeRow());
    }
    return rows;
  }

  /** Closes the current WAL segment and waits until it is archived; returns its name. */
  public async switchWal(timeoutMs = 180_000): Promise<string> {
    const segment = await this.server.sql('SELECT pg_walfile_name(pg_switch_wal())');
    await this.waitArchived(segment, timeoutMs);
    return segment;
  }

  /** Waits until `segment` (or a later one) is archived; a failed attempt is retried by PostgreSQL, so only reported. */
  public async waitArchived(segment: string, timeoutMs = 180_000): Promise<void> {
    let failure = '';
    let polls = 0;
    try {
      // PostgreSQL marks an archived segment with archive_status/<segment>.done (a file check, no process).
      const done = path.join(this.server.dataDir, 'pg_wal', 'archive_status', `${segment}.done`);
      await waitFor(`WAL segment ${segment} to be archived by barman-cloud-wal-archive`, async () => {
        if (fs.existsSync(done)) return true;
        if (++polls % 20 === 0) {
          // Now and then ask PostgreSQL too (a checkpoint may have recycled the segment and its status file).
          const [last, failed, lastFailed] = (await this.server.sql(
            "SELECT coalesce(last_archived_wal, ''), failed_count, coalesce(last_failed_wal, '') FROM pg_stat_archiver")).split('|');
          if (Number(failed) > 0) failure = ` (${failed} failed attempts, last for ${lastFailed})`;
          if (last && !last.includes('.') && last >= segment) return true;
        }
        return undefined;
      }, timeoutMs, 100);
      if (!this.archivedSegments.includes(segment)) this.archivedSegments.push(segment);
    } catch (err) {
      throw new Error(`${(err as Error).message}${failure}\n${this.server.logTail()}`);
    }
  }

  /** Takes a base backup as the plugin does (barman-cloud-backup --user postgres --name backup-<time> …). */
  public async backup(): Promise<BackupTruth> {
    // Backup IDs and the plugin's names have a resolution of one second: never two in the same second.
    const last = this.backups[this.backups.length - 1];
    while (last && compactNow() <= last.name.slice('backup-'.length)) await sleep(100);
    const name = `backup-${compactNow()}`;
    const rowsBefore = this.rows.map(r => r.id);
    await this.server.sql('CHECKPOINT');
    await run('/usr/bin/barman-cloud-backup', ['--user', 'postgres', '--name', name, ...this.target.backupArgs], {
      asPgUser: true, env: { ...this.target.env, ...this.server.clientEnv, TMPDIR: this.server.dir }, timeoutMs: 300_000,
    });
    // The plugin finds the backup it just took by name in `barman-cloud-backup-list` (barman-cloud
    // pkg/command/backuplist.go GetBackupByName); the exact times come from its backup.info.
    const listed = await listBackups(this.target);
    const found = listed.find(b => b.name === name);
    if (!found) throw new Error(`backup ${name} is not in barman-cloud-backup-list: ${JSON.stringify(listed.map(b => b.name))}`);
    const info = await this.lab.backupInfo(this.target, found.id);
    const truth: BackupTruth = {
      id: found.id,
      name,
      beginTime: info.begin_time,
      endTime: info.end_time,
      beginLsn: info.begin_xlog,
      endLsn: info.end_xlog,
      beginWal: info.begin_wal,
      endWal: info.end_wal,
      timeline: Number(info.timeline),
      rowsBefore,
    };
    this.backups.push(truth);
    return truth;
  }

  /** Creates a named restore point (pg_create_restore_point). */
  public async restorePoint(name: string): Promise<RestorePointTruth> {
    const lsn = await this.server.sql(`SELECT pg_create_restore_point('${name.replace(/'/g, "''")}')`);
    const segment = await this.server.sql(`SELECT pg_walfile_name('${lsn}')`);
    const truth = { name, lsn, timeline: parseInt(segment.slice(0, 8), 16), rowsBefore: this.rows.map(r => r.id) };
    this.restorePoints.push(truth);
    return truth;
  }

  /** The current timeline. */
  public async timeline(): Promise<number> {
    return parseInt((await this.server.sql('SELECT pg_walfile_name(pg_current_wal_lsn())')).slice(0, 8), 16);
  }
}

/** Completed backups of a server from `barman-cloud-backup-list --format json`: IDs and names, oldest first. */
export async function listBackups(target: BarmanTarget): Promise<{ id: string; name: string }[]> {
  const r = await run('/usr/bin/barman-cloud-backup-list', ['--format', 'json', ...target.providerArgs, target.destinationPath, target.serverName], {
    env: target.env, timeoutMs: 60_000,
  });
  const list = (JSON.parse(r.stdout).backups_list ?? []) as Record<string, any>[];
  return list.filter(b => b.status === 'DONE').map(b => ({ id: String(b.backup_id), name: String(b.backup_name) }))
    .sort((a, b) => a.id.localeCompare(b.id));
}

function compactNow(): string {
  // pgTime.ToCompactISO8601 in the plugin: YYYYMMDDHHMMSS, UTC in the sidecar.
  return new Date().toISOString().replace(/[-:T]/g, '').slice(0, 14);
}
