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
 * Collects all prop errors of one construct and throws them as one Error, so the user fixes them in one go.
 */
export class PropErrors {
  private readonly messages: string[] = [];

  constructor(private readonly scope: IConstruct) {}

  public add(prop: string, problem: string, value: unknown, fix: string): void {
    this.messages.push(formatPropError(this.scope.node.path, prop, problem, value, fix));
  }

  public addProblem(p: PropProblem | undefined): void {
    if (p) this.add(p.prop, p.problem, p.value, p.fix);
  }

  public get count(): number {
    return this.messages.length;
  }

  public throwIfAny(): void {
    if (this.messages.length === 0) return;
    throw new Error(this.messages.length === 1 ? this.messages[0] : `${this.messages.length} errors:\n  ${this.messages.join('\n  ')}`);
  }
}
