import { clip, oneLine, showValue } from '../private/text';

/** How bad a finding is: errors fail synth and the CLI; warnings are shown and let it pass. */
export type Severity = 'error' | 'warning';

/** One problem with one object of the set. */
export interface Finding {
  readonly severity: Severity;
  readonly kind: string;
  readonly namespace?: string;
  readonly name?: string;
  /** Field path like `spec.bootstrap.recovery.recoveryTarget.targetTime` (`''` for the object itself). */
  readonly path: string;
  /** What is wrong: lower-case, values JSON.stringify'd. */
  readonly message: string;
  /** How to fix it, with a valid example. */
  readonly fix: string;
  /** Index into the input array. */
  readonly docIndex: number;
}

/**
 * Renders a finding on one line: `FILE: Kind namespace/name: field.path: what is wrong — how to fix`.
 * Warnings carry `warning: ` after the file so that a reader (or grep) can tell them from errors.
 */
export function formatFinding(f: Finding, file?: string): string {
  const where = clip(f.namespace ? `${f.namespace}/${f.name ?? '<unnamed>'}` : (f.name ?? '<unnamed>'));
  const parts = [
    file ? `${clip(file)}: ` : '',
    f.severity === 'warning' ? 'warning: ' : '',
    `${clip(f.kind || '<no kind>')} ${where}: `,
    f.path ? `${clip(f.path)}: ` : '',
    f.message,
    f.fix ? ` — ${f.fix}` : '',
  ];
  // Names and values come from the input: escaped so that no object can break the line or forge another.
  return oneLine(parts.join(''));
}

/**
 * Renders a value the way messages show values: JSON, so that empty strings and whitespace are visible; cut to a
 * few hundred characters with the full length said.
 */
export function show(value: unknown): string {
  return showValue(value);
}

/** Path segments by key: field names repeat across every object of a set. */
const segments = new Map<string, string>();

function segmentOf(key: string): string {
  let segment = segments.get(key);
  if (segment === undefined) {
    segment = /^[A-Za-z_$][\w$-]*$/.test(key) ? key : `[${JSON.stringify(key)}]`;
    if (segments.size >= 10_000) segments.clear();
    segments.set(key, segment);
  }
  return segment;
}

/** Appends a key to a field path, quoting keys that are not plain identifiers (annotation keys, `a.b`). */
export function joinPath(base: string, key: string | number): string {
  if (typeof key === 'number') return `${base}[${key}]`;
  const segment = segmentOf(key);
  if (!base) return segment;
  return segment.startsWith('[') ? `${base}${segment}` : `${base}.${segment}`;
}
