import { ApiObject, Chart, Size } from 'cdk8s';
import { Construct } from 'constructs';
import { BackedUpPostgres, IBackedUpPostgres } from './backed-up-postgres';
import * as cnpg from '../imports/postgresql.cnpg.io';
import { declareExternal, validateOwnObjects } from './private/app-validation';
import { builtFromNotRendered, PropErrors } from './private/errors';
import { checkImage } from './private/images';
import { ensureMissingUpstreamReport } from './private/missing-upstream';
import { checkClusterName, checkNamespaceName, checkObjectName, isServerName } from './private/names';
import { checkSize, quantityOf } from './private/resources';
import { RecoveryTarget } from './recovery-target';
import { BARMAN_PLUGIN_NAME } from './upstream/catalog';

/** Props for `PitrRestore`. */
export interface PitrRestoreProps {
  /** The database whose archive to restore: a `BackedUpPostgres`, or `BackedUpPostgres.fromAttributes(...)`. */
  readonly source: IBackedUpPostgres;
  /**
   * Where recovery stops.
   * @default RecoveryTarget.latest()
   */
  readonly target?: RecoveryTarget;
  /**
   * The new Cluster's name; its services are `<name>-rw`/`-ro`.
   * @default - the construct id in lower case
   */
  readonly clusterName?: string;
  /**
   * Number of instances.
   * @default 1
   */
  readonly instances?: number;
  /**
   * Size of each instance's data volume.
   * @default - the source's size, or Size.gibibytes(1)
   */
  readonly storageSize?: Size;
  /**
   * StorageClass of the data volumes.
   * @default - the cluster's default StorageClass
   */
  readonly storageClass?: string;
  /**
   * The PostgreSQL image; must be the source's major version.
   * @default - the source's image
   */
  readonly imageName?: string;
  /**
   * Back up the restored cluster too, archiving its WAL into the same ObjectStore under `archiveServerName`.
   * @default false
   */
  readonly archiveWal?: boolean;
  /**
   * The server name the restored cluster archives under; it must differ from the source's (otherwise the
   * restored cluster would write into the archive it restores from, and CNPG stops with "Expected empty archive").
   * @default - the restore's cluster name
   */
  readonly archiveServerName?: string;
}

/**
 * A new Cluster bootstrapped by point-in-time recovery from a Barman Cloud archive, through `source` and
 * `externalClusters[].plugin` (never `recovery.backup`, which is reported broken for plugin backups), with the
 * target in `spec.bootstrap.recovery.recoveryTarget`. It carries over what the backup does not hold: the image,
 * the application database and owner, a user-given owner Secret, and the cloud identity of the instance
 * ServiceAccount.
 *
 * @see https://cloudnative-pg.io/plugin-barman-cloud/docs/usage/#restoring-a-cluster
 */
export class PitrRestore extends Construct {
  // Not all set when the props have errors: synth then fails with them, before anything is written.
  /** The restored Cluster's name. */
  public readonly clusterName!: string;
  /** Its namespace (that of the source's ObjectStore). */
  public readonly namespace?: string;
  /** The read-write service of the restored cluster. */
  public readonly readWriteServiceName!: string;
  /** The recovery target. */
  public readonly target!: RecoveryTarget;
  /** The PostgreSQL image. */
  public readonly imageName!: string;
  /** The server name the restored cluster archives under, when `archiveWal`. */
  public readonly archiveServerName?: string;
  /** The restored `Cluster` (also the default child: `ApiObject.of(this)`). */
  public readonly cluster!: ApiObject;

  constructor(scope: Construct, id: string, props: PitrRestoreProps) {
    super(scope, id);
    const errors = new PropErrors(this);
    if (!props || !props.source) {
      errors.add('source', 'is required', props?.source, 'pass the BackedUpPostgres to restore, or BackedUpPostgres.fromAttributes(scope, id, {...})');
    }
    if (errors.report() || builtFromNotRendered(this, props.source)) return;
    const source = props.source;
    if (typeof source !== 'object' || typeof source.imageName !== 'string' || typeof source.serviceAccountAnnotations !== 'object') {
      // From JavaScript: something that is neither a BackedUpPostgres nor made by BackedUpPostgres.fromAttributes.
      errors.add('source', 'must be a BackedUpPostgres or BackedUpPostgres.fromAttributes(scope, id, {...})', source,
        'pass the BackedUpPostgres to restore, or BackedUpPostgres.fromAttributes(chart, "Source", { objectStoreName: "s3-store", serverName: "test", destinationPath: "s3://my-bucket/postgres/" })');
    }
    if (props.target !== undefined && !(props.target instanceof RecoveryTarget)) {
      errors.add('target', 'must be a RecoveryTarget', props.target, 'use e.g. RecoveryTarget.time(new Date("2025-12-27T20:43:00Z")) or RecoveryTarget.latest()');
    }
    if (errors.report()) return;
    const chartNamespace = Chart.of(this).namespace;
    this.clusterName = props.clusterName ?? id.toLowerCase();
    this.namespace = source.namespace ?? chartNamespace;
    this.readWriteServiceName = `${this.clusterName}-rw`;
    this.target = props.target ?? RecoveryTarget.latest();
    this.imageName = props.imageName ?? source.imageName;
    const instances = props.instances ?? 1;
    const storageSize = props.storageSize ?? (source.storageSize instanceof Size ? source.storageSize : Size.gibibytes(1));
    const archive = props.archiveWal ?? false;
    this.archiveServerName = archive ? (props.archiveServerName ?? this.clusterName) : undefined;

    errors.addProblem(checkClusterName(props.clusterName === undefined ? 'clusterName (from the construct id)' : 'clusterName', this.clusterName, 'test-restore'));
    if (source.namespace !== undefined) errors.addProblem(checkNamespaceName('source.namespace', source.namespace, 'databases'));
    // The plugin finds the ObjectStore in the restored cluster's namespace, so the restore must live with it:
    // never move it there silently from a chart that says otherwise.
    if (source.namespace !== undefined && chartNamespace !== undefined && source.namespace !== chartNamespace) {
      errors.add('source.namespace', `must be this chart's namespace ${JSON.stringify(chartNamespace)}: the restored cluster reads the ObjectStore in its own namespace`,
        source.namespace, `put the PitrRestore in a chart with namespace: ${JSON.stringify(source.namespace)}, e.g. new Chart(app, 'restore', { namespace: ${JSON.stringify(source.namespace)} })`);
    }
    errors.addProblem(checkObjectName('source.objectStoreName', source.objectStoreName, 's3-store'));
    if (!isServerName(source.serverName)) {
      errors.add('source.serverName', 'must be the folder the source archives into', source.serverName, 'use the source cluster\'s name, e.g. "test"');
    }
    if (!Number.isInteger(instances) || instances < 1) errors.add('instances', 'must be a whole number of at least 1', instances, 'use e.g. 1');
    errors.addProblem(checkSize('storageSize', storageSize, 'Size.gibibytes(1)'));
    if (props.storageClass !== undefined) errors.addProblem(checkObjectName('storageClass', props.storageClass, 'local-path'));
    checkImage(errors, this.imageName);
    const major = (image: string) => image.match(/:(\d+)[.\-]/)?.[1] ?? image.match(/:(\d+)$/)?.[1];
    if (props.imageName !== undefined && major(props.imageName) && major(source.imageName) && major(props.imageName) !== major(source.imageName)) {
      errors.add('imageName', `must be the source's PostgreSQL major version ${major(source.imageName)} (a base backup restores only into the same major)`, props.imageName, `use ${JSON.stringify(source.imageName)}, or leave imageName out`);
    }
    this.target._problems('target').forEach(p => errors.addProblem(p));
    if (this.archiveServerName !== undefined) {
      if (!isServerName(this.archiveServerName)) {
        errors.add('archiveServerName', 'must be a folder name (letters, digits, "-", "_" and ".")', this.archiveServerName, `use e.g. ${JSON.stringify(`${this.clusterName}-v2`)}`);
      } else if (this.archiveServerName === source.serverName) {
        // Data safety: archiving into the archive being restored corrupts it; CNPG refuses with "Expected empty archive".
        errors.add(props.archiveServerName === undefined ? 'archiveServerName (from clusterName)' : 'archiveServerName',
          `would archive into ${source.destinationPath}${source.serverName}/, the archive this cluster restores from`, this.archiveServerName,
          `archive under a new server name, e.g. archiveServerName: ${JSON.stringify(`${source.serverName}-v2`)}`);
      }
    }
    if (errors.report()) return;

    ensureMissingUpstreamReport(this);
    validateOwnObjects(this);
    // A source that is not a BackedUpPostgres of this app renders no ObjectStore here: it exists elsewhere.
    if (!(source instanceof BackedUpPostgres)) declareExternal(this, 'ObjectStore', this.namespace, source.objectStoreName);

    const recoveryTarget = this.target._render();
    // A plain ApiObject with the spec in CNPG's field names, typed and mapped by the generated function: an
    // escape-hatch patch in CNPG's spelling (`targetXID`) reaches the YAML exactly, a misspelt one fails synth.
    this.cluster = new ApiObject(this, 'Resource', {
      ...cnpg.Cluster.GVK,
      metadata: {
        name: this.clusterName,
        ...(this.namespace !== chartNamespace && this.namespace !== undefined ? { namespace: this.namespace } : {}),
      },
      spec: cnpg.toJson_ClusterSpec({
        instances,
        imageName: this.imageName,
        // The restore reads the same bucket as the source, so it needs the same cloud identity.
        ...(Object.keys(source.serviceAccountAnnotations).length
          ? { serviceAccountTemplate: { metadata: { annotations: { ...source.serviceAccountAnnotations } } } } : {}),
        storage: { size: quantityOf(storageSize), ...(props.storageClass ? { storageClass: props.storageClass } : {}) },
        bootstrap: {
          recovery: {
            source: 'source',
            database: source.database,
            owner: source.owner,
            ...(source.restoreSecretName ? { secret: { name: source.restoreSecretName } } : {}),
            ...(recoveryTarget ? { recoveryTarget: toGenerated(recoveryTarget) } : {}),
          },
        },
        externalClusters: [{
          name: 'source',
          plugin: {
            name: BARMAN_PLUGIN_NAME,
            parameters: { barmanObjectName: source.objectStoreName, serverName: source.serverName },
          },
        }],
        ...(this.archiveServerName !== undefined ? {
          plugins: [{
            name: BARMAN_PLUGIN_NAME,
            isWalArchiver: true,
            parameters: { barmanObjectName: source.objectStoreName, serverName: this.archiveServerName },
          }],
        } : {}),
      }),
    });
  }
}

/** The generated class camel-cases CNPG's field names (backupID → backupId) and maps them back on synth. */
function toGenerated(t: NonNullable<ReturnType<RecoveryTarget['_render']>>): cnpg.ClusterSpecBootstrapRecoveryRecoveryTarget {
  return {
    backupId: t.backupID,
    exclusive: t.exclusive,
    targetImmediate: t.targetImmediate,
    targetLsn: t.targetLSN,
    targetName: t.targetName,
    targetTli: t.targetTLI,
    targetTime: t.targetTime,
    targetXid: t.targetXID,
  };
}
