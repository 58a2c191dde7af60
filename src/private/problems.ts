import { PropProblem } from './errors';

/** Adds a problem to a list when there is one. */
export function push(list: PropProblem[], p: PropProblem | undefined): void {
  if (p) list.push(p);
}

/** Reports credentials JavaScript callers left out or made by hand; true when they are usable. */
export function credentialsProblem(problems: PropProblem[], prop: string, ok: boolean, value: unknown, kind: string, example: string): boolean {
  if (ok) return true;
  // Another kind's instance is named by its class, not by its private fields.
  const shown = typeof value === 'object' && value !== null && value.constructor !== Object ? value.constructor.name : value;
  problems.push({ prop, problem: value === undefined ? 'is required' : `must be made by ${kind}'s factories`, value: shown, fix: `use e.g. ${example}` });
  return false;
}

/** Checks a prefix inside a bucket or container: no whitespace, no `.`/`..` or empty segments. */
export function pathProblem(prop: string, path: string | undefined): PropProblem | undefined {
  if (path === undefined) return undefined;
  if (/\s/.test(path) || path.split('/').some(seg => seg === '..' || seg === '.') || /\/\//.test(path.replace(/^\/+|\/+$/g, ''))) {
    return { prop: `${prop}.path`, problem: 'must be a plain prefix without whitespace, "." or ".." segments or empty segments', value: path, fix: 'use e.g. "postgres"' };
  }
  return undefined;
}
