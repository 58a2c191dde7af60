import { Testing } from 'cdk8s';
import { PitrRestore, RecoverySource, RecoveryTarget } from '../src';
import { Doc, errorOf, expectPropError, find } from './util';

const SOURCE = RecoverySource.fromAttributes({ objectStoreName: 's3-store', serverName: 'test', destinationPath: 's3://my-backups/postgres/' });

/** The `spec.bootstrap.recovery.recoveryTarget` a target synthesizes to. */
function rendered(target: RecoveryTarget): Doc | undefined {
  const chart = Testing.chart();
  new PitrRestore(chart, 'Restore', { source: SOURCE, clusterName: 'test-restore', target });
  return find(Testing.synth(chart), 'Cluster').spec.bootstrap.recovery.recoveryTarget;
}

describe('RecoveryTarget', () => {
  test.each([
    ['a Date in UTC', RecoveryTarget.time(new Date('2025-12-27T20:43:00Z'))],
    ['a Date with milliseconds', RecoveryTarget.time(new Date('2025-12-27T20:43:00.000Z'))],
    ['an RFC 3339 UTC string', RecoveryTarget.timestamp('2025-12-27T20:43:00Z')],
    ['an RFC 3339 string with another offset', RecoveryTarget.timestamp('2025-12-27T21:43:00+01:00')],
    ['a PostgreSQL string with +00:00', RecoveryTarget.timestamp('2025-12-27 20:43:00+00:00')],
    ['a PostgreSQL string with a negative offset', RecoveryTarget.timestamp('2025-12-27 15:43:00-05:00')],
    ['a PostgreSQL string with fractional seconds', RecoveryTarget.timestamp('2025-12-27 20:43:00.000000+00')],
  ])('a time from %s is emitted as "YYYY-MM-DD HH:MM:SS.ffffff+00:00"', (_, target) => {
    // GIVEN / WHEN
    const r = rendered(target)!;
    // THEN
    expect(r).toEqual({ targetTime: '2025-12-27 20:43:00.000000+00:00' });
    // never RFC 3339: CNPG would rewrite it with a "Z" that PostgreSQL refuses at startup
    expect(r.targetTime).not.toMatch(/Z|T/);
  });

  test('microseconds are kept to the millisecond a Date holds', () => {
    // GIVEN / WHEN
    const r = rendered(RecoveryTarget.time(new Date('2025-12-27T20:43:00.123Z')));
    // THEN
    expect(r).toEqual({ targetTime: '2025-12-27 20:43:00.123000+00:00' });
  });

  test.each([
    ['a PostgreSQL string', '2025-12-27 20:43:00.123456+00:00', '2025-12-27 20:43:00.123456+00:00'],
    ['an RFC 3339 string with another offset', '2025-12-27T21:43:00.000789+01:00', '2025-12-27 20:43:00.000789+00:00'],
    ['more than six digits (PostgreSQL rounds to the microsecond)', '2025-12-27 20:43:00.9999996+00:00', '2025-12-27 20:43:01.000000+00:00'],
  ])('the microseconds of %s reach the YAML exactly (a commit time is a target)', (_, value, expected) => {
    // GIVEN / WHEN
    const r = rendered(RecoveryTarget.timestamp(value));
    // THEN
    expect(r).toEqual({ targetTime: expected });
  });

  test.each<[string, RecoveryTarget, Doc | undefined]>([
    ['an LSN', RecoveryTarget.lsn('0/3000060'), { targetLSN: '0/3000060' }],
    ['an XID', RecoveryTarget.xid(1234, { backupId: '20251227T200000' }), { targetXID: '1234', backupID: '20251227T200000' }],
    ['a named restore point', RecoveryTarget.namedRestorePoint('before-migration', { backupId: '20251227T200000' }), { targetName: 'before-migration', backupID: '20251227T200000' }],
    ['immediate', RecoveryTarget.immediate('20251227T200000'), { targetImmediate: true, backupID: '20251227T200000' }],
    ['latest', RecoveryTarget.latest(), undefined],
    ['a time with every option', RecoveryTarget.time(new Date('2025-12-27T20:43:00Z'), { exclusive: true, timeline: 2, backupId: '20251227T200000' }),
      { targetTime: '2025-12-27 20:43:00.000000+00:00', exclusive: true, targetTLI: '2', backupID: '20251227T200000' }],
    ['an LSN, not exclusive', RecoveryTarget.lsn('16/B374D848', { exclusive: false }), { targetLSN: '16/B374D848', exclusive: false }],
  ])('%s renders in CNPG\'s field names', (_, target, expected) => {
    // GIVEN / WHEN
    const r = rendered(target);
    // THEN
    expect(r).toEqual(expected);
  });

  test.each([
    [RecoveryTarget.time(new Date('2025-12-27T20:43:00Z')), 'targetTime 2025-12-27 20:43:00.000000+00:00'],
    [RecoveryTarget.lsn('0/3000060'), 'targetLSN 0/3000060'],
    [RecoveryTarget.immediate('20251227T200000'), 'targetImmediate true'],
    [RecoveryTarget.latest(), 'latest'],
  ])('describe() says where recovery stops: %#', (target, words) => {
    // GIVEN / WHEN / THEN
    expect(target.describe()).toBe(words);
  });

  // Targets are checked by the construct that uses them: the error names that construct and the prop `target`.
  test.each<[string, RecoveryTarget, unknown, string]>([
    ['a timestamp has no offset', RecoveryTarget.timestamp('2025-12-27 20:43:00'), '2025-12-27 20:43:00', 'add one, e.g. "2025-12-27 20:43:00+00:00"'],
    ['an RFC 3339 timestamp has no offset', RecoveryTarget.timestamp('2025-12-27T20:43:00'), '2025-12-27T20:43:00', 'add one'],
    ['a timestamp is not a timestamp', RecoveryTarget.timestamp('yesterday'), 'yesterday', 'RecoveryTarget.timestamp("2025-12-27 20:43:00+00:00")'],
    ['a timestamp is empty', RecoveryTarget.timestamp(''), '', 'RecoveryTarget.timestamp("2025-12-27 20:43:00+00:00")'],
    ['a timestamp has a zone letter without the T form', RecoveryTarget.timestamp('2025-12-27 20:43:00Z'), '2025-12-27 20:43:00Z', 'RecoveryTarget.timestamp("2025-12-27 20:43:00+00:00")'],
    ['a timestamp has day 32', RecoveryTarget.timestamp('2025-12-32 20:43:00+00:00'), '2025-12-32 20:43:00+00:00', 'RecoveryTarget.timestamp('],
    ['a Date is invalid', RecoveryTarget.time(new Date('not a date')), new Date('not a date'), 'RecoveryTarget.time(new Date("2025-12-27T20:43:00Z"))'],
    ['an LSN has no slash', RecoveryTarget.lsn('3000060'), '3000060', 'use the form "0/3000060"'],
    ['an LSN is empty', RecoveryTarget.lsn(''), '', 'use the form "0/3000060"'],
    ['an LSN is not hex', RecoveryTarget.lsn('0/XYZ'), '0/XYZ', 'use the form "0/3000060"'],
    ['an XID is zero', RecoveryTarget.xid(0, { backupId: '20251227T200000' }), 0, 'RecoveryTarget.xid(1234'],
    ['an XID is negative', RecoveryTarget.xid(-5, { backupId: '20251227T200000' }), -5, 'RecoveryTarget.xid(1234'],
    ['an XID is fractional', RecoveryTarget.xid(1.5, { backupId: '20251227T200000' }), 1.5, 'RecoveryTarget.xid(1234'],
    ['an XID is over 32 bits', RecoveryTarget.xid(4294967296, { backupId: '20251227T200000' }), 4294967296, 'RecoveryTarget.xid(1234'],
    ['a restore point name is empty', RecoveryTarget.namedRestorePoint('', { backupId: '20251227T200000' }), '', 'pg_create_restore_point()'],
    ['a restore point name is whitespace', RecoveryTarget.namedRestorePoint('  ', { backupId: '20251227T200000' }), '  ', 'pg_create_restore_point()'],
    ['a restore point name is 64 bytes', RecoveryTarget.namedRestorePoint('n'.repeat(64), { backupId: '20251227T200000' }), 'n'.repeat(64), 'pg_create_restore_point()'],
    ['a restore point name has a newline', RecoveryTarget.namedRestorePoint('a\nb', { backupId: '20251227T200000' }), 'a\nb', 'pg_create_restore_point()'],
    ['a backupId is not a Barman ID', RecoveryTarget.lsn('0/3000060', { backupId: 'backup-1' }), 'backup-1', '"20251227T200000"'],
    ['an immediate target has an empty backupId', RecoveryTarget.immediate(''), '', '"20251227T200000"'],
    ['an XID target has no backupId', RecoveryTarget.xid(1234, {} as any), undefined, '{ backupId: "20251227T200000" }'],
    ['a named restore point has no backupId', RecoveryTarget.namedRestorePoint('before-migration', {} as any), undefined, '{ backupId: "20251227T200000" }'],
    ['the timeline is zero', RecoveryTarget.lsn('0/3000060', { timeline: 0 }), 0, '{ timeline: 2 }'],
    ['the timeline is fractional', RecoveryTarget.time(new Date('2025-12-27T20:43:00Z'), { timeline: 1.5 }), 1.5, '{ timeline: 2 }'],
  ])('fails when %s', (_, target, value, fix) => {
    // GIVEN / WHEN
    const message = errorOf(() => new PitrRestore(Testing.chart(), 'Restore', { source: SOURCE, clusterName: 'test-restore', target }));
    // THEN
    expectPropError(message, { path: 'test/Restore', prop: 'target', value, fix });
  });
});
