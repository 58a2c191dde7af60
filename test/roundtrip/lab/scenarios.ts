/**
 * The lab's archive scenarios, each written by real PostgreSQL and barman-cloud tools into its own server path:
 *
 * | scenario          | what is in the archive                                                                  |
 * | ---               | ---                                                                                     |
 * | healthy           | rows 1-3, backup, rows 4-6, restore point `after-row-6`, rows 7-9, switch, 10-12, switch |
 * | gap               | rows 1-2, backup, rows 3-4 (segment A), 5-6 (segment B, deleted), 7-8 (segment C)      |
 * | no-backup         | rows 1-4, switch, rows 5-6, switch; no base backup                                       |
 * | two-timelines     | rows 1-2, backup, rows 3-6, switch; restored to between rows 4 and 5, promoted (TL 2), rows 101-103, switch |
 * | many-segments     | row 1, backup, then rows 2-13 each followed by a WAL switch (12 more segments)          |
 * | bzip2             | as a short healthy archive with WAL and base backup compressed with bzip2               |
 * | wal-before-backup | rows 1-3, switch, rows 4-5, switch, backup, rows 6-8, switch                             |
 */
import { Compression } from '../../../src';
import type { ArchiveLab, ArchiveTruth, RowTruth, ScenarioName, TimelineTruth } from '../archive-lab';
import { lsnValue } from './cnpg-recovery';
import { restoreBackup } from './restore';
import { SourceDatabase } from './source-database';

/** Rows 60 ms apart: time targets between two rows are unambiguous. */
const SPACING_MS = 60;

/** Writes scenario `name` under server name `clusterName` and returns what happened. */
export async function writeScenario(lab: ArchiveLab, name: ScenarioName, clusterName: string): Promise<ArchiveTruth> {
  const compression = name === 'bzip2' ? Compression.BZIP2 : undefined;
  const db = await lab.source({ clusterName, walCompression: compression, dataCompression: compression });
  const deletedSegments: string[] = [];
  let timelines: TimelineTruth[] = [{ timeline: 1, parent: null }];
  let rows: RowTruth[] | undefined;
  let archived: string[] | undefined;
  try {
    switch (name) {
      case 'healthy':
        await db.writeRows(3, SPACING_MS);
        await db.backup();
        await db.writeRows(3, SPACING_MS);
        await db.restorePoint('after-row-6');
        await db.writeRows(3, SPACING_MS);
        await db.switchWal();
        await db.writeRows(3, SPACING_MS);
        await db.switchWal();
        break;
      case 'bzip2':
        await db.writeRows(2, SPACING_MS);
        await db.backup();
        await db.writeRows(3, SPACING_MS);
        await db.switchWal();
        break;
      case 'gap': {
        await db.writeRows(2, SPACING_MS);
        await db.backup();
        await db.writeRows(2, SPACING_MS);
        await db.switchWal();
        await db.writeRows(2, SPACING_MS);
        const lost = await db.switchWal();
        await db.writeRows(2, SPACING_MS);
        await db.switchWal();
        await deleteSegment(lab, db, lost);
        deletedSegments.push(lost);
        break;
      }
      case 'no-backup':
        await db.writeRows(4, SPACING_MS);
        await db.switchWal();
        await db.writeRows(2, SPACING_MS);
        await db.switchWal();
        break;
      case 'many-segments':
        await db.writeRows(1, SPACING_MS);
        await db.backup();
        for (let i = 0; i < 12; i++) {
          await db.writeRow();
          await db.switchWal();
        }
        break;
      case 'wal-before-backup':
        await db.writeRows(3, SPACING_MS);
        await db.switchWal();
        await db.writeRows(2, SPACING_MS);
        await db.switchWal();
        await db.backup();
        await db.writeRows(3, SPACING_MS);
        await db.switchWal();
        break;
      case 'two-timelines': {
        const result = await branchTimeline(lab, db);
        rows = result.rows;
        archived = result.archived;
        timelines = result.timelines;
        break;
      }
      default:
        throw new Error(`unknown scenario ${JSON.stringify(name)}`);
    }
  } finally {
    await lab.release(db.server);
  }
  const allRows = rows ?? [...db.rows];
  return {
    scenario: name,
    major: lab.major,
    destinationPath: db.target.destinationPath,
    serverName: db.target.serverName,
    endpointUrl: lab.endpointUrl,
    walCompression: db.target.walCompression,
    backups: [...db.backups],
    rows: allRows,
    restorePoints: [...db.restorePoints],
    timelines,
    deletedSegments,
    earliest: db.backups[0]?.endTime ?? null,
    latestRow: db.backups.length ? lastReachable(allRows, timelines, deletedSegments) : null,
    archivedSegments: archived ?? [...db.archivedSegments],
    manifests: db.manifests,
    target: db.target,
    sourceOptions: db.options,
  };
}

/** The last row on the newest timeline's history that comes before the first missing segment. */
function lastReachable(rows: readonly RowTruth[], timelines: readonly TimelineTruth[], deleted: readonly string[]): RowTruth | null {
  const newest = timelines[timelines.length - 1];
  const onPath = (r: RowTruth): boolean => {
    if (r.timeline === newest.timeline) return true;
    // A parent's rows count up to the switch point (rows are in LSN order on their timeline).
    return newest.parent !== null && r.timeline === newest.parent.timeline && lsnValue(r.lsnAfter) <= lsnValue(newest.parent.switchLsn);
  };
  const firstGap = [...deleted].sort()[0];
  const reachable = rows.filter(r => onPath(r) && (firstGap === undefined || r.segment < firstGap));
  return reachable[reachable.length - 1] ?? null;
}

async function deleteSegment(lab: ArchiveLab, db: SourceDatabase, segment: string): Promise<void> {
  const prefix = `${lab.archivePrefix(db.target)}wals/${segment.slice(0, 16)}/${segment}`;
  const keys = (await lab.listObjects(prefix)).filter(k => /\/[0-9A-F]{24}(\.[a-z0-9]+)?$/.test(k));
  if (keys.length !== 1) throw new Error(`expected one archived object for ${segment}, found ${JSON.stringify(keys)}`);
  await lab.deleteObject(keys[0]);
}

/**
 * Timeline 1 with rows 1-6, then a restore of the base backup to between rows 4 and 5 that keeps archiving into
 * the same server path once promoted (timeline 2), and rows 101-103 written there.
 */
async function branchTimeline(lab: ArchiveLab, db: SourceDatabase): Promise<{ rows: RowTruth[]; archived: string[]; timelines: TimelineTruth[] }> {
  await db.writeRows(2, SPACING_MS);
  const backup = await db.backup();
  await db.writeRows(4, SPACING_MS);
  await db.switchWal();
  await lab.release(db.server);
  const [, , , row4, row5] = db.rows;
  const between = midpoint(row4.commitTime, row5.commitTime);
  const outcome = await restoreBackup(lab, {
    source: db.target,
    backupId: backup.id,
    beginWal: backup.beginWal,
    recoveryOptions: `recovery_target_time = '${between}'\nrecovery_target_inclusive = true\n`,
    archiveTo: db.target,
    keepRunning: true,
  });
  if (!outcome.promoted || !outcome.server) throw new Error(`two-timelines: the branching restore failed: ${outcome.error}\n${outcome.log}`);
  const branch = new SourceDatabase(lab, outcome.server, db.target, db.manifests, db.options);
  try {
    branch.continueAt(101);
    await branch.writeRows(3, SPACING_MS);
    await branch.switchWal();
    const history = await outcome.server.sql("SELECT pg_read_file('pg_wal/00000002.history')");
    const [parentTli, switchLsn] = history.trim().split('\n').pop()!.split('\t');
    return {
      rows: [...db.rows, ...branch.rows],
      archived: [...db.archivedSegments, ...branch.archivedSegments],
      timelines: [{ timeline: 1, parent: null }, { timeline: 2, parent: { timeline: Number(parentTli), switchLsn } }],
    };
  } finally {
    await lab.release(outcome.server);
  }
}

/** The instant halfway between two `YYYY-MM-DD HH:MM:SS.ffffff+00:00` times, in the same form. */
export function midpoint(a: string, b: string): string {
  return fromMicros((toMicros(a) + toMicros(b)) / 2n);
}

/** Microseconds since the epoch of a `YYYY-MM-DD HH:MM:SS.ffffff+00:00` time. */
export function toMicros(t: string): bigint {
  const m = /^(\d{4}-\d\d-\d\d)[ T](\d\d:\d\d:\d\d)\.(\d{6})(?:\+00:00|Z)$/.exec(t);
  if (!m) throw new Error(`not a UTC time with microseconds: ${JSON.stringify(t)}`);
  return BigInt(Date.parse(`${m[1]}T${m[2]}Z`)) * 1000n + BigInt(m[3]);
}

/** The `YYYY-MM-DD HH:MM:SS.ffffff+00:00` form of microseconds since the epoch. */
export function fromMicros(us: bigint): string {
  const ms = Number(us / 1000n);
  const iso = new Date(Math.floor(ms / 1000) * 1000).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}.${String(us % 1_000_000n).padStart(6, '0')}+00:00`;
}
