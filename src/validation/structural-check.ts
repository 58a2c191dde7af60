/**
 * A fast yes/no answer to "does this object satisfy the JSON schema ajv compiles for its CRD version?", used before
 * the compiled validator so that a valid object never loads it: the standalone ajv code of a CNPG Cluster schema
 * is 1.7 MB of JavaScript whose loading and first runs cost more than checking thousands of objects this way.
 *
 * It reads the same transformed schema the ajv validator is compiled from (`jsonSchemaOf` in schema.ts) and
 * answers exactly as ajv does with our options (draft-07 keywords, `strict: false`, unicode lengths and `u`
 * patterns, the `ajv-formats` full formats): the keywords the CRDs of the catalog use are implemented here with
 * ajv's semantics, and an object that reaches a part of a schema with any other keyword is refused (so ajv
 * decides it). Every error message still comes from ajv: an object this check refuses is validated again by the
 * compiled code, so only a wrong "yes" could matter, and a "yes" is given only where ajv's answer is known. test/validation/structural-check.test.ts holds the two to
 * the same answer on every object of the corpus at every catalog version, and on thousands of mutated ones.
 */
import ucs2length from 'ajv/dist/runtime/ucs2length';
import { fullFormats } from 'ajv-formats/dist/formats';

/**
 * A schema node, prepared when an object first reaches it (most of a Cluster schema, affinity and volume sources,
 * is never reached): what ajv would check there, in a form that is cheap to walk. A node with a keyword this module
 * does not model is `unsure`, and an object that reaches it is refused here, which sends it to ajv. That is exact:
 * ajv applies a subschema's keywords only to data at that place, so the nodes no object reaches change no answer.
 */
class Node {
  public unsure = false;
  /** Allowed JSON types (`integer` and `number` as ajv tells them apart); undefined: any. */
  public types: ReadonlySet<string> | undefined = undefined;
  /** The raw `properties` map, and its prepared nodes by name. */
  public rawProperties: Record<string, unknown> | undefined = undefined;
  public properties: Map<string, Node> | undefined = undefined;
  /** Raw `additionalProperties`: `false`, a schema, or undefined (anything). */
  public rawAdditional: unknown = undefined;
  public additional: Node | undefined = undefined;
  public required: readonly string[] | undefined = undefined;
  public rawItems: unknown = undefined;
  public items: Node | undefined = undefined;
  public rawAnyOf: readonly unknown[] | undefined = undefined;
  public anyOf: readonly Node[] | undefined = undefined;
  public enumValues: readonly unknown[] | undefined = undefined;
  public pattern: RegExp | undefined = undefined;
  public format: Format | undefined = undefined;
  public minLength: number | undefined = undefined;
  public maxLength: number | undefined = undefined;
  public minimum: number | undefined = undefined;
  public maximum: number | undefined = undefined;
  public minItems: number | undefined = undefined;
  public maxItems: number | undefined = undefined;
}

/** An `ajv-formats` format: the JSON type it applies to and its test. */
interface Format {
  readonly type: 'string' | 'number';
  readonly test: (value: never) => boolean;
}

/** Keywords ajv ignores without useDefaults and with strict: false, and that change no verdict. */
const ANNOTATIONS = new Set(['description', 'default', 'title', 'example', 'examples', '$comment']);
const JSON_TYPES = new Set(['string', 'number', 'integer', 'boolean', 'object', 'array', 'null']);

/** A schema (or part of one) this module does not model. */
class Unsupported extends Error {}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function numberOf(v: unknown): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new Unsupported();
  return v;
}

function formatOf(name: unknown): Format | undefined {
  const def = (fullFormats as Record<string, unknown>)[String(name)];
  if (def === undefined) throw new Unsupported();
  if (def === true) return undefined;
  if (def instanceof RegExp) return { type: 'string', test: (s: string) => def.test(s) };
  if (typeof def === 'function') return { type: 'string', test: def as (s: string) => boolean };
  if (isRecord(def) && (def.validate instanceof RegExp || typeof def.validate === 'function') && !def.async) {
    const type = def.type === undefined ? 'string' : def.type;
    if (type !== 'string' && type !== 'number') throw new Unsupported();
    const validate = def.validate;
    return { type, test: validate instanceof RegExp ? (s: string) => validate.test(s) : validate as (v: never) => boolean };
  }
  throw new Unsupported();
}

/** The keywords of one schema node (its subschemas are prepared when reached). */
function readKeywords(node: Node, schema: Record<string, unknown>): void {
  for (const key of Object.keys(schema)) {
    if (ANNOTATIONS.has(key)) continue;
    const value = schema[key];
    switch (key) {
      case 'type': {
        const types = Array.isArray(value) ? value : [value];
        if (!types.every(t => typeof t === 'string' && JSON_TYPES.has(t))) throw new Unsupported();
        node.types = new Set(types as string[]);
        break;
      }
      case 'properties':
        if (!isRecord(value)) throw new Unsupported();
        // ajv reads `data[name]`, which finds Object.prototype's members on every object: not modelled here.
        for (const name of Object.keys(value)) if (name in Object.prototype) throw new Unsupported();
        node.rawProperties = value;
        node.properties = new Map();
        break;
      case 'additionalProperties':
        if (value !== true) node.rawAdditional = value;
        break;
      case 'required':
        if (!Array.isArray(value) || !value.every(v => typeof v === 'string')) throw new Unsupported();
        node.required = value as string[];
        break;
      case 'items':
        if (Array.isArray(value)) throw new Unsupported();
        node.rawItems = value;
        break;
      case 'anyOf':
        if (!Array.isArray(value) || value.length === 0) throw new Unsupported();
        node.rawAnyOf = value;
        break;
      case 'enum':
        if (!Array.isArray(value) || !value.every(v => v === null || typeof v !== 'object')) throw new Unsupported();
        node.enumValues = value;
        break;
      case 'pattern':
        if (typeof value !== 'string') throw new Unsupported();
        try {
          node.pattern = new RegExp(value, 'u');
        } catch {
          throw new Unsupported();
        }
        break;
      case 'format':
        node.format = formatOf(value);
        break;
      case 'minLength': node.minLength = numberOf(value); break;
      case 'maxLength': node.maxLength = numberOf(value); break;
      case 'minimum': node.minimum = numberOf(value); break;
      case 'maximum': node.maximum = numberOf(value); break;
      case 'minItems': node.minItems = numberOf(value); break;
      case 'maxItems': node.maxItems = numberOf(value); break;
      default:
        throw new Unsupported();
    }
  }
}

/** A schema `false` (nothing is valid): every type refused. */
function never(): Node {
  const node = new Node();
  node.types = new Set();
  return node;
}

/**
 * A subschema given by the function that makes it, called when an object first reaches it (schema.ts defers
 * the transformation of a CRD schema this way, a node at a time).
 */
export class Deferred {
  constructor(public readonly make: () => unknown) {}
}

/** Prepares one node of a schema: its own keywords now, its subschemas when reached. */
function prepare(given: unknown): Node {
  const schema = given instanceof Deferred ? given.make() : given;
  if (schema === true) return new Node();
  if (schema === false) return never();
  const node = new Node();
  if (!isRecord(schema)) {
    node.unsure = true;
    return node;
  }
  try {
    readKeywords(node, schema);
  } catch (e) {
    if (!(e instanceof Unsupported)) throw e;
    node.unsure = true;
  }
  return node;
}

function propertyNode(node: Node, key: string): Node | undefined {
  let child = node.properties!.get(key);
  if (child === undefined && Object.prototype.hasOwnProperty.call(node.rawProperties, key)) {
    child = prepare(node.rawProperties![key]);
    node.properties!.set(key, child);
  }
  return child;
}

function typeMatches(types: ReadonlySet<string>, data: unknown): boolean {
  switch (typeof data) {
    case 'string': return types.has('string');
    case 'boolean': return types.has('boolean');
    case 'number':
      if (!Number.isFinite(data)) return false;
      return types.has('number') || (types.has('integer') && data % 1 === 0);
    case 'object':
      if (data === null) return types.has('null');
      return Array.isArray(data) ? types.has('array') : types.has('object');
    default: return false;
  }
}

/** Whether ajv would accept `data` here; false also when unsure (ajv then decides). */
function valid(node: Node, data: unknown, depth: number): boolean {
  if (node.unsure || depth > 200) return false;
  if (node.types && !typeMatches(node.types, data)) return false;
  if (node.enumValues && !node.enumValues.includes(data)) return false;
  if (node.rawAnyOf) {
    node.anyOf ??= node.rawAnyOf.map(prepare);
    if (!node.anyOf.some(branch => valid(branch, data, depth + 1))) return false;
  }
  if (typeof data === 'string') {
    if (node.minLength !== undefined || node.maxLength !== undefined) {
      const length = ucs2length(data);
      if (node.minLength !== undefined && length < node.minLength) return false;
      if (node.maxLength !== undefined && length > node.maxLength) return false;
    }
    if (node.pattern && !node.pattern.test(data)) return false;
    if (node.format && node.format.type === 'string' && !(node.format.test as (s: string) => boolean)(data)) return false;
    return true;
  }
  if (typeof data === 'number') {
    if (node.minimum !== undefined && !(data >= node.minimum)) return false;
    if (node.maximum !== undefined && !(data <= node.maximum)) return false;
    if (node.format && node.format.type === 'number' && !(node.format.test as (n: number) => boolean)(data)) return false;
    return true;
  }
  if (Array.isArray(data)) {
    if (node.minItems !== undefined && data.length < node.minItems) return false;
    if (node.maxItems !== undefined && data.length > node.maxItems) return false;
    if (node.rawItems !== undefined && data.length > 0) {
      node.items ??= prepare(node.rawItems);
      for (const item of data) if (!valid(node.items, item, depth + 1)) return false;
    }
    return true;
  }
  if (data !== null && typeof data === 'object') {
    const record = data as Record<string, unknown>;
    if (node.required) for (const name of node.required) if (record[name] === undefined) return false;
    if (node.rawProperties || node.rawAdditional !== undefined) {
      for (const key of Object.keys(record)) {
        const value = record[key];
        const property = node.rawProperties ? propertyNode(node, key) : undefined;
        if (property) {
          if (value !== undefined && !valid(property, value, depth + 1)) return false;
        } else if (node.rawAdditional !== undefined) {
          node.additional ??= prepare(node.rawAdditional);
          if (!valid(node.additional, value, depth + 1)) return false;
        }
      }
    }
    return true;
  }
  return true;
}

/**
 * The keywords of a whole schema this module does not model, as `path: keyword` (empty when every part of it is
 * modelled, so that no object goes to ajv for want of a keyword). For tests and the package build.
 */
export function unmodelledKeywords(schema: unknown, at = '#'): string[] {
  if (typeof schema === 'boolean') return [];
  if (!isRecord(schema)) return [`${at}: not a schema`];
  const out: string[] = [];
  try {
    readKeywords(new Node(), schema);
  } catch (e) {
    if (!(e instanceof Unsupported)) throw e;
    out.push(`${at}: ${Object.keys(schema).filter(k => !ANNOTATIONS.has(k)).join(',')}`);
  }
  if (isRecord(schema.properties)) for (const [k, v] of Object.entries(schema.properties)) out.push(...unmodelledKeywords(v, `${at}/properties/${k}`));
  if (schema.additionalProperties !== undefined) out.push(...unmodelledKeywords(schema.additionalProperties, `${at}/additionalProperties`));
  if (schema.items !== undefined && !Array.isArray(schema.items)) out.push(...unmodelledKeywords(schema.items, `${at}/items`));
  if (Array.isArray(schema.anyOf)) schema.anyOf.forEach((v, i) => out.push(...unmodelledKeywords(v, `${at}/anyOf/${i}`)));
  return out;
}

/** A prepared check of one JSON schema: `(data) => boolean`; false sends the object to ajv. */
export type StructuralCheck = (data: unknown) => boolean;

/** The check of a JSON schema as ajv compiles it (see the file comment); its nodes are prepared as objects reach them. */
export function structuralCheck(schema: unknown): StructuralCheck {
  const root = prepare(schema);
  return data => valid(root, data, 0);
}
