import { PropProblem } from './private/errors';

/**
 * How long the plugin keeps backups: a recovery window. Barman always keeps the newest backup older than the
 * window, so a stopped schedule never leaves the archive without a restorable base backup.
 *
 * @see https://cloudnative-pg.io/plugin-barman-cloud/docs/retention/
 */
export class RetentionPolicy {
  /**
   * Keep backups needed to restore to any point in the last `n` days.
   *
   * @example RetentionPolicy.days(7)
   */
  public static days(n: number): RetentionPolicy {
    return new RetentionPolicy(n, 'd', 1);
  }

  /**
   * Keep backups needed to restore to any point in the last `n` weeks.
   *
   * @example RetentionPolicy.weeks(2)
   */
  public static weeks(n: number): RetentionPolicy {
    return new RetentionPolicy(n, 'w', 7);
  }

  /**
   * Keep backups needed to restore to any point in the last `n` months.
   *
   * @example RetentionPolicy.months(1)
   */
  public static months(n: number): RetentionPolicy {
    return new RetentionPolicy(n, 'm', 31);
  }

  /** The value as the ObjectStore CRD spells it, e.g. `7d`. */
  public readonly value: string;
  /** The window in days (a month counts as 31). */
  public readonly windowDays: number;

  private constructor(private readonly count: number, unit: string, daysPerUnit: number) {
    this.value = `${count}${unit}`;
    this.windowDays = count * daysPerUnit;
  }

  /** @internal */
  public _problem(prop: string): PropProblem | undefined {
    // ObjectStore CRD: spec.retentionPolicy pattern ^[1-9][0-9]*[dwm]$
    if (!Number.isInteger(this.count) || this.count < 1) {
      return { prop, problem: 'needs a whole number of at least 1', value: this.count, fix: 'use e.g. RetentionPolicy.days(7)' };
    }
    return undefined;
  }
}
