import { formatMicros, formatPostgresUtc, parseTimestamp } from '../../src/recovery/time';

describe('times in microseconds', () => {
  test.each([
    ['2025-12-27T20:43:00.123456+00:00', '2025-12-27T20:43:00.123456+00:00'],
    ['2025-12-27T20:43:00Z', '2025-12-27T20:43:00.000000+00:00'],
    ['2025-12-27 21:43:00.5+01', '2025-12-27T20:43:00.500000+00:00'],
    ['2025-12-27 15:13:00.000001-05:30', '2025-12-27T20:43:00.000001+00:00'],
    ['2025-12-27 20:43:00+0000', '2025-12-27T20:43:00.000000+00:00'],
  ])('GIVEN %s THEN it is that instant to the microsecond', (text, utc) => {
    expect(formatMicros(parseTimestamp(text) as bigint)).toBe(utc);
  });

  test.each([
    ['2025-12-27 20:43:00', /no time zone/],
    ['2025-12-27T20:43:00', /no time zone/],
    ['yesterday', /not a timestamp/],
    ['2025-02-30 00:00:00+00', /day 30 out of range/],
    ['2025-12-27 24:00:00+00', /out of range/],
    ['2025-12-27 20:43:00.1234567+00', /not a timestamp/],
  ])('fails when %j', (text, message) => {
    expect(parseTimestamp(text)).toMatch(message);
  });

  test('GIVEN an offset THEN the instant prints in that zone', () => {
    const t = parseTimestamp('2025-12-27T20:43:00.000007+00:00') as bigint;
    expect(formatMicros(t, 60)).toBe('2025-12-27T21:43:00.000007+01:00');
    expect(formatMicros(t, -210)).toBe('2025-12-27T17:13:00.000007-03:30');
    expect(formatPostgresUtc(t)).toBe('2025-12-27 20:43:00.000007+00:00');
  });

  test('GIVEN an instant before 1970 THEN microseconds stay right', () => {
    expect(formatMicros(parseTimestamp('1969-12-31T23:59:59.999999+00:00') as bigint)).toBe('1969-12-31T23:59:59.999999+00:00');
  });
});
