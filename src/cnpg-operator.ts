import { ApiObject } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { PropErrors } from './private/errors';
import { declareExisting, installChecked } from './private/install';
import { checkVersion, unknownVersionError, versionRecord } from './private/version';
import { OPERATOR_NAMESPACE, releaseHas } from './upstream/catalog';
import { VersionAdvisory } from './version-advisory';

/** CNPG capabilities that depend on the release: ask a version with `CnpgVersion.supports(feature)`. */
export enum CnpgFeature {
  /** A UTC recovery target time reaches PostgreSQL with `+00:00` (1.28.0 writes a `Z` PostgreSQL refuses, #10819). */
  UTC_TARGET_TIME = 'utc-target-time',
  /** A recovery target time without a zone is read as UTC (CNPG #8937; before, in the pod's time zone). */
  ZONELESS_TARGET_TIME_AS_UTC = 'zoneless-target-time-as-utc',
  /** A restore follows the archive's later timelines (cloudnative-pg #10818; 1.28.4, 1.29.2 and later). */
  RESTORE_FOLLOWS_TIMELINES = 'restore-follows-timelines',
  /** The webhook accepts `azureCredentials.useDefaultAzureCredentials`. */
  AZURE_DEFAULT_CREDENTIALS = 'azure-default-credentials',
  /** The webhook refuses a `targetXID` that is no 32-bit transaction id (1.28.4, 1.29.1 and later). */
  TARGET_XID_CHECKED = 'target-xid-checked',
}

/**
 * A CloudNativePG operator release of the catalog, with its record: install manifest, digest, image, advisories
 * and capabilities. The one place a CNPG version's facts live.
 */
export class CnpgVersion {
  /**
   * 1.28.0 (the seed's version; takes a target time without offset in the pod's time zone, hands an RFC 3339 UTC
   * target to PostgreSQL with a `Z` it refuses, and has the restore-timeline bug cloudnative-pg #10818).
   */
  public static readonly V1_28_0 = new CnpgVersion('1.28.0');
  /** 1.28.1 (has cloudnative-pg #10818 and #11032; prefer 1.28.4). */
  public static readonly V1_28_1 = new CnpgVersion('1.28.1');
  /** 1.28.4: the newest 1.28 patch, with the restore-timeline fix (#10818) and the switchover fix (#11032). */
  public static readonly V1_28_4 = new CnpgVersion('1.28.4');
  /** 1.29.1 (has cloudnative-pg #10818 and #11032; prefer 1.29.2). */
  public static readonly V1_29_1 = new CnpgVersion('1.29.1');
  /** 1.29.2: the newest 1.29 patch, with the fixes of 1.28.4. */
  public static readonly V1_29_2 = new CnpgVersion('1.29.2');
  /** 1.30.0. */
  public static readonly V1_30_0 = new CnpgVersion('1.30.0');

  /**
   * The catalog's release with this version number (what `helm list` or the operator's image tag shows).
   *
   * @example CnpgVersion.of('1.28.4') // === CnpgVersion.V1_28_4
   */
  public static of(version: string): CnpgVersion {
    const found = CnpgVersion.all().find(v => typeof version === 'string' && v.version === version.replace(/^v/, ''));
    if (!found) throw unknownVersionError('CnpgVersion', 'CNPG', 'cnpg', version);
    return found;
  }

  /** Every release of the catalog, oldest first. */
  public static all(): CnpgVersion[] {
    return [CnpgVersion.V1_28_0, CnpgVersion.V1_28_1, CnpgVersion.V1_28_4, CnpgVersion.V1_29_1, CnpgVersion.V1_29_2, CnpgVersion.V1_30_0];
  }

  /** The version number, e.g. `1.28.4`. */
  public readonly version: string;
  /** The official install manifest of the release. */
  public readonly manifestUrl: string;
  /** The sha256 of the install manifest this library accepts. */
  public readonly manifestSha256: string;
  /** The controller image, pinned to the release. */
  public readonly image: string;
  /** Known bugs of this release that affect backups or restores (synth warns about each). */
  public readonly advisories: VersionAdvisory[];

  private constructor(version: string) {
    const record = versionRecord('cnpg', version);
    this.version = version;
    this.manifestUrl = record.release.url;
    this.manifestSha256 = record.release.sha256[0];
    this.image = record.release.images[0];
    this.advisories = record.advisories;
  }

  /** Whether this release has a capability. */
  public supports(feature: CnpgFeature): boolean {
    return releaseHas('cnpg', this.version, feature);
  }

  /** The version number. */
  public toString(): string {
    return this.version;
  }
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
    checkVersion(errors, version, v => v instanceof CnpgVersion, 'CnpgVersion', 'CNPG', 'cnpg');
    this.version = version;
    this.namespace = OPERATOR_NAMESPACE;
    // With prop errors (reported at synth with the app's others) nothing is installed.
    const installed = installChecked(this, errors, 'cnpg', version, props.manifestFile, 'cnpg-controller-manager');
    this.image = installed ? version.image : '';
    this.manifestSha256 = installed?.manifestSha256 ?? '';
    this.apiObjects = installed?.apiObjects ?? [];
  }
}

/** An operator installed elsewhere: a version and a namespace, no objects. */
class ExistingCnpgOperator extends Construct implements ICnpgOperator {
  public readonly version: CnpgVersion;
  public readonly namespace: string;

  constructor(scope: Construct, id: string, options: ExistingCnpgOperatorOptions) {
    super(scope, id);
    const errors = new PropErrors(this);
    checkVersion(errors, options?.version, v => v instanceof CnpgVersion, 'CnpgVersion', 'CNPG', 'cnpg');
    this.version = options?.version;
    this.namespace = options?.namespace ?? OPERATOR_NAMESPACE;
    declareExisting(this, errors, 'cnpg', this.version);
  }
}
