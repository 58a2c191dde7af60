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
  ])('fails when the schedule is %s', (_, expression, problem) => {
    // GIVEN
    const chart = Testing.chart();
    // WHEN
    const message = errorOf(() => backedUp(chart, 'Test', { schedule: BackupSchedule.cron(expression) }));
    // THEN
    expectPropError(message, { path: 'test/Test', prop: 'schedule', value: expression, problem, fix: 'use six fields, seconds first, e.g. BackupSchedule.hourly() ("0 0 * * * *")' });
  });

  test('a five-field cron is explained as what CNPG would make of it', () => {
    // GIVEN / WHEN
    const p = BackupSchedule.cron('0 * * * *')._problem('schedule');
    // THEN
    expect(p!.problem).toContain('seconds first');
  });
});
