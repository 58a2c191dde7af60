import type { ExternalClusterUse, PluginUse } from './cluster-model';
import type { CrdLookup } from './crds';
import { Finding, Severity } from './finding';
import { firstReleasesWith, newestRelease, releaseHas, supportedVersions, UpstreamComponent } from '../upstream/catalog';
import { Manifest } from '../upstream/manifest';

/** One input object, with the facts every rule needs already extracted. */
export interface Entry {
  /** The object as the API server would store it: CRD defaults applied, non-nullable nulls pruned. */
  readonly doc: Manifest;
  /** The object as written, for rules whose advice depends on what the user wrote rather than on defaults. */
  readonly written: Manifest;
  readonly index: number;
  readonly trusted: boolean;
  readonly source?: string;
  readonly kind: string;
  /** The API group (`''` for the core group). */
  readonly group: string;
  readonly version: string;
  /** `''` when the object has no namespace: all such objects share the chart's "unset" namespace. */
  readonly namespace: string;
  readonly name: string;
  /** Its CRD in the release under validation, when its group is one we validate (looked up once per object). */
  readonly crd?: CrdLookup;
  /** A Cluster's plugin entries and external clusters, read when a rule first asks (cluster-model.ts). */
  plugins?: PluginUse[];
  externalClusters?: ExternalClusterUse[];
}

/** The versions and policies a validation runs with, defaults resolved. */
export interface ResolvedOptions {
  readonly versions: Readonly<Record<UpstreamComponent, string>>;
  readonly externalRefs: ReadonlySet<string>;
  readonly unresolvedReferences: Severity;
  /** How plaintext credentials are reported (see secrets.ts); undefined: not checked. */
  readonly plaintextSecrets?: Severity;
}

export const CNPG_GROUP = 'postgresql.cnpg.io';
export const PLUGIN_GROUP = 'barmancloud.cnpg.io';

/** The key an object is indexed and declared external under: `Kind/namespace/name`. */
export function refKey(kind: string, namespace: string, name: string): string {
  return `${kind}/${namespace}/${name}`;
}

/**
 * Whether the release under validation of a component has a feature of the catalog's table (`FEATURES` in
 * src/upstream/catalog.ts: one source of truth for what a version can do, shared with the constructs' version
 * classes). An unknown feature id throws: a rule must name one that exists.
 */
export function has(ctx: { readonly options: ResolvedOptions }, component: UpstreamComponent, featureId: string): boolean {
  const v = ctx.options.versions[component];
  // Asked for every Cluster of a set, with a handful of distinct questions: answers by component, release, then
  // feature (nested, so that no key string is built per question).
  let releases = featureAnswers.get(component);
  if (!releases) {
    releases = new Map();
    featureAnswers.set(component, releases);
  }
  let answers = releases.get(v);
  if (!answers) {
    answers = new Map();
    releases.set(v, answers);
  }
  let answer = answers.get(featureId);
  if (answer === undefined) {
    firstReleasesWith(component, featureId);
    answer = releaseHas(component, v, featureId);
    answers.set(featureId, answer);
  }
  return answer;
}
const featureAnswers = new Map<UpstreamComponent, Map<string, Map<string, boolean>>>();

/** Validates a requested version against the catalog, so that a typo fails with the list of supported ones. */
export function resolveVersion(component: UpstreamComponent, version: string | undefined): string {
  if (version === undefined) return newestRelease(component).version;
  const v = version.replace(/^v/, '');
  if (!supportedVersions(component).includes(v)) {
    throw new Error(`unknown ${component} version ${JSON.stringify(version)}; supported: ${supportedVersions(component).join(', ')}`);
  }
  return v;
}

/** Entries by one key, then another: lookups with no key string built per call. */
class Index2<T> {
  private readonly outer = new Map<string, Map<string, T>>();

  public get(a: string, b: string): T | undefined {
    return this.outer.get(a)?.get(b);
  }

  /** The entries under `a`, by `b` (created when absent). */
  public row(a: string): Map<string, T> {
    let inner = this.outer.get(a);
    if (!inner) {
      inner = new Map();
      this.outer.set(a, inner);
    }
    return inner;
  }
}

/** The named entries of one kind, by name and by namespace (in input order). */
interface NamedEntries {
  readonly byName: Map<string, Entry[]>;
  readonly byNamespace: Map<string, Entry[]>;
}

/** Appends to the list under `key`, creating it (no closure or key string per call: called for every entry). */
function push<T>(lists: Map<string, T[]>, key: string, item: T): void {
  const list = lists.get(key);
  if (list) list.push(item);
  else lists.set(key, [item]);
}

/** The set under validation: its objects indexed by kind, namespace and name, and the findings so far. */
export class ValidationContext {
  public readonly findings: Finding[] = [];
  /** Kind → namespace → name → the last entry with them (as a later object replaces an earlier one on apply). */
  private readonly index = new Index2<Map<string, Entry>>();
  /** For messages about references that do not resolve: a kind's named entries, indexed at the first such question. */
  private readonly namedOfKind = new Map<string, NamedEntries>();
  /** Untrusted entries by kind (in input order), and by kind and group once asked. */
  private readonly untrustedByKind = new Map<string, Entry[]>();
  private readonly untrustedByKindAndGroup = new Index2<Entry[]>();

  constructor(public readonly entries: readonly Entry[], public readonly options: ResolvedOptions) {
    for (const e of entries) {
      if (!e.trusted) push(this.untrustedByKind, e.kind, e);
      if (!e.name) continue;
      const byNamespace = this.index.row(e.kind);
      const names = byNamespace.get(e.namespace);
      if (names) names.set(e.name, e);
      else byNamespace.set(e.namespace, new Map([[e.name, e]]));
    }
  }

  /** Objects under validation, upstream installs (trusted) left out; in input order. Do not modify the list. */
  public untrusted(kind: string, group?: string): Entry[] {
    const ofKind = this.untrustedByKind.get(kind) ?? [];
    if (group === undefined) return ofKind;
    const byGroup = this.untrustedByKindAndGroup.row(kind);
    let ofGroup = byGroup.get(group);
    if (!ofGroup) {
      ofGroup = ofKind.filter(e => e.group === group);
      byGroup.set(group, ofGroup);
    }
    return ofGroup;
  }

  public find(kind: string, namespace: string, name: string): Entry | undefined {
    return this.index.get(kind, namespace)?.get(name);
  }

  /** Objects of that kind and name in namespaces other than the given one (to explain a namespace mismatch). */
  public elsewhere(kind: string, namespace: string, name: string): Entry[] {
    return (this.namedEntries(kind).byName.get(name) ?? []).filter(e => e.namespace !== namespace);
  }

  /** Objects of that kind in the namespace (to tell a mistyped name from an object outside the set). */
  public inNamespace(kind: string, namespace: string): Entry[] {
    return this.namedEntries(kind).byNamespace.get(namespace) ?? [];
  }

  /** The named entries of a kind by name and by namespace, in input order (indexed for the kinds asked about). */
  private namedEntries(kind: string): NamedEntries {
    let named = this.namedOfKind.get(kind);
    if (!named) {
      named = { byName: new Map(), byNamespace: new Map() };
      for (const e of this.entries) {
        if (e.kind !== kind || !e.name) continue;
        push(named.byName, e.name, e);
        push(named.byNamespace, e.namespace, e);
      }
      this.namedOfKind.set(kind, named);
    }
    return named;
  }

  public isExternal(kind: string, namespace: string, name: string): boolean {
    return this.options.externalRefs.has(refKey(kind, namespace, name));
  }

  public report(entry: Entry, severity: Severity, path: string, message: string, fix: string): void {
    this.findings.push({
      severity,
      kind: entry.kind,
      ...(entry.namespace ? { namespace: entry.namespace } : {}),
      ...(entry.name ? { name: entry.name } : {}),
      path,
      message,
      fix,
      docIndex: entry.index,
    });
  }

  public error(entry: Entry, path: string, message: string, fix: string): void {
    this.report(entry, 'error', path, message, fix);
  }

  public warning(entry: Entry, path: string, message: string, fix: string): void {
    this.report(entry, 'warning', path, message, fix);
  }
}

/** Narrowing helpers for plain manifest data. */
export type Obj = Readonly<Record<string, unknown>>;

export function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function obj(v: unknown): Obj | undefined {
  return isObj(v) ? v : undefined;
}

export function objects(v: unknown): Obj[] {
  return Array.isArray(v) ? v.filter(isObj) : [];
}

export function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

/** A nested object by keys, or undefined when any step is missing or not an object. */
export function dig(v: unknown, k1: string, k2?: string, k3?: string, k4?: string, k5?: string): Obj | undefined {
  // Named parameters, not a rest array: rules call this for every object of a set.
  let cur = isObj(v) ? v[k1] : undefined;
  if (k2 !== undefined) cur = isObj(cur) ? cur[k2] : undefined;
  if (k3 !== undefined) cur = isObj(cur) ? cur[k3] : undefined;
  if (k4 !== undefined) cur = isObj(cur) ? cur[k4] : undefined;
  if (k5 !== undefined) cur = isObj(cur) ? cur[k5] : undefined;
  return obj(cur);
}

/** Displays a namespace for messages: the empty namespace is the chart's unset one. */
export function showNamespace(namespace: string): string {
  return namespace ? JSON.stringify(namespace) : '(no namespace)';
}
