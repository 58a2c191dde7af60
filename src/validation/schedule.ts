/**
 * CNPG schedules: robfig/cron v1.2.0 `cron.Parse` ([O] go.mod; ScheduledBackup webhook
 * internal/webhook/v1/scheduledbackup_webhook.go), i.e. `Second | Minute | Hour | Dom | Month | DowOptional |
 * Descriptor`. Six fields, seconds first. A five-field schedule parses (the day of week is optional) but shifts
 * every field by one: `"0 0 * * *"` runs every hour, not daily, so we reject it.
 *
 * [R] is robfig/cron at tag v1.2.0 (parser.go, spec.go, constantdelay.go), which CNPG 1.28.0 to 1.30.0 all pin.
 */
import { CNPG_GROUP, dig, ValidationContext } from './context';
import { show } from './finding';

export interface ParsedSchedule {
  readonly ok: boolean;
  readonly error?: string;
  /** What the schedule means, in words (for messages). */
  readonly description: string;
}

interface FieldSpec {
  readonly name: string;
  readonly min: number;
  readonly max: number;
  readonly names?: readonly string[];
}

// [R] spec.go `bounds`: seconds, minutes, hours, dom, months and dow (0-6, Sunday first; 7 is refused).
const FIELDS: readonly FieldSpec[] = [
  { name: 'second', min: 0, max: 59 },
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'] },
  { name: 'day of week', min: 0, max: 6, names: ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] },
];

/** [R] parser.go `parseDescriptor`: the whole spec must equal one of these (no surrounding spaces). */
const DESCRIPTORS: Readonly<Record<string, { readonly words: string; readonly fields: string }>> = {
  '@yearly': { words: 'once a year, at midnight of January 1st (UTC)', fields: '0 0 0 1 1 *' },
  '@annually': { words: 'once a year, at midnight of January 1st (UTC)', fields: '0 0 0 1 1 *' },
  '@monthly': { words: 'once a month, at midnight of the first day (UTC)', fields: '0 0 0 1 * *' },
  '@weekly': { words: 'once a week, at midnight between Saturday and Sunday (UTC)', fields: '0 0 0 * * 0' },
  '@daily': { words: 'once a day, at midnight (UTC)', fields: '0 0 0 * * *' },
  '@midnight': { words: 'once a day, at midnight (UTC)', fields: '0 0 0 * * *' },
  '@hourly': { words: 'every hour, at minute 0', fields: '0 0 * * * *' },
};

/** Go's `strings.Fields` separators: `unicode.IsSpace` (JavaScript's `\s` also takes U+FEFF and not U+0085). */
const GO_SPACES = /[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+/;

/** Nanoseconds per unit of Go's `time.ParseDuration` (both micro signs: U+00B5 and U+03BC). */
const DURATION_UNITS: Readonly<Record<string, bigint>> = {
  ns: 1n, us: 1_000n, µs: 1_000n, μs: 1_000n, ms: 1_000_000n, s: 1_000_000_000n, m: 60_000_000_000n, h: 3_600_000_000_000n,
};
const MAX_INT64 = 2n ** 63n - 1n;

/**
 * Go's `time.ParseDuration`: an optional sign, then numbers (digits, an optional fraction) each with a unit; `0`
 * alone needs none. Nanoseconds, or undefined when Go refuses it (a space anywhere, an unknown unit, overflow).
 */
export function parseGoDuration(text: string): bigint | undefined {
  let rest = text;
  const negative = rest.startsWith('-');
  if (negative || rest.startsWith('+')) rest = rest.slice(1);
  if (rest === '0') return 0n;
  if (rest === '') return undefined;
  let total = 0n;
  while (rest !== '') {
    const m = /^(\d*)(?:\.(\d*))?([^\d.]*)/.exec(rest)!;
    const [whole, int, frac, unit] = m;
    if (int === '' && (frac ?? '') === '') return undefined;
    // Own keys only: a unit such as "constructor" must not reach Object.prototype.
    if (!Object.hasOwn(DURATION_UNITS, unit)) return undefined;
    const scale = DURATION_UNITS[unit];
    const intValue = BigInt(int || '0');
    if (intValue > 2n ** 63n / scale) return undefined;
    // Go adds the fraction in float64 and truncates; digits past int64 precision are dropped.
    const fraction = frac ? BigInt(Math.trunc(Number(`0.${frac}`) * Number(scale))) : 0n;
    total += intValue * scale + fraction;
    if (total > 2n ** 63n) return undefined;
    rest = rest.slice(whole.length);
  }
  if (!negative && total > MAX_INT64) return undefined;
  return negative ? -total : total;
}

/** A field as robfig/cron holds it: the values it allows, and whether it was written with `*` or `?`. */
interface FieldValues {
  readonly values: readonly boolean[];
  readonly star: boolean;
}

/** A number as Go `strconv.Atoi` reads it (an optional sign, decimal digits), refused when negative or past int64. */
function atoi(text: string, field?: FieldSpec): number | string {
  if (!/^[+-]?\d+$/.test(text)) return `${JSON.stringify(text)} is not a number${field?.names ? ' or a name' : ''}`;
  const n = BigInt(text);
  if (n < 0n) return `${JSON.stringify(text)} is negative`;
  if (n > MAX_INT64) return `${JSON.stringify(text)} is too large`;
  return Number(n);
}

/** [R] parser.go `parseIntOrName`: a name (any case: Go lower-cases it) where the field has names, else a number. */
function intOrName(field: FieldSpec, text: string): number | string {
  const byName = field.names?.indexOf(text.toLowerCase()) ?? -1;
  if (byName >= 0) return byName + field.min;
  return atoi(text, field);
}

/**
 * [R] parser.go `getField`/`getRange`: a comma-separated list (empty items skipped) of `*`, `?`, `N`, `N-M`, each
 * with an optional `/step`; `N/step` runs from N to the field's maximum; after `*` or `?` anything up to the `/`
 * is ignored, as robfig does.
 */
function readField(field: FieldSpec, text: string): FieldValues | string {
  const values: boolean[] = new Array(field.max + 1).fill(false);
  let star = false;
  for (const part of text.split(',').filter(p => p !== '')) {
    const rangeAndStep = part.split('/');
    const lowAndHigh = rangeAndStep[0].split('-');
    let start: number | string;
    let end: number | string;
    if (lowAndHigh[0] === '*' || lowAndHigh[0] === '?') {
      [start, end, star] = [field.min, field.max, true];
    } else {
      if (lowAndHigh.length > 2) return `${JSON.stringify(part)} has more than one "-"`;
      start = intOrName(field, lowAndHigh[0]);
      if (typeof start === 'string') return start;
      end = lowAndHigh.length === 2 ? intOrName(field, lowAndHigh[1]) : start;
      if (typeof end === 'string') return end;
    }
    if (rangeAndStep.length > 2) return `${JSON.stringify(part)} has more than one "/"`;
    const outside = [start, end].find(v => v < field.min || v > field.max);
    if (outside !== undefined) return `${outside} is out of range ${field.min}-${field.max}`;
    if (start > end) return `range ${JSON.stringify(rangeAndStep[0])} runs backwards`;
    let step = 1;
    if (rangeAndStep.length === 2) {
      const parsedStep = atoi(rangeAndStep[1]);
      if (typeof parsedStep === 'string' || parsedStep === 0) return `step ${JSON.stringify(rangeAndStep[1])} must be a positive number`;
      step = parsedStep;
      if (lowAndHigh.length === 1) end = field.max;
    }
    for (let v = start; v <= end; v += step) values[v] = true;
  }
  return { values, star };
}

/** A schedule as robfig/cron v1.2.0 reads it: fixed-delay (`@every`) or the six fields. */
type Reading =
  | { readonly kind: 'every'; readonly seconds: number }
  | { readonly kind: 'spec'; readonly fields: readonly FieldValues[] }
  | { readonly kind: 'error'; readonly error: string };

/** Reads the six fields of a spec (five-field specs are refused by the caller). */
function readSpec(fields: readonly string[]): Reading {
  const values: FieldValues[] = [];
  for (let i = 0; i < 6; i++) {
    const f = readField(FIELDS[i], fields[i]);
    if (typeof f === 'string') return { kind: 'error', error: `${FIELDS[i].name} field: ${f}` };
    values.push(f);
  }
  return { kind: 'spec', fields: values };
}

/** [R] parser.go `Parse`: a descriptor when the spec's first character is `@`, else fields split on spaces. */
function readSchedule(expr: string): Reading {
  if (expr.startsWith('@')) {
    const descriptor = DESCRIPTORS[expr];
    if (descriptor) return readSpec(descriptor.fields.split(' '));
    if (expr.startsWith('@every ')) {
      const ns = parseGoDuration(expr.slice('@every '.length));
      if (ns === undefined) return { kind: 'error', error: `${JSON.stringify(expr.slice('@every '.length))} is not a Go duration (e.g. "24h", "1h30m"; no spaces)` };
      // [R] constantdelay.go `Every`: less than a second runs every second; sub-second parts are dropped.
      return { kind: 'every', seconds: Math.max(1, Number(ns / 1_000_000_000n)) };
    }
    return { kind: 'error', error: `unknown descriptor ${JSON.stringify(expr)} (CNPG knows @yearly, @annually, @monthly, @weekly, @daily, @midnight, @hourly and "@every <duration>", exactly)` };
  }
  const fields = expr.split(GO_SPACES).filter(f => f !== '');
  if (fields.length !== 6) return { kind: 'error', error: `has ${fields.length} fields, CNPG needs 6 (second minute hour day-of-month month day-of-week)` };
  return readSpec(fields);
}

const SECONDS_PER_DAY = 86400;
const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function isLeapYear(year: number): boolean {
  return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
}

/** The Gregorian calendar repeats, weekdays included, every 400 years. */
const DAYS_PER_CYCLE = 146097;

/**
 * The days of a 400-year cycle (day 0 = 2000-01-01, a Saturday) on which a spec runs, with robfig's day rule
 * ([R] spec.go `dayMatches`): day of month and day of week must both match when either was written with `*` or
 * `?`, and either may match otherwise. Stops after `limit` days.
 */
function runDays(fields: readonly FieldValues[], limit: number): number[] {
  const [, , , dom, month, dow] = fields;
  const days: number[] = [];
  let index = 0;
  for (let year = 2000; year < 2400 && days.length < limit; year++) {
    for (let m = 1; m <= 12; m++) {
      const length = m === 2 ? (isLeapYear(year) ? 29 : 28) : MONTH_DAYS[m - 1];
      if (month.values[m]) {
        for (let d = 1; d <= length; d++) {
          const domMatch = dom.values[d];
          const dowMatch = dow.values[(index + d - 1 + 6) % 7];
          if (dom.star || dow.star ? domMatch && dowMatch : domMatch || dowMatch) days.push(index + d - 1);
        }
      }
      index += length;
    }
  }
  return days;
}

/** The seconds of a day at which a spec runs, ascending. */
function runSecondsOfDay(fields: readonly FieldValues[]): number[] {
  const [second, minute, hour] = fields;
  const times: number[] = [];
  for (let h = 0; h < 24; h++) {
    if (!hour.values[h]) continue;
    for (let m = 0; m < 60; m++) {
      if (!minute.values[m]) continue;
      for (let s = 0; s < 60; s++) if (second.values[s]) times.push(h * 3600 + m * 60 + s);
    }
  }
  return times;
}

/** The largest difference between consecutive items of an ascending list (0 for one item). */
function largestStep(sorted: readonly number[]): number {
  let step = 0;
  for (let i = 1; i < sorted.length; i++) step = Math.max(step, sorted[i] - sorted[i - 1]);
  return step;
}

/**
 * The longest time, in seconds, between two consecutive runs of a CNPG schedule (robfig/cron v1.2.0, UTC), over
 * the whole 400-year calendar cycle: `@monthly` gives 31 days, `0 0 0 29 2 *` eight years (2096 to 2104). Undefined
 * when the schedule is invalid or never runs (e.g. `0 0 0 30 2 *`). For alert thresholds and retention guards.
 */
export function longestIntervalSeconds(expr: string): number | undefined {
  const reading = readSchedule(expr);
  if (reading.kind === 'every') return reading.seconds;
  if (reading.kind === 'error') return undefined;
  const times = runSecondsOfDay(reading.fields);
  const days = runDays(reading.fields, DAYS_PER_CYCLE);
  if (times.length === 0 || days.length === 0) return undefined;
  // Between run days, the cycle wrapping around: from the last run of one day to the first of the next.
  const daysApart = Math.max(largestStep(days), days[0] + DAYS_PER_CYCLE - days[days.length - 1]);
  return Math.max(largestStep(times), daysApart * SECONDS_PER_DAY - (times[times.length - 1] - times[0]));
}

type Cronstrue = typeof import('cronstrue').default;
/** cronstrue, loaded when a description is first read (most schedules are valid and never described). */
let cronstrue: Cronstrue | undefined;

/** Describes a six-field schedule in words (cronstrue reads seconds first when given six fields). */
function inWords(sixFields: string): string {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  cronstrue ??= (require('cronstrue') as { default: Cronstrue }).default;
  try {
    return cronstrue.toString(sixFields, { use24HourTimeFormat: true }).replace(/^\w/, c => c.toLowerCase()) + ' (UTC)';
  } catch {
    // cronstrue does not read every form robfig accepts (e.g. "+5"): say the schedule itself.
    return `as the schedule ${JSON.stringify(sixFields)} says (UTC)`;
  }
}

/** A result whose description is computed (by cronstrue) when first read, then kept. */
function described(ok: boolean, error: string | undefined, sixFields: string): ParsedSchedule {
  let description: string | undefined;
  return Object.freeze({
    ok,
    ...(error !== undefined ? { error } : {}),
    get description(): string {
      description ??= inWords(sixFields);
      return description;
    },
  });
}

/** Results by expression: a set of many ScheduledBackups usually repeats a handful of schedules. */
const parsedSchedules = new Map<string, ParsedSchedule>();
const MAX_MEMOISED_SCHEDULES = 10_000;

/** Parses a schedule as CNPG does and describes it; five-field schedules are rejected (see above). */
export function parseSchedule(expr: string): ParsedSchedule {
  let parsed = parsedSchedules.get(expr);
  if (!parsed) {
    parsed = parseUncached(expr);
    if (parsedSchedules.size >= MAX_MEMOISED_SCHEDULES) parsedSchedules.clear();
    parsedSchedules.set(expr, parsed);
  }
  return parsed;
}

function parseUncached(expr: string): ParsedSchedule {
  const fields = expr.split(GO_SPACES).filter(f => f !== '');
  if (!expr.startsWith('@') && fields.length === 5) {
    // [R] parser.go: five fields are second..month (the day of week is optional), so CNPG may refuse them outright.
    const asRead = readSpec([...fields, '*']);
    if (asRead.kind === 'error') {
      return { ok: false, error: `has 5 fields, and CNPG refuses it: it reads six fields, seconds first, so its ${asRead.error}`, description: 'an invalid schedule' };
    }
    const words = inWords(`${fields.join(' ')} *`);
    return { ok: false, error: `has 5 fields but CNPG reads 6, seconds first: it would run ${words} (CNPG accepts it with only a warning; refused here on purpose)`, description: words };
  }
  const reading = readSchedule(expr);
  if (reading.kind === 'error') return { ok: false, error: reading.error, description: 'an invalid schedule' };
  // Stricter than CNPG on purpose: robfig accepts a schedule no date matches, and no backup ever runs.
  if (reading.kind === 'spec' && (runSecondsOfDay(reading.fields).length === 0 || runDays(reading.fields, 1).length === 0)) {
    return { ok: false, error: 'matches no date (CNPG accepts it, but no backup would ever run)', description: 'never' };
  }
  if (reading.kind === 'every') return { ok: true, description: `every ${expr.slice('@every '.length)}` };
  const descriptor = DESCRIPTORS[expr];
  if (descriptor) return { ok: true, description: descriptor.words };
  return described(true, undefined, fields.join(' '));
}

/** For a five-field schedule, the six-field form most likely meant (seconds 0 prepended), in words. */
export function sixFieldSuggestion(expr: string): { readonly schedule: string; readonly description: string } | undefined {
  const fields = expr.trim().split(/\s+/).filter(f => f);
  if (fields.length !== 5) return undefined;
  const schedule = `0 ${fields.join(' ')}`;
  return { schedule, description: inWords(schedule) };
}

/** The ScheduledBackup rule: a valid six-field schedule; a warning when the first backup waits for the first tick. */
export function checkSchedules(ctx: ValidationContext): void {
  for (const e of ctx.untrusted('ScheduledBackup', CNPG_GROUP)) {
    const spec = dig(e.doc, 'spec');
    const schedule = spec?.schedule;
    if (typeof schedule !== 'string') continue;
    const parsed = parseSchedule(schedule);
    if (!parsed.ok) {
      const suggestion = sixFieldSuggestion(schedule);
      ctx.error(e, 'spec.schedule', `schedule ${show(schedule)} ${parsed.error ?? 'is invalid'}`,
        suggestion
          ? `write six fields, seconds first: ${show(suggestion.schedule)} runs ${suggestion.description}`
          : 'write six fields, seconds first, e.g. "0 0 3 * * *" (daily at 03:00 UTC)');
    } else if (spec?.immediate !== true && spec?.suspend !== true) {
      // [C] charts/cluster/templates/scheduled-backups.yaml hard-codes it: WAL archived before the first base
      // backup cannot be restored.
      ctx.warning(e, 'spec.immediate', `no base backup until the first run of the schedule (${parsed.description}): nothing can be restored until then`,
        'set immediate: true');
    }
  }
}
