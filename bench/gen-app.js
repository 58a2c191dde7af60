#!/usr/bin/env node
// Scale app for the benchmark: N BackedUpPostgres, each with a PitrRestore, in ONE namespaced chart ("databases"),
// plus an "operators" chart (CNPG 1.28.0, cert-manager, Barman Cloud plugin 0.9.0) so the app validates against the
// versions it installs, exactly like the example app. Everything is validated by the library at synth time.
//
//   CDK8S_CNPG_OUTDIR=bench/work/out node bench/gen-app.js 100
'use strict';
// With BENCH_PHASES=1 it prints {"loadMs","constructMs","synthMs"} (in-process hrtime) on stderr as its last line.
const t0 = process.hrtime.bigint();
const since = t => Number(process.hrtime.bigint() - t) / 1e6;
const path = require('path');
const root = path.resolve(__dirname, '..');
const { App, Chart, Size } = require(path.join(root, 'node_modules', 'cdk8s'));
const lib = require(path.join(root, 'lib', 'src', 'index.js'));

const n = Number(process.argv[2] ?? '1');
if (!Number.isInteger(n) || n < 0) throw new Error(`usage: gen-app.js N (got ${process.argv[2]})`);
const outdir = process.env.CDK8S_CNPG_OUTDIR ?? process.env.CDK8S_OUTDIR ?? path.join(root, 'bench', 'work', `gen-${n}`);

const loadMs = since(t0);
const t1 = process.hrtime.bigint();
const app = new App({ outdir });
const operators = new Chart(app, 'operators');
const operator = new lib.CnpgOperator(operators, 'Cnpg', { version: lib.CnpgVersion.V1_28_0 });
new lib.CertManager(operators, 'CertManager');
new lib.BarmanPlugin(operators, 'BarmanPlugin', { version: lib.BarmanPluginVersion.V0_9_0, operator });

const databases = new Chart(app, 'databases', { namespace: 'databases' });
const storage = lib.ObjectStorage.s3({
  bucket: 'bench-backups',
  path: 'postgres',
  credentials: lib.S3Credentials.fromSecret({ secretName: 's3-credentials', accessKeyIdKey: 'access-key-id', secretAccessKeyKey: 'secret-key-id' }),
});
const target = lib.RecoveryTarget.time(new Date('2025-12-27T20:43:00Z'));
for (let i = 0; i < n; i++) {
  const source = new lib.BackedUpPostgres(databases, `Db${i}`, {
    clusterName: `db-${i}`,
    storageSize: Size.gibibytes(1),
    credentials: lib.AppCredentials.fromSecret(`db-${i}-secret`),
    objectStorage: storage,
    schedule: lib.BackupSchedule.hourly(),
    pluginVersion: lib.BarmanPluginVersion.V0_9_0,
  });
  new lib.PitrRestore(databases, `Db${i}Restore`, { source, clusterName: `db-${i}-restore`, target });
}
const constructMs = since(t1);
const t2 = process.hrtime.bigint();
app.synth();
if (process.env.BENCH_PHASES === '1') process.stderr.write(`${JSON.stringify({ loadMs, constructMs, synthMs: since(t2) })}\n`);
