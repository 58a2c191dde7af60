/**
 * Text → plain objects, read the way Kubernetes reads YAML.
 *
 * kubectl and the API server decode YAML with sigs.k8s.io/yaml, which runs its fork of go-yaml v2 and converts the
 * result to JSON. So plain scalars resolve as go-yaml v2 `resolve.go` resolves them, which is YAML 1.1:
 * `y`/`yes`/`on`/`true` (any of their capitalisations there) are booleans, `0755` is octal, `0b1010` binary, `1_000`
 * a number, `<<` a merge key; timestamps stay strings (go-yaml v2 `decode.go` keeps a timestamp's text when the
 * target is untyped) and base-60 numbers (`1:30`) are not resolved at all. Keys become strings as
 * sigs.k8s.io/yaml makes them (`on:` is the key `"true"`). `.inf` and `.nan` cannot become JSON and fail.
 *
 * The reader of record is js-yaml with a schema of go-yaml v2's rules (yaml-scalars.ts): the `yaml` package reads
 * YAML 1.1 as well (the tests use it as the oracle) but is ten times slower on large inputs, which the validator's
 * throughput target cannot afford. Plain block YAML, which most files are, is read first by plain-block-yaml.ts,
 * which gives exactly js-yaml's result or leaves the text to js-yaml (loaded only then). Bounded: nesting depth, merge keys, alias expansion and document count are capped, and every failure is
 * one line naming the source.
 */
import type * as JsYaml from 'js-yaml';
import { readPlainBlockYaml } from './plain-block-yaml';
import { goNumber, isBoolWord, isNullWord, mayBeNumber, SPECIAL_FLOATS, TRUE_WORDS } from './yaml-scalars';

/** A YAML text that cannot be read, or that exceeds a bound; the message is one line and starts with the source. */
export class YamlInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'YamlInputError';
  }
}

/** Limits on what one text may make the reader do. */
export interface YamlReaderLimits {
  /**
   * Nodes that aliases (`*name`, `<<: *name`) may add to one document by expansion: bounds "billion laughs".
   * @default 10000
   */
  readonly maxAliasExpansion?: number;
  /**
   * Nesting of mappings and sequences.
   * @default 100
   */
  readonly maxDepth?: number;
  /**
   * Documents in one text.
   * @default 100000
   */
  readonly maxDocuments?: number;
}

const DEFAULT_MAX_ALIAS_EXPANSION = 10_000;
const DEFAULT_MAX_DEPTH = 100;
const DEFAULT_MAX_DOCUMENTS = 100_000;
const MAX_MERGE_KEYS = 10_000;

/** `.inf`/`.nan`: a value JSON cannot carry (sigs.k8s.io/yaml fails to convert it). */
class NonJsonNumber extends Error {
  constructor(public readonly text: string) {
    super(`${JSON.stringify(text)} is not a JSON number; if it is text, quote it: "${text}"`);
  }
}

/** js-yaml with the Kubernetes schema, loaded on first use: most texts never need it (plain-block-yaml.ts). */
interface LoadedJsYaml {
  readonly jsyaml: typeof JsYaml;
  readonly schema: JsYaml.Schema;
}
let loaded: LoadedJsYaml | undefined;

function loadJsYaml(): LoadedJsYaml {
  if (loaded) return loaded;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const jsyaml = require('js-yaml') as typeof JsYaml;
  const boolType = new jsyaml.Type('tag:yaml.org,2002:bool', {
    kind: 'scalar',
    resolve: isBoolWord,
    construct: (data: string) => TRUE_WORDS.has(data),
  });
  const nullType = new jsyaml.Type('tag:yaml.org,2002:null', {
    kind: 'scalar',
    resolve: isNullWord,
    construct: () => null,
  });
  // Numbers; a special float resolves too, so that it fails with a clear message instead of becoming text.
  const numberType = new jsyaml.Type('tag:yaml.org,2002:float', {
    kind: 'scalar',
    resolve: (data: string | null) => data !== null && mayBeNumber(data) && (SPECIAL_FLOATS.has(data) || goNumber(data) !== undefined),
    construct: (data: string) => {
      if (SPECIAL_FLOATS.has(data)) throw new NonJsonNumber(data);
      return goNumber(data);
    },
  });
  // js-yaml exports its built-in types at runtime; its type definitions leave them out.
  const builtInTypes = (jsyaml as unknown as { types: Record<'merge' | 'int' | 'binary', JsYaml.Type> }).types;
  // Only the tags go-yaml v2 applies to untyped plain scalars, plus the explicit tags of the core schema.
  const schema = jsyaml.FAILSAFE_SCHEMA.extend({
    implicit: [nullType, boolType, numberType, builtInTypes.merge],
    explicit: [builtInTypes.int, builtInTypes.binary],
  });
  loaded = { jsyaml, schema };
  return loaded;
}

/** A js-yaml error as one line: reason and position, without the code excerpt. */
function oneLine(e: unknown, jsyaml: typeof JsYaml): string {
  if (e instanceof jsyaml.YAMLException) {
    const mark = (e as JsYaml.YAMLException & { mark?: { line: number; column: number } }).mark;
    return mark ? `${e.reason} at line ${mark.line + 1}, column ${mark.column + 1}` : e.reason;
  }
  if (e instanceof RangeError) return 'nesting too deep to read';
  return String((e as Error).message ?? e).split('\n')[0];
}

/**
 * Bounds what aliases expand to. js-yaml shares an aliased node
 * instead of copying it, so a document with aliases is a graph; it is expanded into a tree (bounded) so that no
 * two places of the result are the same object.
 */
function expandAliases(doc: unknown, limits: Required<YamlReaderLimits>, where: string): unknown {
  const sizes = new Map<object, number>();
  let shared = false;
  const sizeOf = (node: unknown): number => {
    if (node === null || typeof node !== 'object') return 1;
    const known = sizes.get(node);
    if (known !== undefined) {
      shared = true;
      return known;
    }
    sizes.set(node, 1);
    let size = 1;
    for (const child of Array.isArray(node) ? node : Object.values(node)) size += sizeOf(child);
    sizes.set(node, size);
    return size;
  };
  const total = sizeOf(doc);
  if (!shared) return doc;
  // Every object's own size counts once: the rest is what aliases add.
  let unique = 0;
  for (const node of sizes.keys()) unique += 1 + (Array.isArray(node) ? node : Object.values(node)).filter(v => v === null || typeof v !== 'object').length;
  if (total - unique > limits.maxAliasExpansion) {
    throw new YamlInputError(`${where}: aliases expand to ${total - unique} more values than written (limit ${limits.maxAliasExpansion}); write the values out or use fewer aliases`);
  }
  const copy = (node: unknown): unknown => {
    if (node === null || typeof node !== 'object') return node;
    if (Array.isArray(node)) return node.map(copy);
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(node)) {
      // `__proto__` is data here, never the prototype.
      Object.defineProperty(out, k, { value: copy(v), enumerable: true, writable: true, configurable: true });
    }
    return out;
  };
  return copy(doc);
}

/**
 * Parses every document of a YAML (or JSON) text as Kubernetes does.
 *
 * Returns one value per document, an empty document as `null`; throws a `YamlInputError` whose message starts
 * with `source` for text that is not YAML, has duplicate keys, or exceeds a limit.
 */
export function parseYamlDocuments(text: string, source: string, limits: YamlReaderLimits = {}): unknown[] {
  const resolved: Required<YamlReaderLimits> = {
    maxAliasExpansion: limits.maxAliasExpansion ?? DEFAULT_MAX_ALIAS_EXPANSION,
    maxDepth: limits.maxDepth ?? DEFAULT_MAX_DEPTH,
    maxDocuments: limits.maxDocuments ?? DEFAULT_MAX_DOCUMENTS,
  };
  // Most files are plain block YAML, which a direct reader gives exactly as js-yaml does, several times faster.
  const plain = readPlainBlockYaml(text, resolved.maxDepth);
  if (plain !== undefined) {
    if (plain.length > resolved.maxDocuments) throw new YamlInputError(`${source}: more than ${resolved.maxDocuments} documents`);
    return plain;
  }
  return readWithJsYaml(text, source, resolved);
}

/**
 * `parseYamlDocuments` with js-yaml alone: the reader of record, which decides every text the plain block reader
 * leaves to it. Exported for the tests that hold the two readers equal.
 */
export function readWithJsYaml(text: string, source: string, resolved: Required<YamlReaderLimits>): unknown[] {
  const { jsyaml, schema } = loadJsYaml();
  const docs: unknown[] = [];
  try {
    jsyaml.loadAll(text, doc => {
      if (docs.length >= resolved.maxDocuments) throw new YamlInputError(`${source}: more than ${resolved.maxDocuments} documents`);
      docs.push(doc);
    }, {
      schema,
      filename: source,
      maxDepth: resolved.maxDepth,
      maxTotalMergeKeys: MAX_MERGE_KEYS,
    } as JsYaml.LoadOptions);
  } catch (e) {
    if (e instanceof YamlInputError) throw e;
    if (e instanceof NonJsonNumber) throw new YamlInputError(`${source}: ${e.message}`);
    const reason = oneLine(e, jsyaml);
    throw new YamlInputError(`${source}: ${/nesting exceeded maxDepth/.test(reason) ? `nesting deeper than ${resolved.maxDepth} levels` : `cannot parse: ${reason}`}`);
  }
  // An alias is `*` and a name; without one, no node is shared and there is nothing to expand.
  const mayHaveAliases = text.includes('&') && /\*[^\s,\]}]/.test(text);
  return docs.map((doc, i) => {
    if (doc === undefined) return null;
    return mayHaveAliases ? expandAliases(doc, resolved, `${source}: document ${i + 1}`) : doc;
  });
}
