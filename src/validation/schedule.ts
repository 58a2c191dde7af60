/**
 * CNPG schedules: robfig/cron v1.2.0 `cron.Parse` ([O] go.mod; ScheduledBackup webhook
 * internal/webhook/v1/scheduledbackup_webhook.go), i.e. `Second | Minute | Hour | Dom | Month | DowOptional |
 * Descriptor`. Six fields, seconds first. A five-field schedule parses (the day of week is optional) but shifts
 * every field by one: `"0 0 * * *"` runs every hour, not daily, so we reject it.
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

const FIELDS: readonly FieldSpec[] = [
  { name: 'second', min: 0, max: 59 },
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'] },
  { name: 'day of week', min: 0, max: 6, names: ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'] },
];

const DESCRIPTORS: Readonly<Record<string, string>> = {
  '@yearly': 'once a year, at midnight of January 1st (UTC)',
  '@annually': 'once a year, at midnight of January 1st (UTC)',
  '@monthly': 'once a month, at midnight of the first day (UTC)',
  '@weekly': 'once a week, at midnight between Saturday and Sunday (UTC)',
  '@daily': 'once a day, at midnight (UTC)',
  '@midnight': 'once a day, at midnight (UTC)',
  '@hourly': 'every hour, at minute 0',
};

// Go time.ParseDuration: a sequence of decimal numbers with units.
const GO_DURATION = /^([0-9]*\.?[0-9]+(ns|us|µs|ms|s|m|h))+$/;

function value(field: FieldSpec, text: string): number | string {
  const upper = text.toUpperCase();
  const byName = field.names?.indexOf(upper) ?? -1;
  if (byName >= 0) return byName + field.min;
  if (!/^\d+$/.test(text)) return `${JSON.stringify(text)} is not a number${field.names ? ' or a name' : ''}`;
  const n = Number(text);
  if (n < field.min || n > field.max) return `${n} is out of range ${field.min}-${field.max}`;
  return n;
}

/** Checks one field as robfig/cron `getRange` does: `*`, `?`, lists, ranges and steps. */
function checkField(field: FieldSpec, text: string): string | undefined {
  for (const part of text.split(',')) {
    const [range, step, extra] = part.split('/');
    if (extra !== undefined) return `${JSON.stringify(part)} has more than one "/"`;
    if (step !== undefined && (!/^\d+$/.test(step) || Number(step) === 0)) return `step ${JSON.stringify(step)} must be a positive number`;
    if (range === '*' || range === '?') continue;
    const bounds = range.split('-');
    if (bounds.length > 2 || bounds.some(b => b === '')) return `${JSON.stringify(range)} is not a value or a range`;
    const values = bounds.map(b => value(field, b));
    const bad = values.find(v => typeof v === 'string');
    if (bad !== undefined) return String(bad);
    if (values.length === 2 && (values[0] as number) > (values[1] as number)) return `range ${JSON.stringify(range)} runs backwards`;
  }
  return undefined;
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
    return 'an invalid schedule';
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
  const trimmed = expr.trim();
  if (trimmed.startsWith('@')) {
    if (DESCRIPTORS[trimmed]) return { ok: true, description: DESCRIPTORS[trimmed] };
    const every = /^@every\s+(\S+)$/.exec(trimmed);
    if (every && GO_DURATION.test(every[1])) return { ok: true, description: `every ${every[1]}` };
    return { ok: false, error: `unknown descriptor ${JSON.stringify(trimmed)}`, description: 'an invalid schedule' };
  }
  const fields = trimmed.split(/\s+/).filter(f => f);
  if (fields.length === 5) {
    // robfig/cron reads five fields as second..month (the day of week is optional).
    for (let i = 0; i < 5; i++) {
      const problem = checkField(FIELDS[i], fields[i]);
      if (problem) {
        return { ok: false, error: `has 5 fields, and CNPG refuses it: it reads six fields, seconds first, so "${fields[i]}" is the ${FIELDS[i].name} field, where ${problem}`, description: 'an invalid schedule' };
      }
    }
    const words = inWords(`${trimmed} *`);
    return { ok: false, error: `has 5 fields but CNPG reads 6, seconds first: it would run ${words} (CNPG accepts it with only a warning; refused here on purpose)`, description: words };
  }
  if (fields.length !== 6) {
    return { ok: false, error: `has ${fields.length} fields, CNPG needs 6 (second minute hour day-of-month month day-of-week)`, description: 'an invalid schedule' };
  }
  for (let i = 0; i < 6; i++) {
    const problem = checkField(FIELDS[i], fields[i]);
    if (problem) return { ok: false, error: `${FIELDS[i].name} field: ${problem}`, description: 'an invalid schedule' };
  }
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
