import { ApiObject, App, Chart, ImplicitTokenResolver, JsonPatch, LazyResolver, NumberStringUnionResolver, resolve } from 'cdk8s';
import { Construct } from 'constructs';
import { CLUSTER_SCOPED_KINDS, Manifest, UpstreamManifest } from './manifest';
import { loadPrerendered, PrerenderedText, withPrerendered } from './prerendered';

/** Marks API objects that come verbatim from a digest-verified upstream install. */
const UPSTREAM = Symbol.for('cdk8s-cnpg.UpstreamObject');

/**
 * One document of an upstream install. It synthesizes to the upstream document with its key order kept (cdk8s
 * would sort keys), never with the chart's namespace on a cluster-scoped object (cdk8s Include stamps it on CRDs
 * and ClusterRoles), and like any other object of the app: through the App's resolvers, with chart labels,
 * metadata changes and escape-hatch patches applied.
 */
export class UpstreamObject extends ApiObject {
  /** Whether an API object came from an upstream install. */
  public static isUpstreamObject(x: unknown): x is UpstreamObject {
    return typeof x === 'object' && x !== null && UPSTREAM in x;
  }

  private readonly escapePatches: JsonPatch[] = [];
  // Escape hatches may also change metadata (`ApiObject.of(x).metadata.addLabel(...)`): remember it as included.
  private readonly pristineMetadata: string;

  /**
   * @param rendering the document as cdk8s writes it, rendered at package time (`./prerendered`): written as is
   * when the object synthesizes unchanged
   */
  constructor(scope: Construct, id: string, public readonly document: Manifest, private readonly rendering?: PrerenderedText) {
    super(scope, id, document);
    Object.defineProperty(this, UPSTREAM, { value: true });
    this.pristineMetadata = JSON.stringify(this.metadata.toJson());
  }

  /** Whether an escape hatch changed this object (a patch, its metadata, or chart labels). */
  public get modified(): boolean {
    return this.escapePatches.length > 0 || Object.keys(Chart.of(this).labels).length > 0
      || JSON.stringify(this.metadata.toJson()) !== this.pristineMetadata;
  }

  public addJsonPatch(...ops: JsonPatch[]): void {
    this.escapePatches.push(...ops);
  }

  /**
   * Whether the object synthesizes as the upstream document, unchanged: no patch, metadata change or chart label,
   * and no resolver of the app's own (cdk8s's built-in resolvers leave parsed plain data as it is).
   */
  public get verbatim(): boolean {
    return !this.modified && App.of(this).resolvers.every(isBuiltInResolver);
  }

  public toJson(): any {
    try {
      // Unchanged, a parsed document is its own rendering, and its pre-rendered YAML (when the package has it)
      // is what cdk8s writes for it. Any other resolver sees every value, as in any object.
      if (this.verbatim) return this.rendering ? withPrerendered(this.document, this.rendering) : this.document;
      const metadataChanged = JSON.stringify(this.metadata.toJson()) !== this.pristineMetadata
        || Object.keys(Chart.of(this).labels).length > 0;
      const metadata = metadataChanged ? this.metadata.toJson() : this.document.metadata;
      // `resolve` copies every object and array it walks, so patches never reach the shared, frozen document.
      const resolved = resolve([], { ...this.document, metadata }, this);
      if (CLUSTER_SCOPED_KINDS.has(this.kind) && !this.document.metadata?.namespace) delete resolved.metadata.namespace;
      return this.escapePatches.length ? JsonPatch.apply(resolved, ...this.escapePatches) : resolved;
    } catch (e) {
      throw new Error(`[${this.node.path}] cannot render ${this.kind} ${JSON.stringify(this.name)}: ${(e as Error).message}`);
    }
  }
}

function isBuiltInResolver(r: unknown): boolean {
  return r instanceof LazyResolver || r instanceof ImplicitTokenResolver || r instanceof NumberStringUnionResolver;
}

/** A stable, readable construct id for an upstream document. */
function idOf(doc: Manifest): string {
  const ns = doc.metadata?.namespace ? `${doc.metadata.namespace}-` : '';
  return `${doc.kind}-${ns}${doc.metadata?.name ?? 'unnamed'}`.replace(/[^A-Za-z0-9.-]+/g, '-');
}

/** Adds every document of an upstream install under `scope`, in file order. */
export function includeUpstream(scope: Construct, manifest: UpstreamManifest): UpstreamObject[] {
  const rendered = loadPrerendered(manifest.sha256, manifest.docs);
  return manifest.docs.map((doc, i) => new UpstreamObject(scope, idOf(doc), doc, rendered?.[i]));
}
