import { cluster, credentials, objectStore, restore, validate } from './helpers';

/**
 * The targetTime rule (src/validation/timestamps.ts `checkTargetTimes`) at its boundaries: the exact message and fix
 * of each verdict, the CNPG and plugin versions where the verdict changes (machinery v0.3.3 in CNPG 1.28.1 writes
 * `+00:00` for a UTC RFC 3339 time; CNPG 1.28.1 and plugin v0.10.0 read a zone-less time as UTC), and what the rule
 * leaves alone.
 */
const PATH = 'spec.bootstrap.recovery.recoveryTarget.targetTime';

type Versions = { cnpgVersion?: string; pluginVersion?: string };

function findingsOf(targetTime: unknown, options: Versions = {}, doc = restore({ recoveryTarget: { targetTime } })) {
  return validate([credentials(), objectStore(), cluster(), doc], options)
    .filter(f => f.path === PATH)
    .map(f => ({ severity: f.severity, message: f.message, fix: f.fix }));
}

describe('the targetTime rule', () => {
  test.each([
    ['a PostgreSQL timestamp with +00:00', '2025-12-27 20:43:00+00:00'],
    ['a PostgreSQL timestamp with microseconds and a negative offset with minutes', '2025-12-27 15:13:00.432801-05:30'],
    ['an RFC 3339 time with a non-UTC offset', '2025-12-27T21:43:00+01:00'],
    ['an RFC 3339 time with a negative non-UTC offset of minutes only', '2025-12-27T20:13:00-00:30'],
  ])('accepts %s on every version: %j', (_, value) => {
    expect(findingsOf(value, { cnpgVersion: '1.28.0', pluginVersion: '0.9.0' })).toEqual([]);
    expect(findingsOf(value, { cnpgVersion: '1.28.1', pluginVersion: '0.14.0' })).toEqual([]);
  });

  test.each([
    ['not a time', 'yesterday', '"yesterday" is not a timestamp CNPG accepts; use "YYYY-MM-DD HH:MM:SS+00:00" (also with .ffffff, or an offset like +02:00), or RFC 3339 with a non-UTC offset'],
    ['February 29th of a year that is not leap', '2025-02-29 00:00:00+00:00', 'day 29 is out of range for 2025-02'],
    ['the 31st of a month of 30 days', '2025-04-31 00:00:00+00:00', 'day 31 is out of range for 2025-04'],
    ['day 0', '2025-01-00 00:00:00+00:00', 'day 0 is out of range for 2025-01'],
    ['month 0', '2025-00-01 00:00:00+00:00', 'month 0 is out of range'],
    ['month 13', '2025-13-01 00:00:00+00:00', 'month 13 is out of range'],
    ['hour 24', '2025-12-27 24:00:00+00:00', 'time 24:00:00 is out of range'],
    ['minute 60', '2025-12-27 23:60:00+00:00', 'time 23:60:00 is out of range'],
    ['second 60', '2025-12-27T23:59:60+01:00', 'time 23:59:60 is out of range'],
    ['year 0', '0000-01-01 00:00:00+00:00', 'year 0000 does not exist'],
    ['a zone letter without the "T"', '2025-12-27 20:43:00Z', '"2025-12-27 20:43:00Z" is not a timestamp CNPG accepts: a zone letter needs the RFC 3339 "T" form, and PostgreSQL refuses "Z" anyway'],
  ])('fails when the time is %s: %j', (_, value, message) => {
    expect(findingsOf(value)).toEqual([{ severity: 'error', message, fix: 'write it as "YYYY-MM-DD HH:MM:SS+00:00", e.g. "2025-12-27 20:43:00+00:00"' }]);
  });

  test.each([
    ['Z', '2025-12-27T20:43:00Z', '"2025-12-27 20:43:00.000000Z"', '"2025-12-27 20:43:00+00:00"'],
    ['a lower-case z', '2025-12-27t20:43:00z', '"2025-12-27 20:43:00.000000Z"', '"2025-12-27 20:43:00+00:00"'],
    ['+00:00', '2025-12-27T20:43:00+00:00', '"2025-12-27 20:43:00.000000Z"', '"2025-12-27 20:43:00+00:00"'],
    ['-00:00', '2025-12-27T20:43:00-00:00', '"2025-12-27 20:43:00.000000Z"', '"2025-12-27 20:43:00+00:00"'],
    ['microseconds (kept in the fix)', '2025-12-27T20:43:00.000001Z', '"2025-12-27 20:43:00.000001Z"', '"2025-12-27 20:43:00.000001+00:00"'],
    ['the last microsecond of a leap day', '2024-02-29T23:59:59.999999Z', '"2024-02-29 23:59:59.999999Z"', '"2024-02-29 23:59:59.999999+00:00"'],
  ])('fails on CNPG 1.28.0 for an RFC 3339 UTC time with %s, and passes from 1.28.1', (_, value, reaches, safe) => {
    expect(findingsOf(value, { cnpgVersion: '1.28.0' })).toEqual([{
      severity: 'error',
      message: `"${value}" reaches PostgreSQL as ${reaches} (CNPG 1.28.0 rewrites RFC 3339 times), and PostgreSQL refuses to start the restore with a "Z" zone (CNPG issue #10819; fixed in 1.28.1)`,
      fix: `write the same instant as ${safe}, or use CNPG 1.28.1 or later`,
    }]);
    for (const cnpgVersion of ['1.28.1', '1.29.1', '1.30.0']) expect(findingsOf(value, { cnpgVersion })).toEqual([]);
  });

  test.each([
    ['CNPG 1.28.1 and plugin v0.14.0', '1.28.1', '0.14.0', ''],
    ['CNPG 1.30.0 and plugin v0.14.0', '1.30.0', '0.14.0', ''],
    ['CNPG 1.28.0 and plugin v0.14.0', '1.28.0', '0.14.0', ' only from CNPG 1.28.1 and plugin 0.10.0 (older versions may read it in the pod\'s zone)'],
    ['CNPG 1.28.1 and plugin v0.9.0', '1.28.1', '0.9.0', ' only from CNPG 1.28.1 and plugin 0.10.0 (older versions may read it in the pod\'s zone)'],
  ])('warns of a time without a zone on %s', (_, cnpgVersion, pluginVersion, suffix) => {
    for (const [value, safe] of [
      ['2025-12-27 20:43:00', '"2025-12-27 20:43:00+00:00"'],
      ['2025-12-27T20:43:00.432801', '"2025-12-27 20:43:00.432801+00:00"'],
      ['2025-12-31 23:59:59.9999995', '"2026-01-01 00:00:00+00:00"'],
    ]) {
      expect(findingsOf(value, { cnpgVersion, pluginVersion })).toEqual([{
        severity: 'warning',
        message: `"${value}" has no time zone and is taken as UTC${suffix}`,
        fix: `write the offset explicitly, e.g. ${safe}`,
      }]);
    }
  });

  test('checks every restore in the set, each under its own name', () => {
    const findings = validate([credentials(), objectStore(), cluster(),
      restore({ recoveryTarget: { targetTime: 'yesterday' } }, {}, 'one'),
      restore({ recoveryTarget: { targetTime: '2025-12-27 20:43:00' } }, {}, 'two')]).filter(f => f.path === PATH);
    expect(findings.map(f => [f.name, f.severity])).toEqual([['one', 'error'], ['two', 'warning']]);
  });

  test('a targetTime that is not a string is the schema\'s finding alone', () => {
    expect(findingsOf(20251227)).toEqual([expect.objectContaining({ severity: 'error', message: 'must be of type string, got 20251227' })]);
  });

  test.each([
    ['a restore without a target', restore({})],
    ['a Cluster without bootstrap', cluster({}, {}, 'other')],
    ['a Cluster of another API group', { ...restore({ recoveryTarget: { targetTime: 'yesterday' } }), apiVersion: 'example.com/v1' }],
  ])('leaves alone %s', (_, doc) => {
    expect(findingsOf(undefined, {}, doc)).toEqual([]);
  });
});
