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
import { CNPG_GROUP, dig, has, ValidationContext } from './context';
import { show } from './finding';
import { firstReleasesWith } from '../upstream/catalog';

export interface ParsedTargetTime {
  readonly ok: boolean;
  /** The value names its zone (`Z` or a numeric offset); without one CNPG >= 1.28.1 takes it as UTC. */
  readonly hasOffset: boolean;
  /** An RFC 3339 UTC time (`…Z`, `…z`, `…T…±00:00`): CNPG hands it to PostgreSQL with a `Z` zone. */
  readonly isRfc3339Utc: boolean;
  /** The instant, to the millisecond a `Date` holds; `postgresUtc` keeps the microseconds. */
  readonly date?: Date;
  /** The instant as PostgreSQL-safe UTC text with full microseconds: `YYYY-MM-DD HH:MM:SS.ffffff+00:00`. */
  readonly postgresUtc?: string;
  readonly error?: string;
}

// lib/pq ParseTimestamp: a space between date and time, an optional numeric offset of hours[:minutes[:seconds]].
const PQ_FORM = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:([+-])(\d{2})(?::(\d{2})(?::(\d{2}))?)?)?$/;
// RFC 3339 (Go accepts fractional seconds even when the layout has none), and the same without a zone.
const RFC3339_FORM = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:([Zz])|([+-])(\d{2}):(\d{2}))?$/;

const ACCEPTED = '"YYYY-MM-DD HH:MM:SS+00:00" (also with .ffffff, or an offset like +02:00), or RFC 3339 with a non-UTC offset';

const MICROS_PER_SECOND = 1_000_000;

function isLeapYear(year: number): boolean {
  return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
}

function daysInMonth(year: number, month: number): number {
  return month === 2 ? (isLeapYear(year) ? 29 : 28) : [31, 0, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1];
}

/**
 * Fractional seconds as whole microseconds. PostgreSQL rounds a value it reads to the nearest microsecond
 * (half to even, `rint` in datetime.c ParseFractionalSecond); Go's `.000000` layout, which CNPG uses to rewrite
 * RFC 3339 values, truncates. Either way the result is what PostgreSQL would have received from the raw string.
 */
function fractionMicros(digits: string | undefined, round: boolean): number {
  const padded = (digits ?? '').padEnd(9, '0');
  const micros = Number(padded.slice(0, 6));
  if (!round) return micros;
  const rest = padded.slice(6);
  if (rest > '500' || (rest === '500' && micros % 2 === 1)) return micros + 1;
  return micros;
}

/** Microseconds since the Unix epoch of matched date and time parts at an offset in seconds, or why they are out of range. */
function toEpochMicros(parts: readonly string[], micros: number, offsetSeconds: number): number | string {
  const [y, mo, , h, mi, s] = parts;
  const [year, month, day, hour, minute, second] = parts.map(Number);
  // PostgreSQL has no year 0 (1 BC comes before 1 AD) and refuses it.
  if (year === 0) return 'year 0000 does not exist';
  if (month < 1 || month > 12) return `month ${month} is out of range`;
  if (day < 1 || day > daysInMonth(year, month)) return `day ${day} is out of range for ${y}-${mo}`;
  if (hour > 23 || minute > 59 || second > 59) return `time ${h}:${mi}:${s} is out of range`;
  // setUTCFullYear, unlike Date.UTC, does not read years 0-99 as 1900-1999.
  const midnight = new Date(0);
  midnight.setUTCFullYear(year, month - 1, day);
  const seconds = midnight.getTime() / 1000 + hour * 3600 + minute * 60 + second - offsetSeconds;
  return seconds * MICROS_PER_SECOND + micros;
}

/** A signed offset in seconds from its sign and hours, minutes and seconds parts. */
function signedOffsetSeconds(sign: string | undefined, hours: string | undefined, minutes: string | undefined, seconds: string | undefined): number {
  if (!sign) return 0;
  const magnitude = Number(hours) * 3600 + Number(minutes ?? 0) * 60 + Number(seconds ?? 0);
  return sign === '-' ? -magnitude : magnitude;
}

function resultOf(result: number | string, hasOffset: boolean, isRfc3339Utc: boolean): ParsedTargetTime {
  if (typeof result === 'string') return { ok: false, hasOffset, isRfc3339Utc, error: result };
  return { ok: true, hasOffset, isRfc3339Utc, date: new Date(Math.floor(result / 1000)), postgresUtc: formatPostgresUtc(result) };
}

/** Parses a `targetTime` the way CNPG's webhook does, and says how it will reach PostgreSQL. */
export function parseTargetTime(value: string): ParsedTargetTime {
  const pq = PQ_FORM.exec(value);
  if (pq) {
    const [, y, mo, d, h, mi, s, frac, sign, oh, om, os] = pq;
    // CNPG passes this form to PostgreSQL unchanged: PostgreSQL rounds the fraction.
    return resultOf(toEpochMicros([y, mo, d, h, mi, s], fractionMicros(frac, true), signedOffsetSeconds(sign, oh, om, os)), !!sign, false);
  }
  const rfc = RFC3339_FORM.exec(value);
  if (rfc) {
    const [, y, mo, d, h, mi, s, frac, z, sign, oh, om] = rfc;
    const offset = signedOffsetSeconds(sign, oh, om, undefined);
    // CNPG rewrites this form with Go's `.000000` layout, which truncates the fraction.
    return resultOf(toEpochMicros([y, mo, d, h, mi, s], fractionMicros(frac, false), offset), !!(z || sign), !!z || (!!sign && offset === 0));
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

/** Microseconds since the Unix epoch in the form PostgreSQL accepts at startup: `YYYY-MM-DD HH:MM:SS.ffffff+00:00`. */
export function formatPostgresUtc(epochMicros: number): string {
  const millis = Math.floor(epochMicros / 1000);
  const date = new Date(millis);
  const pad = (n: number, width = 2) => String(n).padStart(width, '0');
  return `${pad(date.getUTCFullYear(), 4)}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())} `
    + `${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())}.`
    + `${pad(date.getUTCMilliseconds() * 1000 + (epochMicros - millis * 1000), 6)}+00:00`;
}

/**
 * A `Date` in the form PostgreSQL accepts at startup and CNPG passes through unchanged:
 * `YYYY-MM-DD HH:MM:SS.ffffff+00:00`. A `Date` holds milliseconds, so the last three digits are zero.
 */
export function toPostgresSafeUtc(date: Date): string {
  return formatPostgresUtc(date.getTime() * 1000);
}

/** The first CNPG whose machinery (v0.3.3) writes a UTC RFC 3339 time with `+00:00` instead of `Z` (catalog FEATURES). */
const UTC_Z_SAFE = 'utc-target-time';

/** From which versions a time without a zone is read as UTC (CNPG #8937 in 1.28.1; plugin #700 in v0.10.0). */
const ZONELESS_AS_UTC = 'zoneless-target-time-as-utc';

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
    const full = parsed.postgresUtc ?? toPostgresSafeUtc(parsed.date);
    const safe = full.replace(/\.000000\+/, '+');
    if (parsed.isRfc3339Utc && !has(ctx, 'cnpg', UTC_Z_SAFE)) {
      const fixed = firstReleasesWith('cnpg', UTC_Z_SAFE);
      ctx.error(e, path, `${show(value)} reaches PostgreSQL as ${show(full.replace(/\+00:00$/, 'Z'))} (CNPG ${ctx.options.versions.cnpg} rewrites RFC 3339 times), and PostgreSQL refuses to start the restore with a "Z" zone (CNPG issue #10819; fixed in ${fixed})`,
        `write the same instant as ${show(safe)}, or use CNPG ${fixed} or later`);
    } else if (!parsed.hasOffset) {
      const old = !has(ctx, 'cnpg', ZONELESS_AS_UTC) || !has(ctx, 'plugin-barman-cloud', ZONELESS_AS_UTC);
      ctx.warning(e, path, `${show(value)} has no time zone and is taken as UTC${old ? ` only from CNPG ${firstReleasesWith('cnpg', ZONELESS_AS_UTC)} and plugin ${firstReleasesWith('plugin-barman-cloud', ZONELESS_AS_UTC)} (older versions may read it in the pod's zone)` : ''}`,
        `write the offset explicitly, e.g. ${show(safe)}`);
    }
  }
}
