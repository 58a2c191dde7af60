/**
 * The names nearest to a misspelt one, for "did you mean" in reference messages. A set may define thousands of
 * objects of a kind and reference thousands that do not exist, so candidates are found through an index of
 * single-character deletions (every name within two edits of the query shares a key with it) instead of
 * comparing each missing name with every defined one; only those few are ranked by edit distance.
 */

/** Levenshtein distance, giving up (returning `limit + 1`) once it must exceed `limit`. */
export function editDistance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      best = Math.min(best, current[j]);
    }
    if (best > limit) return limit + 1;
    previous = current;
  }
  return previous[b.length];
}

/** Longest name indexed: Kubernetes names are at most 253 characters; longer ones are never suggested. */
const MAX_INDEXED_LENGTH = 253;

function deletions(name: string): string[] {
  const keys = [name];
  for (let i = 0; i < name.length; i++) keys.push(name.slice(0, i) + name.slice(i + 1));
  return keys;
}

/** An index of names for nearest-name queries. */
export class NameIndex {
  private readonly byKey = new Map<string, string[]>();
  /** The names, each once, in input order. */
  public readonly names: readonly string[];

  constructor(names: Iterable<string>) {
    this.names = [...new Set(names)];
    for (const name of [...this.names].sort()) {
      if (name.length > MAX_INDEXED_LENGTH) continue;
      for (const key of new Set(deletions(name))) {
        const list = this.byKey.get(key);
        if (list) list.push(name);
        else this.byKey.set(key, [name]);
      }
    }
  }

  public get size(): number {
    return this.names.length;
  }

  /** Up to `max` names within two edits of `name` (one edit for names of four characters or less), nearest first. */
  public nearest(name: string, max = 3): string[] {
    if (name.length > MAX_INDEXED_LENGTH) return [];
    const limit = name.length <= 4 ? 1 : 2;
    const candidates = new Set<string>();
    for (const key of deletions(name)) for (const n of this.byKey.get(key) ?? []) candidates.add(n);
    return [...candidates]
      .filter(n => n !== name)
      .map(n => ({ n, d: editDistance(name, n, limit) }))
      .filter(c => c.d <= limit)
      .sort((x, y) => x.d - y.d || (x.n < y.n ? -1 : 1))
      .slice(0, max)
      .map(c => c.n);
  }
}
