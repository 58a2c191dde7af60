/**
 * A small evaluator for the commonest shape of CRD rule, so that a set whose objects meet only such rules never
 * loads @bufbuild/cel (~40 ms of module loading): boolean combinations (`!`, `&&`, `||`, parentheses) of
 * `has(self.f)`, and `==` / `!=` between `self.f` and string or boolean literals. For example
 * `!has(self.icuLocale) || self.localeProvider == 'icu'`.
 *
 * It follows CEL's semantics for that subset (commutative `&&`/`||` that absorb errors, `self.f` on a missing key
 * is an error) and gives up, returning UNSUPPORTED, on anything else: a rule outside the grammar, or a value whose
 * handling it does not mirror (a field that is not a string or boolean, a `self` that is not an object). The
 * caller then evaluates with @bufbuild/cel; test/validation/cel.test.ts holds the two to the same verdicts.
 */

type Node =
  | { readonly op: 'has' | 'field'; readonly field: string }
  | { readonly op: 'lit'; readonly value: string | boolean }
  | { readonly op: 'not'; readonly arg: Node }
  | { readonly op: 'and' | 'or' | 'eq' | 'ne'; readonly left: Node; readonly right: Node };

/** The parsed form of a rule in the subset. */
export interface LiteRule {
  readonly root: Node;
  /** The fields of `self` the rule reads, sorted. */
  readonly fields: readonly string[];
}

export const UNSUPPORTED = Symbol('unsupported');
const ERROR = Symbol('error');
type Value = string | boolean | typeof ERROR;

const TOKEN = /\s*(?:(&&|\|\||==|!=|[!().])|([A-Za-z_][A-Za-z0-9_]*)|'([^'\\\n]*)'|"([^"\\\n]*)")/y;

type Token = { readonly kind: 'punct' | 'ident' | 'string'; readonly text: string };

function tokenize(rule: string): Token[] | undefined {
  const tokens: Token[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < rule.length) {
    if (/^\s*$/.test(rule.slice(TOKEN.lastIndex))) break;
    const m = TOKEN.exec(rule);
    if (!m) return undefined;
    if (m[1] !== undefined) tokens.push({ kind: 'punct', text: m[1] });
    else if (m[2] !== undefined) tokens.push({ kind: 'ident', text: m[2] });
    else tokens.push({ kind: 'string', text: m[3] ?? m[4] });
  }
  return tokens;
}

/** Parses a rule of the subset; undefined for anything else. */
export function parseLite(rule: string): LiteRule | undefined {
  const tokens = tokenize(rule);
  if (!tokens) return undefined;
  let pos = 0;
  const fields = new Set<string>();
  const peek = (text: string): boolean => pos < tokens.length && tokens[pos].kind !== 'string' && tokens[pos].text === text;
  const expect = (text: string): void => {
    if (!peek(text)) throw new Error('syntax');
    pos++;
  };
  const fieldName = (): string => {
    expect('self');
    expect('.');
    const t = tokens[pos++];
    if (!t || t.kind !== 'ident') throw new Error('syntax');
    fields.add(t.text);
    return t.text;
  };
  const primary = (): Node => {
    const t = tokens[pos];
    if (!t) throw new Error('syntax');
    let node: Node;
    if (t.kind === 'string') {
      pos++;
      node = { op: 'lit', value: t.text };
    } else if (t.text === '(') {
      pos++;
      node = or();
      expect(')');
    } else if (t.text === 'has') {
      pos++;
      expect('(');
      node = { op: 'has', field: fieldName() };
      expect(')');
    } else if (t.text === 'self') {
      node = { op: 'field', field: fieldName() };
    } else if (t.text === 'true' || t.text === 'false') {
      pos++;
      node = { op: 'lit', value: t.text === 'true' };
    } else {
      throw new Error('syntax');
    }
    // Member access, calls and indexing on a result are outside the subset.
    if (peek('.') || peek('(')) throw new Error('syntax');
    return node;
  };
  const unary = (): Node => {
    if (peek('!')) {
      pos++;
      return { op: 'not', arg: unary() };
    }
    return primary();
  };
  const relation = (): Node => {
    const left = unary();
    if (peek('==') || peek('!=')) {
      const op = tokens[pos++].text === '==' ? 'eq' : 'ne';
      const right = unary();
      if (peek('==') || peek('!=')) throw new Error('syntax');
      return { op, left, right };
    }
    return left;
  };
  const and = (): Node => {
    let left = relation();
    while (peek('&&')) {
      pos++;
      left = { op: 'and', left, right: relation() };
    }
    return left;
  };
  const or = (): Node => {
    let left = and();
    while (peek('||')) {
      pos++;
      left = { op: 'or', left, right: and() };
    }
    return left;
  };
  try {
    const root = or();
    if (pos !== tokens.length) return undefined;
    return { root, fields: [...fields].sort() };
  } catch {
    return undefined;
  }
}

class Unsupported extends Error {}

function evaluateNode(node: Node, self: Readonly<Record<string, unknown>>): Value {
  switch (node.op) {
    case 'lit':
      return node.value;
    case 'has': {
      if (!Object.prototype.hasOwnProperty.call(self, node.field)) return false;
      const v = self[node.field];
      if (typeof v !== 'string' && typeof v !== 'boolean' && !(typeof v === 'object' && v !== null)) throw new Unsupported();
      return true;
    }
    case 'field': {
      if (!Object.prototype.hasOwnProperty.call(self, node.field)) return ERROR;
      const v = self[node.field];
      if (typeof v !== 'string' && typeof v !== 'boolean') throw new Unsupported();
      return v;
    }
    case 'not': {
      const v = evaluateNode(node.arg, self);
      if (v === ERROR) return ERROR;
      if (typeof v !== 'boolean') throw new Unsupported();
      return !v;
    }
    case 'and':
    case 'or': {
      const absorbing = node.op === 'or';
      const l = evaluateNode(node.left, self);
      const r = evaluateNode(node.right, self);
      if ((l !== ERROR && typeof l !== 'boolean') || (r !== ERROR && typeof r !== 'boolean')) throw new Unsupported();
      if (l === absorbing || r === absorbing) return absorbing;
      if (l === ERROR || r === ERROR) return ERROR;
      return !absorbing;
    }
    case 'eq':
    case 'ne': {
      const l = evaluateNode(node.left, self);
      const r = evaluateNode(node.right, self);
      if (l === ERROR || r === ERROR) return ERROR;
      if (typeof l !== typeof r) throw new Unsupported();
      return (l === r) === (node.op === 'eq');
    }
  }
}

/** The rule's result on `self`: true, false, an error (any other value), or UNSUPPORTED. */
export function evaluateLite(rule: LiteRule, self: unknown): boolean | typeof ERROR | typeof UNSUPPORTED {
  if (typeof self !== 'object' || self === null || Array.isArray(self)) return UNSUPPORTED;
  try {
    const v = evaluateNode(rule.root, self as Readonly<Record<string, unknown>>);
    if (v !== ERROR && typeof v !== 'boolean') return UNSUPPORTED;
    return v;
  } catch (e) {
    if (e instanceof Unsupported) return UNSUPPORTED;
    throw e;
  }
}
