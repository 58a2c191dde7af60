import { ApiObject } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { PropErrors } from './private/errors';
import { declareExisting, installChecked } from './private/install';
import { checkVersion, unknownVersionError, versionRecord } from './private/version';
import { VersionAdvisory } from './version-advisory';

/**
 * A cert-manager release of the catalog, with its record: install manifest, digest, images and advisories. The
 * one place a cert-manager version's facts live.
 */
export class CertManagerVersion {
  /** v1.19.4. */
  public static readonly V1_19_4 = new CertManagerVersion('1.19.4');

  /**
   * The catalog's release with this version number (with or without the `v` of its tag).
   *
   * @example CertManagerVersion.of('v1.19.4') // === CertManagerVersion.V1_19_4
   */
  public static of(version: string): CertManagerVersion {
    const found = CertManagerVersion.all().find(v => typeof version === 'string' && v.version === version.replace(/^v/, ''));
    if (!found) throw unknownVersionError('CertManagerVersion', 'cert-manager', 'cert-manager', version);
    return found;
  }

  /** Every release of the catalog, oldest first. */
  public static all(): CertManagerVersion[] {
    return [CertManagerVersion.V1_19_4];
  }

  /** The version number without the tag's `v`, e.g. `1.19.4`. */
  public readonly version: string;
  /** The official install manifest of the release. */
  public readonly manifestUrl: string;
  /** The sha256 of the install manifest this library accepts. */
  public readonly manifestSha256: string;
  /** The images the install runs, pinned to the release. */
  public readonly images: string[];
  /** Known bugs of this release that affect backups or restores (synth warns about each). */
  public readonly advisories: VersionAdvisory[];

  private constructor(version: string) {
    const record = versionRecord('cert-manager', version);
    this.version = version;
    this.manifestUrl = record.release.url;
    this.manifestSha256 = record.release.sha256[0];
    this.images = [...record.release.images];
    this.advisories = record.advisories;
  }

  /** The version number. */
  public toString(): string {
    return this.version;
  }
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
    checkVersion(errors, version, v => v instanceof CertManagerVersion, 'CertManagerVersion', 'cert-manager', 'cert-manager');
    this.version = version;
    // With prop errors (reported at synth with the app's others) nothing is installed.
    const installed = installChecked(this, errors, 'cert-manager', version, props.manifestFile, 'cert-manager');
    this.manifestSha256 = installed?.manifestSha256 ?? '';
    this.apiObjects = installed?.apiObjects ?? [];
  }
}

/** A cert-manager installed elsewhere: a version, no objects. */
class ExistingCertManager extends Construct implements ICertManager {
  public readonly version: CertManagerVersion;
  public readonly external = true;

  constructor(scope: Construct, id: string, options: ExistingCertManagerOptions) {
    super(scope, id);
    const errors = new PropErrors(this);
    checkVersion(errors, options?.version, v => v instanceof CertManagerVersion, 'CertManagerVersion', 'cert-manager', 'cert-manager');
    this.version = options?.version;
    declareExisting(this, errors, 'cert-manager', this.version);
  }
}
