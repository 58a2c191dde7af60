/**
 * Recovery target times as CNPG reads them and PostgreSQL receives them.
 *
 * CNPG accepts ([O] machinery pkg/types/time.go `ParseTargetTime`): lib/pq's timestamp form
 * `YYYY-MM-DD HH:MM:SS[.f…][±HH[:MM[:SS]]]`, RFC 3339 (with or without fractional seconds) and
 * `YYYY-MM-DDTHH:MM:SS` without a zone. The operator then rewrites any RFC 3339 value to
 * `YYYY-MM-DD HH:MM:SS.ffffffZ07:00` (machinery pkg/postgres/time/time.go `ConvertToPostgresFormat`). With
 * machinery v0.3.1 (CNPG 1.28.0) Go renders a UTC zone as `Z`, and PostgreSQL refuses to start with
 * `recovery_target_time = '… Z'` (CNPG issue #10819); from machinery v0.3.3 (CNPG 1.28.1, and 1.28.4, 1.29.x,
 * 1.30.0 with v0.4.0/v0.5.0) a trailing `Z` becomes `+00:00`, so an RFC 3339 UTC time is safe there
 * (UPSTREAM-FACTS §3.8). A string that is not RFC 3339 but ends in `Z` is refused by the webhook's
 * `ParseTargetTime` in every version (lib/pq's form takes only numeric offsets).
 */
import { cnpgHas, CNPG_GROUP, dig, ValidationContext } from './context';
import { show } from './finding';
import { compareVersions } from '../upstream/catalog';

export interface ParsedTargetTime {
  readonly ok: boolean;
  /** The value names its zone (`Z` or a numeric offset); without one CNPG >= 1.28.1 takes it as UTC. */
  readonly hasOffset: boolean;
  /** An RFC 3339 UTC time (`…Z`, `…z`, `…T…±00:00`): CNPG hands it to PostgreSQL with a `Z` zone. */
  readonly isRfc3339Utc: boolean;
  readonly date?: Date;
  readonly error?: string;
}

// lib/pq ParseTimestamp: a space between date and time, an optional numeric offset of hours[:minutes[:seconds]].
const PQ_FORM = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?(?:([+-])(\d{2})(?::(\d{2})(?::(\d{2}))?)?)?$/;
// RFC 3339 (Go accepts fractional seconds even when the layout has none), and the same without a zone.
const RFC3339_FORM = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?(?:([Zz])|([+-])(\d{2}):(\d{2}))?$/;

const ACCEPTED = '"YYYY-MM-DD HH:MM:SS+00:00" (also with .ffffff, or an offset like +02:00), or RFC 3339 with a non-UTC offset';

/** The instant of matched date and time parts at an offset in minutes, or why the parts are out of range. */
function buildDate(parts: readonly string[], frac: string | undefined, offsetMinutes: number): Date | string {
  const [y, mo, , h, mi, s] = parts;
  const [year, month, day, hour, minute, second] = parts.map(Number);
  if (month < 1 || month > 12) return `month ${month} is out of range`;
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (day < 1 || day > daysInMonth) return `day ${day} is out of range for ${y}-${mo}`;
  if (hour > 23 || minute > 59 || second > 59) return `time ${h}:${mi}:${s} is out of range`;
  const ms = frac ? Math.floor(Number(`0${frac}`) * 1000) : 0;
  return new Date(Date.UTC(year, month - 1, day, hour, minute, second, ms) - offsetMinutes * 60_000);
}

/** Parses a `targetTime` the way CNPG's webhook does, and says how it will reach PostgreSQL. */
export function parseTargetTime(value: string): ParsedTargetTime {
  const pq = PQ_FORM.exec(value);
  if (pq) {
    const [, y, mo, d, h, mi, s, frac, sign, oh, om, os] = pq;
    const offset = sign ? (sign === '-' ? -1 : 1) * (Number(oh) * 60 + Number(om ?? 0) + Number(os ?? 0) / 60) : 0;
    const date = buildDate([y, mo, d, h, mi, s], frac, offset);
    if (typeof date === 'string') return { ok: false, hasOffset: !!sign, isRfc3339Utc: false, error: date };
    return { ok: true, hasOffset: !!sign, isRfc3339Utc: false, date };
  }
  const rfc = RFC3339_FORM.exec(value);
  if (rfc) {
    const [, y, mo, d, h, mi, s, frac, z, sign, oh, om] = rfc;
    const hasOffset = !!(z || sign);
    const offset = sign ? (sign === '-' ? -1 : 1) * (Number(oh) * 60 + Number(om)) : 0;
    const date = buildDate([y, mo, d, h, mi, s], frac, offset);
    const isRfc3339Utc = !!z || (!!sign && offset === 0);
    if (typeof date === 'string') return { ok: false, hasOffset, isRfc3339Utc, error: date };
    return { ok: true, hasOffset, isRfc3339Utc, date };
  }
  const zoneLetter = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d+)?[Zz]$/.test(value);
  return {
    ok: false,
    hasOffset: zoneLetter,
    isRfc3339Utc: false,
    error: zoneLetter
      ? `${JSON.stringify(value)} is not a timestamp CNPG accepts: a zone letter needs the RFC 3339 "T" form, and PostgreSQL refuses "Z" anyway`
      : `${JSON.stringify(value)} is not a timestamp CNPG accepts; use ${ACCEPTED}`,
  };
}

/** The form PostgreSQL accepts at startup and CNPG passes through unchanged: `YYYY-MM-DD HH:MM:SS.ffffff+00:00`. */
export function toPostgresSafeUtc(date: Date): string {
  const pad = (n: number, width = 2) => String(n).padStart(width, '0');
  return `${date.getUTCFullYear()}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())} `
    + `${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())}.${pad(date.getUTCMilliseconds() * 1000, 6)}+00:00`;
}

/** The first CNPG whose machinery (v0.3.3) writes a UTC RFC 3339 time with `+00:00` instead of `Z`. */
const UTC_Z_SAFE_SINCE = '1.28.1';

/** Versions from which a time without a zone is read as UTC (CNPG #8937 in 1.28.1; plugin #700 in v0.10.0). */
const UTC_DEFAULT_SINCE = { cnpg: '1.28.1', plugin: '0.10.0' };

/** The `targetTime` rule: parseable (webhook `validateRecoveryTarget`), explicit, and safe for PostgreSQL. */
export function checkTargetTimes(ctx: ValidationContext): void {
  for (const e of ctx.untrusted('Cluster', CNPG_GROUP)) {
    const value = dig(e.doc, 'spec', 'bootstrap', 'recovery', 'recoveryTarget')?.targetTime;
    if (typeof value !== 'string') continue;
    const path = 'spec.bootstrap.recovery.recoveryTarget.targetTime';
    const parsed = parseTargetTime(value);
    if (!parsed.ok || !parsed.date) {
      ctx.error(e, path, parsed.error ?? `${show(value)} is not a valid time`, 'write it as "YYYY-MM-DD HH:MM:SS+00:00", e.g. "2025-12-27 20:43:00+00:00"');
      continue;
    }
    const full = toPostgresSafeUtc(parsed.date);
    const safe = full.replace(/\.000000\+/, '+');
    if (parsed.isRfc3339Utc && !cnpgHas(ctx, UTC_Z_SAFE_SINCE)) {
      ctx.error(e, path, `${show(value)} reaches PostgreSQL as ${show(full.replace(/\+00:00$/, 'Z'))} (CNPG ${ctx.options.versions.cnpg} rewrites RFC 3339 times), and PostgreSQL refuses to start the restore with a "Z" zone (CNPG issue #10819; fixed in ${UTC_Z_SAFE_SINCE})`,
        `write the same instant as ${show(safe)}, or use CNPG ${UTC_Z_SAFE_SINCE} or later`);
    } else if (!parsed.hasOffset) {
      const old = compareVersions(ctx.options.versions.cnpg, UTC_DEFAULT_SINCE.cnpg) < 0 || compareVersions(ctx.options.versions['plugin-barman-cloud'], UTC_DEFAULT_SINCE.plugin) < 0;
      ctx.warning(e, path, `${show(value)} has no time zone and is taken as UTC${old ? ` only from CNPG ${UTC_DEFAULT_SINCE.cnpg} and plugin ${UTC_DEFAULT_SINCE.plugin} (older versions may read it in the pod's zone)` : ''}`,
        `write the offset explicitly, e.g. ${show(safe)}`);
    }
  }
}
