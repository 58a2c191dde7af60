import { CNPG_GROUP, isObj, Obj, PLUGIN_GROUP } from './context';
import { UpstreamComponent } from '../upstream/catalog';
import { crdsOf, loadUpstreamVersion } from '../upstream/manifest';

/** The upstream install that defines each API group we validate. */
const COMPONENT_OF_GROUP: Readonly<Record<string, UpstreamComponent>> = {
  [CNPG_GROUP]: 'cnpg',
  [PLUGIN_GROUP]: 'plugin-barman-cloud',
  'cert-manager.io': 'cert-manager',
  'acme.cert-manager.io': 'cert-manager',
};

/** How messages name a component's versions: `CNPG 1.28.0`, `plugin 0.9.0`. */
export const COMPONENT_LABEL: Readonly<Record<UpstreamComponent, string>> = {
  'cnpg': 'CNPG',
  'plugin-barman-cloud': 'plugin',
  'cert-manager': 'cert-manager',
};

export function componentOfGroup(group: string): UpstreamComponent | undefined {
  return COMPONENT_OF_GROUP[group];
}

/** One served version of one CRD of one release. */
export interface CrdVersion {
  /** Unique per release file, CRD and version: the cache key for compiled schemas and rules. */
  readonly key: string;
  readonly group: string;
  readonly kind: string;
  readonly version: string;
  readonly schema: Obj;
}

/** What a release's CRDs define, by `group/kind`. */
interface ReleaseCrds {
  readonly sha256: string;
  readonly byKind: ReadonlyMap<string, Obj>;
}

const releases = new Map<string, ReleaseCrds>();

function releaseCrds(component: UpstreamComponent, version: string): ReleaseCrds {
  const cacheKey = `${component}@${version}`;
  let found = releases.get(cacheKey);
  if (!found) {
    const upstream = loadUpstreamVersion(component, version);
    const byKind = new Map<string, Obj>();
    for (const crd of crdsOf(upstream)) {
      const spec = crd.spec;
      if (!isObj(spec) || !isObj(spec.names)) continue;
      byKind.set(`${String(spec.group)}/${String(spec.names.kind)}`, spec);
    }
    found = { sha256: upstream.sha256, byKind };
    releases.set(cacheKey, found);
  }
  return found;
}

/** The result of looking a kind up in a release's CRDs. */
export type CrdLookup =
  | { readonly status: 'found'; readonly crd: CrdVersion }
  | { readonly status: 'unknown-kind'; readonly kinds: string[] }
  | { readonly status: 'unknown-version'; readonly versions: string[] };

/**
 * Lookups by component, release, group, kind and version: every object of a set asks, most ask the same. Nested
 * maps, so that a lookup builds no key string (a new string is hashed on every use).
 */
const lookups = new Map<string, Map<string, Map<string, Map<string, Map<string, CrdLookup>>>>>();

function child<V>(map: Map<string, V>, key: string, create: () => V): V {
  let value = map.get(key);
  if (value === undefined) {
    value = create();
    map.set(key, value);
  }
  return value;
}

/** Finds the schema of `group/version` `kind` in the CRDs of a release. */
export function lookupCrd(component: UpstreamComponent, release: string, group: string, kind: string, version: string): CrdLookup {
  const byVersion = lookups.get(component)?.get(release)?.get(group)?.get(kind);
  const found = byVersion?.get(version);
  if (found) return found;
  const lookup = lookupUncached(component, release, group, kind, version);
  const newMap = () => new Map();
  child(child(child(child(lookups, component, newMap), release, newMap), group, newMap), kind, newMap).set(version, lookup);
  return lookup;
}

function lookupUncached(component: UpstreamComponent, release: string, group: string, kind: string, version: string): CrdLookup {
  const crds = releaseCrds(component, release);
  const spec = crds.byKind.get(`${group}/${kind}`);
  if (!spec) {
    const kinds = [...crds.byKind.keys()].filter(k => k.startsWith(`${group}/`)).map(k => k.slice(group.length + 1)).sort();
    return { status: 'unknown-kind', kinds };
  }
  const versions = Array.isArray(spec.versions) ? spec.versions.filter(isObj) : [];
  const served = versions.filter(v => v.served !== false);
  const match = served.find(v => v.name === version);
  const schema = match && isObj(match.schema) && isObj(match.schema.openAPIV3Schema) ? match.schema.openAPIV3Schema : undefined;
  if (!match || !schema) return { status: 'unknown-version', versions: served.map(v => String(v.name)) };
  return { status: 'found', crd: { key: `${crds.sha256}/${group}/${kind}/${version}`, group, kind, version, schema } };
}

/** Every served version of every CRD a release defines (for the package-time build of derived data). */
export function crdVersionsOf(component: UpstreamComponent, release: string): CrdVersion[] {
  const out: CrdVersion[] = [];
  for (const [groupKind, spec] of releaseCrds(component, release).byKind) {
    const [group, kind] = [groupKind.slice(0, groupKind.indexOf('/')), groupKind.slice(groupKind.indexOf('/') + 1)];
    for (const v of Array.isArray(spec.versions) ? spec.versions.filter(isObj) : []) {
      const lookup = lookupCrd(component, release, group, kind, String(v.name));
      if (lookup.status === 'found') out.push(lookup.crd);
    }
  }
  return out;
}
