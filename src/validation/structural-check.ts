/**
 * A fast yes/no answer to "does this object satisfy the JSON schema ajv compiles for its CRD version?", used before
 * the compiled validator so that a valid object never loads it: the standalone ajv code of a CNPG Cluster schema
 * is 1.7 MB of JavaScript whose loading and first runs cost more than checking thousands of objects this way.
 *
 * It reads the same transformed schema the ajv validator is compiled from (`jsonSchemaOf` in schema.ts) and
 * answers exactly as ajv does with our options (draft-07 keywords, `strict: false`, unicode lengths and `u`
 * patterns, the `ajv-formats` full formats): the keywords the CRDs of the catalog use are implemented here with
 * ajv's semantics, and a schema with any other keyword is not prepared at all (its objects always go to ajv). Every
 * error message still comes from ajv: an object this check refuses is validated again by the compiled code, so a
 * disagreement could only cost time, never a finding. test/validation/structural-check.test.ts holds the two to
 * the same answer on every object of the corpus at every catalog version, and on thousands of mutated ones.
 */
import ucs2length from 'ajv/dist/runtime/ucs2length';
import { fullFormats } from 'ajv-formats/dist/formats';

/**
 * A schema node, prepared once: what ajv would check, in a form that is cheap to walk. Every node has every field
 * (in the same order), so the walk sees one object shape.
 */
class Node {
  /** Allowed JSON types (`integer` and `number` as ajv tells them apart); undefined: any. */
  public types: ReadonlySet<string> | undefined = undefined;
  public properties: ReadonlyMap<string, Node> | undefined = undefined;
  /** `false`: no other key; a node: every other key's value; undefined: anything. */
  public additional: Node | false | undefined = undefined;
  public required: readonly string[] | undefined = undefined;
  public items: Node | false | undefined = undefined;
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

/** A branch of `anyOf` written as `false`: never valid. */
const NEVER: Node = Object.assign(new Node(), { types: new Set<string>() });

/** A schema this module does not answer for. */
class Unsupported extends Error {}

/** Keywords ajv ignores without useDefaults and with strict: false, and that change no verdict. */
const ANNOTATIONS = new Set(['description', 'default', 'title', 'example', 'examples', '$comment']);
const JSON_TYPES = new Set(['string', 'number', 'integer', 'boolean', 'object', 'array', 'null']);

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

function prepare(schema: unknown, depth: number): Node | false {
  if (schema === true) return new Node();
  if (schema === false) return false;
  if (!isRecord(schema) || depth > 200) throw new Unsupported();
  const node = new Node();
  for (const [key, value] of Object.entries(schema)) {
    if (ANNOTATIONS.has(key)) continue;
    switch (key) {
      case 'type': {
        const types = Array.isArray(value) ? value : [value];
        if (!types.every(t => typeof t === 'string' && JSON_TYPES.has(t))) throw new Unsupported();
        node.types = new Set(types as string[]);
        break;
      }
      case 'properties': {
        if (!isRecord(value)) throw new Unsupported();
        const properties = new Map<string, Node>();
        for (const [name, sub] of Object.entries(value)) {
          // ajv reads `data[name]`, which finds Object.prototype's members on every object: not modelled here.
          if (name in Object.prototype) throw new Unsupported();
          const prepared = prepare(sub, depth + 1);
          if (prepared === false) throw new Unsupported();
          properties.set(name, prepared);
        }
        node.properties = properties;
        break;
      }
      case 'additionalProperties': {
        if (value === true) break;
        node.additional = prepare(value, depth + 1);
        break;
      }
      case 'required':
        if (!Array.isArray(value) || !value.every(v => typeof v === 'string')) throw new Unsupported();
        node.required = value as string[];
        break;
      case 'items':
        if (Array.isArray(value)) throw new Unsupported();
        node.items = prepare(value, depth + 1);
        break;
      case 'anyOf':
        if (!Array.isArray(value) || value.length === 0) throw new Unsupported();
        node.anyOf = value.map(v => {
          const branch = prepare(v, depth + 1);
          return branch === false ? NEVER : branch;
        });
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
  return node;
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

function valid(node: Node, data: unknown): boolean {
  if (node.types && !typeMatches(node.types, data)) return false;
  if (node.enumValues && !node.enumValues.includes(data)) return false;
  if (node.anyOf && !node.anyOf.some(branch => valid(branch, data))) return false;
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
    if (node.items === false) return data.length === 0;
    if (node.items) for (const item of data) if (!valid(node.items, item)) return false;
    return true;
  }
  if (data !== null && typeof data === 'object') {
    const record = data as Record<string, unknown>;
    if (node.required) for (const name of node.required) if (record[name] === undefined) return false;
    if (node.properties || node.additional !== undefined) {
      for (const key of Object.keys(record)) {
        const value = record[key];
        const property = node.properties?.get(key);
        if (property) {
          if (value !== undefined && !valid(property, value)) return false;
        } else if (node.additional === false) {
          return false;
        } else if (node.additional && !valid(node.additional, value)) {
          return false;
        }
      }
    }
    return true;
  }
  return true;
}

/** A prepared check of one JSON schema: `(data) => boolean`, or undefined when the schema uses what is not modelled. */
export type StructuralCheck = (data: unknown) => boolean;

/** Prepares the check of a JSON schema as ajv compiles it (see the file comment), or undefined when it cannot. */
export function structuralCheck(schema: unknown): StructuralCheck | undefined {
  let root: Node | false;
  try {
    root = prepare(schema, 0);
  } catch (e) {
    if (e instanceof Unsupported) return undefined;
    throw e;
  }
  if (root === false) return () => false;
  const node = root;
  return data => valid(node, data);
}
