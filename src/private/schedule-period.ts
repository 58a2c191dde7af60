/**
 * The period of a cron schedule: the longest gap between two consecutive runs, which is what an alert on "no
 * backup for too long" must tolerate. Reads the expression as robfig/cron does (CNPG: v1.2.0 `cron.Parse`, six
 * fields seconds first; Kubernetes CronJob: v3 `ParseStandard`, five fields): fields are sets of values, the day
 * matches when day of month AND day of week match if either is `*`, else when either matches
 * (`dayMatches` in robfig/cron spec.go), everything in UTC. Validity is judged by the shared parser
 * (`validation/schedule.ts`); this module only measures.
 */
import { parseSchedule } from '../validation/schedule';

const DAY = 86400;

/** The equivalent six-field expression of robfig/cron's descriptors (parser.go `parseDescriptor`). */
const DESCRIPTORS: Readonly<Record<string, string>> = {
  '@yearly': '0 0 0 1 1 *',
  '@annually': '0 0 0 1 1 *',
  '@monthly': '0 0 0 1 * *',
  '@weekly': '0 0 0 * * 0',
  '@daily': '0 0 0 * * *',
  '@midnight': '0 0 0 * * *',
  '@hourly': '0 0 * * * *',
};

interface Bounds {
  readonly min: number;
  readonly max: number;
  readonly names?: string[];
}

const BOUNDS: Bounds[] = [
  { min: 0, max: 59 }, { min: 0, max: 59 }, { min: 0, max: 23 }, { min: 1, max: 31 },
  { min: 1, max: 12, names: ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'] },
  { min: 0, max: 6, names: ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'] },
];

/** Go `time.ParseDuration` units in seconds. */
const GO_UNITS: Readonly<Record<string, number>> = { ns: 1e-9, us: 1e-6, µs: 1e-6, ms: 1e-3, s: 1, m: 60, h: 3600 };

/**
 * The longest gap in seconds between two consecutive runs of a valid CNPG (six-field) schedule, or undefined
 * when the schedule is not valid.
 */
export function cnpgSchedulePeriodSeconds(expression: string): number | undefined {
  if (!parseSchedule(expression).ok) return undefined;
  const trimmed = expression.trim();
  const every = /^@every\s+(\S+)$/.exec(trimmed);
  if (every) return everyPeriod(every[1]);
  return periodOfFields(DESCRIPTORS[trimmed] ?? trimmed);
}

/**
 * The longest gap in seconds between two runs of a five-field Kubernetes CronJob schedule (minute first), or
 * undefined when it is not one. Kubernetes accepts the same descriptors.
 */
export function cronJobSchedulePeriodSeconds(expression: string): number | undefined {
  const trimmed = expression.trim();
  if (trimmed.startsWith('@')) return cnpgSchedulePeriodSeconds(trimmed);
  const fields = trimmed.split(/\s+/);
  if (fields.length !== 5) return undefined;
  return cnpgSchedulePeriodSeconds(`0 ${fields.join(' ')}`);
}

/** robfig/cron `Every`: rounded down to whole seconds, at least one second. */
function everyPeriod(duration: string): number {
  let total = 0;
  for (const m of duration.matchAll(/([0-9]*\.?[0-9]+)(ns|us|µs|ms|s|m|h)/g)) total += Number(m[1]) * GO_UNITS[m[2]];
  return Math.max(1, Math.floor(total));
}

/** Expands one field to its set of values (the syntax was checked by the shared parser). */
function expand(text: string, { min, max, names }: Bounds): Set<number> {
  const out = new Set<number>();
  const num = (s: string) => {
    const byName = names?.indexOf(s.toUpperCase()) ?? -1;
    return byName >= 0 ? byName + min : Number(s);
  };
  for (const part of text.split(',')) {
    const [range, stepText] = part.split('/');
    let lo: number;
    let hi: number;
    if (range === '*' || range === '?') {
      [lo, hi] = [min, max];
    } else {
      const [a, b] = range.split('-');
      lo = num(a);
      // robfig: "N/step" runs from N to the field's maximum.
      hi = b !== undefined ? num(b) : stepText !== undefined ? max : lo;
    }
    const step = stepText !== undefined ? Number(stepText) : 1;
    for (let v = lo; v <= hi; v += step) out.add(v);
  }
  return out;
}

/** The longest gap of a six-field expression, measured over 8 years from 2024 (covers leap days and weekdays). */
function periodOfFields(sixFields: string): number | undefined {
  const f = sixFields.trim().split(/\s+/);
  const sets = f.map((text, i) => expand(text, BOUNDS[i]));
  const [seconds, minutes, hours, dom, month, dow] = sets;
  // Day of week 7 is not accepted by robfig v1 (range 0-6), so no folding is needed.
  const domStar = f[3].startsWith('*') || f[3].startsWith('?');
  const dowStar = f[5].startsWith('*') || f[5].startsWith('?');

  // The runs within one day, as seconds of the day, in order; every matching day has the same ones.
  const times: number[] = [];
  for (const h of [...hours].sort((a, b) => a - b)) {
    for (const m of [...minutes].sort((a, b) => a - b)) {
      for (const s of [...seconds].sort((a, b) => a - b)) times.push(h * 3600 + m * 60 + s);
    }
  }
  if (times.length === 0) return undefined;
  let gap = 0;
  for (let i = 1; i < times.length; i++) gap = Math.max(gap, times[i] - times[i - 1]);

  const start = Date.UTC(2024, 0, 1) / 1000 / DAY;
  const days = 8 * 366;
  let previous: number | undefined;
  for (let d = start; d < start + days; d++) {
    const date = new Date(d * DAY * 1000);
    if (!month.has(date.getUTCMonth() + 1)) continue;
    const domMatch = dom.has(date.getUTCDate());
    const dowMatch = dow.has(date.getUTCDay());
    if (!(domStar || dowStar ? domMatch && dowMatch : domMatch || dowMatch)) continue;
    if (previous !== undefined) gap = Math.max(gap, (d - previous) * DAY + times[0] - times[times.length - 1]);
    previous = d;
  }
  // A day that never exists (e.g. February 30) never runs: robfig searches five years and gives up.
  return previous === undefined ? undefined : gap;
}
