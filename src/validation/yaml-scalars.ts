/**
 * What a plain (unquoted) YAML scalar means to Kubernetes: go-yaml v2 `resolve.go`, as sigs.k8s.io/yaml runs it.
 * `y`/`yes`/`on`/`true` (any of their capitalisations there) are booleans, `0755` is octal, `0b1010` binary,
 * `1_000` a number; timestamps and base-60 numbers (`1:30`) stay strings. Shared by both readers of
 * yaml-reader.ts (js-yaml's types and the plain block reader), so the two cannot drift apart.
 */

// go-yaml v2 resolve.go resolveMapList.
export const TRUE_WORDS: ReadonlySet<string> = new Set(['y', 'Y', 'yes', 'Yes', 'YES', 'true', 'True', 'TRUE', 'on', 'On', 'ON']);
const FALSE_WORDS: ReadonlySet<string> = new Set(['n', 'N', 'no', 'No', 'NO', 'false', 'False', 'FALSE', 'off', 'Off', 'OFF']);
const NULL_WORDS: ReadonlySet<string> = new Set(['', '~', 'null', 'Null', 'NULL']);
/** `.inf`/`.nan` and their spellings: go-yaml makes floats of them, which JSON cannot carry. */
export const SPECIAL_FLOATS: ReadonlySet<string> = new Set(['.nan', '.NaN', '.NAN', '.inf', '.Inf', '.INF', '+.inf', '+.Inf', '+.INF', '-.inf', '-.Inf', '-.INF']);

// Go's strconv.ParseInt(s, 0, 64) after go-yaml removed every `_`: sign, then 0x / 0o / 0b / leading-0 octal / decimal.
const GO_INT = /^[-+]?(?:0[xX][0-9a-fA-F]+|0[oO]?[0-7]+|0[bB][01]+|[0-9]+)$/;
// What a number can start with; anything else stays a string.
const NUMBER_FIRST = /^[-+.0-9]/;
// go-yaml v2 resolve.go yamlStyleFloat.
const GO_FLOAT = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$/;

/** True when the text could be a number (or a special float): the first character decides. */
export function mayBeNumber(text: string): boolean {
  return NUMBER_FIRST.test(text);
}

/** The number go-yaml v2 makes of a plain scalar, or undefined when it stays a string. */
export function goNumber(text: string): number | undefined {
  if (!NUMBER_FIRST.test(text)) return undefined;
  const plain = text.replace(/_/g, '');
  if (GO_INT.test(plain)) {
    const negative = plain.startsWith('-');
    const digits = plain.replace(/^[-+]/, '');
    let value: number;
    if (/^0[xX]/.test(digits)) value = parseInt(digits.slice(2), 16);
    else if (/^0[bB]/.test(digits)) value = parseInt(digits.slice(2), 2);
    else if (/^0[oO]/.test(digits)) value = parseInt(digits.slice(2), 8);
    else if (/^0[0-7]+$/.test(digits)) value = parseInt(digits.slice(1), 8);
    else if (/^0[0-9]+$/.test(digits)) value = NaN; // `08`: not octal, so Go falls through to the float rule
    else value = parseInt(digits, 10);
    if (!Number.isNaN(value)) return negative ? -value : value;
  }
  if (GO_FLOAT.test(plain)) return parseFloat(plain);
  return undefined;
}

// Every plain scalar of a file (keys included) is offered to each rule in turn: the first character and the
// length rule most of them out before a set is asked.
const BOOL_FIRST: ReadonlySet<string> = new Set(['y', 'Y', 'n', 'N', 't', 'T', 'f', 'F', 'o', 'O']);

/** A YAML 1.1 boolean word (go-yaml v2). */
export function isBoolWord(data: string | null): data is string {
  return data !== null && data.length <= 5 && BOOL_FIRST.has(data[0]) && (TRUE_WORDS.has(data) || FALSE_WORDS.has(data));
}

/** A null: empty, `~` or `null` in its three spellings. */
export function isNullWord(data: string | null): boolean {
  return data === null || data.length === 0 || (data.length <= 4 && (data === '~' || NULL_WORDS.has(data)));
}
