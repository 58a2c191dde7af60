/**
 * Instants with PostgreSQL's precision: microseconds since the Unix epoch, as a bigint (a JS Date keeps only
 * milliseconds, and commit times must compare to the microsecond).
 */

/** Microseconds between 1970-01-01 and PostgreSQL's epoch 2000-01-01 (`POSTGRES_EPOCH_JDATE`). */
export const POSTGRES_EPOCH_US = 946_684_800_000_000n;

const pad = (n: number | bigint, width = 2) => String(n).padStart(width, '0');

/**
 * RFC 3339 with microseconds and a numeric offset, e.g. `2025-12-27T20:43:00.123456+00:00`; `offsetMinutes`
 * east of UTC (the local zone's offset for a human report).
 */
export function formatMicros(us: bigint, offsetMinutes = 0): string {
  const shifted = us + BigInt(offsetMinutes) * 60_000_000n;
  const ms = Number(shifted / 1000n - (shifted % 1000n < 0n ? 1n : 0n));
  const micros = ((shifted % 1_000_000n) + 1_000_000n) % 1_000_000n;
  const d = new Date(ms);
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:`
    + `${pad(d.getUTCSeconds())}.${pad(micros, 6)}${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

/** The PostgreSQL form CNPG passes through unchanged: `YYYY-MM-DD HH:MM:SS.ffffff+00:00` (UTC). */
export function formatPostgresUtc(us: bigint): string {
  return formatMicros(us).replace('T', ' ');
}

// RFC 3339, or PostgreSQL's `YYYY-MM-DD HH:MM:SS[.f][±HH[:MM]]`; an offset (or Z) is required.
const TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,6}))?(?:([Zz])|([+-])(\d{2})(?::?(\d{2}))?)$/;

/** Parses a timestamp with an explicit zone into microseconds since the epoch; a string says what is wrong. */
export function parseTimestamp(text: string): bigint | string {
  const m = TIMESTAMP.exec(text.trim());
  if (!m) {
    return /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?$/.test(text.trim())
      ? 'has no time zone; add an offset, e.g. "+00:00"'
      : 'is not a timestamp; use RFC 3339 (2025-12-27T20:43:00.123456+00:00) or "2025-12-27 20:43:00+00"';
  }
  const [, y, mo, d, h, mi, s, frac, z, sign, oh, om] = m;
  const [year, month, day, hour, minute, second] = [y, mo, d, h, mi, s].map(Number);
  if (month < 1 || month > 12) return `has month ${month} out of range`;
  if (day < 1 || day > new Date(Date.UTC(year, month, 0)).getUTCDate()) return `has day ${day} out of range for ${y}-${mo}`;
  if (hour > 23 || minute > 59 || second > 59) return `has time ${h}:${mi}:${s} out of range`;
  const offset = z ? 0 : (sign === '-' ? -1 : 1) * (Number(oh) * 60 + Number(om ?? 0));
  const ms = Date.UTC(year, month - 1, day, hour, minute, second) - offset * 60_000;
  return BigInt(ms) * 1000n + BigInt((frac ?? '').padEnd(6, '0') || '0');
}

/** barman's ISO times in backup.info (`2025-12-27 20:00:05.123456+00:00`, Python `isoformat`). */
export function parseBarmanTime(text: string): bigint | undefined {
  const v = parseTimestamp(text);
  return typeof v === 'bigint' ? v : undefined;
}
