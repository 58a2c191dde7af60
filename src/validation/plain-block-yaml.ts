/**
 * The plain block YAML that most Kubernetes files are made of, read directly: block mappings and sequences, plain
 * scalars on one line, quoted scalars on one line without escapes, `[]` and `{}`, comments and `---` separators.
 *
 * It exists for speed only (the validator's throughput target): js-yaml is the reader of record, and this one must
 * give exactly js-yaml's result (with yaml-reader.ts's schema) or none. Anything outside the subset, or anything
 * js-yaml would refuse, makes it return `undefined` for the whole text: tabs, CR, control characters, anchors,
 * aliases, tags, merge keys, flow collections other than `[]`/`{}`, block scalars, multi-line scalars, escapes,
 * quoted or non-string keys, duplicate keys, directives, `...`, deep nesting. The caller then reads the text with
 * js-yaml, which decides (and words every error). test/validation/plain-block-yaml.test.ts holds the two readers
 * equal on every corpus file and on mutants of them.
 */
import { goNumber, isBoolWord, isNullWord, mayBeNumber, SPECIAL_FLOATS, TRUE_WORDS } from './yaml-scalars';

/** Thrown inside the reader when the text leaves the subset; never escapes this module. */
class NotPlain {}
const NOT_PLAIN = new NotPlain();

/** Characters that send a text to js-yaml: tab, CR and other controls, DEL, C1, line/paragraph separators, surrogates, BOM, non-characters. */
const UNUSUAL_CHARACTER = /[\x00-\x09\x0B-\x1F\x7F-\x9F\u2028\u2029\uD800-\uDFFF\uFEFF\uFFFE\uFFFF]/;
/** Lines that start with a document marker or a directive. */
const MARKER_LINE = /^(?:---|\.\.\.|%)/gm;

const SPACE = 0x20;
const LF = 0x0a;
const HASH = 0x23;
const DASH = 0x2d;
const COLON = 0x3a;
const SINGLE_QUOTE = 0x27;
const DOUBLE_QUOTE = 0x22;
const BACKSLASH = 0x5c;

/** YAML indicators that may not start a plain scalar here (`-` is decided apart): `? : , [ ] { } # & * ! | > ' " % @ \``. */
const INDICATOR = new Uint8Array(128);
for (const c of '?:,[]{}#&*!|>\'"%@`') INDICATOR[c.charCodeAt(0)] = 1;

/** First characters of the null and boolean words, and of `<<`. */
const KEYWORD_FIRST = new Uint8Array(128);
for (const c of '~nNyYtTfFoO<') KEYWORD_FIRST[c.charCodeAt(0)] = 1;

const hasOwn = Object.prototype.hasOwnProperty;

/** Slots of the key table of one text. */
const KEY_SLOTS = 4096;

/** The null or boolean a keyword of go-yaml v2 stands for (yaml-scalars.ts), `undefined` for any other text; `<<` is js-yaml's. */
function keywordValue(text: string): null | boolean | undefined {
  if (isNullWord(text)) return null;
  if (text === '<<') throw NOT_PLAIN;
  return isBoolWord(text) ? TRUE_WORDS.has(text) : undefined;
}

/** What a plain scalar means (yaml-scalars.ts); `.inf`/`.nan` are left to js-yaml. The first character decides which rules apply. */
function plainValue(text: string): unknown {
  const c = text.charCodeAt(0);
  if (c >= 0x31 && c <= 0x39 && text.length < 16) {
    // Plain decimal digits, the common number: no sign, no leading zero (octal), no `_`.
    let digits = true;
    for (let i = 1; i < text.length; i++) {
      const d = text.charCodeAt(i);
      if (d < 0x30 || d > 0x39) {
        digits = false;
        break;
      }
    }
    if (digits) return Number(text);
  }
  if (c === 0x2e /* . */ || c === 0x2b /* + */ || c === DASH || (c >= 0x30 && c <= 0x39)) {
    if (SPECIAL_FLOATS.has(text)) throw NOT_PLAIN;
    const n = mayBeNumber(text) ? goNumber(text) : undefined;
    return n === undefined ? text : n;
  }
  if (c < 0x80 && KEYWORD_FIRST[c] === 1) {
    const keyword = keywordValue(text);
    if (keyword !== undefined) return keyword;
  }
  return text;
}

/**
 * The keys read so far in one text, each kept once: a key seen before is matched in place and its string reused,
 * so the thousands of repeats of `metadata` or `name` cost no new string (nor a new entry in V8's string table).
 */
class KeyTable {
  /** Keys by a hash of their length, first and last character: most slots hold one key. */
  private readonly slots: Array<string[] | undefined> = new Array(KEY_SLOTS).fill(undefined);

  /** The key `s[at, end)`; one that would not stay a string (`on:`, `1:`, `<<`, `__proto__`) is js-yaml's. */
  get(s: string, at: number, end: number): string {
    const length = end - at;
    const slot = ((length * 31 + s.charCodeAt(at)) * 31 + s.charCodeAt(end - 1)) % KEY_SLOTS;
    const known = this.slots[slot];
    if (known !== undefined) {
      for (let i = 0; i < known.length; i++) {
        const key = known[i];
        if (key.length === length && s.startsWith(key, at)) return key;
      }
    }
    const key = s.slice(at, end);
    if (plainValue(key) !== key || key === '__proto__') throw NOT_PLAIN;
    if (known === undefined) this.slots[slot] = [key];
    else if (known.length < 8) known.push(key);
    return key;
  }
}

/** Reads one document: the text between `start` and `end` (a whole number of lines). */
class DocumentReader {
  /** Start of the line to read next. */
  private p: number;
  /** Indent of the content line at `p`, or -1 at the end of the document. */
  private ind = 0;
  /** Where a key's value starts (just after its `:`). */
  private afterColon = 0;
  private depth = 0;

  constructor(
    private readonly s: string, start: number, private readonly end: number,
    private readonly maxDepth: number, private readonly keys: KeyTable) {
    this.p = start;
  }

  /** The root node, or `undefined` when the document holds nothing but blanks and comments. */
  document(): unknown {
    if (!this.nextContent()) return undefined;
    if (this.ind !== 0) throw NOT_PLAIN;
    const value = this.node();
    if (this.ind >= 0) throw NOT_PLAIN; // content after the root node
    return value;
  }

  /** Moves `p` to the next line that is neither blank nor a comment; false at the end. */
  private nextContent(): boolean {
    const s = this.s;
    const end = this.end;
    let p = this.p;
    while (p < end) {
      let q = p;
      while (q < end && s.charCodeAt(q) === SPACE) q++;
      const c = q < end ? s.charCodeAt(q) : LF;
      if (c !== LF && c !== HASH) {
        this.p = p;
        this.ind = q - p;
        return true;
      }
      p = this.lineAfter(q);
    }
    this.p = end;
    this.ind = -1;
    return false;
  }

  /** The start of the line after the one holding `q`. */
  private lineAfter(q: number): number {
    const nl = this.s.indexOf('\n', q);
    return nl < 0 || nl >= this.end ? this.end : nl + 1;
  }

  /** `-` followed by a space or the end of the line: a sequence entry. */
  private isEntryDash(q: number): boolean {
    if (this.s.charCodeAt(q) !== DASH) return false;
    const next = q + 1 < this.end ? this.s.charCodeAt(q + 1) : LF;
    return next === SPACE || next === LF;
  }

  /** A block collection starting on the current content line, at its indent. */
  private node(): unknown {
    if (++this.depth > this.maxDepth) throw NOT_PLAIN;
    const at = this.p + this.ind;
    const value = this.isEntryDash(at) ? this.sequence(this.ind) : this.mapping(this.ind, at);
    this.depth--;
    return value;
  }

  /** The position of the `:` that ends a plain key starting at `at`, or -1 when the line holds no key. */
  private keyEnd(at: number): number {
    const s = this.s;
    const c = s.charCodeAt(at);
    if (c < 128 && INDICATOR[c] === 1) return -1;
    for (let q = at; q < this.end; q++) {
      const ch = s.charCodeAt(q);
      if (ch === LF) return -1;
      if (ch === COLON) {
        const next = q + 1 < this.end ? s.charCodeAt(q + 1) : LF;
        if (next === SPACE || next === LF) return q;
      } else if (ch === HASH && s.charCodeAt(q - 1) === SPACE) {
        return -1;
      }
    }
    return -1;
  }

  /** A block mapping whose keys sit at column `ind`; its first key starts at `at`. */
  private mapping(ind: number, at: number): Record<string, unknown> {
    const obj: Record<string, unknown> = {};
    for (;;) {
      const colon = this.keyEnd(at);
      if (colon < 0 || this.s.charCodeAt(colon - 1) === SPACE) throw NOT_PLAIN;
      const key = this.keys.get(this.s, at, colon);
      if (hasOwn.call(obj, key)) throw NOT_PLAIN;
      this.afterColon = colon + 1;
      obj[key] = this.mappingValue(ind);
      if (this.ind < ind) return obj;
      if (this.ind > ind) throw NOT_PLAIN;
      at = this.p + ind;
      if (this.isEntryDash(at)) throw NOT_PLAIN;
    }
  }

  /** The value after a key's `:`, on its line or on the lines below; leaves `p` at the next content line. */
  private mappingValue(ind: number): unknown {
    const s = this.s;
    let q = this.afterColon;
    while (q < this.end && s.charCodeAt(q) === SPACE) q++;
    const c = q < this.end ? s.charCodeAt(q) : LF;
    if (c === LF || c === HASH) {
      this.p = this.lineAfter(q);
      if (!this.nextContent()) return null;
      if (this.ind > ind) return this.node();
      // A sequence may sit at its key's own indent (`containers:` then `- name: …`).
      if (this.ind === ind && this.isEntryDash(this.p + ind)) return this.node();
      return null;
    }
    const value = this.scalar(q);
    this.nextContent();
    return value;
  }

  /** A block sequence whose dashes sit at column `ind`. */
  private sequence(ind: number): unknown[] {
    const s = this.s;
    const items: unknown[] = [];
    for (;;) {
      let q = this.p + ind + 1;
      while (q < this.end && s.charCodeAt(q) === SPACE) q++;
      const c = q < this.end ? s.charCodeAt(q) : LF;
      if (c === LF) {
        this.p = this.lineAfter(q);
        items.push(this.nextContent() && this.ind > ind ? this.node() : null);
      } else if (c === HASH || this.isEntryDash(q)) {
        throw NOT_PLAIN;
      } else if (this.keyEnd(q) >= 0) {
        // `- name: x`: a mapping whose keys sit at the column of its first key.
        if (++this.depth > this.maxDepth) throw NOT_PLAIN;
        items.push(this.mapping(q - this.p, q));
        this.depth--;
      } else {
        items.push(this.scalar(q));
        this.nextContent();
      }
      if (this.ind < ind) return items;
      if (this.ind > ind) throw NOT_PLAIN;
      // A line at this indent that is not an entry ends a sequence that sits at its key's indent.
      if (!this.isEntryDash(this.p + ind)) return items;
    }
  }

  /** A scalar that starts at `q` and ends on its line; moves `p` to the next line. */
  private scalar(q: number): unknown {
    const s = this.s;
    const c = s.charCodeAt(q);
    let value: unknown;
    let rest: number;
    if (c === DOUBLE_QUOTE) {
      let k = q + 1;
      for (; ; k++) {
        if (k >= this.end) throw NOT_PLAIN;
        const ch = s.charCodeAt(k);
        if (ch === DOUBLE_QUOTE) break;
        if (ch === BACKSLASH || ch === LF) throw NOT_PLAIN;
      }
      value = s.slice(q + 1, k);
      rest = k + 1;
    } else if (c === SINGLE_QUOTE) {
      let k = q + 1;
      let escaped = false;
      for (; ; k++) {
        if (k >= this.end) throw NOT_PLAIN;
        const ch = s.charCodeAt(k);
        if (ch === LF) throw NOT_PLAIN;
        if (ch === SINGLE_QUOTE) {
          if (k + 1 < this.end && s.charCodeAt(k + 1) === SINGLE_QUOTE) {
            escaped = true;
            k++;
          } else {
            break;
          }
        }
      }
      const text = s.slice(q + 1, k);
      value = escaped ? text.replace(/''/g, '\'') : text;
      rest = k + 1;
    } else if (c === 0x5b /* [ */ || c === 0x7b /* { */) {
      const close = c === 0x5b ? 0x5d : 0x7d;
      let k = q + 1;
      while (k < this.end && s.charCodeAt(k) === SPACE) k++;
      if (k >= this.end || s.charCodeAt(k) !== close) throw NOT_PLAIN;
      value = c === 0x5b ? [] : {};
      rest = k + 1;
    } else {
      if ((c < 128 && INDICATOR[c] === 1) || (c === DASH && this.isEntryDash(q))) throw NOT_PLAIN;
      let k = q;
      let last = q; // one past the last non-space character
      for (; k < this.end; k++) {
        const ch = s.charCodeAt(k);
        if (ch === LF) break;
        if (ch === SPACE) continue;
        if (ch === HASH && s.charCodeAt(k - 1) === SPACE) break;
        if (ch === COLON) {
          const next = k + 1 < this.end ? s.charCodeAt(k + 1) : LF;
          if (next === SPACE || next === LF) throw NOT_PLAIN;
        }
        last = k + 1;
      }
      this.p = this.lineAfter(k);
      return plainValue(s.slice(q, last));
    }
    // After a quoted scalar or `[]`/`{}`: spaces, then the end of the line or a comment (js-yaml needs no space before `#` there).
    let k = rest;
    while (k < this.end && s.charCodeAt(k) === SPACE) k++;
    if (k < this.end && s.charCodeAt(k) !== LF && s.charCodeAt(k) !== HASH) throw NOT_PLAIN;
    this.p = this.lineAfter(k);
    return value;
  }
}

/**
 * Every document of `text` when the whole text is plain block YAML, each exactly as js-yaml reads it with the
 * Kubernetes schema (an empty document as `null`); `undefined` when any part of it is not, or could exceed
 * `maxDepth` in js-yaml.
 */
export function readPlainBlockYaml(text: string, maxDepth: number): unknown[] | undefined {
  if (UNUSUAL_CHARACTER.test(text)) return undefined;
  // Document boundaries: lines that are exactly `---`. Any other marker or a directive is js-yaml's.
  const starts: number[] = [0];
  for (const m of text.matchAll(MARKER_LINE)) {
    const after = m.index! + 3;
    if (m[0] !== '---' || (after < text.length && text.charCodeAt(after) !== LF)) return undefined;
    starts.push(m.index!, after + 1);
  }
  starts.push(text.length);
  // js-yaml counts a nesting level per node, keys and scalars included: half of its bound is safely inside it.
  // Deeper than 64 collections is js-yaml's too, whatever the bound: this reader recurses per level.
  const depth = Math.min(Math.floor(maxDepth / 2) - 1, 64);
  const docs: unknown[] = [];
  const keys = new KeyTable();
  try {
    for (let i = 0; i < starts.length; i += 2) {
      const value = new DocumentReader(text, starts[i], Math.min(starts[i + 1], text.length), depth, keys).document();
      if (value !== undefined) docs.push(value);
      else if (i > 0) docs.push(null); // an empty document after `---`
      else if (starts.length === 2) return undefined; // a text of blanks and comments only: js-yaml's call
    }
  } catch (e) {
    if (e === NOT_PLAIN || e instanceof RangeError) return undefined;
    throw e;
  }
  return docs;
}
