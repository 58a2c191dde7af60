/**
 * What the API server does to a custom resource before it validates it, so that every rule sees the object the
 * cluster would store (k8s.io/apiextensions-apiserver pkg/apiserver/schema/defaulting: `PruneNonNullableNullsWithoutDefaults`
 * then `Default`, both recursive over the CRD's structural schema):
 * - a property whose value is `null` and whose schema is neither `nullable` nor defaulted is dropped (so
 *   `s3Credentials:` with nothing after it is as if not written);
 * - a property that is absent, or `null` but not nullable, gets the schema's `default`, at every depth, inside
 *   objects and list items that exist (and inside the defaults themselves): `spec.instances` becomes 1.
 * The input is never modified: changed objects are copied on the way down. A default that is an object or a list
 * is filled once per schema node and shared, frozen, by every object that takes it.
 */
import { isObj, Obj } from './context';
import { deepFreeze } from '../upstream/manifest';

/**
 * The parts of a structural schema that defaulting reads. Prepared once per CRD version, a node at a time as
 * objects reach it (most of a Cluster schema is never reached).
 */
class DefaultingNode {
  public readonly nullable: boolean;
  public readonly hasDefault: boolean;
  public readonly default: unknown;
  private readonly rawProperties?: Record<string, unknown>;
  private readonly properties = new Map<string, DefaultingNode | undefined>();
  private additional?: DefaultingNode | null;
  private itemsNode?: DefaultingNode | null;
  private defaultedList?: readonly (readonly [string, DefaultingNode])[];
  private activeFlag?: boolean;

  constructor(private readonly schema: Obj | undefined, private readonly depth: number) {
    this.nullable = schema === undefined || schema.nullable === true;
    this.hasDefault = schema?.default !== undefined;
    this.default = schema?.default;
    this.rawProperties = schema && isObj(schema.properties) ? schema.properties as Record<string, unknown> : undefined;
  }

  /** The node of a property, or undefined when the schema has no such property. */
  public property(key: string): DefaultingNode | undefined {
    // Prepared properties first: one lookup for every key an object shares with the schema.
    let node = this.properties.get(key);
    if (node === undefined && this.rawProperties && Object.prototype.hasOwnProperty.call(this.rawProperties, key)) {
      node = this.child(this.rawProperties[key]);
      this.properties.set(key, node);
    }
    return node;
  }

  public get additionalProperties(): DefaultingNode | undefined {
    if (this.additional === undefined) {
      this.additional = this.schema && isObj(this.schema.additionalProperties) ? this.child(this.schema.additionalProperties) : null;
    }
    return this.additional ?? undefined;
  }

  public get items(): DefaultingNode | undefined {
    if (this.itemsNode === undefined) this.itemsNode = this.schema && isObj(this.schema.items) ? this.child(this.schema.items) : null;
    return this.itemsNode ?? undefined;
  }

  /** The properties that have a default, to fill in when absent (most have none), in schema order. */
  public get defaulted(): readonly (readonly [string, DefaultingNode])[] {
    this.defaultedList ??= Object.keys(this.rawProperties ?? {})
      .filter(k => isObj(this.rawProperties![k]) && (this.rawProperties![k] as Obj).default !== undefined)
      .map(k => [k, this.property(k)!] as const);
    return this.defaultedList;
  }

  /** Whether this subtree has anything to do: a default somewhere, or a property null could be pruned from. */
  public get active(): boolean {
    // Any object with properties can carry a prunable null.
    this.activeFlag ??= this.hasDefault || this.rawProperties !== undefined
      || (this.additionalProperties?.active ?? false) || (this.items?.active ?? false);
    return this.activeFlag;
  }

  private child(schema: unknown): DefaultingNode {
    return this.depth >= 64 || !isObj(schema) ? LEAF : new DefaultingNode(schema, this.depth + 1);
  }
}

const LEAF = new DefaultingNode(undefined, 64);

function prepare(schema: Obj): DefaultingNode {
  return new DefaultingNode(schema, 0);
}

// Keyed by the CRD version's unique key: the same schema object is prepared once per process.
const prepared = new Map<string, DefaultingNode>();

function copyJson(value: unknown): unknown {
  // Scalars are immutable: only objects and lists need a copy of their own.
  return value === null || typeof value !== 'object' ? value : JSON.parse(JSON.stringify(value));
}

/** Per schema node: its default with the defaults inside it applied, computed once and shared (frozen). */
const filledDefaults = new WeakMap<DefaultingNode, unknown>();

/** The value an absent (or pruned-null) property takes: the schema's default, itself defaulted. */
function filledDefault(node: DefaultingNode): unknown {
  if (node.default === null || typeof node.default !== 'object') return defaultNode(node.default, node);
  let filled = filledDefaults.get(node);
  if (filled === undefined) {
    filled = deepFreeze(defaultNode(copyJson(node.default), node));
    filledDefaults.set(node, filled);
  }
  return filled;
}

function defaultNode(value: unknown, node: DefaultingNode): unknown {
  if (!node.active) return value;
  if (Array.isArray(value)) {
    if (!node.items?.active) return value;
    let out: unknown[] | undefined;
    value.forEach((item, i) => {
      const next = defaultNode(item, node.items!);
      if (next !== item) {
        out ??= [...value];
        out[i] = next;
      }
    });
    return out ?? value;
  }
  if (!isObj(value)) return value;
  let out: Record<string, unknown> | undefined;
  const set = (key: string, v: unknown): void => {
    out ??= { ...value };
    if (v === undefined) delete out[key];
    else out[key] = v;
  };
  // Walk the object's own keys (few), not the schema's (a Cluster spec has about a hundred).
  for (const key of Object.keys(value)) {
    const current = value[key];
    const prop = node.property(key);
    if (prop) {
      if (current === null && !prop.nullable) {
        // Pruned, or replaced by the default.
        set(key, prop.hasDefault ? filledDefault(prop) : undefined);
      } else if (prop.active && current !== null && typeof current === 'object') {
        const next = defaultNode(current, prop);
        if (next !== current) set(key, next);
      }
    } else if (node.additionalProperties?.active && current !== null && typeof current === 'object') {
      const next = defaultNode(current, node.additionalProperties);
      if (next !== current) set(key, next);
    }
  }
  for (const [key, prop] of node.defaulted) {
    // `undefined` is what a construct's unset prop leaves behind: absent, as in JSON.
    if (value[key] === undefined) set(key, filledDefault(prop));
  }
  return out ?? value;
}

/**
 * The object as the API server would store it under this CRD version's schema (`crdKey` identifies the schema
 * for the cache). Returns the same object when nothing changes.
 */
export function applyApiServerDefaults<T extends Obj>(doc: T, schema: Obj, crdKey: string): T {
  let node = prepared.get(crdKey);
  if (!node) {
    node = prepare(schema);
    prepared.set(crdKey, node);
  }
  // ObjectMeta is the API server's own, not the CRD's: a `metadata:` with nothing after it is an empty one.
  const input = doc.metadata === null ? { ...doc, metadata: {} } : doc;
  return defaultNode(input, node) as T;
}
