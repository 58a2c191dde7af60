import { ApiObject } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { registerVersion } from './private/app-validation';
import { PropErrors } from './private/errors';
import { checkVersion, installUpstream } from './private/install';
import { OPERATOR_NAMESPACE } from './upstream/catalog';

/** CloudNativePG operator releases in the catalog. */
export enum CnpgVersion {
  /**
   * 1.28.0 (the seed's version; takes a target time without offset in the pod's time zone, hands an RFC 3339 UTC
   * target to PostgreSQL with a `Z` it refuses, and has the restore-timeline bug cloudnative-pg #10818).
   */
  V1_28_0 = '1.28.0',
  /** 1.28.1 (has cloudnative-pg #10818 and #11032; prefer 1.28.4). */
  V1_28_1 = '1.28.1',
  /** 1.28.4: the newest 1.28 patch, with the restore-timeline fix (#10818) and the switchover fix (#11032). */
  V1_28_4 = '1.28.4',
  /** 1.29.1 (has cloudnative-pg #10818 and #11032; prefer 1.29.2). */
  V1_29_1 = '1.29.1',
  /** 1.29.2: the newest 1.29 patch, with the fixes of 1.28.4. */
  V1_29_2 = '1.29.2',
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

/** A CloudNativePG operator that the app's databases run under: installed by this app, or elsewhere. */
export interface ICnpgOperator extends IConstruct {
  /** The operator release the cluster runs; the app's CNPG objects are validated against it. */
  readonly version: CnpgVersion;
  /** The namespace the operator runs in; the Barman Cloud plugin must run here too. */
  readonly namespace: string;
}

/** Options for `CnpgOperator.fromExisting`. */
export interface ExistingCnpgOperatorOptions {
  /** The release the cluster runs (e.g. what `helm list -n cnpg-system` shows). */
  readonly version: CnpgVersion;
  /**
   * The namespace the operator runs in.
   * @default 'cnpg-system'
   */
  readonly namespace?: string;
}

/**
 * Installs the CloudNativePG operator from its upstream manifest, verified by sha256: CRDs, RBAC, webhooks and
 * the controller Deployment in `cnpg-system`. Cluster-scoped objects carry no namespace. Apply with
 * `kubectl apply --server-side` (the Poolers CRD is over the client-side annotation limit).
 *
 * @see https://cloudnative-pg.io/documentation/current/installation_upgrade/
 */
export class CnpgOperator extends Construct implements ICnpgOperator {
  /**
   * An operator installed outside this app (Helm, GitOps): it adds no object, and the app's CNPG objects are
   * validated against its version.
   *
   * @example CnpgOperator.fromExisting(chart, 'Cnpg', { version: CnpgVersion.V1_28_1 })
   */
  public static fromExisting(scope: Construct, id: string, options: ExistingCnpgOperatorOptions): ICnpgOperator {
    return new ExistingCnpgOperator(scope, id, options);
  }

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
    checkVersion(errors, version, CnpgVersion, 'CnpgVersion', 'CNPG');
    errors.throwIfAny();

    const installed = installUpstream(this, 'cnpg', version, props.manifestFile, 'cnpg-controller-manager');
    this.version = version;
    this.namespace = OPERATOR_NAMESPACE;
    this.image = installed.release.images[0];
    this.manifestSha256 = installed.manifestSha256;
    this.apiObjects = installed.apiObjects;
  }
}

/** An operator installed elsewhere: a version and a namespace, no objects. */
class ExistingCnpgOperator extends Construct implements ICnpgOperator {
  public readonly version: CnpgVersion;
  public readonly namespace: string;

  constructor(scope: Construct, id: string, options: ExistingCnpgOperatorOptions) {
    super(scope, id);
    const errors = new PropErrors(this);
    checkVersion(errors, options?.version, CnpgVersion, 'CnpgVersion', 'CNPG');
    errors.throwIfAny();
    this.version = options.version;
    this.namespace = options.namespace ?? OPERATOR_NAMESPACE;
    registerVersion(this, 'cnpg', this.version, false);
  }
}
