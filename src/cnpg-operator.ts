import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { registerInstall } from './private/app-validation';
import { PropErrors } from './private/errors';
import { findRelease, OPERATOR_NAMESPACE } from './upstream/catalog';
import { includeUpstream } from './upstream/include';
import { loadUpstream } from './upstream/manifest';

/** CloudNativePG operator releases in the catalog. */
export enum CnpgVersion {
  /** 1.28.0 (the seed's version; takes a target time without offset in the pod's time zone). */
  V1_28_0 = '1.28.0',
  /** 1.28.1. */
  V1_28_1 = '1.28.1',
  /** 1.29.1. */
  V1_29_1 = '1.29.1',
  /** 1.30.0. */
  V1_30_0 = '1.30.0',
}

/** Props for `CnpgOperator`. */
export interface CnpgOperatorProps {
  /**
   * The operator release to install.
   * @default CnpgVersion.V1_30_0
   */
  readonly version?: CnpgVersion;
  /**
   * An explicit copy of the release's install manifest (`cnpg-<version>.yaml`); it is verified by sha256.
   * @default - found in $CDK8S_CNPG_UPSTREAM_DIR, the copy bundled into this package, the user cache, or downloaded
   */
  readonly manifestFile?: string;
}

/**
 * Installs the CloudNativePG operator from its upstream manifest, verified by sha256: CRDs, RBAC, webhooks and
 * the controller Deployment in `cnpg-system`. Cluster-scoped objects carry no namespace. Apply with
 * `kubectl apply --server-side` (the Poolers CRD is over the client-side annotation limit).
 *
 * @see https://cloudnative-pg.io/documentation/current/installation_upgrade/
 */
export class CnpgOperator extends Construct {
  /** The installed release. */
  public readonly version: CnpgVersion;
  /** The namespace the operator runs in; the Barman Cloud plugin must run here too. */
  public readonly namespace: string;
  /** The controller image, pinned to the release. */
  public readonly image: string;
  /** The sha256 of the install manifest used. */
  public readonly manifestSha256: string;
  /** The included upstream objects, in manifest order. */
  public readonly apiObjects: ApiObject[];

  constructor(scope: Construct, id: string, props: CnpgOperatorProps = {}) {
    super(scope, id);
    const errors = new PropErrors(this);
    const version = props.version ?? CnpgVersion.V1_30_0;
    if (!Object.values(CnpgVersion).includes(version)) {
      errors.add('version', 'is not a supported CNPG version', version, `use one of ${Object.keys(CnpgVersion).map(k => `CnpgVersion.${k}`).join(', ')}`);
    }
    errors.throwIfAny();

    const release = findRelease('cnpg', version);
    const manifest = loadUpstream(release, props.manifestFile);
    this.version = version;
    this.namespace = OPERATOR_NAMESPACE;
    this.image = release.images[0];
    this.manifestSha256 = manifest.sha256;
    this.apiObjects = includeUpstream(this, manifest);
    // The controller Deployment is the escape hatch's target: `ApiObject.of(operator)`.
    this.node.defaultChild = this.apiObjects.find(o => o.kind === 'Deployment');
    registerInstall(this, { component: 'cnpg', version });
  }
}
