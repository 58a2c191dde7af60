import { Size, SizeRoundingBehavior } from 'cdk8s';
import type * as kplus from 'cdk8s-plus-30';
import { PropProblem } from './errors';

/** Requests and limits as Kubernetes quantities. */
export interface RenderedResources {
  readonly requests?: Record<string, string>;
  readonly limits?: Record<string, string>;
}

/** A Size as a Kubernetes quantity, in the unit it was given in (`Size.gibibytes(1)` → `1Gi`). */
export function quantityOf(size: Size): string {
  return size.asString();
}

/** Renders cdk8s-plus container resources into a Kubernetes `resources` block. */
export function renderResources(r: kplus.ContainerResources): RenderedResources {
  const requests: Record<string, string> = {};
  const limits: Record<string, string> = {};
  if (r.cpu?.request) requests.cpu = r.cpu.request.amount;
  if (r.cpu?.limit) limits.cpu = r.cpu.limit.amount;
  if (r.memory?.request) requests.memory = quantityOf(r.memory.request);
  if (r.memory?.limit) limits.memory = quantityOf(r.memory.limit);
  if (r.ephemeralStorage?.request) requests['ephemeral-storage'] = quantityOf(r.ephemeralStorage.request);
  if (r.ephemeralStorage?.limit) limits['ephemeral-storage'] = quantityOf(r.ephemeralStorage.limit);
  return {
    ...(Object.keys(requests).length ? { requests } : {}),
    ...(Object.keys(limits).length ? { limits } : {}),
  };
}

/** A size must be positive. */
export function checkSize(prop: string, size: Size | undefined, example: string): PropProblem | undefined {
  if (size === undefined) return undefined;
  let bytes: number;
  try {
    bytes = size.toKibibytes({ rounding: SizeRoundingBehavior.NONE });
  } catch {
    bytes = NaN;
  }
  if (!(bytes > 0) || !Number.isFinite(bytes)) {
    return { prop, problem: 'must be a positive size', value: safeAsString(size), fix: `use e.g. ${example}` };
  }
  return undefined;
}

function safeAsString(size: Size): string {
  try {
    return size.asString();
  } catch {
    return String(size);
  }
}

/** Memory request must not exceed the limit. */
export function checkResources(prop: string, r: kplus.ContainerResources | undefined): PropProblem[] {
  if (!r) return [];
  const problems: PropProblem[] = [];
  for (const [k, s] of Object.entries({ 'memory.request': r.memory?.request, 'memory.limit': r.memory?.limit })) {
    const p = checkSize(`${prop}.${k}`, s, 'Size.mebibytes(512)');
    if (p) problems.push(p);
  }
  const req = r.memory?.request?.toKibibytes({ rounding: SizeRoundingBehavior.NONE });
  const lim = r.memory?.limit?.toKibibytes({ rounding: SizeRoundingBehavior.NONE });
  if (req !== undefined && lim !== undefined && req > lim) {
    problems.push({ prop: `${prop}.memory`, problem: 'request is above the limit', value: { request: r.memory!.request!.asString(), limit: r.memory!.limit!.asString() }, fix: 'raise the limit or lower the request' });
  }
  for (const [k, c] of Object.entries({ 'cpu.request': r.cpu?.request, 'cpu.limit': r.cpu?.limit })) {
    if (c && !/^(\d+m|\d+(\.\d+)?)$/.test(c.amount) || (c && parseFloat(c.amount) <= 0)) {
      problems.push({ prop: `${prop}.${k}`, problem: 'must be a positive CPU amount', value: c!.amount, fix: 'use e.g. Cpu.millis(100)' });
    }
  }
  return problems;
}
