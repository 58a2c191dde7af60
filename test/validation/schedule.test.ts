import { cluster, credentials, objectStore, scheduledBackup, validate } from './helpers';
import { longestIntervalSeconds, parseGoDuration, parseSchedule, sixFieldSuggestion } from '../../src/validation/schedule';

/**
 * Boundary tests of src/validation/schedule.ts against robfig/cron v1.2.0 (parser.go, spec.go, constantdelay.go),
 * the parser CNPG 1.28.0 to 1.30.0 pin. Each accepted/refused row is what `cron.Parse` does with the same string.
 */

const HOUR = 3600;
const DAY = 86400;

describe('fields at their bounds', () => {
  test.each([
    ['second 0 and 59', '0,59 0 0 * * *'],
    ['minute 0 and 59', '0 0,59 0 * * *'],
    ['hour 0 and 23', '0 0 0,23 * * *'],
    ['day of month 1 and 31', '0 0 0 1,31 * *'],
    ['month 1 and 12', '0 0 0 1 1,12 *'],
    ['day of week 0 and 6', '0 0 0 * * 0,6'],
    ['full ranges of every field', '0-59 0-59 0-23 1-31 1-12 0-6'],
    ['ranges of two digits with a step of two digits', '10-50/20 15-45/15 10-23/12 10-31/10 * *'],
    ['a value with a step (N/step runs to the maximum)', '5/20 0 0 * * *'],
    ['a range with a step larger than the range', '0 0-5/60 * * * *'],
    ['? in day of month and day of week', '0 0 0 ? * ?'],
    ['a leading plus sign (Go Atoi)', '+0 +5 * * * *'],
    ['leading zeros', '00 05 03 01 01 00'],
    ['empty list items (skipped by strings.FieldsFunc)', '0 0 0 1,,15 * *'],
    ['anything between * and / (ignored by getRange)', '0 0 0 * * *-3'],
    ['tabs and several spaces between fields', '0\t0  0 * *\n*'],
    ['spaces around the schedule', '  0 0 0 * * *  '],
  ])('accepts %s: %j', (_, expr) => {
    expect(parseSchedule(expr)).toMatchObject({ ok: true });
  });

  test.each([
    ['second 60', '60 0 0 * * *', 'second field: 60 is out of range 0-59'],
    ['minute 60', '0 60 0 * * *', 'minute field: 60 is out of range 0-59'],
    ['hour 24', '0 0 24 * * *', 'hour field: 24 is out of range 0-23'],
    ['day of month 0', '0 0 0 0 * *', 'day of month field: 0 is out of range 1-31'],
    ['day of month 32', '0 0 0 32 * *', 'day of month field: 32 is out of range 1-31'],
    ['month 0', '0 0 0 1 0 *', 'month field: 0 is out of range 1-12'],
    ['month 13', '0 0 0 1 13 *', 'month field: 13 is out of range 1-12'],
    ['day of week 7 (robfig v1.2.0 stops at 6)', '0 0 0 * * 7', 'day of week field: 7 is out of range 0-6'],
    ['a range ending past the maximum', '0 0 20-24 * * *', 'hour field: 24 is out of range 0-23'],
    ['N/step starting past the maximum', '0 70/5 * * * *', 'minute field: 70 is out of range 0-59'],
    ['a backwards range', '0 0 5-2 * * *', 'hour field: range "5-2" runs backwards'],
    ['a backwards range of names', '0 0 0 * DEC-JAN *', 'month field: range "DEC-JAN" runs backwards'],
    ['a step of zero', '*/0 * * * * *', 'second field: step "0" must be a positive number'],
    ['a negative step', '*/-5 * * * * *', 'step "-5" must be a positive number'],
    ['an empty step', '0 0 */ * * *', 'step "" must be a positive number'],
    ['two slashes', '0 0 1/2/3 * * *', '"1/2/3" has more than one "/"'],
    ['two hyphens', '0 0 1-2-3 * * *', '"1-2-3" has more than one "-"'],
    ['a negative value', '0 0 -1 * * *', '"" is not a number'],
    ['a letter in a numeric field', '0 0 x * * *', 'hour field: "x" is not a number'],
    ['a name in a field without names', '0 0 0 MON * *', 'day of month field: "MON" is not a number'],
    ['a misspelt month name', '0 0 0 1 JANUARY *', 'month field: "JANUARY" is not a number or a name'],
    ['Quartz L', '0 0 0 L * *', '"L" is not a number'],
    ['a number past int64 (Go Atoi)', '0 0 99999999999999999999 * * *', 'is too large'],
    ['7 fields', '0 0 0 * * * 2026', 'has 7 fields, CNPG needs 6'],
    ['1 field', '0', 'has 1 fields'],
    ['no fields', '', 'has 0 fields'],
    ['only spaces', '   ', 'has 0 fields'],
    ['a date that never comes (robfig accepts it; stricter on purpose)', '0 0 0 30 2 *', 'matches no date (CNPG accepts it, but no backup would ever run)'],
    ['April 31st', '0 0 0 31 4 *', 'matches no date'],
    ['a field of commas only', '0 0 ,, * * *', 'matches no date'],
  ])('fails when %s: %j', (_, expr, error) => {
    const parsed = parseSchedule(expr);
    expect(parsed.ok).toBe(false);
    expect(parsed.error).toContain(error);
  });

  test('a form robfig accepts but cronstrue cannot read is described by the schedule itself', () => {
    expect(parseSchedule('+0 +5 * * * *')).toMatchObject({ ok: true, description: 'as the schedule "+0 +5 * * * *" says (UTC)' });
  });

  test('five words starting with "@" are a descriptor, not five fields', () => {
    expect(parseSchedule('@x 0 0 * *').error).toContain('unknown descriptor "@x 0 0 * *"');
  });

  test('a five-field cron is refused with what CNPG would run and the six-field form meant', () => {
    // GIVEN a crontab line copied from elsewhere (robfig accepts it as seconds-first with no day of week)
    const parsed = parseSchedule('30 2 * * *');
    // THEN
    expect(parsed.ok).toBe(false);
    expect(parsed.error).toBe(`has 5 fields but CNPG reads 6, seconds first: it would run ${parsed.description} (CNPG accepts it with only a warning; refused here on purpose)`);
    expect(parsed.description).toContain('30 seconds past the minute');
    expect(sixFieldSuggestion('30 2 * * *')).toEqual({ schedule: '0 30 2 * * *', description: 'at 02:30 (UTC)' });
    expect(sixFieldSuggestion('0 30 2 * * *')).toBeUndefined();
  });
});

describe('names', () => {
  const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
  const DAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

  test.each(MONTHS.map((m, i) => [m, i + 1]))('month %s is month %i', (name, number) => {
    // the same runs as the number: the longest gap of a yearly schedule on the 1st of that month
    expect(parseSchedule(`0 0 0 1 ${name} *`).ok).toBe(true);
    expect(parseSchedule(`0 0 0 1 ${String(name).toLowerCase()} *`).ok).toBe(true);
    expect(longestIntervalSeconds(`0 0 0 1 ${name} *`)).toBe(longestIntervalSeconds(`0 0 0 1 ${number} *`));
    expect(longestIntervalSeconds(`0 0 0 * ${name} *`)).toBe(longestIntervalSeconds(`0 0 0 * ${number} *`));
  });

  test.each(DAYS.map((d, i) => [d, i]))('day %s is day of week %i', (name, number) => {
    expect(parseSchedule(`0 0 0 * * ${name}`).ok).toBe(true);
    expect(parseSchedule(`0 0 0 * * ${String(name)[0]}${String(name).slice(1).toLowerCase()}`).ok).toBe(true);
    // With day of month 1, the day rule ORs: the gaps show which weekday the name is.
    expect(longestIntervalSeconds(`0 0 0 1 * ${name}`)).toBe(longestIntervalSeconds(`0 0 0 1 * ${number}`));
    expect(longestIntervalSeconds(`0 0 0 13 * ${name}`)).toBe(longestIntervalSeconds(`0 0 0 13 * ${number}`));
  });

  test('names make ranges and lists: MON-FRI runs on weekdays, so the longest gap is the weekend', () => {
    expect(longestIntervalSeconds('0 0 0 * * MON-FRI')).toBe(3 * DAY);
    expect(longestIntervalSeconds('0 0 0 * * SAT,SUN')).toBe(6 * DAY);
    expect(longestIntervalSeconds('0 0 0 1 JAN,JUL *')).toBe(184 * DAY);
  });

  test('a name is matched as Go lower-cases it, not by JavaScript upper-casing ("ſun" is not "sun")', () => {
    expect(parseSchedule('0 0 0 * * ſun').ok).toBe(false);
  });
});

describe('descriptors', () => {
  test.each([
    ['@yearly', 'once a year, at midnight of January 1st (UTC)', 366 * DAY],
    ['@annually', 'once a year, at midnight of January 1st (UTC)', 366 * DAY],
    ['@monthly', 'once a month, at midnight of the first day (UTC)', 31 * DAY],
    ['@weekly', 'once a week, at midnight between Saturday and Sunday (UTC)', 7 * DAY],
    ['@daily', 'once a day, at midnight (UTC)', DAY],
    ['@midnight', 'once a day, at midnight (UTC)', DAY],
    ['@hourly', 'every hour, at minute 0', HOUR],
  ])('%s runs %s, at most %i seconds apart', (expr, words, longest) => {
    expect(parseSchedule(expr)).toMatchObject({ ok: true, description: words });
    expect(longestIntervalSeconds(expr)).toBe(longest);
  });

  test.each([
    ['@yearly', '0 0 0 1 1 *'],
    ['@monthly', '0 0 0 1 * *'],
    ['@weekly', '0 0 0 * * 0'],
    ['@daily', '0 0 0 * * *'],
    ['@hourly', '0 0 * * * *'],
  ])('%s is the same schedule as %j', (descriptor, fields) => {
    expect(longestIntervalSeconds(descriptor)).toBe(longestIntervalSeconds(fields));
  });

  test.each([
    ['@every 1h', HOUR, 'every 1h'],
    ['@every 720h', 720 * HOUR, 'every 720h'],
    ['@every 1h30m', 90 * 60, 'every 1h30m'],
    ['@every 1.5h', 90 * 60, 'every 1.5h'],
    ['@every 36h', 36 * HOUR, 'every 36h'],
    ['@every 90s', 90, 'every 90s'],
    ['@every 2m30.5s', 150, 'every 2m30.5s'],
    ['@every 500ms', 1, 'every 500ms'],
    ['@every 1µs', 1, 'every 1µs'],
    ['@every 0', 1, 'every 0'],
    ['@every -1h', 1, 'every -1h'],
    ['@every 1.s', 1, 'every 1.s'],
    ['@every .5h', 30 * 60, 'every .5h'],
  ])('%j runs every %i seconds (constantdelay.go: at least 1 s, whole seconds)', (expr, seconds, words) => {
    expect(parseSchedule(expr)).toMatchObject({ ok: true, description: words });
    expect(longestIntervalSeconds(expr)).toBe(seconds);
  });

  test.each([
    [' @daily', 'has 1 fields'], // not starting with "@": read as fields
    ['@daily ', 'unknown descriptor "@daily "'], // the whole spec must match
    ['@Daily', 'unknown descriptor "@Daily"'],
    ['@fortnightly', 'unknown descriptor "@fortnightly"'],
    ['@', 'unknown descriptor "@"'],
    ['@every', 'unknown descriptor "@every"'],
    ['@every  1h', '" 1h" is not a Go duration'], // ParseDuration refuses the second space
    ['@every 1h ', '"1h " is not a Go duration'],
    ['@every\t1h', 'unknown descriptor'],
    ['@every ', '"" is not a Go duration'],
    ['@every 1H', '"1H" is not a Go duration'],
    ['@every 1d', '"1d" is not a Go duration'],
    ['@every 10', '"10" is not a Go duration'],
    ['@every .h', '".h" is not a Go duration'],
    ['@every 1h-1m', '"1h-1m" is not a Go duration'],
    ['@every 2562048h', '"2562048h" is not a Go duration'], // past int64 nanoseconds
  ])('fails when the descriptor is %j, as robfig/cron refuses it', (expr, error) => {
    const parsed = parseSchedule(expr);
    expect(parsed.ok).toBe(false);
    expect(parsed.error).toContain(error);
    expect(longestIntervalSeconds(expr)).toBeUndefined();
  });
});

describe('parseGoDuration', () => {
  test.each<[string, bigint | undefined]>([
    ['0', 0n], ['+0', 0n], ['-0', 0n], ['1ns', 1n], ['1us', 1000n], ['1\u00b5s', 1000n], ['1\u03bcs', 1000n], ['1ms', 1_000_000n],
    ['1s', 1_000_000_000n], ['1m', 60_000_000_000n], ['1h', 3_600_000_000_000n], ['-1.5h', -5_400_000_000_000n], ['+2h45m', 9_900_000_000_000n],
    ['1.000000001s', 1_000_000_001n], ['2562047h47m16.854775807s', 9_223_372_036_854_775_807n], ['2562047h47m16.854775808s', undefined],
    ['-2562047h47m16.854775808s', -9_223_372_036_854_775_808n],
    ['', undefined], ['-', undefined], ['1', undefined], ['h', undefined], ['1hh', undefined], ['1 h', undefined], ['1h 1m', undefined],
    ['1.2.3s', undefined], ['1constructor', undefined], ['1__proto__', undefined], ['1toString', undefined], ['9223372036854775808ns', undefined], ['99999999999999999999h', undefined],
  ])('%j is %s nanoseconds', (text, ns) => {
    expect(parseGoDuration(text)).toBe(ns);
  });
});

describe('longestIntervalSeconds', () => {
  test.each([
    ['every second', '* * * * * *', 1],
    ['every 10 seconds', '*/10 * * * * *', 10],
    ['at seconds 0 and 50 (the wrap to the next minute is longer)', '0,50 * * * * *', 50],
    ['every 15 minutes', '0 */15 * * * *', 15 * 60],
    ['at minutes 5 to 55 every 20 (5, 25, 45: 20 min apart, then 20 across the hour)', '0 5/20 * * * *', 20 * 60],
    ['hourly at minute 30', '0 30 * * * *', HOUR],
    ['at 08:00 and 20:00', '0 0 8,20 * * *', 12 * HOUR],
    ['at 01:00 and 02:00 only (23 hours from one day to the next)', '0 0 1,2 * * *', 23 * HOUR],
    ['daily at 23:59:59', '59 59 23 * * *', DAY],
    ['every other day of the month (31st to 1st, 1st to 3rd)', '0 0 0 */2 * *', 2 * DAY],
    ['the 1st and 15th', '0 0 0 1,15 * *', 17 * DAY],
    ['the 31st (none in months of 30 days or February)', '0 0 0 31 * *', 61 * DAY],
    ['the 30th (none in February)', '0 0 0 30 * *', 60 * DAY],
    ['the 29th (January 29th to March 29th of a year that is not leap)', '0 0 0 29 * *', 59 * DAY],
    ['February 29th (eight years across 2100, which is not leap)', '0 0 0 29 2 *', 2921 * DAY],
    ['February 28th', '0 0 0 28 2 *', 366 * DAY],
    ['December 31st at 23:59:59', '59 59 23 31 12 *', 366 * DAY],
    ['January 1st', '0 0 0 1 1 *', 366 * DAY],
    ['Sundays', '0 0 2 * * 0', 7 * DAY],
    ['Sundays written SUN, with ? in day of month', '0 0 2 ? * SUN', 7 * DAY],
    ['Monday to Friday', '0 0 0 * * 1-5', 3 * DAY],
    ['every day of the week as a range', '0 0 0 * * 0-6', DAY],
    // [R] spec.go dayMatches: both restricted, either day matches
    ['the 1st or any Monday', '0 0 0 1 * 1', 7 * DAY],
    // a star (even */2) in day of month: both must match, so odd days that are Mondays
    ['odd days that are Mondays', '0 0 0 */2 * 1', 21 * DAY],
    ['Mondays of January (from the last one to the first of the next January)', '0 0 0 ? 1 MON', 343 * DAY],
  ])('%s: %j', (_, expr, seconds) => {
    expect(longestIntervalSeconds(expr)).toBe(seconds);
  });

  test.each(['0 0 0 30 2 *', '0 0 0 31 11 *', '0 0 ,, * * *', 'not a schedule', '0 0 * * *'])('is undefined for %j (invalid, five fields or never runs)', expr => {
    expect(longestIntervalSeconds(expr)).toBeUndefined();
  });
});

describe('the ScheduledBackup rule', () => {
  const findingsOf = (spec: object) => validate([credentials(), objectStore(), cluster(), scheduledBackup(spec)]).filter(f => f.kind === 'ScheduledBackup' && f.path.startsWith('spec.schedule'));

  test.each(['@monthly', '@every 24h', '0 0 3 * * SUN', '0 0 0 29 2 *'])('accepts %j', schedule => {
    expect(findingsOf({ schedule })).toEqual([]);
  });

  test.each([
    ['a five-field cron', '0 3 * * *', 'schedule "0 3 * * *" has 5 fields but CNPG reads 6, seconds first: it would run', 'write six fields, seconds first: "0 0 3 * * *" runs at 03:00 (UTC)'],
    ['a descriptor with a leading space', ' @daily', 'schedule " @daily" has 1 fields, CNPG needs 6', 'write six fields, seconds first, e.g. "0 0 3 * * *" (daily at 03:00 UTC)'],
    ['@every with two spaces', '@every  1h', 'schedule "@every  1h" " 1h" is not a Go duration', 'e.g. "0 0 3 * * *"'],
  ])('fails when the schedule is %s', (_, schedule, message, fix) => {
    const [f] = findingsOf({ schedule });
    expect(f.severity).toBe('error');
    expect(f.message).toContain(message);
    expect(f.fix).toContain(fix);
  });

  test.each([
    ['immediate is not set', { immediate: undefined }, 1],
    ['immediate is false', { immediate: false }, 1],
    ['immediate is true', { immediate: true }, 0],
    ['the schedule is suspended', { immediate: false, suspend: true }, 0],
  ])('warns of no backup before the first run when %s', (_, spec, count) => {
    const warnings = validate([credentials(), objectStore(), cluster(), scheduledBackup({ schedule: '@weekly', ...spec })]).filter(f => f.path === 'spec.immediate');
    expect(warnings).toHaveLength(count);
    if (count) {
      expect(warnings[0].message).toBe('no base backup until the first run of the schedule (once a week, at midnight between Saturday and Sunday (UTC)): nothing can be restored until then');
      expect(warnings[0].severity).toBe('warning');
      expect(warnings[0].fix).toBe('set immediate: true');
    }
  });
});

describe('exact messages and the edges between forms', () => {
  test.each([
    ['a letter', '0 0 x * * *', 'hour field: "x" is not a number'],
    ['a letter after digits', '0 0 5x * * *', 'hour field: "5x" is not a number'],
    ['digits after a letter', '0 0 x5 * * *', 'hour field: "x5" is not a number'],
    ['a range ending in a letter', '0 0 1-x * * *', 'hour field: "x" is not a number'],
    ['a range ending in a name of another field', '0 0 0 1 JAN-MON *', 'month field: "MON" is not a number or a name'],
    ['a name of another field in day of week', '0 0 0 * * JAN', 'day of week field: "JAN" is not a number or a name'],
    ['an unknown descriptor', '@fortnightly', 'unknown descriptor "@fortnightly" (CNPG knows @yearly, @annually, @monthly, @weekly, @daily, @midnight, @hourly and "@every <duration>", exactly)'],
    ['a duration Go refuses', '@every 1d', '"1d" is not a Go duration (e.g. "24h", "1h30m"; no spaces)'],
    ['7 fields', '0 0 0 * * * *', 'has 7 fields, CNPG needs 6 (second minute hour day-of-month month day-of-week)'],
  ])('says exactly what is wrong with %s: %j', (_, expr, error) => {
    expect(parseSchedule(expr)).toMatchObject({ ok: false, error, description: 'an invalid schedule' });
  });

  test('the largest int64 is read as a number (Go Atoi), then out of range', () => {
    expect(parseSchedule('0 0 9223372036854775807 * * *').error).toMatch(/^hour field: \d+ is out of range 0-23$/);
    expect(parseSchedule('0 0 9223372036854775808 * * *').error).toBe('hour field: "9223372036854775808" is too large');
  });

  test('a schedule that never runs is described as never', () => {
    expect(parseSchedule('0 0 0 31 2 *')).toMatchObject({ ok: false, description: 'never' });
  });

  test('a range with a step stops at its end (only N/step runs to the maximum)', () => {
    // 01:00 and 02:00 only: 23 hours from 02:00 to the next 01:00; were it 1-23, the longest gap would be 2 hours
    expect(longestIntervalSeconds('0 0 1-2/1 * * *')).toBe(23 * HOUR);
    expect(longestIntervalSeconds('0 0 1/1 * * *')).toBe(2 * HOUR);
  });

  test.each([
    ['-2562047h47m16.854775809s', undefined], // one nanosecond past the smallest int64
    ['-9223372036854775809ns', undefined],
    ['-9223372036854775808ns', -9_223_372_036_854_775_808n],
  ])('a negative duration past int64 is refused as Go refuses it: %j', (text, ns) => {
    expect(parseGoDuration(text)).toBe(ns);
    if (ns === undefined) expect(parseSchedule(`@every ${text}`).ok).toBe(false);
  });

  test.each([
    ['a leading space', ' 0 3 * * *'],
    ['tabs and a trailing newline', '0\t3\t* * *\n'],
  ])('a five-field cron with %s is still recognised as five fields', (_, expr) => {
    expect(parseSchedule(expr).error).toMatch(/^has 5 fields but CNPG reads 6, seconds first: it would run /);
    expect(sixFieldSuggestion(expr)).toEqual({ schedule: '0 0 3 * * *', description: 'at 03:00 (UTC)' });
  });

  test('a five-field cron that CNPG refuses outright says why, as CNPG reads it', () => {
    // "30 2 * * MON": seconds first, so MON lands in the month field
    expect(parseSchedule('30 2 * * MON')).toEqual({
      ok: false,
      error: 'has 5 fields, and CNPG refuses it: it reads six fields, seconds first, so its month field: "MON" is not a number or a name',
      description: 'an invalid schedule',
    });
    expect(sixFieldSuggestion('30 2 * * MON')).toEqual({ schedule: '0 30 2 * * MON', description: 'at 02:30, only on Monday (UTC)' });
  });

  test('parsed schedules are kept for reuse, at most 10,000 at a time', () => {
    // Schedules of this form appear in no other test: "s m h */1 * *" (every day, at one second of it).
    const fresh = (i: number) => `${i % 60} ${Math.floor(i / 60) % 60} ${Math.floor(i / 3600) % 24} */1 * *`;
    const kept = '7 7 7 */1 * 1';
    // GIVEN a kept schedule, and new ones parsed until the kept ones are dropped (the count before is unknown)
    let first = parseSchedule(kept);
    let i = 0;
    while (i <= 10_000 && parseSchedule(kept) === first) parseSchedule(fresh(i++));
    expect(parseSchedule(kept)).not.toBe(first); // dropped within 10,001 new schedules
    // WHEN kept again right after the drop, 10,000 are kept: the new schedule and this one, then 9,998 more
    first = parseSchedule(kept);
    for (let n = 0; n < 9_998; n++) parseSchedule(fresh(i++));
    // THEN it is still the same result, until the 10,001st
    expect(parseSchedule(kept)).toBe(first);
    parseSchedule(fresh(i++));
    expect(parseSchedule(kept)).not.toBe(first);
    expect(parseSchedule(kept)).toEqual(first);
  });

  test.each([
    ['0 30 2 * * 1-5', 'at 02:30, Monday through Friday (UTC)'],
    ['15 */10 4 * * *', 'at 15 seconds past the minute, every 10 minutes, between 04:00 and 04:59 (UTC)'],
  ])('a valid schedule is described in words: %j', (expr, words) => {
    expect(parseSchedule(expr).description).toBe(words);
  });

  test('the weekday of a date is the calendar\'s: March 1st on each weekday, at most 11 or 12 years apart', () => {
    // "*/31" in day of month is a star (robfig's AND rule) that runs only on the 1st
    const years = [0, 1, 2, 3, 4, 5, 6].map(d => longestIntervalSeconds(`0 0 0 */31 3 ${d}`)! / DAY);
    expect(years).toEqual([4018, 4382, 4018, 4382, 4018, 4382, 4382]);
  });
});

describe('the ScheduledBackup rule on objects the schema refuses', () => {
  test.each([
    ['no spec', { spec: undefined }],
    ['no schedule', { spec: { cluster: { name: 'pg' }, immediate: true } }],
    ['a number for a schedule', { spec: { cluster: { name: 'pg' }, schedule: 5, immediate: true } }],
  ])('says nothing of the schedule, and does not crash, with %s', (_, override) => {
    const doc = { ...scheduledBackup(), ...override };
    const findings = validate([credentials(), objectStore(), cluster(), doc as never]);
    expect(findings.filter(f => f.kind === 'ScheduledBackup' && (/^schedule /.test(f.message) || f.path === 'spec.immediate'))).toEqual([]);
  });
});
