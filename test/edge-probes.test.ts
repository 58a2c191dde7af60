/**
 * Edge probes through the public API (the package's exports) and the `cdk8s-cnpg` CLI (issue 14): each one an edge
 * value a user can write, and what reaches the YAML or the verdict. Two of them were bugs when issue 14 was filed:
 * microseconds cut to milliseconds, and `@monthly`/`@yearly`/`@every 720h` taken as a week by the lifecycle guard.
 * The module-level boundary tests live beside each module; these check the same edges end to end.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Chart, Testing } from 'cdk8s';
import * as yaml from 'js-yaml';
import {
  BackedUpPostgres, BackupSchedule, BucketPolicies, ObjectStorage, PitrRestore, RecoveryTarget, RetentionPolicy, S3Credentials,
} from '../src';
import { errorOf, find, synthAuthored } from './util';
import { runCli, runCommand } from '../src/cli/cli';

const DAY = 86400;

/** The targetTime a PitrRestore emits for a target, through synth. */
function emittedTime(target: RecoveryTarget): string {
  const chart = new Chart(Testing.app(), 'restore', { namespace: 'databases' });
  new PitrRestore(chart, 'Restore', {
    source: BackedUpPostgres.fromAttributes(chart, 'Source', { objectStoreName: 's3-store', serverName: 'test', destinationPath: 's3://my-backups/postgres/' }),
    clusterName: 'test-restore',
    target,
  });
  return find(synthAuthored(chart), 'Cluster', 'test-restore').spec.bootstrap.recovery.recoveryTarget.targetTime;
}

function database(schedule: BackupSchedule, retention = RetentionPolicy.days(7)): BackedUpPostgres {
  return new BackedUpPostgres(Testing.chart(), 'Postgres', {
    clusterName: 'test',
    objectStorage: ObjectStorage.s3({ bucket: 'my-backups', path: 'postgres', credentials: S3Credentials.fromSecret({ secretName: 's3-credentials' }) }),
    retentionPolicy: retention,
    schedule,
  });
}

/** The smallest expiry the lifecycle guard accepts for a schedule (7-day retention), read from its error. */
function minimumExpiry(schedule: BackupSchedule): number {
  const message = errorOf(() => BucketPolicies.lifecycleRule(database(schedule), { expireAfterDays: 1 }));
  return Number(/must be at least (\d+) days/.exec(message)?.[1]);
}

describe('probe: times keep their microseconds and their offset, end to end', () => {
  test.each<[string, RecoveryTarget, string]>([
    // bug 1 of issue 14: a Date holds milliseconds, the string forms keep all six digits
    ['microseconds of a timestamp', RecoveryTarget.timestamp('2025-12-27 20:43:00.123456+00:00'), '2025-12-27 20:43:00.123456+00:00'],
    ['a commit time from PostgreSQL\'s log, in UTC', RecoveryTarget.utc('2025-12-27 02:29:05.432801'), '2025-12-27 02:29:05.432801+00:00'],
    ['the RFC 3339 form with microseconds', RecoveryTarget.timestamp('2025-12-27T21:43:00.000001+01:00'), '2025-12-27 20:43:00.000001+00:00'],
    ['a Date (millisecond precision, documented)', RecoveryTarget.time(new Date('2025-12-27T20:43:00.123Z')), '2025-12-27 20:43:00.123000+00:00'],
    // offsets of both signs, with minutes
    ['a negative offset with minutes', RecoveryTarget.timestamp('2025-12-27 15:13:00-05:30'), '2025-12-27 20:43:00.000000+00:00'],
    ['a positive offset with minutes', RecoveryTarget.timestamp('2025-12-28 02:13:00+05:30'), '2025-12-27 20:43:00.000000+00:00'],
    ['a positive offset with seconds (PostgreSQL form)', RecoveryTarget.timestamp('2025-12-27 20:43:30+00:00:30'), '2025-12-27 20:43:00.000000+00:00'],
    // calendar edges
    ['an offset that crosses into the previous year', RecoveryTarget.timestamp('2026-01-01 00:30:00+01:00'), '2025-12-31 23:30:00.000000+00:00'],
    ['the last microsecond of a year, pushed into the next', RecoveryTarget.timestamp('2025-12-31 23:59:59.999999-00:01'), '2026-01-01 00:00:59.999999+00:00'],
    ['February 29th of a leap year', RecoveryTarget.utc('2024-02-29 23:59:59.999999'), '2024-02-29 23:59:59.999999+00:00'],
    ['February 29th of 2000 (leap: divisible by 400)', RecoveryTarget.timestamp('2000-02-29 00:00:00+00:00'), '2000-02-29 00:00:00.000000+00:00'],
    // more than six digits: PostgreSQL rounds its own form (half to even); CNPG's Go layout truncates RFC 3339
    ['seven digits rounded up', RecoveryTarget.timestamp('2025-12-27 20:43:00.1234567+00:00'), '2025-12-27 20:43:00.123457+00:00'],
    ['seven digits, a half rounded to even', RecoveryTarget.timestamp('2025-12-27 20:43:00.1234565+00:00'), '2025-12-27 20:43:00.123456+00:00'],
    ['nine RFC 3339 digits truncated', RecoveryTarget.timestamp('2025-12-27T20:43:00.999999999+00:00'), '2025-12-27 20:43:00.999999+00:00'],
  ])('%s', (_, target, expected) => {
    expect(emittedTime(target)).toBe(expected);
  });

  test.each<[string, () => unknown, RegExp]>([
    ['February 29th of a year that is not leap', () => emittedTime(RecoveryTarget.timestamp('2025-02-29 12:00:00+00:00')), /day 29 is out of range for 2025-02/],
    ['February 29th of 2100 (not leap: divisible by 100)', () => emittedTime(RecoveryTarget.timestamp('2100-02-29 12:00:00+00:00')), /day 29 is out of range for 2100-02/],
    ['hour 24', () => emittedTime(RecoveryTarget.timestamp('2025-12-27 24:00:00+00:00')), /time 24:00:00 is out of range/],
    ['a timestamp without an offset', () => emittedTime(RecoveryTarget.timestamp('2025-12-27 20:43:00')), /timestamp has no explicit offset/],
    ['a UTC time that names a zone', () => emittedTime(RecoveryTarget.utc('2025-12-27T20:43:00Z')), /a UTC time must not name a zone or offset/],
    ['a zone letter without the RFC 3339 "T"', () => emittedTime(RecoveryTarget.timestamp('2025-12-27 20:43:00Z')), /a zone letter needs the RFC 3339 "T" form/],
  ])('fails at synth: %s', (_, synth, message) => {
    expect(errorOf(synth)).toMatch(message);
  });
});

describe('probe: the lifecycle guard reads every schedule form CNPG accepts', () => {
  test.each<[string, BackupSchedule, number]>([
    // bug 2 of issue 14: these were taken as one week (a minimum of 9 days)
    ['@monthly', BackupSchedule.cron('@monthly'), 39],
    ['@yearly', BackupSchedule.cron('@yearly'), 374],
    ['@annually', BackupSchedule.cron('@annually'), 374],
    ['@every 720h', BackupSchedule.cron('@every 720h'), 38],
    ['@weekly', BackupSchedule.cron('@weekly'), 15],
    ['@daily', BackupSchedule.cron('@daily'), 9],
    ['@midnight', BackupSchedule.cron('@midnight'), 9],
    ['@hourly (rounded up to one day)', BackupSchedule.cron('@hourly'), 9],
    ['the monthly schedule as six fields', BackupSchedule.cron('0 0 0 1 * *'), 39],
    ['February 29th only (eight years across 2100)', BackupSchedule.cron('0 0 0 29 2 *'), 7 + 2921 + 1],
  ])('%s', (_, schedule, days) => {
    expect(minimumExpiry(schedule)).toBe(days);
  });

  test('the guard accepts the minimum it names', () => {
    const rule = JSON.parse(BucketPolicies.lifecycleRule(database(BackupSchedule.cron('@monthly')), { expireAfterDays: 39 })).Rules[0];
    expect(rule.Expiration.Days).toBe(39);
  });
});

describe('probe: schedules at their edges reach the YAML or fail with the fix', () => {
  const scheduleOf = (schedule: BackupSchedule) => find(synthAuthored(database(schedule).node.scope as Chart), 'ScheduledBackup').spec.schedule;

  test.each<[string, BackupSchedule, string]>([
    ['daily at the last minute of the day', BackupSchedule.daily({ hour: 23, minute: 59 }), '0 59 23 * * *'],
    ['weekly at midnight', BackupSchedule.weekly({ hour: 0, minute: 0 }), '0 0 0 * * 0'],
    ['every field at its maximum', BackupSchedule.cron('59 59 23 31 12 6'), '59 59 23 31 12 6'],
    ['names of months and weekdays in ranges', BackupSchedule.cron('0 0 3 * JAN-DEC SUN-SAT'), '0 0 3 * JAN-DEC SUN-SAT'],
    ['ranges and steps of two digits', BackupSchedule.cron('0 10-50/15 12-23/11 10-31/10 * *'), '0 10-50/15 12-23/11 10-31/10 * *'],
  ])('%s', (_, schedule, expected) => {
    expect(scheduleOf(schedule)).toBe(expected);
  });

  test.each<[string, BackupSchedule, RegExp]>([
    ['hour 24', BackupSchedule.daily({ hour: 24 }), /hour field: 24 is out of range 0-23/],
    ['minute 60', BackupSchedule.daily({ minute: 60 }), /minute field: 60 is out of range 0-59/],
    ['day 0', BackupSchedule.cron('0 0 0 0 * *'), /day of month field: 0 is out of range 1-31/],
    ['month 13', BackupSchedule.cron('0 0 0 1 13 *'), /month field: 13 is out of range 1-12/],
    ['weekday 7 (robfig/cron v1.2.0 stops at 6)', BackupSchedule.cron('0 0 0 * * 7'), /day of week field: 7 is out of range 0-6/],
    ['a five-field cron', BackupSchedule.cron('0 3 * * *'), /has 5 fields but CNPG reads 6, seconds first/],
    ['a descriptor after a space (robfig reads it as fields)', BackupSchedule.cron(' @daily'), /has 1 fields, CNPG needs 6/],
    ['@every with two spaces (Go refuses the duration)', BackupSchedule.cron('@every  1h'), /" 1h" is not a Go duration/],
    ['a date that never comes', BackupSchedule.cron('0 0 0 30 2 *'), /matches no date/],
  ])('fails at synth: %s', (_, schedule, message) => {
    expect(errorOf(() => database(schedule))).toMatch(message);
  });
});

describe('probe: restores across namespaces and image minors', () => {
  const source = (scope: Chart, o: object = {}) => BackedUpPostgres.fromAttributes(scope, 'Source', { objectStoreName: 's3-store', serverName: 'test', destinationPath: 's3://my-backups/postgres/', imageName: 'ghcr.io/cloudnative-pg/postgresql:17.5', ...o });

  test('a later minor of the same major reaches the YAML', () => {
    const chart = new Chart(Testing.app(), 'restore', { namespace: 'databases' });
    new PitrRestore(chart, 'Restore', { source: source(chart), clusterName: 'test-restore', imageName: 'ghcr.io/cloudnative-pg/postgresql:17.6' });
    expect(find(synthAuthored(chart), 'Cluster', 'test-restore').spec.imageName).toBe('ghcr.io/cloudnative-pg/postgresql:17.6');
  });

  test('another major fails, naming the source\'s', () => {
    const chart = Testing.chart();
    expect(errorOf(() => new PitrRestore(chart, 'Restore', { source: source(chart), clusterName: 'test-restore', imageName: 'ghcr.io/cloudnative-pg/postgresql:18.1' })))
      .toMatch(/imageName: must be the source's PostgreSQL major version 17/);
  });

  test('a source in another namespace than the chart\'s fails: the plugin reads the ObjectStore in the restore\'s own', () => {
    const chart = new Chart(Testing.app(), 'restore', { namespace: 'restores' });
    expect(errorOf(() => new PitrRestore(chart, 'Restore', { source: source(chart, { namespace: 'databases' }), clusterName: 'test-restore' })))
      .toMatch(/source\.namespace: must be this chart's namespace "restores"/);
  });
});

describe('probe: the CLI', () => {
  let dir: string;
  beforeAll(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cnpg-probes-')); });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  const meta = (name: string) => ({ name, namespace: 'db' });
  const secret = (data: Record<string, string>, field: 'data' | 'stringData') => ({ apiVersion: 'v1', kind: 'Secret', metadata: meta('creds'), type: 'Opaque', [field]: data });
  const store = {
    apiVersion: 'barmancloud.cnpg.io/v1',
    kind: 'ObjectStore',
    metadata: meta('store'),
    spec: {
      configuration: {
        destinationPath: 's3://backups/pg',
        s3Credentials: { accessKeyId: { name: 'creds', key: 'ACCESS_KEY_ID' }, secretAccessKey: { name: 'creds', key: 'ACCESS_SECRET_KEY' } },
      },
    },
  };
  const cluster = (spec: object = {}, name = 'pg') => ({
    apiVersion: 'postgresql.cnpg.io/v1',
    kind: 'Cluster',
    metadata: meta(name),
    spec: {
      instances: 1,
      storage: { size: '1Gi' },
      plugins: [{ name: 'barman-cloud.cloudnative-pg.io', isWALArchiver: true, parameters: { barmanObjectName: 'store' } }],
      ...spec,
    },
  });
  const restoreTo = (targetTime: string) => cluster({
    bootstrap: { recovery: { source: 'origin', recoveryTarget: { targetTime } } },
    externalClusters: [{ name: 'origin', plugin: { name: 'barman-cloud.cloudnative-pg.io', parameters: { barmanObjectName: 'store', serverName: 'pg' } } }],
    plugins: [{ name: 'barman-cloud.cloudnative-pg.io', isWALArchiver: true, parameters: { barmanObjectName: 'store', serverName: 'pg-restore' } }],
  }, 'pg-restore');

  function validate(docs: object[], ...flags: string[]): { code: number; stdout: string } {
    const file = fs.mkdtempSync(path.join(dir, 'set-')) + '/set.yaml';
    fs.writeFileSync(file, docs.map(d => yaml.dump(d)).join('---\n'));
    let stdout = '';
    const code = runCli(['validate', ...flags, file], { stdout: s => { stdout += s; }, stderr: () => undefined });
    return { code, stdout };
  }
  const base64 = (s: string) => Buffer.from(s).toString('base64');

  test.each<[string, 'data' | 'stringData', Record<string, string>, number]>([
    ['Secret keys under stringData', 'stringData', { ACCESS_KEY_ID: 'a', ACCESS_SECRET_KEY: 'b' }, 0],
    ['Secret keys under data', 'data', { ACCESS_KEY_ID: base64('a'), ACCESS_SECRET_KEY: base64('b') }, 0],
    ['a key missing under data', 'data', { ACCESS_KEY_ID: base64('a') }, 1],
    ['a key missing under stringData', 'stringData', { ACCESS_KEY_ID: 'a' }, 1],
  ])('validate: %s', (_, field, data, code) => {
    const r = validate([secret(data, field), store, cluster()]);
    expect(r.code).toBe(code);
    if (code) expect(r.stdout).toMatch(/ObjectStore db\/store: spec\.configuration\.s3Credentials\.secretAccessKey.*"ACCESS_SECRET_KEY"/);
  });

  test.each([
    ['Pooler', { apiVersion: 'postgresql.cnpg.io/v1', kind: 'Pooler', metadata: meta('pooler'), spec: { cluster: { name: 'missing' }, pgbouncer: { poolMode: 'session' } } }],
    ['Database', { apiVersion: 'postgresql.cnpg.io/v1', kind: 'Database', metadata: meta('shop'), spec: { cluster: { name: 'missing' }, name: 'shop', owner: 'app' } }],
    ['ScheduledBackup', { apiVersion: 'postgresql.cnpg.io/v1', kind: 'ScheduledBackup', metadata: meta('daily'), spec: { cluster: { name: 'missing' }, schedule: '0 0 3 * * *', immediate: true, method: 'plugin', pluginConfiguration: { name: 'barman-cloud.cloudnative-pg.io' } } }],
  ])('validate: a %s naming a Cluster outside the set is reported', (kind, doc) => {
    const r = validate([secret({ ACCESS_KEY_ID: 'a', ACCESS_SECRET_KEY: 'b' }, 'stringData'), store, cluster(), doc]);
    expect(r.stdout).toMatch(new RegExp(`${kind} db/\\w+: spec\\.cluster\\.name: .*"missing"`));
  });

  test.each<[string, string, string, number, RegExp | undefined]>([
    ['an RFC 3339 UTC time on CNPG 1.28.0 (PostgreSQL refuses its "Z")', '2025-12-27T20:43:00Z', '1.28.0', 1, /reaches PostgreSQL as "2025-12-27 20:43:00\.000000Z"/],
    ['the same time on CNPG 1.28.1 (machinery writes +00:00)', '2025-12-27T20:43:00Z', '1.28.1', 0, undefined],
    ['microseconds with an offset of minutes', '2025-12-27 15:13:00.432801-05:30', '1.28.0', 0, undefined],
    ['a time without a zone', '2025-12-27 20:43:00.432801', '1.28.1', 0, /warning: .*has no time zone and is taken as UTC.*"2025-12-27 20:43:00\.432801\+00:00"/],
    ['February 29th of a year that is not leap', '2025-02-29 12:00:00+00:00', '1.28.1', 1, /day 29 is out of range for 2025-02/],
  ])('validate: targetTime %s', (_, targetTime, version, code, output) => {
    const r = validate([secret({ ACCESS_KEY_ID: 'a', ACCESS_SECRET_KEY: 'b' }, 'stringData'), store, cluster(), restoreTo(targetTime)], '--cnpg-version', version);
    expect(r.code).toBe(code);
    if (output) expect(r.stdout).toMatch(output);
    else expect(r.stdout).not.toMatch(/targetTime/);
  });

  test.each([
    ['a five-field schedule', '0 3 * * *', /"0 0 3 \* \* \*" runs at 03:00 \(UTC\)/],
    ['a date that never comes', '0 0 0 31 4 *', /matches no date/],
  ])('validate: a ScheduledBackup with %s fails', (_, schedule, message) => {
    const backup = { apiVersion: 'postgresql.cnpg.io/v1', kind: 'ScheduledBackup', metadata: meta('daily'), spec: { cluster: { name: 'pg' }, schedule, immediate: true, method: 'plugin', pluginConfiguration: { name: 'barman-cloud.cloudnative-pg.io' } } };
    const r = validate([secret({ ACCESS_KEY_ID: 'a', ACCESS_SECRET_KEY: 'b' }, 'stringData'), store, cluster(), backup]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(message);
  });

  test.each([
    ['microseconds and a negative offset with minutes', '2025-12-27 15:13:00.432801-05:30', '2025-12-27 20:43:00.432801+00:00'],
    ['RFC 3339 UTC', '2025-12-27T20:43:00.000001Z', '2025-12-27 20:43:00.000001+00:00'],
  ])('restore --target-time with %s keeps every digit', async (_, time, expected) => {
    let stdout = '';
    const code = await runCommand(['restore', '--object-store', 's3-store', '--server-name', 'db', '--destination-path', 's3://bucket/pg/', '--target-time', time],
      { stdout: (s: string) => { stdout += s; }, stderr: () => undefined, env: {} } as never);
    expect(code).toBe(0);
    expect((yaml.load(stdout) as any).spec.bootstrap.recovery.recoveryTarget.targetTime).toBe(expected);
  });
});
