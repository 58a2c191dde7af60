import { ApiObject } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { registerVersion } from './private/app-validation';
import { PropErrors } from './private/errors';
import { checkVersion, installUpstream } from './private/install';

/** cert-manager releases in the catalog. */
export enum CertManagerVersion {
  /** v1.19.4. */
  V1_19_4 = '1.19.4',
}

/** Props for `CertManager`. */
export interface CertManagerProps {
  /**
   * The release to install.
   * @default CertManagerVersion.V1_19_4
   */
  readonly version?: CertManagerVersion;
  /**
   * An explicit copy of the release's `cert-manager.yaml`; it is verified by sha256.
   * @default - found in $CDK8S_CNPG_UPSTREAM_DIR, the copy bundled into this package, the user cache, or downloaded
   */
  readonly manifestFile?: string;
}

/** A cert-manager the Barman Cloud plugin relies on: installed by this app, or elsewhere. */
export interface ICertManager extends IConstruct {
  /** The release the cluster runs; the app's cert-manager objects are validated against it. */
  readonly version: CertManagerVersion;
  /** Whether this cert-manager is installed outside this app. */
  readonly external: boolean;
}

/** Options for `CertManager.fromExisting`. */
export interface ExistingCertManagerOptions {
  /** The release the cluster runs. */
  readonly version: CertManagerVersion;
}

/**
 * Installs cert-manager from its upstream static manifest, verified by sha256. The Barman Cloud plugin needs it
 * for its TLS certificates. Leave it out when your cluster already runs cert-manager, and declare that with
 * `CertManager.fromExisting(scope, id, { version })`.
 *
 * @see https://cert-manager.io/docs/installation/kubectl/
 */
export class CertManager extends Construct implements ICertManager {
  /**
   * A cert-manager installed outside this app: it adds no object, and the app's cert-manager objects are
   * validated against its version.
   *
   * @example new BarmanPlugin(chart, 'Plugin', { operator, certManager: CertManager.fromExisting(chart, 'CertManager', { version: CertManagerVersion.V1_19_4 }) })
   */
  public static fromExisting(scope: Construct, id: string, options: ExistingCertManagerOptions): ICertManager {
    return new ExistingCertManager(scope, id, options);
  }

  public readonly external = false;
  /** The installed release. */
  public readonly version: CertManagerVersion;
  /** The namespace cert-manager runs in. */
  public readonly namespace = 'cert-manager';
  /** The sha256 of the install manifest used. */
  public readonly manifestSha256: string;
  /** The included upstream objects, in manifest order. */
  public readonly apiObjects: ApiObject[];

  constructor(scope: Construct, id: string, props: CertManagerProps = {}) {
    super(scope, id);
    const errors = new PropErrors(this);
    const version = props.version ?? CertManagerVersion.V1_19_4;
    checkVersion(errors, version, CertManagerVersion, 'CertManagerVersion', 'cert-manager');
    errors.throwIfAny();

    const installed = installUpstream(this, 'cert-manager', version, props.manifestFile, 'cert-manager');
    this.version = version;
    this.manifestSha256 = installed.manifestSha256;
    this.apiObjects = installed.apiObjects;
  }
}

/** A cert-manager installed elsewhere: a version, no objects. */
class ExistingCertManager extends Construct implements ICertManager {
  public readonly version: CertManagerVersion;
  public readonly external = true;

  constructor(scope: Construct, id: string, options: ExistingCertManagerOptions) {
    super(scope, id);
    const errors = new PropErrors(this);
    checkVersion(errors, options?.version, CertManagerVersion, 'CertManagerVersion', 'cert-manager');
    errors.throwIfAny();
    this.version = options.version;
    registerVersion(this, 'cert-manager', this.version, false);
  }
}
