import { IConstruct } from 'constructs';
import { oneLine, showValue } from './text';

export { oneLine } from './text';

/**
 * The one format for every prop error:
 * `[<construct path>] <prop>: <what is wrong>, got <JSON value>; <fix, with a valid example>`.
 */
export function formatPropError(path: string, prop: string, problem: string, value: unknown, fix: string): string {
  return oneLine(`[${path}] ${formatProblem(prop, problem, value, fix)}`);
}

/**
 * An argument JavaScript callers left out or passed as the wrong kind (TypeScript would have refused it), in the
 * same shape, named by the API called: `[ObjectStorage.s3] options: is required; pass { bucket, credentials }`.
 */
export function argumentError(api: string, arg: string, value: unknown, expected: string, fix: string): Error {
  return new Error(formatPropError(api, arg, value === undefined || value === null ? 'is required' : `must be ${expected}`, value ?? undefined, fix));
}

/** Whether a value is a plain options object (what a JavaScript caller may have left out). */
export function isOptionsObject(value: unknown): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The same without the path, for `node.addValidation` (cdk8s puts `[<construct path>] ` in front). A missing value
 * is said by the problem ("is required"): no `got undefined`.
 */
export function formatProblem(prop: string, problem: string, value: unknown, fix: string): string {
  return oneLine(`${prop}: ${problem}${value === undefined ? '' : `, got ${show(value)}`}; ${fix}`);
}

/**
 * JSON for values (so empty strings and whitespace are visible), control characters escaped, long values cut;
 * `undefined` spelled out.
 */
export function show(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (value instanceof Date) return isNaN(value.getTime()) ? 'Invalid Date' : JSON.stringify(value.toISOString());
  return showValue(value);
}

/** A problem found in one prop, before the construct path is known. */
export interface PropProblem {
  readonly prop: string;
  readonly problem: string;
  readonly value: unknown;
  readonly fix: string;
}

/**
 * Collects the prop errors of one construct. `report()` hands them to synth, which lists them with every other
 * construct's errors and findings in one message (cdk8s's validation: `[<construct path>] <prop>: …`); the
 * construct then renders nothing, so no object is written half-made and nothing downstream reads it.
 */
export class PropErrors {
  private readonly problems: PropProblem[] = [];
  private reported = false;

  constructor(private readonly scope: IConstruct) {}

  public add(prop: string, problem: string, value: unknown, fix: string): void {
    this.problems.push({ prop, problem, value, fix });
  }

  public addProblem(p: PropProblem | undefined): void {
    if (p) this.problems.push(p);
  }

  public get count(): number {
    return this.problems.length;
  }

  /**
   * When there are problems: reports them at synth, marks the construct as not rendered, and returns true (the
   * constructor then returns before rendering anything).
   */
  public report(): boolean {
    if (this.problems.length === 0) return false;
    if (!this.reported) {
      this.reported = true;
      const problems = this.problems;
      this.scope.node.addValidation({ validate: () => problems.map(p => formatProblem(p.prop, p.problem, p.value, p.fix)) });
      markNotRendered(this.scope);
    }
    return true;
  }
}

/** Constructs whose props had errors and that rendered nothing (weakly held: it dies with the app). */
const notRendered = new WeakSet<IConstruct>();

/** Marks a construct as not rendered: its own props are wrong, or what it is built from is not rendered. */
export function markNotRendered(scope: IConstruct): void {
  notRendered.add(scope);
}

/**
 * Whether a construct rendered nothing because of prop errors (reported at synth). A construct built from it
 * renders nothing either, without a message of its own: the first error says what to fix.
 */
export function isNotRendered(scope: unknown): boolean {
  return typeof scope === 'object' && scope !== null && notRendered.has(scope as IConstruct);
}

/** When `from` rendered nothing, marks `scope` (built from it) as not rendered too and returns true. */
export function builtFromNotRendered(scope: IConstruct, from: unknown): boolean {
  if (!isNotRendered(from)) return false;
  markNotRendered(scope);
  return true;
}
