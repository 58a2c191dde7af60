/**
 * What the API server does to a custom resource before it validates it, so that every rule sees the object the
 * cluster would store (k8s.io/apiextensions-apiserver pkg/apiserver/schema/defaulting: `PruneNonNullableNullsWithoutDefaults`
 * then `Default`, both recursive over the CRD's structural schema):
 * - a property whose value is `null` and whose schema is neither `nullable` nor defaulted is dropped (so
 *   `s3Credentials:` with nothing after it is as if not written);
 * - a property that is absent, or `null` but not nullable, gets the schema's `default`, at every depth, inside
 *   objects and list items that exist (and inside the defaults themselves): `spec.instances` becomes 1.
 * The input is never modified: changed objects are copied on the way down.
 */
import { isObj, Obj } from './context';

/** The parts of a structural schema that defaulting reads, prepared once per CRD version. */
interface DefaultingNode {
  readonly properties?: ReadonlyMap<string, DefaultingNode>;
  readonly additionalProperties?: DefaultingNode;
  readonly items?: DefaultingNode;
  /** The properties that have a default, to fill in when absent (most have none). */
  readonly defaulted: readonly (readonly [string, DefaultingNode])[];
  readonly nullable: boolean;
  readonly hasDefault: boolean;
  readonly default?: unknown;
  /** Whether this subtree has anything to do: a default somewhere, or a property null could be pruned from. */
  readonly active: boolean;
}

const LEAF: DefaultingNode = { defaulted: [], nullable: true, hasDefault: false, active: false };

function prepare(schema: unknown, depth = 0): DefaultingNode {
  if (!isObj(schema) || depth > 64) return LEAF;
  const properties = isObj(schema.properties)
    ? new Map(Object.entries(schema.properties).map(([k, v]) => [k, prepare(v, depth + 1)]))
    : undefined;
  const additionalProperties = isObj(schema.additionalProperties) ? prepare(schema.additionalProperties, depth + 1) : undefined;
  const items = isObj(schema.items) ? prepare(schema.items, depth + 1) : undefined;
  const hasDefault = schema.default !== undefined;
  const children = [...(properties?.values() ?? []), ...(additionalProperties ? [additionalProperties] : []), ...(items ? [items] : [])];
  return {
    properties,
    defaulted: [...(properties ?? [])].filter(([, p]) => p.hasDefault),
    additionalProperties,
    items,
    nullable: schema.nullable === true,
    hasDefault,
    default: schema.default,
    // Any object with properties can carry a prunable null.
    active: hasDefault || properties !== undefined || children.some(c => c.active),
  };
}

// Keyed by the CRD version's unique key: the same schema object is prepared once per process.
const prepared = new Map<string, DefaultingNode>();

function copyJson(value: unknown): unknown {
  // Scalars are immutable: only objects and lists need a copy of their own.
  return value === null || typeof value !== 'object' ? value : JSON.parse(JSON.stringify(value));
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
    const prop = node.properties?.get(key);
    if (prop) {
      if (current === null && !prop.nullable) {
        // Pruned, or replaced by the default.
        set(key, prop.hasDefault ? defaultNode(copyJson(prop.default), prop) : undefined);
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
    if (value[key] === undefined) set(key, defaultNode(copyJson(prop.default), prop));
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
