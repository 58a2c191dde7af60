import { Testing } from 'cdk8s';
import { RetentionPolicy } from '../src';
import { backedUp, errorOf, expectPropError, find } from './util';

describe('RetentionPolicy', () => {
  test.each([
    ['days(7)', RetentionPolicy.days(7), '7d', 7],
    ['weeks(2)', RetentionPolicy.weeks(2), '2w', 14],
    ['months(1)', RetentionPolicy.months(1), '1m', 31],
  ])('%s renders as the ObjectStore CRD spells it', (_, policy, value, days) => {
    // GIVEN / WHEN / THEN
    expect(policy.value).toBe(value);
    expect(policy.value).toMatch(/^[1-9][0-9]*[dwm]$/);
    expect(policy.windowDays).toBe(days);
    expect(policy._problem('retentionPolicy')).toBeUndefined();
  });

  test('lands in the ObjectStore spec.retentionPolicy', () => {
    // GIVEN
    const chart = Testing.chart();
    // WHEN
    backedUp(chart, 'Test', { retentionPolicy: RetentionPolicy.weeks(4) });
    // THEN
    expect(find(Testing.synth(chart), 'ObjectStore').spec.retentionPolicy).toBe('4w');
  });

  test.each([
    ['days(0)', RetentionPolicy.days(0), 0],
    ['days(-7)', RetentionPolicy.days(-7), -7],
    ['days(1.5)', RetentionPolicy.days(1.5), 1.5],
    ['weeks(0)', RetentionPolicy.weeks(0), 0],
    ['months(NaN)', RetentionPolicy.months(NaN), null],
  ])('fails when the policy is %s', (_, policy, shown) => {
    // GIVEN
    const chart = Testing.chart();
    // WHEN
    const message = errorOf(() => backedUp(chart, 'Test', { retentionPolicy: policy }));
    // THEN (JSON shows NaN as null)
    expectPropError(message, { path: 'test/Test', prop: 'retentionPolicy', value: shown, problem: 'needs a whole number of at least 1', fix: 'RetentionPolicy.days(7)' });
  });
});
