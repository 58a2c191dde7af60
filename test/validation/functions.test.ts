import * as fs from 'fs';
import * as path from 'path';
import { formatFinding, parseSchedule, parseTargetTime, toPostgresSafeUtc } from '../../src/validation';
import { show } from '../../src/validation/finding';

describe('parseSchedule', () => {
  test.each([
    ['0 0 * * * *', 'every hour'],
    ['0 30 2 * * *', '02:30'],
    ['0 0 0 * * SUN', 'Sunday'],
    ['0 0 3 1-5/2 JAN-MAR ?', '03:00'],
    ['@daily', 'once a day'],
    ['@every 1h30m', 'every 1h30m'],
  ])('accepts %j (%s)', (expr, words) => {
    const parsed = parseSchedule(expr);
    expect(parsed.ok).toBe(true);
    expect(parsed.description).toContain(words);
  });

  test.each([
    ['0 0 * * *', 'has 5 fields'],
    ['0 0 0 * *  8', 'day of week field: 8'],
    ['@every soon', '"soon" is not a Go duration'],
    ['', 'has 0 fields'],
  ])('fails when the schedule is %j', (expr, error) => {
    const parsed = parseSchedule(expr);
    expect(parsed.ok).toBe(false);
    expect(parsed.error).toContain(error);
  });
});

describe('parseTargetTime', () => {
  test.each([
    ['2025-12-27 20:43:00+00:00', { ok: true, hasOffset: true, isRfc3339Utc: false }],
    ['2025-12-27 20:43:00.123456+02', { ok: true, hasOffset: true, isRfc3339Utc: false }],
    ['2025-12-27 20:43:00', { ok: true, hasOffset: false, isRfc3339Utc: false }],
    ['2025-12-27T20:43:00', { ok: true, hasOffset: false, isRfc3339Utc: false }],
    ['2025-12-27T20:43:00+01:00', { ok: true, hasOffset: true, isRfc3339Utc: false }],
    ['2025-12-27T20:43:00Z', { ok: true, hasOffset: true, isRfc3339Utc: true }],
    ['2025-12-27T20:43:00.5-00:00', { ok: true, hasOffset: true, isRfc3339Utc: true }],
    ['2025-12-27t20:43:00z', { ok: true, hasOffset: true, isRfc3339Utc: true }],
    ['2025-02-29 00:00:00', { ok: false }],
    ['27/12/2025', { ok: false }],
  ])('reads %j', (value, expected) => {
    expect(parseTargetTime(value)).toMatchObject(expected);
  });

  test('converts offsets to the instant', () => {
    expect(parseTargetTime('2025-12-27T21:43:00+01:00').date?.toISOString()).toBe('2025-12-27T20:43:00.000Z');
  });

  // Each row is the instant PostgreSQL would receive from the raw value, written in the PostgreSQL-safe UTC form.
  test.each([
    ['a positive offset with minutes', '2025-12-28 02:13:00+05:30', '2025-12-27 20:43:00.000000+00:00'],
    ['a negative offset with minutes', '2025-12-27 17:13:00-03:30', '2025-12-27 20:43:00.000000+00:00'],
    ['a negative offset of hours only (lib/pq form)', '2025-12-27 15:43:00-05', '2025-12-27 20:43:00.000000+00:00'],
    ['an offset with seconds (lib/pq form)', '2025-12-27 21:44:01+01:01:01', '2025-12-27 20:43:00.000000+00:00'],
    ['a negative offset with seconds', '2025-12-27 19:41:59-01:01:01', '2025-12-27 20:43:00.000000+00:00'],
    ['RFC 3339 with a negative offset with minutes', '2025-12-27T11:13:00-09:30', '2025-12-27 20:43:00.000000+00:00'],
    ['RFC 3339 with the largest offset', '2025-12-28T20:42:00+23:59', '2025-12-27 20:43:00.000000+00:00'],
    ['a negative offset crossing into the next year', '2025-12-31 23:59:59-00:01', '2026-01-01 00:00:59.000000+00:00'],
    ['a positive offset crossing back into the previous year', '2026-01-01 00:00:00+00:01', '2025-12-31 23:59:00.000000+00:00'],
    ['January 1st at midnight', '2025-01-01 00:00:00+00', '2025-01-01 00:00:00.000000+00:00'],
    ['December 31st at 23:59:59.999999', '2025-12-31 23:59:59.999999+00', '2025-12-31 23:59:59.999999+00:00'],
    ['February 29th of a leap year', '2024-02-29 12:00:00+00', '2024-02-29 12:00:00.000000+00:00'],
    ['February 29th of 2000 (divisible by 400)', '2000-02-29 00:00:00+00', '2000-02-29 00:00:00.000000+00:00'],
    ['February 28th + 1 hour crossing into March of a year that is not leap', '2025-02-28 23:30:00-01:00', '2025-03-01 00:30:00.000000+00:00'],
    ['February 28th + 1 hour crossing into the 29th of a leap year', '2024-02-28 23:30:00-01:00', '2024-02-29 00:30:00.000000+00:00'],
    ['microseconds', '2025-12-27 20:43:00.123456+00', '2025-12-27 20:43:00.123456+00:00'],
    ['one microsecond', '2025-12-27 20:43:00.000001+00', '2025-12-27 20:43:00.000001+00:00'],
    ['a tenth of a second', '2025-12-27 20:43:00.1+00', '2025-12-27 20:43:00.100000+00:00'],
    ['nanoseconds (lib/pq form: PostgreSQL rounds up)', '2025-12-27 20:43:00.1234567+00', '2025-12-27 20:43:00.123457+00:00'],
    ['nanoseconds (lib/pq form: PostgreSQL rounds down)', '2025-12-27 20:43:00.123456499+00', '2025-12-27 20:43:00.123456+00:00'],
    ['half a microsecond on an even one (rounds to even)', '2025-12-27 20:43:00.0000025+00', '2025-12-27 20:43:00.000002+00:00'],
    ['half a microsecond on an odd one (rounds to even)', '2025-12-27 20:43:00.0000035+00', '2025-12-27 20:43:00.000004+00:00'],
    ['a rounding that carries into the next year', '2025-12-31 23:59:59.9999995+00', '2026-01-01 00:00:00.000000+00:00'],
    ['nanoseconds (RFC 3339: CNPG\'s Go layout truncates)', '2025-12-27T20:43:00.999999999+00:30', '2025-12-27 20:13:00.999999+00:00'],
    ['a time before 1970', '1969-12-31 23:59:59.000001+00', '1969-12-31 23:59:59.000001+00:00'],
    ['a year below 100 (not read as 19xx)', '0099-06-15 00:00:00+00', '0099-06-15 00:00:00.000000+00:00'],
    ['no zone (read as UTC)', '2025-12-27 20:43:00.5', '2025-12-27 20:43:00.500000+00:00'],
    ['RFC 3339 without a zone (read as UTC)', '2025-12-27T20:43:00', '2025-12-27 20:43:00.000000+00:00'],
  ])('normalises %s: %j', (_, value, postgresUtc) => {
    const parsed = parseTargetTime(value);
    expect(parsed).toMatchObject({ ok: true, postgresUtc });
    // the Date is the same instant to the millisecond
    expect(parsed.date!.toISOString()).toBe(`${postgresUtc.slice(0, 10)}T${postgresUtc.slice(11, 23)}Z`);
  });

  test.each([
    ['February 29th of a year that is not leap', '2025-02-29 00:00:00+00', 'day 29 is out of range for 2025-02'],
    ['February 29th of 1900 (divisible by 100)', '1900-02-29 00:00:00+00', 'day 29 is out of range for 1900-02'],
    ['April 31st', '2025-04-31 00:00:00+00', 'day 31 is out of range for 2025-04'],
    ['December 32nd', '2025-12-32 00:00:00+00', 'day 32 is out of range for 2025-12'],
    ['day 0', '2025-12-00 00:00:00+00', 'day 0 is out of range for 2025-12'],
    ['month 0', '2025-00-10 00:00:00+00', 'month 0 is out of range'],
    ['month 13', '2025-13-10 00:00:00+00', 'month 13 is out of range'],
    ['hour 24', '2025-12-27 24:00:00+00', 'time 24:00:00 is out of range'],
    ['minute 60', '2025-12-27 23:60:00+00', 'time 23:60:00 is out of range'],
    ['second 60 (a leap second)', '2025-12-31T23:59:60Z', 'time 23:59:60 is out of range'],
    ['year 0 (PostgreSQL has none)', '0000-01-01 00:00:00+00', 'year 0000 does not exist'],
    ['ten fractional digits', '2025-12-27 20:43:00.1234567891+00', 'is not a timestamp CNPG accepts'],
    ['a fraction without digits', '2025-12-27 20:43:00.+00', 'is not a timestamp CNPG accepts'],
    ['an offset of three digits', '2025-12-27 20:43:00+100', 'is not a timestamp CNPG accepts'],
    ['RFC 3339 with an offset of hours only', '2025-12-27T20:43:00+01', 'is not a timestamp CNPG accepts'],
    ['RFC 3339 with an offset with seconds', '2025-12-27T20:43:00+01:00:00', 'is not a timestamp CNPG accepts'],
    ['surrounding spaces', ' 2025-12-27 20:43:00+00', '" 2025-12-27 20:43:00+00" is not a timestamp CNPG accepts; use "YYYY-MM-DD HH:MM:SS+00:00" (also with .ffffff, or an offset like +02:00), or RFC 3339 with a non-UTC offset'],
    ['a zone letter after a space', '2025-12-27 20:43:00.25z', '"2025-12-27 20:43:00.25z" is not a timestamp CNPG accepts: a zone letter needs the RFC 3339 "T" form, and PostgreSQL refuses "Z" anyway'],
    ['a zone letter after a space, then more', '2025-12-27 20:43:00Zx', '"2025-12-27 20:43:00Zx" is not a timestamp CNPG accepts; use'],
    ['text, then a zone letter after a space', 'x2025-12-27 20:43:00Z', '"x2025-12-27 20:43:00Z" is not a timestamp CNPG accepts; use'],
    ['text before RFC 3339', 'x2025-12-27T20:43:00Z', '"x2025-12-27T20:43:00Z" is not a timestamp CNPG accepts; use'],
    ['text after RFC 3339', '2025-12-27T20:43:00Zx', 'is not a timestamp CNPG accepts; use'],
    ['text before the lib/pq form', 'x2025-12-27 20:43:00+00', 'is not a timestamp CNPG accepts; use'],
    ['text after the lib/pq form', '2025-12-27 20:43:00+00x', 'is not a timestamp CNPG accepts; use'],
  ])('fails when the value has %s: %j', (_, value, error) => {
    const parsed = parseTargetTime(value);
    expect(parsed.ok).toBe(false);
    expect(parsed.postgresUtc).toBeUndefined();
    expect(parsed.error).toContain(error);
  });

  test.each([
    ['a numeric offset', '2025-12-27 20:43:00-05:30', true, false],
    ['no offset', '2025-12-27 20:43:00', false, false],
    ['RFC 3339 with +00:00', '2025-12-27T20:43:00+00:00', true, true],
    ['RFC 3339 with -00:00', '2025-12-27T20:43:00-00:00', true, true],
    ['RFC 3339 with +00:01', '2025-12-27T20:43:00+00:01', true, false],
    ['RFC 3339 with -01:00', '2025-12-27T20:43:00-01:00', true, false],
    ['RFC 3339 with Z', '2025-12-27T20:43:00Z', true, true],
    ['an invalid RFC 3339 with Z', '2025-02-30T20:43:00Z', true, true],
    ['a space form with Z', '2025-12-27 20:43:00Z', true, false],
  ])('says whether a value with %s names its zone and reaches PostgreSQL with "Z"', (_, value, hasOffset, isRfc3339Utc) => {
    expect(parseTargetTime(value)).toMatchObject({ hasOffset, isRfc3339Utc });
  });
});

describe('toPostgresSafeUtc', () => {
  test('writes microseconds and a numeric zone', () => {
    expect(toPostgresSafeUtc(new Date('2025-01-02T03:04:05.006Z'))).toBe('2025-01-02 03:04:05.006000+00:00');
  });

  test.each([
    ['the first instant of a year', '2026-01-01T00:00:00.000Z', '2026-01-01 00:00:00.000000+00:00'],
    ['the last millisecond of a year', '2025-12-31T23:59:59.999Z', '2025-12-31 23:59:59.999000+00:00'],
    ['a leap day', '2024-02-29T10:20:30.040Z', '2024-02-29 10:20:30.040000+00:00'],
    ['a time before 1970', '1969-07-20T20:17:40.001Z', '1969-07-20 20:17:40.001000+00:00'],
  ])('pads every part of %s', (_, iso, expected) => {
    expect(toPostgresSafeUtc(new Date(iso))).toBe(expected);
  });
});

describe('formatFinding', () => {
  const base = { severity: 'error' as const, kind: 'Cluster', namespace: 'db', name: 'pg', path: 'spec.instances', message: 'bad', fix: 'fix it', docIndex: 0 };
  test('renders FILE: Kind namespace/name: path: what — fix', () => {
    expect(formatFinding(base, 'a.yaml')).toBe('a.yaml: Cluster db/pg: spec.instances: bad — fix it');
  });
  test('omits the file, the namespace and the path when absent, and marks warnings', () => {
    expect(formatFinding({ ...base, namespace: undefined, path: '', severity: 'warning' })).toBe('warning: Cluster pg: bad — fix it');
  });
});

describe('dependency direction', () => {
  test('the validator imports no construct, only ../upstream, its own modules and the leaf ../private/text', () => {
    const dir = path.join(__dirname, '..', '..', 'src', 'validation');
    for (const file of fs.readdirSync(dir)) {
      const imports = [...fs.readFileSync(path.join(dir, file), 'utf-8').matchAll(/from '([^']+)'/g)].map(m => m[1]);
      for (const spec of imports.filter(i => i.startsWith('.'))) expect(spec).toMatch(/^(\.\/[\w-]+|\.\.\/upstream\/[\w-]+|\.\.\/private\/text)$/);
    }
    // the leaf imports nothing
    expect(fs.readFileSync(path.join(__dirname, '..', '..', 'src', 'private', 'text.ts'), 'utf-8')).not.toMatch(/^import /m);
  });
});

describe('formatFinding keeps a finding on one bounded line', () => {
  const base = { severity: 'error' as const, kind: 'Cluster', namespace: 'db', name: 'pg', path: 'spec.instances', message: 'bad', fix: 'fix it', docIndex: 0 };
  test('control characters in names and values are escaped, so no object can forge a line', () => {
    // GIVEN a name that tries to end the line and print a fake finding, and an ANSI escape and a bidi override
    const line = formatFinding({ ...base, name: 'pg\nx.yaml: Cluster db/ok: all good\r\u001b[2K\u202e' }, 'a\u0007.yaml');
    // THEN
    expect(line).toBe('a\\u0007.yaml: Cluster db/pg\\nx.yaml: Cluster db/ok: all good\\r\\u001b[2K\\u202e: spec.instances: bad — fix it');
    expect(line).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e]/);
  });
  test('a huge name and a huge value are cut, saying how long they were', () => {
    // GIVEN
    const line = formatFinding({ ...base, name: 'n'.repeat(100_000), message: `got ${show('v'.repeat(100_000))}` });
    // THEN
    expect(line.length).toBeLessThan(1000);
    expect(line).toContain('… (100003 characters)');
    expect(line).toContain('…" (100000 characters)');
  });
});
