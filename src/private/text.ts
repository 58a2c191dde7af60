/**
 * Text for one-line messages. A message quotes what a user (or a hostile file) wrote: object names, file names,
 * values. Control characters would let such text break the line or forge another (`\n`, `\r`, ANSI escapes,
 * bidirectional overrides), and a huge value would bury the message: both are escaped or cut here.
 */

/** Characters never printed raw: C0 and C1 controls, DEL, line and paragraph separators, bidi controls, BOM. */
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g;

const ESCAPES: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** Escapes every character that could break or forge a line, as `\n` or `\u001b`. */
export function oneLine(text: string): string {
  return text.replace(UNPRINTABLE, c => ESCAPES[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Longest quoted value a message shows, in characters. */
export const MAX_SHOWN_CHARS = 200;

/**
 * JSON for a value in a message (so empty strings and whitespace are visible), cut to `max` characters with the
 * full length said: `"aaaa…" (5000 characters)`.
 */
export function showValue(value: unknown, max: number = MAX_SHOWN_CHARS): string {
  let json: string;
  try {
    json = typeof value === 'bigint' ? value.toString() : JSON.stringify(value) ?? String(value);
  } catch {
    json = String(value);
  }
  json = oneLine(json);
  if (json.length <= max) return json;
  const head = json.slice(0, max).replace(/\\(u[0-9a-f]{0,3})?$/, '');
  return typeof value === 'string' ? `${head}…" (${value.length} characters)` : `${head}… (${json.length} characters of JSON)`;
}

/** Cuts a name or path to `max` characters, saying how long it was. */
export function clip(text: string, max: number = 300): string {
  return text.length <= max ? text : `${text.slice(0, max)}… (${text.length} characters)`;
}
