import { ApiObject, Chart, Size } from 'cdk8s';
// Types only: loading cdk8s-plus-30 costs ~30 ms of every synth, and nothing here needs its code.
import type * as kplus from 'cdk8s-plus-30';
import { Construct, IConstruct } from 'constructs';
import { AppCredentials } from './app-credentials';
import { BackupMonitoring, Monitoring } from './backup-monitoring';
import { BackupSchedule } from './backup-schedule';
import { BarmanPluginVersion, IBarmanPlugin } from './barman-plugin';
import { BackupOwnerReference, BackupTarget, Compression } from './database/backup-options';
import { checkDatabaseProps, checkKinds } from './database/checks';
import { ImportedBackedUpPostgres } from './database/imported-backed-up-postgres';
import { clusterSpec, objectStoreSpec, scheduledBackupSpec } from './database/render';
import { ObjectStorage } from './object-storage';
import * as barman from '../imports/barmancloud.cnpg.io';
import * as cnpg from '../imports/postgresql.cnpg.io';
import { validateOwnObjects, warnOnce } from './private/app-validation';
import { argumentError, isOptionsObject, PropErrors } from './private/errors';
import { ensureMissingUpstreamReport } from './private/missing-upstream';
import { renderResources, RenderedResources } from './private/resources';
import { RetentionPolicy } from './retention-policy';
import { DEFAULT_POSTGRES_IMAGE } from './upstream/catalog';

/**
 * A database with an archive in object storage: a `BackedUpPostgres` of this app, or one defined elsewhere and
 * imported with `BackedUpPostgres.fromAttributes(scope, id, attrs)`. A `PitrRestore` restores from one.
 */
export interface IBackedUpPostgres extends IConstruct {
  /** The Cluster's name. */
  readonly clusterName: string;
  /**
   * The namespace of its Cluster and ObjectStore (and so of a restore).
   * @default - the chart's namespace
   */
  readonly namespace?: string;
  /** The ObjectStore holding the archive. */
  readonly objectStoreName: string;
  /** The archive's server name (`<destinationPath>/<serverName>/`). */
  readonly serverName: string;
  /** The archive's destination path. */
  readonly destinationPath: string;
  /** The PostgreSQL image the backups were taken with (a restore needs the same major). */
  readonly imageName: string;
  /** The application database. */
  readonly database: string;
  /** The application database's owner. */
  readonly owner: string;
  /** Size of each instance's data volume (a restore's default). */
  readonly storageSize: Size;
  /**
   * The Secret with the owner's credentials that a restore reuses (secrets are not in the backup); undefined when
   * the operator generated the source's, which belongs to the source Cluster and goes with it: the restore then
   * gets a generated one of its own.
   * @default - none: the operator generates `<restore>-app`
   */
  readonly restoreSecretName?: string;
  /**
   * Annotations of the instance ServiceAccount that give the pods their cloud identity (IAM role, Workload
   * Identity); a restore needs the same access to the bucket.
   */
  readonly serviceAccountAnnotations: { [key: string]: string };
}

/** A database defined outside this app (another app, a restore tool, by hand), for `BackedUpPostgres.fromAttributes`. */
export interface BackedUpPostgresAttributes {
  /** The ObjectStore holding the archive, in the restore's namespace. */
  readonly objectStoreName: string;
  /** The archive's server name (usually the source cluster's name). */
  readonly serverName: string;
  /** The ObjectStore's destination path, for the collision check. */
  readonly destinationPath: string;
  /**
   * The Cluster's name.
   * @default - the server name
   */
  readonly clusterName?: string;
  /**
   * The namespace of the ObjectStore.
   * @default - the namespace of the chart `scope` is in
   */
  readonly namespace?: string;
  /**
   * The PostgreSQL image the backups were taken with.
   * @default 'ghcr.io/cloudnative-pg/postgresql:18.1-system-trixie'
   */
  readonly imageName?: string;
  /**
   * The application database.
   * @default 'app'
   */
  readonly database?: string;
  /**
   * The application database's owner.
   * @default 'app'
   */
  readonly owner?: string;
  /**
   * Size of each instance's data volume.
   * @default Size.gibibytes(1)
   */
  readonly storageSize?: Size;
  /**
   * An existing Secret with the owner's credentials for the restored cluster (secrets are not in the backup).
   * @default - the operator generates `<restore>-app`
   */
  readonly appSecretName?: string;
  /**
   * Annotations for the restored cluster's instance ServiceAccount, for a cloud identity that can read the bucket
   * (e.g. `eks.amazonaws.com/role-arn`).
   * @default - none
   */
  readonly serviceAccountAnnotations?: { [key: string]: string };
}

/** Props for `BackedUpPostgres`. */
export interface BackedUpPostgresProps {
  /** Where base backups and WAL go. */
  readonly objectStorage: ObjectStorage;
  /**
   * The Cluster's name (a DNS-1035 label of at most 50 characters); services are `<name>-rw`/`-ro`.
   * @default - the construct id in lower case
   */
  readonly clusterName?: string;
  /**
   * The namespace of the Cluster, ObjectStore and ScheduledBackup (always the same one).
   * @default - the chart's namespace
   */
  readonly namespace?: string;
  /**
   * Number of PostgreSQL instances (1 primary + standbys).
   * @default 1
   */
  readonly instances?: number;
  /**
   * Size of each instance's data volume.
   * @default Size.gibibytes(1)
   */
  readonly storageSize?: Size;
  /**
   * StorageClass of the data volumes.
   * @default - the cluster's default StorageClass
   */
  readonly storageClass?: string;
  /**
   * Size of a separate WAL volume per instance.
   * @default - WAL lives on the data volume
   */
  readonly walStorageSize?: Size;
  /**
   * StorageClass of the WAL volumes.
   * @default - the cluster's default StorageClass
   */
  readonly walStorageClass?: string;
  /**
   * The PostgreSQL image, pinned by tag (CNPG's default image changes with the operator version).
   * @default 'ghcr.io/cloudnative-pg/postgresql:18.1-system-trixie'
   */
  readonly imageName?: string;
  /**
   * CPU and memory for the PostgreSQL containers.
   * @default - none set
   */
  readonly resources?: kplus.ContainerResources;
  /**
   * The application database created at bootstrap.
   * @default 'app'
   */
  readonly database?: string;
  /**
   * The owner of the application database.
   * @default 'app'
   */
  readonly owner?: string;
  /**
   * Where the owner's password comes from.
   * @default AppCredentials.generated()
   */
  readonly credentials?: AppCredentials;
  /**
   * Name of the Barman Cloud ObjectStore.
   * @default '<clusterName>-store'
   */
  readonly objectStoreName?: string;
  /**
   * The server name: the folder under `destinationPath` this cluster archives into.
   * @default - the cluster name
   */
  readonly serverName?: string;
  /**
   * WAL compression.
   * @default Compression.GZIP
   */
  readonly walCompression?: Compression;
  /**
   * Base backup compression (upstream's default is none).
   * @default Compression.GZIP
   */
  readonly dataCompression?: Compression;
  /**
   * How long backups are kept, managed by the plugin.
   * @default RetentionPolicy.days(7)
   */
  readonly retentionPolicy?: RetentionPolicy;
  /**
   * When base backups run.
   * @default BackupSchedule.daily()
   */
  readonly schedule?: BackupSchedule;
  /**
   * Name of the ScheduledBackup.
   * @default '<clusterName>-backup'
   */
  readonly scheduledBackupName?: string;
  /**
   * Take the first base backup as soon as the schedule is created; without it, WAL archived before the first
   * tick cannot be restored.
   * @default true
   */
  readonly immediateBackup?: boolean;
  /**
   * Who owns the Backup objects the schedule creates.
   * @default BackupOwnerReference.NONE
   */
  readonly backupOwnerReference?: BackupOwnerReference;
  /**
   * Which instance takes base backups.
   * @default - CNPG's default (`prefer-standby`)
   */
  readonly backupTarget?: BackupTarget;
  /**
   * CPU and memory for the plugin sidecar (it runs out of memory during backups without limits).
   * @default - requests 100m CPU and 256Mi memory, limit 512Mi memory
   */
  readonly sidecarResources?: kplus.ContainerResources;
  /**
   * The Barman Cloud plugin the cluster archives through (a `BarmanPlugin`, or `BarmanPlugin.fromExisting(...)`):
   * its version decides the version-dependent checks.
   * @default - the plugin version the app installs or declares decides, at synth
   */
  readonly plugin?: IBarmanPlugin;
  /**
   * The plugin version running in the cluster, for version-dependent checks; prefer `plugin`.
   * @default - the version of `plugin`
   */
  readonly pluginVersion?: BarmanPluginVersion;
  /**
   * A PodMonitor and a PrometheusRule whose alerts follow the schedule (see `BackupMonitoring`); they need the
   * Prometheus Operator's CRDs. `Monitoring.none()` leaves them out.
   * @default Monitoring.prometheusOperator()
   */
  readonly monitoring?: Monitoring;
  /**
   * PostgreSQL configuration parameters (`spec.postgresql.parameters`), values as PostgreSQL writes them.
   *
   * For example `{ max_connections: '200', shared_buffers: '256MB' }`. Parameters the operator manages itself
   * (`archive_command`, `wal_level`, `recovery_target_time`, …) are an error, as CNPG's webhook refuses them.
   *
   * @default - CNPG's defaults
   * @see https://cloudnative-pg.io/documentation/current/postgresql_conf/
   */
  readonly postgresqlParameters?: { [name: string]: string };
}

/**
 * A PostgreSQL cluster with continuous WAL archiving and scheduled base backups to object storage through the
 * Barman Cloud plugin: a CNPG `Cluster` (the default child), its `ObjectStore` and a `ScheduledBackup`.
 *
 * @see https://cloudnative-pg.io/plugin-barman-cloud/docs/usage/
 */
export class BackedUpPostgres extends Construct implements IBackedUpPostgres {
  /**
   * A database whose ObjectStore exists outside this app: it adds no object, and the app's validation accepts
   * references to its ObjectStore.
   *
   * @example BackedUpPostgres.fromAttributes(chart, 'Orders', { objectStoreName: 's3-store', serverName: 'test', destinationPath: 's3://my-backups/postgres/' })
   */
  public static fromAttributes(scope: Construct, id: string, attrs: BackedUpPostgresAttributes): IBackedUpPostgres {
    if (!isOptionsObject(attrs)) {
      throw argumentError('BackedUpPostgres.fromAttributes', 'attrs', attrs, 'an object', 'pass { objectStoreName: "s3-store", serverName: "test", destinationPath: "s3://my-bucket/postgres/" }');
    }
    return new ImportedBackedUpPostgres(scope, id, attrs);
  }

  // Not all set when the props have errors: synth then fails with them, before anything is written.
  /** The Cluster's name. */
  public readonly clusterName!: string;
  /** The namespace of all its objects (undefined: the chart's default). */
  public readonly namespace?: string;
  /** The read-write service applications connect to. */
  public readonly readWriteServiceName!: string;
  /** The read-only service (standbys). */
  public readonly readOnlyServiceName!: string;
  /** The archive's server name. */
  public readonly serverName!: string;
  /** The ObjectStore's name. */
  public readonly objectStoreName!: string;
  /** The ScheduledBackup's name. */
  public readonly scheduledBackupName!: string;
  /** The archive's destination path. */
  public readonly destinationPath!: string;
  /** The object storage. */
  public readonly objectStorage!: ObjectStorage;
  /** The PostgreSQL image. */
  public readonly imageName!: string;
  /** The application database. */
  public readonly database!: string;
  /** The application database's owner. */
  public readonly owner!: string;
  /** The Secret with the owner's credentials (`<cluster>-app` when generated). */
  public readonly appSecretName!: string;
  /** The Secret a restore reuses; undefined when the operator generates the app secret. */
  public readonly restoreSecretName?: string;
  /** Annotations of the instance ServiceAccount (cloud identity), empty when none. */
  public readonly serviceAccountAnnotations!: { [key: string]: string };
  /** Number of instances. */
  public readonly instances!: number;
  /** Data volume size. */
  public readonly storageSize!: Size;
  /** The retention policy. */
  public readonly retentionPolicy!: RetentionPolicy;
  /** The base backup schedule. */
  public readonly schedule!: BackupSchedule;
  /** WAL compression. */
  public readonly walCompression!: Compression;
  /** Base backup compression. */
  public readonly dataCompression!: Compression;
  /** The `Cluster` (also the default child: `ApiObject.of(this)`). */
  public readonly cluster!: ApiObject;
  /** The Barman Cloud `ObjectStore`. */
  public readonly objectStore!: ApiObject;
  /** The `ScheduledBackup`. */
  public readonly scheduledBackup!: ApiObject;
  /** Whether the schedule takes a backup as soon as it is created. */
  public readonly immediateBackup!: boolean;
  /** The PodMonitor and PrometheusRule; undefined with `Monitoring.none()`. */
  public readonly monitoring?: BackupMonitoring;
  /** The plugin version its version-dependent checks use; undefined when unknown (the app's validation then decides). */
  public readonly pluginVersion?: BarmanPluginVersion;

  constructor(scope: Construct, id: string, props: BackedUpPostgresProps) {
    super(scope, id);
    const errors = new PropErrors(this);
    // JavaScript callers get no compile-time check: a missing or hand-made value is one clear line, not a TypeError.
    const storageFix = 'pass e.g. ObjectStorage.s3({ bucket: "my-backups", path: "postgres", credentials: S3Credentials.fromSecret({ secretName: "s3-credentials" }) })';
    if (!props || !props.objectStorage) {
      errors.add('objectStorage', 'is required', props?.objectStorage, storageFix);
      errors.report();
      return;
    }
    checkKinds(errors, props, storageFix);
    if (errors.report()) return;

    // Resolve every default once, up front.
    this.clusterName = props.clusterName ?? id.toLowerCase();
    this.namespace = props.namespace ?? Chart.of(this).namespace;
    this.instances = props.instances ?? 1;
    this.storageSize = props.storageSize ?? Size.gibibytes(1);
    this.imageName = props.imageName ?? DEFAULT_POSTGRES_IMAGE;
    this.database = props.database ?? 'app';
    this.owner = props.owner ?? 'app';
    const credentials = props.credentials ?? AppCredentials.generated();
    this.objectStorage = props.objectStorage;
    this.objectStoreName = props.objectStoreName ?? `${this.clusterName}-store`;
    this.serverName = props.serverName ?? this.clusterName;
    this.walCompression = props.walCompression ?? Compression.GZIP;
    this.dataCompression = props.dataCompression ?? Compression.GZIP;
    this.retentionPolicy = props.retentionPolicy ?? RetentionPolicy.days(7);
    this.schedule = props.schedule ?? BackupSchedule.daily();
    this.scheduledBackupName = props.scheduledBackupName ?? `${this.clusterName}-backup`;
    this.immediateBackup = props.immediateBackup ?? true;
    const fromPlugin = props.plugin?.version instanceof BarmanPluginVersion ? props.plugin.version : undefined;
    this.pluginVersion = fromPlugin ?? (props.pluginVersion instanceof BarmanPluginVersion ? props.pluginVersion : undefined);
    this.destinationPath = this.objectStorage.destinationPath;
    this.readWriteServiceName = `${this.clusterName}-rw`;
    this.readOnlyServiceName = `${this.clusterName}-ro`;
    this.restoreSecretName = credentials._secretName(this.clusterName);
    this.appSecretName = this.restoreSecretName ?? `${this.clusterName}-app`;
    this.serviceAccountAnnotations = { ...this.objectStorage._render().serviceAccountAnnotations };
    const sidecarResources: RenderedResources = props.sidecarResources
      ? renderResources(props.sidecarResources)
      : { requests: { cpu: '100m', memory: '256Mi' }, limits: { memory: '512Mi' } };

    // Check every prop, then fail once with all problems.
    checkDatabaseProps(errors, this, props, credentials);
    if (errors.report()) return;

    ensureMissingUpstreamReport(this);
    validateOwnObjects(this);
    const metadata = (name: string) => ({ name, ...(props.namespace !== undefined ? { namespace: props.namespace } : {}) });

    if (credentials.isUnsafePlaintext) {
      new ApiObject(this, 'AppSecret', {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: {
          ...metadata(this.appSecretName),
          annotations: { 'cdk8s-cnpg.io/unsafe-plaintext': 'this Secret holds a plaintext password: do not commit this file' },
        },
        type: 'kubernetes.io/basic-auth',
        stringData: { username: credentials._plaintext!.username, password: credentials._plaintext!.password },
      });
      warnOnce(this, `[${this.node.path}] credentials: AppCredentials.unsafePlaintext() writes a plaintext password into the synthesized YAML; do not commit it, prefer AppCredentials.fromSecret()`);
    }

    // Our objects are plain ApiObjects with the spec in CNPG's field names; the generated functions type what we
    // build and map it. An escape-hatch patch in CNPG's spelling then reaches the YAML exactly, and a misspelt field
    // is a schema finding (the generated classes would map camel-cased names on output and drop anything else).
    this.objectStore = new ApiObject(this, 'ObjectStore', {
      ...barman.ObjectStore.GVK,
      metadata: metadata(this.objectStoreName),
      spec: objectStoreSpec(this, sidecarResources),
    });

    this.cluster = new ApiObject(this, 'Resource', {
      ...cnpg.Cluster.GVK,
      metadata: metadata(this.clusterName),
      spec: clusterSpec(this, props),
    });

    this.scheduledBackup = new ApiObject(this, 'ScheduledBackup', {
      ...cnpg.ScheduledBackup.GVK,
      metadata: metadata(this.scheduledBackupName),
      spec: scheduledBackupSpec(this, props),
    });

    const monitoring = props.monitoring ?? Monitoring.prometheusOperator();
    if (monitoring.enabled) this.monitoring = new BackupMonitoring(this, 'Monitoring', { database: this, ...monitoring.options });
  }
}
