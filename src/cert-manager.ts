import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
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

/** A cert-manager installation the Barman Cloud plugin can rely on. */
export interface ICertManager {
  /** Whether this cert-manager is installed outside this app. */
  readonly external: boolean;
}

/**
 * Installs cert-manager from its upstream static manifest, verified by sha256. The Barman Cloud plugin needs it
 * for its TLS certificates. Leave it out when your cluster already runs cert-manager, and declare that with
 * `CertManager.fromExisting()`.
 *
 * @see https://cert-manager.io/docs/installation/kubectl/
 */
export class CertManager extends Construct implements ICertManager {
  /**
   * A cert-manager that is already installed in the cluster.
   *
   * @example new BarmanPlugin(chart, 'Plugin', { operator, certManager: CertManager.fromExisting() })
   */
  public static fromExisting(): ICertManager {
    return { external: true };
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
