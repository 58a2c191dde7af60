import { Testing } from 'cdk8s';
import { BackupSchedule } from '../src';
import { backedUp, errorOf, expectPropError } from './util';

describe('BackupSchedule', () => {
  test.each([
    ['hourly()', BackupSchedule.hourly(), '0 0 * * * *', 3600],
    ['daily()', BackupSchedule.daily(), '0 0 0 * * *', 86400],
    ['daily({ hour: 3, minute: 30 })', BackupSchedule.daily({ hour: 3, minute: 30 }), '0 30 3 * * *', 86400],
    ['weekly({ hour: 2 })', BackupSchedule.weekly({ hour: 2 }), '0 0 2 * * 0', 7 * 86400],
    ['cron("0 30 2 * * *")', BackupSchedule.cron('0 30 2 * * *'), '0 30 2 * * *', 86400],
    ['cron("0 0 0 1 * *")', BackupSchedule.cron('0 0 0 1 * *'), '0 0 0 1 * *', 31 * 86400],
    ['daily({ hour: 0, minute: 0 })', BackupSchedule.daily({ hour: 0, minute: 0 }), '0 0 0 * * *', 86400],
    ['daily({ hour: 23, minute: 59 })', BackupSchedule.daily({ hour: 23, minute: 59 }), '0 59 23 * * *', 86400],
    ['daily({ minute: 59 })', BackupSchedule.daily({ minute: 59 }), '0 59 0 * * *', 86400],
    ['weekly({ hour: 23, minute: 59 })', BackupSchedule.weekly({ hour: 23, minute: 59 }), '0 59 23 * * 0', 7 * 86400],
    ['weekly({ minute: 1 })', BackupSchedule.weekly({ minute: 1 }), '0 1 0 * * 0', 7 * 86400],
  ])('%s is six fields, seconds first', (_, schedule, expression, interval) => {
    // GIVEN / WHEN / THEN
    expect(schedule.expression).toBe(expression);
    expect(schedule.expression.split(' ')).toHaveLength(6);
    expect(schedule._problem('schedule')).toBeUndefined();
    expect(schedule._maxIntervalSeconds()).toBe(interval);
  });

  test('hourly() is the seed\'s schedule and says so in words', () => {
    // GIVEN / WHEN
    const schedule = BackupSchedule.hourly();
    // THEN
    expect(schedule.expression).toBe('0 0 * * * *');
    expect(schedule.describe()).toContain('every hour');
  });

  test.each([
    ['a five-field cron', '0 * * * *', 'has 5 fields'],
    ['an empty cron', '', 'has 0 fields'],
    ['a day of week of 8', '0 0 0 * * 8', 'day of week'],
    ['minutes of 60', '0 60 * * * *', ''],
    ['seven fields', '0 0 0 * * * 2026', ''],
    ['a descriptor with a leading space', ' @daily', 'has 1 fields'],
    ['@every with two spaces', '@every  1h', '" 1h" is not a Go duration'],
    ['February 30th', '0 0 0 30 2 *', 'matches no date'],
  ])('fails when the schedule is %s', (_, expression, problem) => {
    // GIVEN
    const chart = Testing.chart();
    // WHEN
    const message = errorOf(() => backedUp(chart, 'Test', { schedule: BackupSchedule.cron(expression) }));
    // THEN
    expectPropError(message, { path: 'test/Test', prop: 'schedule', value: expression, problem, fix: 'use six fields, seconds first, e.g. BackupSchedule.hourly() ("0 0 * * * *")' });
  });

  test.each([
    ['hour 24', () => BackupSchedule.daily({ hour: 24 }), '0 0 24 * * *', 'hour field: 24 is out of range 0-23'],
    ['minute 60', () => BackupSchedule.daily({ minute: 60 }), '0 60 0 * * *', 'minute field: 60 is out of range 0-59'],
    ['a negative hour', () => BackupSchedule.weekly({ hour: -1 }), '0 0 -1 * * 0', 'hour field'],
    ['a fractional minute', () => BackupSchedule.weekly({ minute: 1.5 }), '0 1.5 0 * * 0', 'minute field: "1.5" is not a number'],
  ])('fails when a time of day has %s', (_, make, expression, problem) => {
    // GIVEN / WHEN
    const message = errorOf(() => backedUp(Testing.chart(), 'Test', { schedule: make() }));
    // THEN
    expectPropError(message, { path: 'test/Test', prop: 'schedule', value: expression, problem, fix: 'BackupSchedule.daily({ hour: 3 }) ("0 0 3 * * *")' });
  });

  test.each([
    ['@monthly', 'once a month, at midnight of the first day (UTC)', 31 * 86400],
    ['@yearly', 'once a year, at midnight of January 1st (UTC)', 366 * 86400],
    ['@every 720h', 'every 720h', 720 * 3600],
  ])('cron(%j) is accepted as CNPG reads it, with its longest gap', (expression, words, interval) => {
    const schedule = BackupSchedule.cron(expression);
    expect(schedule._problem('schedule')).toBeUndefined();
    expect(schedule.describe()).toBe(words);
    expect(schedule._maxIntervalSeconds()).toBe(interval);
  });

  test('a five-field cron is explained as what CNPG would make of it', () => {
    // GIVEN / WHEN
    const p = BackupSchedule.cron('0 * * * *')._problem('schedule');
    // THEN
    expect(p!.problem).toContain('seconds first');
  });
});

describe('BackupSchedule from JavaScript', () => {
  test.each<[string, unknown, string]>([
    ['no expression', undefined, 'needs a cron expression'],
    ['a number', 3, 'must be a string'],
  ])('cron() with %s is a problem that says so, not a crash', (_, expression, problem) => {
    expect(BackupSchedule.cron(expression as string)._problem('schedule')).toEqual({
      prop: 'schedule', problem, value: expression, fix: 'use e.g. BackupSchedule.cron("0 0 3 * * *")',
    });
  });
});
