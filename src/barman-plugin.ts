import { ApiObject } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { ICertManager } from './cert-manager';
import { ICnpgOperator } from './cnpg-operator';
import { componentsIn } from './private/app-validation';
import { formatProblem, isNotRendered, PropErrors } from './private/errors';
import { declareExisting, installChecked } from './private/install';
import { checkVersion, unknownVersionError, versionRecord } from './private/version';
import { BARMAN_PLUGIN_NAME, OPERATOR_NAMESPACE, releaseHas } from './upstream/catalog';
import { VersionAdvisory } from './version-advisory';

/** Barman Cloud plugin capabilities that depend on the release: ask with `BarmanPluginVersion.supports(feature)`. */
export enum BarmanPluginFeature {
  /** lz4 compression for base backups (the ObjectStore CRD allows it from v0.13.0). */
  LZ4_BASE_BACKUPS = 'lz4-base-backups',
  /** `azureCredentials.useDefaultAzureCredentials`, the Azure SDK's default credential chain (v0.11.0). */
  AZURE_DEFAULT_CREDENTIALS = 'azure-default-credentials',
  /** A recovery target time without a zone is read as UTC (plugin #700, v0.10.0). */
  ZONELESS_TARGET_TIME_AS_UTC = 'zoneless-target-time-as-utc',
}

/**
 * A Barman Cloud plugin release of the catalog, with its record: install manifest, digest, images, advisories
 * and capabilities. The one place a plugin version's facts live.
 */
export class BarmanPluginVersion {
  /** v0.9.0 (the seed's version; has sidecar memory and WAL-archiving CPU bugs fixed in v0.10.0/v0.11.0). */
  public static readonly V0_9_0 = new BarmanPluginVersion('0.9.0');
  /** v0.14.0 (supports CNPG 1.26 and later). */
  public static readonly V0_14_0 = new BarmanPluginVersion('0.14.0');

  /**
   * The catalog's release with this version number (with or without the `v` of its tag).
   *
   * @example BarmanPluginVersion.of('v0.14.0') // === BarmanPluginVersion.V0_14_0
   */
  public static of(version: string): BarmanPluginVersion {
    const found = BarmanPluginVersion.all().find(v => typeof version === 'string' && v.version === version.replace(/^v/, ''));
    if (!found) throw unknownVersionError('BarmanPluginVersion', 'plugin', 'plugin-barman-cloud', version);
    return found;
  }

  /** Every release of the catalog, oldest first. */
  public static all(): BarmanPluginVersion[] {
    return [BarmanPluginVersion.V0_9_0, BarmanPluginVersion.V0_14_0];
  }

  /** The version number without the tag's `v`, e.g. `0.14.0`. */
  public readonly version: string;
  /** The official install manifest of the release. */
  public readonly manifestUrl: string;
  /** The sha256 of the install manifest this library accepts. */
  public readonly manifestSha256: string;
  /** The plugin and sidecar images, pinned to the release. */
  public readonly images: string[];
  /** Known bugs of this release that affect backups or restores (synth warns about each). */
  public readonly advisories: VersionAdvisory[];

  private constructor(version: string) {
    const record = versionRecord('plugin-barman-cloud', version);
    this.version = version;
    this.manifestUrl = record.release.url;
    this.manifestSha256 = record.release.sha256[0];
    this.images = [...record.release.images];
    this.advisories = record.advisories;
  }

  /** Whether this release has a capability. */
  public supports(feature: BarmanPluginFeature): boolean {
    return releaseHas('plugin-barman-cloud', this.version, feature);
  }

  /** The version number. */
  public toString(): string {
    return this.version;
  }
}

/** Props for `BarmanPlugin`. */
export interface BarmanPluginProps {
  /**
   * The release to install.
   * @default BarmanPluginVersion.V0_14_0
   */
  readonly version?: BarmanPluginVersion;
  /**
   * The operator this plugin serves; the plugin runs in its namespace.
   * @default - the operator namespace `cnpg-system`
   */
  readonly operator?: ICnpgOperator;
  /**
   * The namespace to install into. The plugin must run in the operator's namespace (otherwise clusters fail
   * with "requested plugin is not available"), so any other value is an error.
   * @default - the operator's namespace
   */
  readonly namespace?: string;
  /**
   * The cert-manager the plugin's certificates rely on: a `CertManager`, or `CertManager.fromExisting(...)`.
   * @default - the cert-manager the app installs or declares; synth fails when there is none
   */
  readonly certManager?: ICertManager;
  /**
   * An explicit copy of the release's `manifest.yaml`; verified by sha256 (or the lock file for a download).
   * @default - found in $CDK8S_CNPG_UPSTREAM_DIR, the copy bundled into this package, the user cache, or downloaded
   */
  readonly manifestFile?: string;
}

/** A Barman Cloud plugin that the app's databases archive through: installed by this app, or elsewhere. */
export interface IBarmanPlugin extends IConstruct {
  /** The release the cluster runs; the app's ObjectStores are validated against it. */
  readonly version: BarmanPluginVersion;
  /** The namespace the plugin runs in (the operator's). */
  readonly namespace: string;
}

/** Options for `BarmanPlugin.fromExisting`. */
export interface ExistingBarmanPluginOptions {
  /** The release the cluster runs. */
  readonly version: BarmanPluginVersion;
  /**
   * The namespace the plugin runs in (the operator's).
   * @default 'cnpg-system'
   */
  readonly namespace?: string;
}

/**
 * Installs the Barman Cloud CNPG-I plugin (`barman-cloud.cloudnative-pg.io`) from its upstream manifest, in the
 * operator's namespace, with images pinned to the release. It needs cert-manager.
 *
 * @see https://cloudnative-pg.io/plugin-barman-cloud/docs/installation/
 */
export class BarmanPlugin extends Construct implements IBarmanPlugin {
  /** The plugin's name as clusters reference it. */
  public static readonly PLUGIN_NAME = BARMAN_PLUGIN_NAME;

  /**
   * A plugin installed outside this app (Helm, GitOps): it adds no object, and the app's ObjectStores are
   * validated against its version.
   *
   * @example BarmanPlugin.fromExisting(chart, 'BarmanPlugin', { version: BarmanPluginVersion.V0_14_0 })
   */
  public static fromExisting(scope: Construct, id: string, options: ExistingBarmanPluginOptions): IBarmanPlugin {
    return new ExistingBarmanPlugin(scope, id, options);
  }

  /** The installed release. */
  public readonly version: BarmanPluginVersion;
  /** The namespace the plugin runs in (the operator's). */
  public readonly namespace: string;
  /** The plugin and sidecar images, pinned to the release. */
  public readonly images: string[];
  /** The sha256 of the install manifest used. */
  public readonly manifestSha256: string;
  /** The included upstream objects, in manifest order. */
  public readonly apiObjects: ApiObject[];

  constructor(scope: Construct, id: string, props: BarmanPluginProps = {}) {
    super(scope, id);
    const errors = new PropErrors(this);
    const version = props.version ?? BarmanPluginVersion.V0_14_0;
    checkVersion(errors, version, v => v instanceof BarmanPluginVersion, 'BarmanPluginVersion', 'plugin', 'plugin-barman-cloud');
    const operatorNamespace = props.operator?.namespace ?? OPERATOR_NAMESPACE;
    if (props.namespace !== undefined && props.namespace !== operatorNamespace) {
      errors.add('namespace', `must be the operator's namespace ${JSON.stringify(operatorNamespace)}: the plugin only serves the operator in its own namespace`,
        props.namespace, `remove namespace, or use ${JSON.stringify(operatorNamespace)}; your clusters can live in any namespace`);
    }
    if (operatorNamespace !== OPERATOR_NAMESPACE) {
      errors.add('operator', `runs in ${JSON.stringify(operatorNamespace)}, and the plugin's upstream manifest installs into ${JSON.stringify(OPERATOR_NAMESPACE)} (the plugin must share the operator's namespace)`,
        operatorNamespace, 'install the plugin next to that operator yourself and declare it with `BarmanPlugin.fromExisting(scope, id, { version, namespace })`');
    }
    this.version = version;
    this.namespace = operatorNamespace;
    // With prop errors (reported at synth with the app's others) nothing is installed.
    const installed = installChecked(this, errors, 'plugin-barman-cloud', version, props.manifestFile, 'barman-cloud');
    this.images = installed ? [...installed.release.images] : [];
    this.manifestSha256 = installed?.manifestSha256 ?? '';
    this.apiObjects = installed?.apiObjects ?? [];
    if (!installed) return;

    // Checked on the finished app: a cert-manager can be added or declared after the plugin.
    const certManager = props.certManager;
    this.node.addValidation({
      validate: () => {
        const declared = componentsIn(this, 'cert-manager');
        // A cert-manager whose own props are wrong is reported by itself.
        if (isNotRendered(certManager)) return [];
        if (certManager !== undefined && !declared.includes(certManager)) {
          return [formatProblem('certManager', 'is not a cert-manager of this app', describe(certManager),
            'pass a `new CertManager(chart, "CertManager")` of this app, or `CertManager.fromExisting(chart, "CertManager", { version })`')];
        }
        if (declared.length > 0) return [];
        return [formatProblem('certManager', 'the plugin needs cert-manager, and this app neither installs nor declares one', undefined,
          'add `new CertManager(chart, "CertManager")`, or declare the installed one with `CertManager.fromExisting(chart, "CertManager", { version: CertManagerVersion.V1_19_4 })`')];
      },
    });
  }
}

/** How a value passed as a construct is shown: its path when it is one, else its JSON. */
function describe(x: unknown): unknown {
  const node = (x as IConstruct | undefined)?.node;
  return node && typeof node.path === 'string' ? `construct ${node.path}` : x;
}

/** A plugin installed elsewhere: a version and a namespace, no objects. */
class ExistingBarmanPlugin extends Construct implements IBarmanPlugin {
  public readonly version: BarmanPluginVersion;
  public readonly namespace: string;

  constructor(scope: Construct, id: string, options: ExistingBarmanPluginOptions) {
    super(scope, id);
    const errors = new PropErrors(this);
    checkVersion(errors, options?.version, v => v instanceof BarmanPluginVersion, 'BarmanPluginVersion', 'plugin', 'plugin-barman-cloud');
    this.version = options?.version;
    this.namespace = options?.namespace ?? OPERATOR_NAMESPACE;
    declareExisting(this, errors, 'plugin-barman-cloud', this.version);
  }
}
