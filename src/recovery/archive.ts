/**
 * What a Barman Cloud archive holds for one server (layout per barman `cloud.py` and barman-cloud-wal-archive):
 * `<path>/<server>/base/<backupId>/backup.info`, `<path>/<server>/wals/<tli+log>/<segment>[.<compression>]`,
 * timeline history files `wals/<tli>.history[.<compression>]`; `.backup` label files and `.partial` segments are
 * not part of a recovery path (barman-cloud-wal-restore skips backup files; PostgreSQL never asks for partials).
 */
import { BackupInfo, parseBackupInfo } from './backup-info';
import { decompress, splitCompression, WalCompression } from './decompress';
import { DEFAULT_SEGMENT_SIZE, parseSegmentName } from './lsn';
import { ArchiveReadError, ObjectReader } from './s3';
import { parseTimelineHistory, TimelineSwitch } from './timeline-history';

/** Limits on what one archive may hold. */
export const LIMITS = {
  /** Objects listed under `base/` or `wals/`. */
  maxObjects: 500_000,
  /** Base backups read. */
  maxBackups: 2_000,
  /** WAL segments read backwards from the end of the WAL looking for the last commit. */
  maxScannedSegments: 5_000,
  /** backup.info and history files. */
  maxSmallFile: 1024 * 1024,
};

/** A stored WAL file. */
export interface WalObject {
  readonly key: string;
  readonly compression?: WalCompression;
  readonly size: number;
}

/** The catalog of one server's archive. */
export interface ArchiveCatalog {
  readonly serverPrefix: string;
  readonly segmentSize: number;
  readonly backups: BackupInfo[];
  /** timeline → segment number → file. */
  readonly segments: Map<number, Map<bigint, WalObject>>;
  /** timeline → its history (ancestors), for every history file found. */
  readonly histories: Map<number, TimelineSwitch[]>;
  /** Objects under `wals/` that are neither segments, history, backup labels nor partials. */
  readonly unknownFiles: string[];
}

/** `os.path.join(path, server)` as barman builds the server's folder from the destination path. */
export function serverPrefixOf(prefix: string, serverName: string): string {
  return `${prefix === '' ? '' : prefix.endsWith('/') ? prefix : `${prefix}/`}${serverName}/`;
}

/** Lists and reads the catalog: backups (their backup.info), WAL segments and timeline histories. */
export async function readCatalog(reader: ObjectReader, prefix: string, serverName: string): Promise<ArchiveCatalog> {
  const serverPrefix = serverPrefixOf(prefix, serverName);
  const baseObjects = await reader.list(`${serverPrefix}base/`, LIMITS.maxObjects);
  const infoKeys = baseObjects.map(o => o.key).filter(k => /^[^/]+\/backup\.info$/.test(k.slice(`${serverPrefix}base/`.length)));
  if (infoKeys.length > LIMITS.maxBackups) throw new ArchiveReadError(`${reader.describe(`${serverPrefix}base/`)} holds ${infoKeys.length} backups, over the limit of ${LIMITS.maxBackups}`);
  const backups: BackupInfo[] = [];
  for (const key of infoKeys.sort()) {
    const id = key.slice(`${serverPrefix}base/`.length).split('/')[0];
    const text = (await reader.get(key, LIMITS.maxSmallFile)).toString('utf-8');
    backups.push(parseBackupInfo(id, text));
  }
  const sizes = new Set(backups.map(b => b.segmentSize).filter((s): s is number => s !== undefined));
  if (sizes.size > 1) throw new ArchiveReadError(`backups disagree on the WAL segment size (${[...sizes].join(', ')} bytes)`);
  const segmentSize = [...sizes][0] ?? DEFAULT_SEGMENT_SIZE;
  if (segmentSize < 1024 * 1024 || segmentSize > 1024 * 1024 * 1024 || !Number.isInteger(Math.log2(segmentSize))) {
    throw new ArchiveReadError(`backup.info says xlog_segment_size=${segmentSize}, not a PostgreSQL WAL segment size`);
  }

  const walObjects = await reader.list(`${serverPrefix}wals/`, LIMITS.maxObjects);
  const segments = new Map<number, Map<bigint, WalObject>>();
  const historyKeys = new Map<number, WalObject>();
  const unknownFiles: string[] = [];
  for (const o of walObjects) {
    const rel = o.key.slice(`${serverPrefix}wals/`.length);
    const parts = rel.split('/');
    const { base, compression } = splitCompression(parts[parts.length - 1]);
    if (parts.length === 1 && /^[0-9A-F]{8}\.history$/.test(base)) {
      historyKeys.set(parseInt(base.slice(0, 8), 16), { key: o.key, compression, size: o.size });
      continue;
    }
    if (parts.length === 2 && (/^[0-9A-F]{24}\.[0-9A-F]{8}\.backup$/.test(base) || /^[0-9A-F]{24}\.partial$/.test(base))) continue;
    const seg = parts.length === 2 ? parseSegmentName(base, segmentSize) : undefined;
    if (!seg || parts[0] !== base.slice(0, 16)) {
      unknownFiles.push(rel);
      continue;
    }
    const perTli = segments.get(seg.timeline) ?? new Map<bigint, WalObject>();
    segments.set(seg.timeline, perTli);
    // barman-cloud-wal-restore takes the first match in listing order; an uncompressed copy wins.
    if (!perTli.has(seg.segno) || compression === undefined) perTli.set(seg.segno, { key: o.key, compression, size: o.size });
  }
  const histories = new Map<number, TimelineSwitch[]>();
  for (const [tli, obj] of [...historyKeys].sort((a, b) => a[0] - b[0])) {
    const data = await decompress(await reader.get(obj.key, LIMITS.maxSmallFile), obj.compression, LIMITS.maxSmallFile);
    try {
      histories.set(tli, parseTimelineHistory(data.toString('utf-8')));
    } catch (e) {
      throw new ArchiveReadError(`${reader.describe(obj.key)}: ${(e as Error).message}`);
    }
  }
  return { serverPrefix, segmentSize, backups, segments, histories, unknownFiles };
}

/** Reads and decompresses one segment (exactly one segment's bytes, or an error). */
export async function readSegment(reader: ObjectReader, catalog: ArchiveCatalog, obj: WalObject): Promise<Buffer> {
  // Compression can grow incompressible data a little; 1 MiB of slack covers every codec's framing.
  const raw = await reader.get(obj.key, catalog.segmentSize + (1024 * 1024));
  let data: Buffer;
  try {
    data = await decompress(raw, obj.compression, catalog.segmentSize);
  } catch (e) {
    throw new ArchiveReadError(`${reader.describe(obj.key)} ${(e as Error).message}`);
  }
  if (data.length !== catalog.segmentSize) throw new ArchiveReadError(`${reader.describe(obj.key)} is ${data.length} bytes, not a ${catalog.segmentSize}-byte WAL segment`);
  return data;
}
