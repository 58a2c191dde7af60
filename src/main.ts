/**
 * The example app: the seed's self-hosted setup with its intent kept and its mistakes fixed.
 *
 *   npx cdk8s synth   →   dist/operators.k8s.yaml, dist/database.k8s.yaml, dist/restore.k8s.yaml, dist/iam/test.policy.json
 *
 * The bucket and namespace are settings (see `exampleSettings`): cdk8s context or the environment.
 * `cdk8s synth` empties its own output folder before running an app, so the CLI writes to a scratch folder and
 * this app publishes dist/ only once everything synthesized and validated: a failing synth leaves dist/ as it was.
 */
import * as fs from 'fs';
import * as path from 'path';
import { App, Chart, Size } from 'cdk8s';
import { Construct } from 'constructs';
import {
  AppCredentials, BackedUpPostgres, BucketPolicies, BackupOwnerReference, BackupSchedule, BarmanPlugin, BarmanPluginVersion,
  CertManager, CnpgOperator, CnpgVersion, Compression, ObjectStorage, PitrRestore, RecoveryTarget, S3Credentials,
} from './index';
import { publishDirectory } from './private/atomic-output';

/** The example's settings: cdk8s context (`bucket`, `namespace`) first, then the environment, then the seed's defaults. */
export interface ExampleSettings {
  /** The S3 bucket for backups (`CDK8S_CNPG_BUCKET`). */
  readonly bucket: string;
  /** The namespace of everything (`CDK8S_CNPG_NAMESPACE`). */
  readonly namespace: string;
}

/** Reads the settings: the one place to change the bucket. */
export function exampleSettings(app: Construct): ExampleSettings {
  return {
    bucket: app.node.tryGetContext('bucket') ?? process.env.CDK8S_CNPG_BUCKET ?? 'my-postgres-backups',
    namespace: app.node.tryGetContext('namespace') ?? process.env.CDK8S_CNPG_NAMESPACE ?? 'cnpg-system',
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

/** The database `test`, backed up hourly to S3. */
export class DatabaseChart extends Chart {
  public readonly postgres: BackedUpPostgres;
  constructor(scope: Construct, id: string, settings: ExampleSettings) {
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
      pluginVersion: BarmanPluginVersion.V0_14_0,
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
  const app = new App({ outdir });
  for (const [key, value] of Object.entries(context)) app.node.setContext(key, value);
  const settings = exampleSettings(app);
  new OperatorsChart(app, 'operators');
  const database = new DatabaseChart(app, 'database', settings);
  new RestoreChart(app, 'restore', database.postgres);
  return { app, database };
}

/** Synthesizes into a staging folder, adds the IAM policy, then swaps it into `outdir` in one step. */
export function synthExample(outdir: string, context: Record<string, string> = {}): void {
  const staging = fs.mkdtempSync(path.join(path.dirname(path.resolve(outdir)), `.${path.basename(outdir)}-staging-`));
  fs.chmodSync(staging, 0o755);
  try {
    const { app, database } = buildExampleApp(staging, context);
    app.synth();
    const pg = database.postgres;
    fs.mkdirSync(path.join(staging, 'iam'));
    fs.writeFileSync(path.join(staging, 'iam', `${pg.clusterName}.policy.json`), BucketPolicies.iamPolicy(pg));
    publishDirectory(staging, outdir);
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
}

if (require.main === module) {
  const target = process.env.CDK8S_CNPG_OUTDIR ?? 'dist';
  try {
    synthExample(target);
    // Under `cdk8s synth`, the CLI expects manifests in its own (scratch) folder: give it a copy to list.
    if (process.env.CDK8S_OUTDIR && path.resolve(process.env.CDK8S_OUTDIR) !== path.resolve(target)) {
      fs.mkdirSync(process.env.CDK8S_OUTDIR, { recursive: true });
      for (const f of fs.readdirSync(target).filter(n => n.endsWith('.k8s.yaml'))) {
        const from = path.join(target, f);
        const to = path.join(process.env.CDK8S_OUTDIR, f);
        try {
          fs.linkSync(from, to);
        } catch {
          fs.copyFileSync(from, to);
        }
      }
    }
    process.stdout.write(`cdk8s-cnpg: wrote ${path.join(target, path.sep)}\n`);
  } catch (e) {
    process.stderr.write(`cdk8s-cnpg: synth failed; ${target}/ was left as it was.\n${(e as Error).message}\n`);
    process.exit(1);
  }
}
