import { ApiObject, Chart, JsonPatch, Yaml } from 'cdk8s';
import { Construct } from 'constructs';
import { packageVersion, readDerived, writeDerived } from './disk-cache';
import { CLUSTER_SCOPED_KINDS, Manifest, UpstreamManifest } from './manifest';

/** Marks API objects that come verbatim from a digest-verified upstream install. */
const UPSTREAM = Symbol.for('cdk8s-cnpg.UpstreamObject');

/**
 * One document of an upstream install. It synthesizes to the upstream document as is: no re-resolution, no
 * key sorting, and never the chart's namespace on a cluster-scoped object (cdk8s Include stamps it on CRDs and
 * ClusterRoles). Escape-hatch patches and chart labels still apply, through the regular ApiObject path.
 */
export class UpstreamObject extends ApiObject {
  /** Whether an API object came from an upstream install. */
  public static isUpstreamObject(x: unknown): x is UpstreamObject {
    return typeof x === 'object' && x !== null && UPSTREAM in x;
  }

  private patched = false;
  // Escape hatches may also change metadata (`ApiObject.of(x).metadata.addLabel(...)`): remember it as included.
  private readonly pristineMetadata: string;

  constructor(scope: Construct, id: string, public readonly document: Manifest) {
    super(scope, id, document);
    Object.defineProperty(this, UPSTREAM, { value: true });
    this.pristineMetadata = JSON.stringify(this.metadata.toJson());
  }

  public addJsonPatch(...ops: JsonPatch[]): void {
    this.patched = true;
    super.addJsonPatch(...ops);
  }

  public toJson(): any {
    const unchanged = !this.patched && Object.keys(Chart.of(this).labels).length === 0
      && JSON.stringify(this.metadata.toJson()) === this.pristineMetadata;
    if (unchanged) return this.document;
    const json = super.toJson();
    if (CLUSTER_SCOPED_KINDS.has(this.kind) && !this.document.metadata?.namespace) delete json.metadata.namespace;
    return json;
  }
}

/** A stable, readable construct id for an upstream document. */
function idOf(doc: Manifest): string {
  const ns = doc.metadata?.namespace ? `${doc.metadata.namespace}-` : '';
  return `${doc.kind}-${ns}${doc.metadata?.name ?? 'unnamed'}`.replace(/[^A-Za-z0-9.-]+/g, '-');
}

/** Adds every document of an upstream install under `scope`, in file order. */
export function includeUpstream(scope: Construct, manifest: UpstreamManifest): UpstreamObject[] {
  renderOnce(manifest);
  return manifest.docs.map(doc => new UpstreamObject(scope, idOf(doc), doc));
}

/*
 * Rendering a megabyte of unchanged upstream YAML is the costliest step of a synth. The text cdk8s writes for a
 * document depends only on the document (frozen, and identified by the file's digest and its position) and on
 * the versions of cdk8s and its YAML library; so it is rendered once by cdk8s's own `Yaml.stringify`, kept in the
 * user cache, and handed back for exactly those document objects. Everything else renders as before, and the
 * output is byte-identical (a test holds it).
 */
const renderedText = new WeakMap<object, string>();
const renderedFiles = new Set<string>();
const cdk8sStringify = Yaml.stringify.bind(Yaml);

function renderKey(sha256: string): string {
  const cdk8s = require.resolve('cdk8s');
  return `${sha256}.cdk8s-${packageVersion('cdk8s')}.yaml-${packageVersion('yaml', cdk8s)}.json`;
}

function renderOnce(manifest: UpstreamManifest): void {
  if (renderedFiles.has(manifest.sha256)) return;
  renderedFiles.add(manifest.sha256);
  const key = renderKey(manifest.sha256);
  let texts: string[] | undefined;
  try {
    const cached = readDerived('rendered', key);
    texts = cached === undefined ? undefined : JSON.parse(cached);
  } catch {
    texts = undefined;
  }
  if (!Array.isArray(texts) || texts.length !== manifest.docs.length) {
    texts = manifest.docs.map(doc => cdk8sStringify(doc));
    writeDerived('rendered', key, JSON.stringify(texts));
  }
  manifest.docs.forEach((doc, i) => renderedText.set(doc, texts![i]));
}

Yaml.stringify = (...docs: any[]): string =>
  docs.map(doc => (doc !== null && typeof doc === 'object' && renderedText.get(doc)) || cdk8sStringify(doc)).join('---\n');
