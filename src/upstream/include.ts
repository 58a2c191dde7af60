import { ApiObject, Chart, JsonPatch } from 'cdk8s';
import { Construct } from 'constructs';
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

  constructor(scope: Construct, id: string, public readonly document: Manifest) {
    super(scope, id, document);
    Object.defineProperty(this, UPSTREAM, { value: true });
  }

  public addJsonPatch(...ops: JsonPatch[]): void {
    this.patched = true;
    super.addJsonPatch(...ops);
  }

  public toJson(): any {
    if (!this.patched && Object.keys(Chart.of(this).labels).length === 0) return this.document;
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
  return manifest.docs.map(doc => new UpstreamObject(scope, idOf(doc), doc));
}
