/**
 * The restore round trips, run once per PostgreSQL major (restore-pg15.test.ts, restore-pg18.test.ts): archives
 * written by real PostgreSQL through the barman-cloud tools for the YAML our BackedUpPostgres emits, restored with
 * the settings CNPG derives from our PitrRestore, and the rows compared with what was committed.
 */
import { ApiObject, JsonPatch } from 'cdk8s';
import { ArchiveLab, ArchiveTruth, PgMajor, RowTruth, ScenarioName } from './archive-lab';
import { RecoveryTarget } from '../../src';
import { CnpgVersion } from './lab/cnpg-recovery';
import { PitrOptions, PitrOutcome, restoreWithPitr } from './lab/pitr';
import { fromMicros, midpoint, toMicros } from './lab/scenarios';

type Truths = Record<'healthy' | 'gap' | 'two-timelines' | 'bzip2' | 'many-segments' | 'no-backup', ArchiveTruth>;

interface Expected {
  /** Row ids after promotion. */
  readonly rows?: readonly number[];
  /** Timeline after promotion. */
  readonly timeline?: number;
  /** The backup CNPG restores. */
  readonly backupId?: string;
  /** The lab's `latestRow` truth for the archive (checked against a restore without target). */
  readonly latestRowId?: number;
  /** The recovery fails with this message (in the PostgreSQL log or from the plugin). */
  readonly error?: RegExp;
}

interface RoundTrip {
  readonly name: string;
  /**
   * The majors it runs on: every target kind runs on both; variations of a kind run on 15 only (CI time).
   * @default - 15 and 18
   */
  readonly majors?: readonly PgMajor[];
  readonly scenario: keyof Truths;
  readonly options: (t: ArchiveTruth) => PitrOptions;
  readonly expected: (t: ArchiveTruth) => Expected;
}

/** The newest CNPG we support and the oldest (their settings differ: escaping, ConvertToPostgresFormat). */
const NEWEST: CnpgVersion = '1.30.0';

const row = (t: ArchiveTruth, id: number): RowTruth => {
  const r = t.rows.find(x => x.id === id);
  if (!r) throw new Error(`scenario ${t.scenario} has no row ${id}`);
  return r;
};
/** Ids of the rows (of `ids`, default all) up to and including row `lastId`. */
const upTo = (t: ArchiveTruth, lastId: number, ids?: readonly number[]): number[] => (ids ?? t.rows.map(r => r.id)).filter(id => id <= lastId);
const between = (t: ArchiveTruth, a: number, b: number) => midpoint(row(t, a).commitTime, row(t, b).commitTime);
/** A Date (milliseconds) strictly between two commits. */
const dateBetween = (t: ArchiveTruth, a: number, b: number) => new Date(Number(toMicros(between(t, a, b)) / 1000n));
const backupOf = (t: ArchiveTruth) => t.backups[0].id;
const lastRow = (t: ArchiveTruth) => t.rows[t.rows.length - 1];
const STOP_BEFORE_TARGET = /recovery ended before configured recovery target was reached/;

/** Every round trip: target kinds, inclusive and exclusive, CNPG version differences, timelines and failures. */
export const ROUND_TRIPS: readonly RoundTrip[] = [
  {
    name: 'time, inclusive, exactly at a commit: that commit is restored',
    scenario: 'healthy',
    options: t => ({ target: RecoveryTarget.timestamp(row(t, 5).commitTime), cnpgVersion: NEWEST }),
    expected: t => ({ rows: upTo(t, 5), backupId: backupOf(t) }),
  },
  {
    name: 'time, exclusive, exactly at a commit: that commit is not restored',
    scenario: 'healthy',
    options: t => ({ target: RecoveryTarget.timestamp(row(t, 5).commitTime, { exclusive: true }), cnpgVersion: NEWEST }),
    expected: t => ({ rows: upTo(t, 4) }),
  },
  {
    name: 'time from a Date between two commits (CNPG 1.28.0 settings)',
    majors: [15],
    scenario: 'healthy',
    options: t => ({ target: RecoveryTarget.time(dateBetween(t, 7, 8)), cnpgVersion: '1.28.0' }),
    expected: t => ({ rows: upTo(t, 7) }),
  },
  {
    name: 'time as RFC 3339 "…Z" through the escape hatch: CNPG 1.28.1 converts it to "+00:00" and the restore works',
    majors: [15],
    scenario: 'healthy',
    options: t => ({
      target: RecoveryTarget.latest(),
      cnpgVersion: '1.28.1',
      // Our synth validator rejects RFC 3339 UTC times for every CNPG version; this asks what CNPG itself does.
      skipValidation: true,
      patch: r => ApiObject.of(r.cluster).addJsonPatch(JsonPatch.add('/spec/bootstrap/recovery/recoveryTarget', { targetTime: row(t, 6).commitTimeRfc3339 })),
    }),
    expected: t => ({ rows: upTo(t, 6) }),
  },
  {
    name: 'time as RFC 3339 "…Z" through the escape hatch: CNPG 1.28.0 writes "…Z" and PostgreSQL refuses to start',
    majors: [15],
    scenario: 'healthy',
    options: t => ({
      target: RecoveryTarget.latest(),
      cnpgVersion: '1.28.0',
      skipValidation: true,
      patch: r => ApiObject.of(r.cluster).addJsonPatch(JsonPatch.add('/spec/bootstrap/recovery/recoveryTarget', { targetTime: row(t, 6).commitTimeRfc3339 })),
    }),
    expected: () => ({ error: /invalid value for parameter "recovery_target_time"/ }),
  },
  {
    name: 'LSN right after a commit',
    scenario: 'healthy',
    options: t => ({ target: RecoveryTarget.lsn(row(t, 8).lsnAfter), cnpgVersion: NEWEST }),
    expected: t => ({ rows: upTo(t, 8), backupId: backupOf(t) }),
  },
  {
    name: 'transaction ID, inclusive',
    scenario: 'healthy',
    options: t => ({ target: RecoveryTarget.xid(Number(row(t, 9).xid), { backupId: backupOf(t) }), cnpgVersion: NEWEST }),
    expected: t => ({ rows: upTo(t, 9) }),
  },
  {
    name: 'transaction ID, exclusive (CNPG 1.28.1 settings)',
    majors: [15],
    scenario: 'healthy',
    options: t => ({ target: RecoveryTarget.xid(Number(row(t, 9).xid), { backupId: backupOf(t), exclusive: true }), cnpgVersion: '1.28.1' }),
    expected: t => ({ rows: upTo(t, 8) }),
  },
  {
    name: 'named restore point',
    scenario: 'healthy',
    options: t => ({ target: RecoveryTarget.namedRestorePoint(t.restorePoints[0].name, { backupId: backupOf(t) }), cnpgVersion: NEWEST }),
    expected: t => ({ rows: [...t.restorePoints[0].rowsBefore] }),
  },
  {
    name: 'immediate: the base backup\'s own state',
    scenario: 'healthy',
    options: t => ({ target: RecoveryTarget.immediate(backupOf(t)), cnpgVersion: NEWEST }),
    expected: t => ({ rows: [...t.backups[0].rowsBefore], backupId: backupOf(t) }),
  },
  {
    name: 'latest: every archived commit',
    scenario: 'healthy',
    options: () => ({ target: RecoveryTarget.latest(), cnpgVersion: NEWEST }),
    expected: t => ({ rows: t.rows.map(r => r.id), timeline: 2, latestRowId: lastRow(t).id }),
  },
  {
    name: 'fails when the time is after the last commit',
    scenario: 'healthy',
    options: t => ({ target: RecoveryTarget.timestamp(fromMicros(toMicros(lastRow(t).commitTime) + 1_000_000n)), cnpgVersion: NEWEST }),
    expected: () => ({ error: STOP_BEFORE_TARGET }),
  },
  {
    name: 'fails when the time is exactly the last commit (PostgreSQL stops only on a later commit)',
    majors: [15],
    scenario: 'healthy',
    options: t => ({ target: RecoveryTarget.timestamp(lastRow(t).commitTime), cnpgVersion: NEWEST }),
    expected: () => ({ error: STOP_BEFORE_TARGET }),
  },
  {
    name: 'fails when the time is before the only backup ended (CNPG finds no backup)',
    majors: [15],
    scenario: 'healthy',
    options: t => ({ target: RecoveryTarget.timestamp(between(t, 1, 2)), cnpgVersion: NEWEST }),
    expected: () => ({ error: /no target backup found/ }),
  },
  {
    name: 'a time before the pinned backup ended silently gives the backup\'s own state, not the rows at that time',
    scenario: 'healthy',
    majors: [15],
    options: t => ({ target: RecoveryTarget.timestamp(between(t, 1, 2), { backupId: backupOf(t) }), cnpgVersion: NEWEST }),
    expected: t => ({ rows: [...t.backups[0].rowsBefore] }),
  },
  {
    name: 'gap: latest stops silently at the missing segment',
    majors: [15],
    scenario: 'gap',
    options: () => ({ target: RecoveryTarget.latest(), cnpgVersion: NEWEST }),
    expected: t => {
      const rows = t.rows.filter(r => r.segment < t.deletedSegments[0]).map(r => r.id);
      return { rows, latestRowId: rows[rows.length - 1] };
    },
  },
  {
    name: 'gap: fails when the time is inside the gap',
    scenario: 'gap',
    options: t => ({ target: RecoveryTarget.timestamp(between(t, 5, 6)), cnpgVersion: NEWEST }),
    expected: () => ({ error: STOP_BEFORE_TARGET }),
  },
  {
    name: 'two timelines: latest follows the newest timeline',
    scenario: 'two-timelines',
    options: () => ({ target: RecoveryTarget.latest(), cnpgVersion: NEWEST }),
    expected: t => ({ rows: [...upTo(t, 4), 101, 102, 103], timeline: 3, latestRowId: 103 }),
  },
  {
    name: 'two timelines: a time after the switch, on the latest timeline',
    majors: [15],
    scenario: 'two-timelines',
    options: t => ({ target: RecoveryTarget.timestamp(between(t, 101, 102)), cnpgVersion: NEWEST }),
    expected: t => ({ rows: [...upTo(t, 4), 101], timeline: 3 }),
  },
  {
    name: 'two timelines: a time after the switch, on timeline 1, gives the rows the other branch lost',
    majors: [15],
    scenario: 'two-timelines',
    options: t => ({ target: RecoveryTarget.timestamp(between(t, 5, 6), { timeline: 1 }), cnpgVersion: NEWEST }),
    expected: t => ({ rows: upTo(t, 5), timeline: 3, backupId: backupOf(t) }),
  },
  {
    name: 'bzip2: latest',
    majors: [15],
    scenario: 'bzip2',
    options: () => ({ target: RecoveryTarget.latest(), cnpgVersion: NEWEST }),
    expected: t => ({ rows: t.rows.map(r => r.id) }),
  },
  {
    name: 'many segments: an LSN target twelve segments after the backup',
    scenario: 'many-segments',
    majors: [15],
    options: t => ({ target: RecoveryTarget.lsn(row(t, 7).lsnAfter), cnpgVersion: NEWEST }),
    expected: t => ({ rows: upTo(t, 7), backupId: backupOf(t) }),
  },
  {
    name: 'fails when the archive has WAL but no base backup (CNPG finds no backup)',
    scenario: 'no-backup',
    majors: [15],
    options: () => ({ target: RecoveryTarget.latest(), cnpgVersion: NEWEST }),
    expected: () => ({ error: /no target backup found/ }),
  },
];

/** Runs at most `limit` tasks at once (restores are CPU-bound on a shared machine). */
function limiter(limit: number): <T>(task: () => Promise<T>) => Promise<T> {
  let active = 0;
  const queue: (() => void)[] = [];
  return async task => {
    while (active >= limit) await new Promise<void>(resolve => queue.push(resolve));
    active++;
    try {
      return await task();
    } finally {
      active--;
      queue.shift()?.();
    }
  };
}

/** Defines the round-trip tests for one PostgreSQL major. */
export function describeRestoreRoundTrips(major: PgMajor): void {
  let labPromise: Promise<ArchiveLab> | undefined;
  const written = new Map<keyof Truths, Promise<ArchiveTruth>>();
  const slot = limiter(3);
  const lab = (): Promise<ArchiveLab> => (labPromise ??= ArchiveLab.start({ major }));
  // Concurrent tests share one lab; each scenario's archive is written once, on first use.
  const truth = (name: keyof Truths): Promise<ArchiveTruth> => {
    let p = written.get(name);
    if (!p) written.set(name, p = lab().then(l => slot(() => l.scenario(name as ScenarioName))));
    return p;
  };

  afterAll(async () => {
    // CDK8S_CNPG_LAB_KEEP=1 keeps the archives, data directories and logs for a look after a failure.
    if (labPromise) await (await labPromise.catch(() => undefined))?.stop({ keepFiles: process.env.CDK8S_CNPG_LAB_KEEP === '1' });
  });

  describe(`restores on PostgreSQL ${major}`, () => {
    const cases = ROUND_TRIPS.filter(c => (c.majors ?? [15, 18]).includes(major));
    test.concurrent.each(cases.map(c => [c.name, c] as const))('%s', async (_, c) => {
      // GIVEN the archive of the scenario, written by PostgreSQL and barman-cloud-wal-archive
      const t = await truth(c.scenario);
      const l = await lab();
      // WHEN our PitrRestore is synthesized and restored as CNPG would
      const outcome: PitrOutcome = await slot(() => restoreWithPitr(l, t, c.options(t)));
      // THEN
      const expected = c.expected(t);
      const context = `${c.name}\nrecovery settings:\n${outcome.recoveryOptions}\nlog:\n${outcome.log.split('\n').slice(-15).join('\n')}`;
      if (expected.error) {
        expect({ promoted: outcome.promoted, context }).toEqual({ promoted: false, context });
        expect(outcome.error).toMatch(expected.error);
        return;
      }
      expect({ promoted: outcome.promoted, error: outcome.error, context }).toEqual({ promoted: true, error: undefined, context });
      expect(outcome.rowIds).toEqual(expected.rows);
      if (expected.timeline !== undefined) expect(outcome.timeline).toBe(expected.timeline);
      if (expected.backupId !== undefined) expect(outcome.backupId).toBe(expected.backupId);
      if (expected.latestRowId !== undefined) expect(t.latestRow?.id).toBe(expected.latestRowId);
    }, 900_000);
  });
}
