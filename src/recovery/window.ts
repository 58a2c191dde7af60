/**
 * The recoverable window of an archive and the verdict on a target, from the catalog and the WAL itself.
 *
 * PostgreSQL's rules (`xlogrecovery.c`): recovery follows the target timeline's history, reading each segment from
 * the newest timeline that began at or before it (`XLogFileReadAnyTLI`), and stops at the first missing segment.
 * A time target stops before the first commit or abort whose `xact_time` is later than the target (`>=` when
 * exclusive), and fails ("recovery ended before configured recovery target was reached") when none follows; a
 * stop before the backup's end fails ("requested recovery stop point is before consistent recovery point"). An
 * LSN target stops at the first record starting at or after it. UPSTREAM-FACTS §3.10 has the measurements.
 */
import { ArchiveCatalog, LIMITS, WalObject } from './archive';
import { BackupInfo } from './backup-info';
import { cnpgBackupChoice } from './catalog-choice';
import { formatLsn, segmentFileName, segmentOf } from './lsn';
import { ArchiveReadError } from './s3';
import { formatMicros } from './time';
import { scanWal, SegmentData, XactRecord } from './wal-reader';

/** Segments kept in memory at once. */
const SEGMENTS_CACHED = 4;

/** Reads one segment's bytes. */
export type SegmentLoader = (obj: WalObject) => Promise<Buffer>;

/** One timeline of a recovery path: it holds WAL from `beginLsn` up to `endLsn` (where its child branched). */
export interface PathEntry {
  readonly timeline: number;
  readonly beginLsn: bigint;
  readonly endLsn?: bigint;
}

/** How far recovery from one backup gets. */
export interface BackupReach {
  readonly backup: BackupInfo;
  /** Why the backup cannot be restored at all, if so. */
  readonly unusable?: string;
  /** The last segment read without a gap. */
  readonly lastSegment?: bigint;
  /** The first missing segment after the backup, when WAL continues after it. */
  readonly gapAt?: bigint;
  /** The last commit reachable. */
  readonly lastCommit?: XactRecord;
  /** The last commit or abort reachable: what a time target can stop on. */
  readonly lastStop?: XactRecord;
  /** Start of the last record reachable: what an LSN target can stop on. */
  readonly lastRecordLsn?: bigint;
}

/** A recovery target to judge. */
export interface WindowTarget {
  /** Microseconds since the epoch. */
  readonly time?: bigint;
  readonly lsn?: bigint;
  /** @default false */
  readonly exclusive?: boolean;
  /**
   * The backup pinned with `backupID`.
   * @default - CNPG chooses
   */
  readonly backupId?: string;
}

/** The verdict on a target. */
export interface TargetVerdict {
  readonly recoverable: boolean;
  /** The backup to restore from (CNPG's choice when it works, else the one to pin). */
  readonly backupId: string | null;
  readonly cnpgWouldChoose: string | null;
  /** The backup ID must be pinned (CNPG's own choice would fail). */
  readonly pinBackupId: boolean;
  readonly reason: string;
  /** The nearest recoverable target, when this one is not. */
  readonly nearest?: string;
}

/** The full analysis. */
export interface RecoveryWindow {
  readonly targetTimeline: number;
  readonly path: PathEntry[];
  readonly pathProblem?: string;
  readonly reaches: BackupReach[];
  /** End of the oldest restorable backup. */
  readonly earliest?: bigint;
  readonly latest?: XactRecord;
  readonly verdict?: TargetVerdict;
}

/** The newest timeline PostgreSQL's `recovery_target_timeline = 'latest'` finds: history files probed upward. */
export function newestTimeline(catalog: ArchiveCatalog): number {
  const starts = catalog.backups.map(b => b.timeline ?? 1);
  let tli = starts.length ? Math.max(...starts) : 1;
  for (let i = 0; i < 100_000 && catalog.histories.has(tli + 1); i++) tli++;
  return tli;
}

/** The recovery path to a timeline, from its history file; a string says what is missing. */
export function timelinePath(catalog: ArchiveCatalog, timeline: number): PathEntry[] | string {
  if (timeline === 1) return [{ timeline: 1, beginLsn: 0n }];
  const history = catalog.histories.get(timeline);
  if (!history) return `timeline ${timeline} has no history file (${timeline.toString(16).toUpperCase().padStart(8, '0')}.history) in the archive`;
  const path: PathEntry[] = [];
  let begin = 0n;
  for (const h of history) {
    path.push({ timeline: h.timeline, beginLsn: begin, endLsn: h.switchLsn });
    begin = h.switchLsn;
  }
  path.push({ timeline, beginLsn: begin });
  return path;
}

/** The timeline whose file holds a segment on the path (the newest that began at or before it). */
function timelineOfSegment(path: readonly PathEntry[], segno: bigint, segmentSize: number): number {
  for (let i = path.length - 1; i >= 0; i--) {
    if (segmentOf(path[i].beginLsn, segmentSize) <= segno) return path[i].timeline;
  }
  return path[0].timeline;
}

/** Analyses the archive along the target timeline and judges the target. */
export async function analyseWindow(catalog: ArchiveCatalog, load: SegmentLoader, options: {
  readonly timeline?: number;
  readonly target?: WindowTarget;
  /** `targetTLI` as CNPG would get it ("" when latest). */
  readonly targetTli?: string;
} = {}): Promise<RecoveryWindow> {
  const targetTimeline = options.timeline ?? newestTimeline(catalog);
  const pathOrProblem = timelinePath(catalog, targetTimeline);
  const path = typeof pathOrProblem === 'string' ? [] : pathOrProblem;
  const size = catalog.segmentSize;
  const fileAt = (segno: bigint) => catalog.segments.get(timelineOfSegment(path, segno, size))?.get(segno);
  const maxSegment = [...catalog.segments.values()].reduce((m, s) => [...s.keys()].reduce((mm, k) => (k > mm ? k : mm), m), -1n);

  // The few segments read last (a record spanning segments is read again with its neighbour); never more, as a
  // backward scan may pass thousands of 16 MiB segments.
  const cache = new Map<string, Promise<Buffer>>();
  const segmentData = async (segno: bigint): Promise<SegmentData> => {
    const obj = fileAt(segno)!;
    let data = cache.get(obj.key);
    if (!data) {
      data = load(obj);
      cache.set(obj.key, data);
      if (cache.size > SEGMENTS_CACHED) cache.delete(cache.keys().next().value!);
    }
    return { segno, data: await data };
  };

  /** Scans segment k (plus what its last record needs, up to `last`). */
  const scanFrom = async (k: bigint, last: bigint) => {
    const segs = [await segmentData(k)];
    let scan = scanWal(segs, size);
    while (scan.incomplete && segs[segs.length - 1].segno < last) {
      segs.push(await segmentData(segs[segs.length - 1].segno + 1n));
      scan = scanWal(segs, size);
    }
    return scan;
  };

  const tailCache = new Map<string, Promise<Pick<BackupReach, 'lastCommit' | 'lastStop' | 'lastRecordLsn'>>>();
  /** The last commit, stop record and record start from `last` backwards, not before `from`. */
  const tail = (from: bigint, last: bigint) => {
    const key = `${from}:${last}`;
    if (!tailCache.has(key)) {
      tailCache.set(key, (async () => {
        let lastStop: XactRecord | undefined;
        let lastRecordLsn: bigint | undefined;
        for (let k = last; k >= from; k--) {
          if (last - k >= BigInt(LIMITS.maxScannedSegments)) {
            throw new ArchiveReadError(`no commit in the last ${LIMITS.maxScannedSegments} WAL segments before ${segmentFileName(timelineOfSegment(path, last, size), last, size)} (the limit on segments read)`);
          }
          const scan = await scanFrom(k, last);
          lastRecordLsn = lastRecordLsn ?? scan.lastRecordLsn;
          const xacts = scan.xacts;
          if (xacts.length && !lastStop) lastStop = xacts[xacts.length - 1];
          const commits = xacts.filter(x => x.kind === 'commit' || x.kind === 'commit prepared');
          if (commits.length) return { lastCommit: commits[commits.length - 1], lastStop, lastRecordLsn };
        }
        return { lastStop, lastRecordLsn };
      })());
    }
    return tailCache.get(key)!;
  };

  const reaches: BackupReach[] = [];
  for (const backup of catalog.backups) {
    reaches.push(await reachOf(backup));
  }

  async function reachOf(backup: BackupInfo): Promise<BackupReach> {
    if (typeof pathOrProblem === 'string') return { backup, unusable: pathOrProblem };
    if (backup.status !== 'DONE') return { backup, unusable: `its status is ${backup.status}` };
    if (backup.beginLsn === undefined || backup.endLsn === undefined || backup.endTime === undefined || backup.timeline === undefined) {
      return { backup, unusable: 'its backup.info lacks begin/end LSN, end time or timeline' };
    }
    const onPath = path.find(p => p.timeline === backup.timeline);
    if (!onPath || (onPath.endLsn !== undefined && backup.endLsn > onPath.endLsn)) {
      return { backup, unusable: `it is on timeline ${backup.timeline}, not on the history of timeline ${targetTimeline}` };
    }
    const beginSeg = segmentOf(backup.beginLsn, size);
    const endSeg = segmentOf(backup.endLsn - 1n, size);
    let s = beginSeg;
    while (s <= maxSegment && fileAt(s)) s++;
    const lastSegment = s - 1n;
    if (lastSegment < endSeg) {
      return { backup, unusable: `its own WAL segment ${segmentFileName(timelineOfSegment(path, s, size), s, size)} is missing` };
    }
    const gapAt = s <= maxSegment ? s : undefined;
    const t = await tail(beginSeg, lastSegment);
    return { backup, lastSegment, gapAt, ...t };
  }

  const usable = reaches.filter(r => !r.unusable);
  const earliest = usable.length ? usable.map(r => r.backup.endTime!).reduce((a, b) => (a < b ? a : b)) : undefined;
  const latest = usable.map(r => r.lastCommit).filter((x): x is XactRecord => !!x)
    .reduce<XactRecord | undefined>((a, b) => (!a || b.lsn > a.lsn ? b : a), undefined);

  let verdict: TargetVerdict | undefined;
  if (options.target) {
    verdict = await judge(options.target);
  }
  return { targetTimeline, path, pathProblem: typeof pathOrProblem === 'string' ? pathOrProblem : undefined, reaches, earliest, latest, verdict };

  /** Commits or aborts inside a backup's own WAL (begin..end) that a time target would stop on. */
  async function stopsBeforeConsistency(r: BackupReach, time: bigint, exclusive: boolean): Promise<XactRecord | undefined> {
    const b = r.backup;
    const first = segmentOf(b.beginLsn!, size);
    const last = segmentOf(b.endLsn! - 1n, size);
    // From the backup's end backwards: commit times grow with the WAL, so the segment with the last transaction
    // inside the backup decides.
    for (let k = last; k >= first && last - k < BigInt(LIMITS.maxScannedSegments); k--) {
      const inside = (await scanFrom(k, last)).xacts.filter(x => x.lsn >= b.beginLsn! && x.lsn < b.endLsn!);
      const late = inside.find(x => (exclusive ? x.time >= time : x.time > time));
      if (late || inside.length) return late;
    }
    return undefined;
  }

  async function works(r: BackupReach, target: WindowTarget): Promise<string | undefined> {
    if (r.unusable) return `backup ${r.backup.id} cannot be restored: ${r.unusable}`;
    const b = r.backup;
    const gap = r.gapAt !== undefined ? ` (WAL segment ${segmentFileName(timelineOfSegment(path, r.gapAt, size), r.gapAt, size)} is missing)` : '';
    if (target.time !== undefined) {
      if (b.endTime! > target.time) return `the target is before backup ${b.id} ended (${formatMicros(b.endTime!)}): the restore would return that backup's state, not the target's`;
      const early = await stopsBeforeConsistency(r, target.time, !!target.exclusive);
      if (early) return `a transaction inside backup ${b.id} (${formatLsn(early.lsn)}, ${formatMicros(early.time)}) ends after the target, before the backup is consistent`;
      const stop = r.lastStop;
      const after = stop && (target.exclusive ? stop.time >= target.time : stop.time > target.time) && stop.lsn >= b.endLsn!;
      if (!after) {
        return `no transaction ends after the target in the WAL reachable from backup ${b.id}${gap}: recovery would end before reaching the target`;
      }
      return undefined;
    }
    if (target.lsn !== undefined) {
      if (b.endLsn! > target.lsn) return `the target is before backup ${b.id} is consistent (${formatLsn(b.endLsn!)})`;
      if (r.lastRecordLsn === undefined || r.lastRecordLsn < target.lsn) {
        return `the WAL reachable from backup ${b.id} ends before the target${gap}`;
      }
      return undefined;
    }
    return undefined;
  }

  async function judge(target: WindowTarget): Promise<TargetVerdict> {
    const cnpg = cnpgBackupChoice(catalog.backups, { backupId: target.backupId, time: target.time, lsn: target.lsn, targetTli: options.targetTli ?? '' });
    if (target.backupId && !cnpg) {
      return { recoverable: false, backupId: null, cnpgWouldChoose: null, pinBackupId: false, reason: `not recoverable: the archive has no completed backup ${JSON.stringify(target.backupId)}` };
    }
    const cnpgReach = cnpg && reaches.find(r => r.backup === cnpg);
    const cnpgProblem = cnpgReach ? await works(cnpgReach, target) : 'CNPG finds no backup for this target ("no target backup found")';
    if (!cnpgProblem) {
      return { recoverable: true, backupId: cnpg!.id, cnpgWouldChoose: cnpg!.id, pinBackupId: false, reason: `recoverable from backup ${cnpg!.id}, the one CNPG picks` };
    }
    // Newest first: the shortest replay.
    const candidates = [...reaches].filter(r => !r.unusable).sort((a, b) => (a.backup.beginTime! > b.backup.beginTime! ? -1 : 1));
    for (const r of target.backupId ? [] : candidates) {
      if (r === cnpgReach) continue;
      if (!(await works(r, target))) {
        return {
          recoverable: true,
          backupId: r.backup.id,
          cnpgWouldChoose: cnpg?.id ?? null,
          pinBackupId: true,
          reason: `recoverable from backup ${r.backup.id} only if it is pinned with backupID: CNPG would pick ${cnpg ? `backup ${cnpg.id}, and ${cnpgProblem}` : 'no backup'}`,
        };
      }
    }
    return { recoverable: false, backupId: null, cnpgWouldChoose: cnpg?.id ?? null, pinBackupId: false, reason: `not recoverable: ${cnpgProblem}`, nearest: nearestPoint(target) };
  }

  /** The recoverable point nearest the target, in words. */
  function nearestPoint(target: WindowTarget): string | undefined {
    if (!usable.length) return undefined;
    if (target.time !== undefined) {
      const spans = usable.filter(r => r.lastStop && r.lastStop.time > r.backup.endTime!)
        .map(r => ({ from: r.backup.endTime!, to: r.lastStop!.time, commit: r.lastCommit }));
      if (!spans.length) return undefined;
      if (target.time < spans.reduce((m, s) => (s.from < m ? s.from : m), spans[0].from)) {
        return `the earliest recoverable time is ${formatMicros(earliest!)} (end of the oldest backup)`;
      }
      const before = spans.filter(s => s.to <= target.time!).sort((a, b) => (a.to > b.to ? -1 : 1))[0];
      if (before && before.commit) {
        return `the last commit before the target is at ${formatMicros(before.commit.time)} (LSN ${formatLsn(before.commit.lsn)}): `
          + 'a target just before it stops before that transaction; to keep it, restore without a target (latest)'
          + (before.to < (latest?.time ?? 0n) ? ' from a backup before the gap, or target a time after a later backup ends' : '');
      }
      return `recoverable times run from ${formatMicros(spans[0].from)} to just before ${formatMicros(spans[0].to)}`;
    }
    if (target.lsn !== undefined) {
      const first = usable.map(r => r.backup.endLsn!).reduce((a, b) => (a < b ? a : b));
      if (target.lsn < first) return `the earliest recoverable LSN is ${formatLsn(first)} (end of the oldest backup)`;
      const last = usable.map(r => r.lastRecordLsn ?? 0n).reduce((a, b) => (a > b ? a : b));
      return `the last reachable WAL record starts at ${formatLsn(last)}`;
    }
    return undefined;
  }
}
