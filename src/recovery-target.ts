import { PropProblem, show } from './private/errors';
import { RenderedRecoveryTarget } from './private/rendered';
import { parseTargetTime, toPostgresSafeUtc } from './validation/timestamps';

/** Options every recovery target takes. */
export interface RecoveryTargetBaseOptions {
  /**
   * Stop just before the target instead of just after it (`recovery_target_inclusive = false`).
   * @default false
   */
  readonly exclusive?: boolean;
  /**
   * The timeline to recover along (`targetTLI`), a positive integer.
   * @default - the latest timeline (PostgreSQL's default)
   */
  readonly timeline?: number;
}

/** Options for targets that can pick their base backup. */
export interface RecoveryTargetOptions extends RecoveryTargetBaseOptions {
  /**
   * The base backup to start from (`backupID`, e.g. `20251227T200000`).
   * @default - the plugin picks the newest backup that ends before the target
   */
  readonly backupId?: string;
}

/** Options for targets that need a base backup named. */
export interface RecoveryTargetWithBackupOptions extends RecoveryTargetBaseOptions {
  /**
   * The base backup to start from (`backupID`): CNPG requires it for this target when recovering from an object store.
   */
  readonly backupId: string;
}

/**
 * Where a point-in-time recovery stops. It always lands in `spec.bootstrap.recovery.recoveryTarget`, the only
 * place CNPG reads it (the plugin ignores a target in its parameters).
 *
 * @see https://cloudnative-pg.io/documentation/current/recovery/#point-in-time-recovery-pitr
 */
export class RecoveryTarget {
  /**
   * Recover up to a moment in time. Emitted in UTC as `YYYY-MM-DD HH:MM:SS.ffffff+00:00`: CNPG rewrites RFC 3339
   * UTC times to a `Z` zone that PostgreSQL refuses at startup (CNPG issue #10819).
   *
   * @example RecoveryTarget.time(new Date('2025-12-27T20:43:00Z'))
   */
  public static time(date: Date, options: RecoveryTargetOptions = {}): RecoveryTarget {
    return new RecoveryTarget('time', date, options);
  }

  /**
   * Recover up to a moment given as a timestamp string with an explicit offset (RFC 3339 or
   * `YYYY-MM-DD HH:MM:SS±HH:MM`); normalised to the PostgreSQL-safe UTC form.
   *
   * @example RecoveryTarget.timestamp('2025-12-27 21:43:00+01:00')
   */
  public static timestamp(value: string, options: RecoveryTargetOptions = {}): RecoveryTarget {
    return new RecoveryTarget('timestamp', value, options);
  }

  /**
   * Recover up to a write-ahead log location (LSN), e.g. `0/3000060`.
   *
   * @example RecoveryTarget.lsn('0/3000060')
   */
  public static lsn(lsn: string, options: RecoveryTargetOptions = {}): RecoveryTarget {
    return new RecoveryTarget('lsn', lsn, options);
  }

  /**
   * Recover up to a transaction ID.
   *
   * @example RecoveryTarget.xid(1234, { backupId: '20251227T200000' })
   */
  public static xid(xid: number, options: RecoveryTargetWithBackupOptions): RecoveryTarget {
    return new RecoveryTarget('xid', xid, options);
  }

  /**
   * Recover up to a named restore point created with `pg_create_restore_point()`.
   *
   * @example RecoveryTarget.namedRestorePoint('before-migration', { backupId: '20251227T200000' })
   */
  public static namedRestorePoint(name: string, options: RecoveryTargetWithBackupOptions): RecoveryTarget {
    return new RecoveryTarget('name', name, options);
  }

  /**
   * Stop as soon as the given base backup is consistent.
   *
   * @example RecoveryTarget.immediate('20251227T200000')
   */
  public static immediate(backupId: string): RecoveryTarget {
    return new RecoveryTarget('immediate', true, { backupId });
  }

  /**
   * Replay all archived WAL (no `recoveryTarget`): the newest state the archive holds.
   *
   * @example RecoveryTarget.latest()
   */
  public static latest(): RecoveryTarget {
    return new RecoveryTarget('latest', undefined, {});
  }

  private constructor(
    private readonly type: 'time' | 'timestamp' | 'lsn' | 'xid' | 'name' | 'immediate' | 'latest',
    private readonly value: unknown,
    private readonly options: RecoveryTargetOptions,
  ) {}

  /** A short description for messages and docs, e.g. `time 2025-12-27 20:43:00.000000+00:00`. */
  public describe(): string {
    const r = this._render();
    if (!r) return 'latest';
    const [key, val] = Object.entries(r).find(([k]) => k.startsWith('target')) ?? ['backupID', r.backupID];
    return `${key} ${val}`;
  }

  /** Problems with the target, or none. @internal */
  public _problems(prop: string): PropProblem[] {
    const problems: PropProblem[] = [];
    const add = (problem: string, value: unknown, fix: string) => problems.push({ prop, problem, value, fix });
    switch (this.type) {
      case 'time':
        if (!(this.value instanceof Date) || isNaN(this.value.getTime())) add('time target is not a valid Date', this.value, 'use RecoveryTarget.time(new Date("2025-12-27T20:43:00Z"))');
        break;
      case 'timestamp': {
        const parsed = parseTargetTime(String(this.value));
        if (!parsed.ok) add(`timestamp cannot be parsed (${parsed.error})`, this.value, 'use e.g. RecoveryTarget.timestamp("2025-12-27 20:43:00+00:00")');
        else if (!parsed.hasOffset) add('timestamp has no explicit offset (CNPG < 1.28.1 takes it in the pod time zone)', this.value, `add one, e.g. ${show(String(this.value).trim() + '+00:00')}`);
        break;
      }
      case 'lsn':
        // CNPG webhook validateRecoveryTarget: an LSN is two hex numbers separated by "/".
        if (!/^[0-9A-Fa-f]{1,8}\/[0-9A-Fa-f]{1,8}$/.test(String(this.value))) add('is not a WAL location (LSN)', this.value, 'use the form "0/3000060"');
        break;
      case 'xid':
        // CNPG webhook: targetXID must parse as a 32-bit unsigned integer.
        if (!Number.isInteger(this.value) || (this.value as number) < 1 || (this.value as number) > 4294967295) add('transaction ID must be a whole number from 1 to 4294967295', this.value, 'use e.g. RecoveryTarget.xid(1234, { backupId: "20251227T200000" })');
        break;
      case 'name': {
        const name = String(this.value);
        // CNPG webhook: restore point names are PostgreSQL names (< 64 bytes) without control characters.
        if (name.trim() === '' || Buffer.byteLength(name) >= 64 || /[\x00-\x1f\x7f]/.test(name)) add('restore point name must be 1 to 63 bytes without control characters', this.value, 'use the name given to pg_create_restore_point(), e.g. "before-migration"');
        break;
      }
      default:
        break;
    }
    const { backupId, timeline } = this.options;
    if (backupId !== undefined && !/^\d{8}T\d{6}$/.test(backupId)) {
      add('backupId is not a Barman backup ID', backupId, 'use the ID shown by the Backup status or the bucket listing, e.g. "20251227T200000"');
    }
    if ((this.type === 'xid' || this.type === 'name' || this.type === 'immediate') && !backupId) {
      add(`a ${this.type === 'name' ? 'restore point' : this.type} target from an object store needs backupId`, backupId, 'name the base backup, e.g. { backupId: "20251227T200000" }');
    }
    if (timeline !== undefined && (!Number.isInteger(timeline) || timeline < 1)) {
      add('timeline must be a positive whole number', timeline, 'use e.g. { timeline: 2 }, or leave it out for the latest timeline');
    }
    return problems;
  }

  /** The `recoveryTarget` block, or undefined for `latest()`. @internal */
  public _render(): RenderedRecoveryTarget | undefined {
    if (this.type === 'latest') return undefined;
    const common = {
      ...(this.options.backupId !== undefined ? { backupID: this.options.backupId } : {}),
      ...(this.options.exclusive !== undefined ? { exclusive: this.options.exclusive } : {}),
      ...(this.options.timeline !== undefined ? { targetTLI: String(this.options.timeline) } : {}),
    };
    switch (this.type) {
      case 'time': return { ...common, targetTime: toPostgresSafeUtc(this.value as Date) };
      case 'timestamp': {
        const parsed = parseTargetTime(String(this.value));
        return { ...common, targetTime: toPostgresSafeUtc(parsed.date!, parsed.micros) };
      }
      case 'lsn': return { ...common, targetLSN: String(this.value) };
      case 'xid': return { ...common, targetXID: String(this.value) };
      case 'name': return { ...common, targetName: String(this.value) };
      default: return { ...common, targetImmediate: true };
    }
  }
}
