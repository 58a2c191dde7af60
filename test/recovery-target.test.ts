import { Testing } from 'cdk8s';
import { BackedUpPostgres, PitrRestore, RecoveryTarget } from '../src';
import { Doc, errorOf, expectPropError, find } from './util';

const SOURCE = BackedUpPostgres.fromAttributes(Testing.chart(), 'Source', { objectStoreName: 's3-store', serverName: 'test', destinationPath: 's3://my-backups/postgres/' });

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
    ['a PostgreSQL string in UTC', RecoveryTarget.timestamp('2025-12-27 20:43:00.123456+00:00'), '2025-12-27 20:43:00.123456+00:00'],
    ['a commit time from PostgreSQL\'s log, with a negative offset', RecoveryTarget.timestamp('2025-12-27 15:43:00.432801-05'), '2025-12-27 20:43:00.432801+00:00'],
    ['an RFC 3339 string', RecoveryTarget.timestamp('2025-12-27T21:43:00.000001+01:00'), '2025-12-27 20:43:00.000001+00:00'],
    ['a UTC string without an offset', RecoveryTarget.utc('2025-12-27 20:43:00.999999'), '2025-12-27 20:43:00.999999+00:00'],
    ['a UTC string in the T form', RecoveryTarget.utc('2025-12-27T20:43:00.5'), '2025-12-27 20:43:00.500000+00:00'],
  ])('microseconds of %s reach the YAML', (_, target, targetTime) => {
    // GIVEN / WHEN
    const r = rendered(target);
    // THEN all six digits survive (a Date would cut them to milliseconds: the commit meant would be lost)
    expect(r).toEqual({ targetTime });
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

  test.each<[string, RecoveryTarget, Doc]>([
    ['the smallest XID', RecoveryTarget.xid(1, { backupId: '20251227T200000' }), { targetXID: '1', backupID: '20251227T200000' }],
    ['the largest 32-bit XID', RecoveryTarget.xid(4294967295, { backupId: '20251227T200000' }), { targetXID: '4294967295', backupID: '20251227T200000' }],
    ['an LSN of eight hex digits on each side, lower case', RecoveryTarget.lsn('ffffffff/0a0b0c0d'), { targetLSN: 'ffffffff/0a0b0c0d' }],
    ['an LSN of one digit on each side', RecoveryTarget.lsn('0/0'), { targetLSN: '0/0' }],
    ['a restore point name of 63 bytes', RecoveryTarget.namedRestorePoint('n'.repeat(63), { backupId: '20251227T200000' }), { targetName: 'n'.repeat(63), backupID: '20251227T200000' }],
    ['a restore point name of 63 bytes in 32 characters', RecoveryTarget.namedRestorePoint('é'.repeat(31) + 'a', { backupId: '20251227T200000' }), { targetName: 'é'.repeat(31) + 'a', backupID: '20251227T200000' }],
    ['a restore point name with spaces and a tilde', RecoveryTarget.namedRestorePoint(' before migration~ ', { backupId: '20251227T200000' }), { targetName: ' before migration~ ', backupID: '20251227T200000' }],
    ['timeline 1', RecoveryTarget.lsn('0/3000060', { timeline: 1 }), { targetLSN: '0/3000060', targetTLI: '1' }],
    ['a UTC time with every option', RecoveryTarget.utc('2024-02-29 23:59:59.999999', { exclusive: false, timeline: 3, backupId: '20240229T000000' }),
      { targetTime: '2024-02-29 23:59:59.999999+00:00', exclusive: false, targetTLI: '3', backupID: '20240229T000000' }],
    ['a timestamp with a negative offset crossing midnight of a year', RecoveryTarget.timestamp('2025-12-31 22:30:00.000001-01:30'), { targetTime: '2026-01-01 00:00:00.000001+00:00' }],
    ['a timestamp with a positive offset crossing back over February 29th', RecoveryTarget.timestamp('2024-03-01 01:00:00+02:00'), { targetTime: '2024-02-29 23:00:00.000000+00:00' }],
    ['a Date at the last millisecond of a year', RecoveryTarget.time(new Date('2025-12-31T23:59:59.999Z')), { targetTime: '2025-12-31 23:59:59.999000+00:00' }],
  ])('%s reaches the YAML exactly', (_, target, expected) => {
    expect(rendered(target)).toEqual(expected);
  });

  test.each([
    [RecoveryTarget.timestamp('2025-12-27 21:43:00.432801+01:00'), 'targetTime 2025-12-27 20:43:00.432801+00:00'],
    [RecoveryTarget.utc('2025-12-27 20:43:00'), 'targetTime 2025-12-27 20:43:00.000000+00:00'],
    [RecoveryTarget.xid(7, { backupId: '20251227T200000' }), 'targetXID 7'],
    [RecoveryTarget.namedRestorePoint('p', { backupId: '20251227T200000' }), 'targetName p'],
  ])('describe() names the target: %#', (target, words) => {
    expect(target.describe()).toBe(words);
  });

  test.each<[RecoveryTarget, string]>([
    [RecoveryTarget.time(new Date('x')), 'time target is not a valid Date'],
    [RecoveryTarget.timestamp('yesterday'), 'timestamp cannot be parsed ("yesterday" is not a timestamp CNPG accepts; use'],
    [RecoveryTarget.timestamp('2025-12-27 20:43:00'), 'timestamp has no explicit offset (CNPG < 1.28.1 takes it in the pod time zone)'],
    [RecoveryTarget.utc('2025-02-29 00:00:00'), 'UTC time cannot be parsed (day 29 is out of range for 2025-02)'],
    [RecoveryTarget.utc('2025-12-27 20:43:00-01:00'), 'a UTC time must not name a zone or offset'],
    [RecoveryTarget.lsn('x'), 'is not a WAL location (LSN)'],
    [RecoveryTarget.xid(0, { backupId: '20251227T200000' }), 'transaction ID must be a whole number from 1 to 4294967295'],
    [RecoveryTarget.namedRestorePoint('', { backupId: '20251227T200000' }), 'restore point name must be 1 to 63 bytes without control characters'],
    [RecoveryTarget.lsn('0/1', { backupId: 'b' }), 'backupId is not a Barman backup ID'],
    [RecoveryTarget.xid(5, {} as any), 'an XID target from an object store needs backupId'],
    [RecoveryTarget.namedRestorePoint('p', {} as any), 'a restore point target from an object store needs backupId'],
    [RecoveryTarget.immediate(undefined as any), 'an immediate target from an object store needs backupId'],
    [RecoveryTarget.lsn('0/1', { timeline: 0 }), 'timeline must be a positive whole number'],
  ])('the error says what is wrong: %#', (target, problem) => {
    // GIVEN / WHEN
    const message = errorOf(() => new PitrRestore(Testing.chart(), 'Restore', { source: SOURCE, clusterName: 'test-restore', target }));
    // THEN the one problem is named, after the construct path and the prop
    expect(message).toContain(`[test/Restore] target: ${problem}`);
    expect(message.split('\n').filter(l => l.includes('[test/Restore] target:'))).toHaveLength(1);
  });

  test('an empty backupId for an immediate target is both malformed and missing', () => {
    const message = errorOf(() => new PitrRestore(Testing.chart(), 'Restore', { source: SOURCE, clusterName: 'test-restore', target: RecoveryTarget.immediate('') }));
    expect(message).toContain('target: backupId is not a Barman backup ID, got ""');
    expect(message).toContain('target: an immediate target from an object store needs backupId, got ""');
  });

  // Targets are checked by the construct that uses them: the error names that construct and the prop `target`.
  test.each<[string, RecoveryTarget, unknown, string]>([
    ['a timestamp has no offset', RecoveryTarget.timestamp('2025-12-27 20:43:00'), '2025-12-27 20:43:00', 'add one, e.g. "2025-12-27 20:43:00+00:00"'],
    ['an RFC 3339 timestamp has no offset', RecoveryTarget.timestamp('2025-12-27T20:43:00'), '2025-12-27T20:43:00', 'add one'],
    ['a timestamp is not a timestamp', RecoveryTarget.timestamp('yesterday'), 'yesterday', 'RecoveryTarget.timestamp("2025-12-27 20:43:00+00:00")'],
    ['a timestamp is empty', RecoveryTarget.timestamp(''), '', 'RecoveryTarget.timestamp("2025-12-27 20:43:00+00:00")'],
    ['a timestamp has a zone letter without the T form', RecoveryTarget.timestamp('2025-12-27 20:43:00Z'), '2025-12-27 20:43:00Z', 'RecoveryTarget.timestamp("2025-12-27 20:43:00+00:00")'],
    ['a UTC time names an offset', RecoveryTarget.utc('2025-12-27 20:43:00+00:00'), '2025-12-27 20:43:00+00:00', 'use RecoveryTarget.timestamp("2025-12-27 20:43:00+00:00")'],
    ['a UTC time names the zone Z', RecoveryTarget.utc('2025-12-27T20:43:00Z'), '2025-12-27T20:43:00Z', 'use RecoveryTarget.timestamp('],
    ['a UTC time is not a time', RecoveryTarget.utc('now'), 'now', 'use e.g. RecoveryTarget.utc("2025-12-27 20:43:00.432801")'],
    ['a timestamp is February 29th of a year that is not leap', RecoveryTarget.timestamp('2025-02-29 12:00:00+00:00'), '2025-02-29 12:00:00+00:00', 'RecoveryTarget.timestamp('],
    ['a timestamp has hour 24', RecoveryTarget.timestamp('2025-12-27 24:00:00+00:00'), '2025-12-27 24:00:00+00:00', 'RecoveryTarget.timestamp('],
    ['a UTC time has day 0', RecoveryTarget.utc('2025-12-00 00:00:00'), '2025-12-00 00:00:00', 'RecoveryTarget.utc('],
    ['an LSN has nine hex digits', RecoveryTarget.lsn('0/123456789'), '0/123456789', 'use the form "0/3000060"'],
    ['an LSN has text around it', RecoveryTarget.lsn(' 0/3000060'), ' 0/3000060', 'use the form "0/3000060"'],
    ['a restore point name is 64 bytes in 32 characters', RecoveryTarget.namedRestorePoint('é'.repeat(32), { backupId: '20251227T200000' }), 'é'.repeat(32), 'pg_create_restore_point()'],
    ['a restore point name has a unit separator', RecoveryTarget.namedRestorePoint('a\x1fb', { backupId: '20251227T200000' }), 'a\x1fb', 'pg_create_restore_point()'],
    ['a restore point name has a DEL', RecoveryTarget.namedRestorePoint('a\x7fb', { backupId: '20251227T200000' }), 'a\x7fb', 'pg_create_restore_point()'],
    ['a backupId has a prefix', RecoveryTarget.lsn('0/3000060', { backupId: 'x20251227T200000' }), 'x20251227T200000', '"20251227T200000"'],
    ['a backupId has a suffix', RecoveryTarget.lsn('0/3000060', { backupId: '20251227T200000x' }), '20251227T200000x', '"20251227T200000"'],
    ['a backupId has a short time', RecoveryTarget.immediate('20251227T20000'), '20251227T20000', '"20251227T200000"'],
    ['the timeline is negative', RecoveryTarget.lsn('0/3000060', { timeline: -1 }), -1, '{ timeline: 2 }'],
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
