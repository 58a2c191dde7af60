/**
 * The lab's reading of CNPG and the plugin, checked without binaries: if these drift, the round trips test the
 * wrong thing. Expected values come from the upstream code cited in lab/cnpg-recovery.ts and lab/barman-config.ts.
 */
import { Chart, Testing } from 'cdk8s';
import { BackedUpPostgres, Compression, ObjectStorage, PitrRestore, RecoveryTarget, S3Credentials } from '../../src';
import { archiveTarget, recoverySource } from './lab/barman-config';
import { buildPostgresOptions, chooseBackup, convertToPostgresFormat, lsnValue, parseTime } from './lab/cnpg-recovery';
import { fromMicros, midpoint, toMicros } from './lab/scenarios';

describe('ConvertToPostgresFormat by CNPG version (machinery pkg/postgres/time)', () => {
  test.each([
    // CNPG 1.28.0 (machinery v0.3.1): RFC 3339 UTC becomes "…Z", which PostgreSQL refuses
    ['1.28.0', '2025-12-27T20:43:00Z', '2025-12-27 20:43:00.000000Z'],
    ['1.28.0', '2025-12-27T20:43:00.123456+00:00', '2025-12-27 20:43:00.123456Z'],
    ['1.28.0', '2025-12-27T21:43:00+01:00', '2025-12-27 21:43:00.000000+01:00'],
    ['1.28.0', '2025-12-27T20:43:00', '2025-12-27T20:43:00'],
    // CNPG 1.28.1+ (v0.3.3, v0.4.0, v0.5.0): "+00:00", and a zone-less RFC 3339 time is taken as UTC
    ['1.28.1', '2025-12-27T20:43:00Z', '2025-12-27 20:43:00.000000+00:00'],
    ['1.29.1', '2025-12-27T20:43:00.1234567Z', '2025-12-27 20:43:00.123456+00:00'],
    ['1.30.0', '2025-12-27T20:43:00', '2025-12-27 20:43:00.000000+00:00'],
    // what our library emits passes through every version unchanged
    ['1.28.0', '2025-12-27 20:43:00.123456+00:00', '2025-12-27 20:43:00.123456+00:00'],
    ['1.30.0', '2025-12-27 20:43:00.123456+00:00', '2025-12-27 20:43:00.123456+00:00'],
    ['1.30.0', '2025-11-26 01:00:00Z', '2025-11-26 01:00:00Z'],
  ] as const)('CNPG %s turns %s into %s', (version, input, expected) => {
    expect(convertToPostgresFormat(input, version)).toBe(expected);
  });
});

describe('BuildPostgresOptions by CNPG version (api/v1/cluster_funcs.go)', () => {
  test('1.28.x writes hand-built lines in a fixed order, immediate unquoted', () => {
    expect(buildPostgresOptions({ backupID: '20251227T200000', targetImmediate: true }, '1.28.1'))
      .toBe('recovery_target = immediate\nrecovery_target_inclusive = true\n');
    expect(buildPostgresOptions({ targetTLI: '1', targetTime: '2025-12-27 20:43:00+00:00', exclusive: true }, '1.28.0'))
      .toBe("recovery_target_timeline = '1'\nrecovery_target_time = '2025-12-27 20:43:00+00:00'\nrecovery_target_inclusive = false\n");
  });

  test('1.29.1 and 1.30.0 render sorted keys with escaped quoted values', () => {
    expect(buildPostgresOptions({ targetName: "bob's point", targetTLI: 'latest' }, '1.30.0'))
      .toBe("recovery_target_inclusive = 'true'\nrecovery_target_name = 'bob''s point'\nrecovery_target_timeline = 'latest'\n");
  });

  test('1.28.1 does not escape a quote in a restore point name (PostgreSQL then rejects the file)', () => {
    expect(buildPostgresOptions({ targetName: "bob's point" }, '1.28.1')).toContain("recovery_target_name = 'bob's point'\n");
  });

  test('no recoveryTarget writes nothing (latest)', () => {
    expect(buildPostgresOptions(undefined, '1.30.0')).toBe('');
  });
});

describe('the backup CNPG restores (barman-cloud pkg/catalog FindBackupInfo)', () => {
  const backups = [
    { id: 'A', endTime: '2025-12-27 10:00:00.000000+00:00', endLsn: '0/3000100', timeline: 1 },
    { id: 'B', endTime: '2025-12-27 12:00:00.000000+00:00', endLsn: '0/5000100', timeline: 1 },
    { id: 'C', endTime: '2025-12-27 14:00:00.000000+00:00', endLsn: '0/7000100', timeline: 2 },
  ];
  test.each([
    ['a pinned backupID wins', { backupID: 'A', targetTime: '2025-12-27 13:00:00+00:00' }, 'A'],
    ['a time picks the newest backup ended at or before it', { targetTime: '2025-12-27 12:00:00+00:00' }, 'B'],
    ['a time before every backup end finds none', { targetTime: '2025-12-27 09:00:00+00:00' }, undefined],
    ['an LSN picks the newest backup ended strictly before it', { targetLSN: '0/5000100' }, 'A'],
    ['a numeric timeline keeps only that timeline', { targetTime: '2025-12-27 15:00:00+00:00', targetTLI: '1' }, 'B'],
    ['"latest" keeps every timeline', { targetTime: '2025-12-27 15:00:00+00:00', targetTLI: 'latest' }, 'C'],
    ['no time or LSN picks the newest', {}, 'C'],
  ])('%s', (_, target, expected) => {
    expect(chooseBackup(backups, target)?.id).toBe(expected);
  });

  test('fails when the pinned backupID is not in the catalog', () => {
    expect(() => chooseBackup(backups, { backupID: 'Z' })).toThrow('no backup found with ID Z');
  });
});

describe('time and LSN arithmetic of the lab', () => {
  test('microsecond times round-trip and midpoints stay exact', () => {
    const a = '2025-12-27 20:43:00.000001+00:00';
    expect(fromMicros(toMicros(a))).toBe(a);
    expect(midpoint(a, '2025-12-27 20:43:00.000003+00:00')).toBe('2025-12-27 20:43:00.000002+00:00');
    expect(parseTime('2025-12-27T21:43:00.5+01:00')).toBe(toMicros('2025-12-27 20:43:00.500000+00:00'));
    expect(lsnValue('1/0') > lsnValue('0/FFFFFFFF')).toBe(true);
  });
});

describe('what the plugin sidecar runs for our YAML (barman-cloud pkg/archiver, pkg/backup, pkg/command)', () => {
  // GIVEN a BackedUpPostgres on an S3-compatible store and a PitrRestore of it
  const chart = new Chart(Testing.app(), 'database', { namespace: 'databases' });
  const source = new BackedUpPostgres(chart, 'Postgres', {
    clusterName: 'shop',
    serverName: 'shop-v2',
    objectStorage: ObjectStorage.s3Compatible({
      endpointUrl: 'http://127.0.0.1:9000', bucket: 'lab', path: 'pg', credentials: S3Credentials.fromSecret({ secretName: 'creds' }),
    }),
    walCompression: Compression.BZIP2,
  });
  new PitrRestore(chart, 'Restore', { source, clusterName: 'shop-restore', target: RecoveryTarget.latest() });
  const docs = Testing.synth(chart);
  const store = docs.find(d => d.kind === 'ObjectStore');
  const ref = store.spec.configuration.s3Credentials;
  const secrets = { creds: { [ref.accessKeyId.key]: 'AK', [ref.secretAccessKey.key]: 'SK' } };

  test('WAL archive, backup and WAL restore arguments follow the plugin, with the Cluster\'s serverName', () => {
    // WHEN
    const t = archiveTarget(docs, 'shop', secrets);
    // THEN
    expect(t.walArchiveArgs).toEqual(['--bzip2', '--endpoint-url', 'http://127.0.0.1:9000', '--cloud-provider', 'aws-s3', 's3://lab/pg/', 'shop-v2']);
    expect(t.backupArgs).toEqual(['--gzip', '--endpoint-url', 'http://127.0.0.1:9000', '--cloud-provider', 'aws-s3', 's3://lab/pg/', 'shop-v2']);
    expect(t.walRestoreArgs).toEqual(['--endpoint-url', 'http://127.0.0.1:9000', '--cloud-provider', 'aws-s3', 's3://lab/pg/', 'shop-v2']);
    expect(t.env).toMatchObject({ AWS_ACCESS_KEY_ID: 'AK', AWS_SECRET_ACCESS_KEY: 'SK', AWS_REQUEST_CHECKSUM_CALCULATION: 'when_required' });
  });

  test('the restore reads the source\'s server path from externalClusters', () => {
    // WHEN
    const t = recoverySource(docs, 'shop-restore', secrets);
    // THEN
    expect([t.destinationPath, t.serverName]).toEqual(['s3://lab/pg/', 'shop-v2']);
  });

  test('fails when a Secret value the ObjectStore refers to is missing', () => {
    expect(() => archiveTarget(docs, 'shop', {})).toThrow(/accessKeyId refers to Secret creds key/);
  });
});
