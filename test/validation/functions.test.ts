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
    ['@every soon', 'unknown descriptor'],
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
});

describe('toPostgresSafeUtc', () => {
  test('writes microseconds and a numeric zone', () => {
    expect(toPostgresSafeUtc(new Date('2025-01-02T03:04:05.006Z'))).toBe('2025-01-02 03:04:05.006000+00:00');
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
