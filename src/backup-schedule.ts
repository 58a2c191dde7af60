import { PropProblem } from './private/errors';
import { longestIntervalSeconds, parseSchedule } from './validation/schedule';

/** Options for a daily or weekly schedule. */
export interface TimeOfDayOptions {
  /**
   * Hour of the day, 0-23, in the operator's time zone (UTC in CNPG's images).
   * @default 0
   */
  readonly hour?: number;
  /**
   * Minute of the hour, 0-59.
   * @default 0
   */
  readonly minute?: number;
}

/**
 * When base backups run. CNPG reads a six-field cron (robfig/cron v1.2.0): seconds first, then minutes, hours,
 * day of month, month and day of week, so a five-field schedule copied from elsewhere means something else.
 *
 * @see https://cloudnative-pg.io/documentation/current/backup/#scheduled-backups
 */
export class BackupSchedule {
  /**
   * Every hour on the hour: `0 0 * * * *`.
   *
   * @example BackupSchedule.hourly()
   */
  public static hourly(): BackupSchedule {
    return new BackupSchedule('0 0 * * * *');
  }

  /**
   * Once a day: `0 <minute> <hour> * * *`. CNPG recommends daily base backups; WAL gives the PITR granularity.
   *
   * @example BackupSchedule.daily({ hour: 3 })
   */
  public static daily(options: TimeOfDayOptions = {}): BackupSchedule {
    return new BackupSchedule(`0 ${options.minute ?? 0} ${options.hour ?? 0} * * *`);
  }

  /**
   * Once a week on Sunday: `0 <minute> <hour> * * 0`.
   *
   * @example BackupSchedule.weekly({ hour: 2 })
   */
  public static weekly(options: TimeOfDayOptions = {}): BackupSchedule {
    return new BackupSchedule(`0 ${options.minute ?? 0} ${options.hour ?? 0} * * 0`);
  }

  /**
   * Any six-field CNPG cron expression, seconds first; checked at synth.
   *
   * @example BackupSchedule.cron('0 30 2 * * *') // 02:30:00 every day
   */
  public static cron(expression: string): BackupSchedule {
    return new BackupSchedule(expression);
  }

  /** The six-field cron expression. */
  public readonly expression: string;

  private constructor(expression: string) {
    this.expression = expression;
  }

  /** What the schedule means, in words. */
  public describe(): string {
    return parseSchedule(this.expression).description;
  }

  /**
   * The longest gap between two runs, in seconds (see `longestIntervalSeconds`); used by the lifecycle-rule guard.
   * A schedule that is invalid or never runs has already failed synth; a week is the fallback.
   * @internal
   */
  public _maxIntervalSeconds(): number {
    return longestIntervalSeconds(this.expression) ?? 7 * 86400;
  }

  /** @internal */
  public _problem(prop: string): PropProblem | undefined {
    if (typeof this.expression !== 'string') {
      return { prop, problem: this.expression === undefined ? 'needs a cron expression' : 'must be a string', value: this.expression, fix: 'use e.g. BackupSchedule.cron("0 0 3 * * *")' };
    }
    const result = parseSchedule(this.expression);
    if (result.ok) return undefined;
    return {
      prop,
      problem: result.error ?? 'is not a valid CNPG schedule',
      value: this.expression,
      fix: 'use six fields, seconds first, e.g. BackupSchedule.hourly() ("0 0 * * * *") or BackupSchedule.daily({ hour: 3 }) ("0 0 3 * * *")',
    };
  }
}
