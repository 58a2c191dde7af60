import type * as JsYaml from 'js-yaml';
import { findRelease, UpstreamComponent, UpstreamRelease } from './catalog';
import { parsedPath, requireDerived } from './derived';
import { LocatedManifest, locateManifest } from './locate';

/** A Kubernetes object as plain data. */
export interface Manifest {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata?: { readonly name?: string; readonly namespace?: string; readonly [key: string]: unknown };
  readonly [key: string]: unknown;
}

/** A located, verified and parsed upstream install. */
export interface UpstreamManifest extends LocatedManifest {
  /** The documents, in file order, parsed once per process. Treat as read-only. */
  readonly docs: readonly Manifest[];
}

/** Kinds that are cluster-scoped in the upstream installs (they must never carry a namespace). */
export const CLUSTER_SCOPED_KINDS: ReadonlySet<string> = new Set([
  'Namespace', 'CustomResourceDefinition', 'ClusterRole', 'ClusterRoleBinding',
  'MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration', 'ClusterIssuer', 'APIService',
  'PriorityClass', 'StorageClass', 'ClusterImageCatalog',
]);

// Parsing a megabyte of YAML is the costliest step of a synth: do it once per file digest and process.
const parsed = new Map<string, readonly Manifest[]>();

/** Parses YAML documents the way Kubernetes reads them (core schema: timestamps stay strings). */
export function parseYamlDocuments(text: string): Manifest[] {
  // Loaded here, not at the top: the catalog's releases are read from derived/parsed without it.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const yaml = require('js-yaml') as typeof JsYaml;
  return yaml.loadAll(text, undefined, { schema: yaml.CORE_SCHEMA })
    .filter((d): d is Manifest => d !== null && d !== undefined && typeof d === 'object');
}

/**
 * The documents of a verified file: for a release of the catalog, as parsed at package time (`derived/parsed`,
 * loaded with `require`, several times faster than the YAML parses); for any other verified file, parsed here.
 */
function parseVerified(sha256: string, text: string): Manifest[] {
  return requireDerived<Manifest[]>(parsedPath(sha256)) ?? parseYamlDocuments(text);
}

/**
 * Freezes a JSON-like tree all the way down, for data shared by many readers (parsed upstream installs, CRD
 * defaults). Frozen nodes are skipped, so shared subtrees are visited once. Indexes and for-in: no array of
 * values per node.
 */
export function deepFreeze<T>(node: T): T {
  if (typeof node !== 'object' || node === null || Object.isFrozen(node)) return node;
  Object.freeze(node);
  if (Array.isArray(node)) {
    for (let i = 0; i < node.length; i++) deepFreeze(node[i]);
  } else {
    for (const key in node) deepFreeze((node as Record<string, unknown>)[key]);
  }
  return node;
}

/** How an upstream install is loaded. */
export interface LoadOptions {
  /** Whether a first-use digest may be recorded in the app's lock file (synth only, never `validate`). @default false */
  readonly recordFirstUse?: boolean;
}

/** Locates, verifies and parses a release's install manifest. */
export function loadUpstream(release: UpstreamRelease, explicitFile?: string, options: LoadOptions = {}): UpstreamManifest {
  const located = locateManifest(release, explicitFile, { parse: parseYamlDocuments, recordFirstUse: options.recordFirstUse });
  const { verifiedDocs, ...rest } = located;
  let docs = parsed.get(located.sha256);
  if (!docs) {
    // Frozen: upstream documents are shared by every construct that includes them.
    docs = deepFreeze(verifiedDocs ?? parseVerified(located.sha256, located.text));
    parsed.set(located.sha256, docs);
  }
  return { ...rest, docs };
}

/** Shorthand: load by component and version. */
export function loadUpstreamVersion(component: UpstreamComponent, version: string, explicitFile?: string): UpstreamManifest {
  return loadUpstream(findRelease(component, version), explicitFile);
}

/** The CustomResourceDefinitions an install carries. */
export function crdsOf(manifest: UpstreamManifest): Manifest[] {
  return manifest.docs.filter(d => d.kind === 'CustomResourceDefinition');
}

/** Every container image referenced by an install's workloads (including the plugin's sidecar image). */
export function imagesOf(manifest: UpstreamManifest): string[] {
  const images = new Set<string>();
  const visit = (node: unknown, key?: string): void => {
    if (typeof node === 'string') {
      if (key === 'image') images.add(node);
      return;
    }
    if (Array.isArray(node)) node.forEach(n => visit(n));
    else if (node && typeof node === 'object') for (const [k, v] of Object.entries(node)) visit(v, k);
  };
  for (const doc of manifest.docs) if (doc.kind === 'Deployment') visit(doc.spec);
  return [...images].sort();
}
