import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { CertManager, ICertManager } from './cert-manager';
import { CnpgOperator } from './cnpg-operator';
import { formatPropError, PropErrors } from './private/errors';
import { checkVersion, installUpstream } from './private/install';
import { BARMAN_PLUGIN_NAME, OPERATOR_NAMESPACE } from './upstream/catalog';

/** Barman Cloud plugin releases in the catalog. */
export enum BarmanPluginVersion {
  /** v0.9.0 (the seed's version; has sidecar memory and WAL-archiving CPU bugs fixed in v0.10.0/v0.11.0). */
  V0_9_0 = '0.9.0',
  /** v0.14.0 (supports CNPG 1.26 and later). */
  V0_14_0 = '0.14.0',
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
  readonly operator?: CnpgOperator;
  /**
   * The namespace to install into. The plugin must run in the operator's namespace (otherwise clusters fail
   * with "requested plugin is not available"), so any other value is an error.
   * @default - the operator's namespace
   */
  readonly namespace?: string;
  /**
   * The cert-manager the plugin's certificates rely on.
   * @default - a `CertManager` in the same app; synth fails when there is none
   */
  readonly certManager?: ICertManager;
  /**
   * An explicit copy of the release's `manifest.yaml`; verified by sha256 (or the lock file for a download).
   * @default - found in $CDK8S_CNPG_UPSTREAM_DIR, the copy bundled into this package, the user cache, or downloaded
   */
  readonly manifestFile?: string;
}

/**
 * Installs the Barman Cloud CNPG-I plugin (`barman-cloud.cloudnative-pg.io`) from its upstream manifest, in the
 * operator's namespace, with images pinned to the release. It needs cert-manager.
 *
 * @see https://cloudnative-pg.io/plugin-barman-cloud/docs/installation/
 */
export class BarmanPlugin extends Construct {
  /** The plugin's name as clusters reference it. */
  public static readonly PLUGIN_NAME = BARMAN_PLUGIN_NAME;

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
    checkVersion(errors, version, BarmanPluginVersion, 'BarmanPluginVersion', 'plugin');
    const operatorNamespace = props.operator?.namespace ?? OPERATOR_NAMESPACE;
    if (props.namespace !== undefined && props.namespace !== operatorNamespace) {
      errors.add('namespace', `must be the operator's namespace ${JSON.stringify(operatorNamespace)}: the plugin only serves the operator in its own namespace`,
        props.namespace, `remove namespace, or use ${JSON.stringify(operatorNamespace)}; your clusters can live in any namespace`);
    }
    errors.throwIfAny();

    const installed = installUpstream(this, 'plugin-barman-cloud', version, props.manifestFile, 'barman-cloud');
    this.version = version;
    this.namespace = operatorNamespace;
    this.images = [...installed.release.images];
    this.manifestSha256 = installed.manifestSha256;
    this.apiObjects = installed.apiObjects;

    const certManager = props.certManager;
    this.node.addValidation({
      validate: () => {
        if (certManager) return [];
        const found = this.node.root.node.findAll().some(c => c instanceof CertManager);
        // cdk8s prefixes validation messages with `[<construct path>] `: drop ours so the path is not doubled.
        const prefix = `[${this.node.path}] `;
        return found ? [] : [formatPropError(this.node.path, 'certManager', 'the plugin needs cert-manager, and there is no CertManager in this app', undefined,
          'add `new CertManager(chart, "CertManager")`, or declare an installed one with `certManager: CertManager.fromExisting()`').slice(prefix.length)];
      },
    });
  }
}
