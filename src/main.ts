/**
 * The example app: the seed's self-hosted setup with its intent kept and its mistakes fixed. It uses only the
 * public API (`./index`), as a user's app would.
 *
 *   npx cdk8s synth   →   dist/operators.k8s.yaml, dist/database.k8s.yaml, dist/restore.k8s.yaml, dist/iam/test.policy.json
 *
 * The bucket and namespace are settings (see `exampleSettings`): cdk8s context or the environment.
 * `npx cdk8s synth` runs it through `scripts/synth-example.js`, which runs the compiled app only when it is
 * compiled from the current sources (else the TypeScript itself), and publishes dist/ atomically
 * (`src/synth-example.ts`). Run alone (`node lib/src/main.js`), it is a plain cdk8s app writing into its outdir.
 */
import * as fs from 'fs';
import * as path from 'path';
import { App, Chart, Size, YamlOutputType } from 'cdk8s';
import { Construct } from 'constructs';
import {
  AppCredentials, BackedUpPostgres, BucketPolicies, BackupOwnerReference, BackupSchedule, BarmanPlugin, BarmanPluginVersion,
  CertManager, CnpgOperator, CnpgVersion, Compression, DrillSchedule, IBarmanPlugin, Monitoring, ObjectStorage, PitrRestore, RecoveryTarget,
  RestoreDrill, S3Credentials, UpstreamHeaders,
} from './index';

/** The example's settings: cdk8s context (`bucket`, `namespace`) first, then the environment, then the seed's defaults. */
export interface ExampleSettings {
  /** The S3 bucket for backups (`CDK8S_CNPG_BUCKET`). */
  readonly bucket: string;
  /** The namespace of everything (`CDK8S_CNPG_NAMESPACE`). */
  readonly namespace: string;
  /**
   * How dist/ is laid out (`CDK8S_CNPG_LAYOUT`): `file-per-chart` (`dist/database.k8s.yaml`), or
   * `file-per-resource` (`dist/database/Cluster.test.k8s.yaml`, one object per file, for the smallest diffs).
   */
  readonly layout: YamlOutputType;
}

/** The layouts the example offers, by setting value. */
const LAYOUTS: Readonly<Record<string, YamlOutputType>> = {
  'file-per-chart': YamlOutputType.FILE_PER_CHART,
  'file-per-resource': YamlOutputType.FOLDER_PER_CHART_FILE_PER_RESOURCE,
};

/** Reads the settings: the one place to change the bucket. */
export function exampleSettings(app: Construct): ExampleSettings {
  const layout = app.node.tryGetContext('layout') ?? process.env.CDK8S_CNPG_LAYOUT ?? 'file-per-chart';
  if (!(layout in LAYOUTS)) {
    throw new Error(`[app] layout: is not a layout of the example, got ${JSON.stringify(layout)}; use ${Object.keys(LAYOUTS).map(l => JSON.stringify(l)).join(' or ')} (CDK8S_CNPG_LAYOUT)`);
  }
  return {
    bucket: app.node.tryGetContext('bucket') ?? process.env.CDK8S_CNPG_BUCKET ?? 'my-postgres-backups',
    namespace: app.node.tryGetContext('namespace') ?? process.env.CDK8S_CNPG_NAMESPACE ?? 'cnpg-system',
    layout: LAYOUTS[layout],
  };
}

/** Operators: CNPG, cert-manager and the Barman Cloud plugin (a chart without namespace). */
export class OperatorsChart extends Chart {
  public readonly operator: CnpgOperator;
  public readonly plugin: BarmanPlugin;
  constructor(scope: Construct, id: string) {
    super(scope, id);
    // The seed's minor (1.28) at its newest patch, and the newest plugin: both fix backup and restore bugs the
    // seed's 1.28.0 / v0.9.0 have (see the README, "Versions and advisories").
    this.operator = new CnpgOperator(this, 'Cnpg', { version: CnpgVersion.V1_28_4 });
    new CertManager(this, 'CertManager');
    this.plugin = new BarmanPlugin(this, 'BarmanPlugin', { version: BarmanPluginVersion.V0_14_0, operator: this.operator });
  }
}

/** The database `test`, backed up hourly to S3, with alerts that follow its schedule and a weekly restore drill. */
export class DatabaseChart extends Chart {
  public readonly postgres: BackedUpPostgres;
  public readonly drill: RestoreDrill;
  constructor(scope: Construct, id: string, settings: ExampleSettings, plugin: IBarmanPlugin) {
    super(scope, id, { namespace: settings.namespace });
    this.postgres = new BackedUpPostgres(this, 'Postgres', {
      clusterName: 'test',
      instances: 1,
      storageSize: Size.gibibytes(1),
      database: 'app',
      owner: 'user1',
      credentials: AppCredentials.fromSecret('postgres-secret'),
      objectStoreName: 's3-store',
      objectStorage: ObjectStorage.s3({
        bucket: settings.bucket,
        path: 'postgres',
        credentials: S3Credentials.fromSecret({ secretName: 's3-credentials', accessKeyIdKey: 'access-key-id', secretAccessKeyKey: 'secret-key-id' }),
      }),
      walCompression: Compression.GZIP,
      schedule: BackupSchedule.hourly(),
      scheduledBackupName: 'pg-backup',
      backupOwnerReference: BackupOwnerReference.SELF,
      // The plugin it archives through: its version decides the version-dependent checks.
      plugin,
      // A PodMonitor and a PrometheusRule (the default, spelled out): needs the Prometheus Operator's CRDs.
      monitoring: Monitoring.prometheusOperator(),
    });
    // Every Sunday at 04:00: restore to 15 minutes ago into test-drill, probe it, delete it.
    this.drill = new RestoreDrill(this, 'RestoreDrill', {
      source: this.postgres,
      schedule: DrillSchedule.weekly({ hour: 4 }),
    });
  }
}

/** The point-in-time restore of `test` as `test-restore`: apply only when needed. */
export class RestoreChart extends Chart {
  constructor(scope: Construct, id: string, source: BackedUpPostgres) {
    super(scope, id, { namespace: source.namespace });
    new PitrRestore(this, 'Restore', {
      source,
      clusterName: 'test-restore',
      target: RecoveryTarget.time(new Date('2025-12-27T20:43:00Z')),
    });
  }
}

/** Builds the example app into `outdir`; `context` sets cdk8s context (e.g. `{ bucket: 'my-bucket' }`). */
export function buildExampleApp(outdir: string, context: Record<string, string> = {}): { app: App; database: DatabaseChart } {
  // The layout is a setting too, but App takes it only at construction: read it from a throwaway tree first.
  const probe = new App({ outdir });
  for (const [key, value] of Object.entries(context)) probe.node.setContext(key, value);
  const app = new App({ outdir, yamlOutputType: exampleSettings(probe).layout });
  for (const [key, value] of Object.entries(context)) app.node.setContext(key, value);
  const settings = exampleSettings(app);
  const operators = new OperatorsChart(app, 'operators');
  const database = new DatabaseChart(app, 'database', settings, operators.plugin);
  new RestoreChart(app, 'restore', database.postgres);
  return { app, database };
}

/** Synthesizes the example app into `outdir`, with the IAM policy of its database in `outdir/iam/`. */
export function writeExampleApp(outdir: string, context: Record<string, string> = {}): App {
  const { app, database } = buildExampleApp(outdir, context);
  app.synth();
  // Upstream installs open with their versions and digests, so a reviewer skips them with confidence.
  UpstreamHeaders.write(app);
  const pg = database.postgres;
  fs.mkdirSync(path.join(outdir, 'iam'), { recursive: true });
  fs.writeFileSync(path.join(outdir, 'iam', `${pg.clusterName}.policy.json`), BucketPolicies.iamPolicy(pg));
  return app;
}

if (require.main === module) {
  const outdir = process.env.CDK8S_CNPG_OUTDIR ?? process.env.CDK8S_OUTDIR ?? 'dist';
  try {
    writeExampleApp(outdir);
  } catch (e) {
    // A user mistake is one message, never a stack trace.
    process.stderr.write(`cdk8s-cnpg: synth failed.\n${(e as Error).message}\n`);
    process.exit(1);
  }
}
