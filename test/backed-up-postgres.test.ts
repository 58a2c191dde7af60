import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, App, Chart, JsonPatch, Size, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-30';
import {
  AppCredentials, AzureCredentials, BackedUpPostgres, BackedUpPostgresProps, BackupOwnerReference, BackupSchedule, BackupTarget,
  BarmanPlugin, BarmanPluginVersion, CertManager, CnpgOperator, CnpgVersion, Compression, GcsCredentials, ObjectStorage, PitrRestore, RestoreDrill,
  RetentionPolicy, S3Credentials, S3Encryption,
} from '../src';
import { addOperators, backedUp, Doc, errorOf, expectPropError, find, findPlaintextSecrets, s3Storage, synthAuthored, validateApp } from './util';

const PLUGIN = 'barman-cloud.cloudnative-pg.io';

describe('BackedUpPostgres with defaults', () => {
  // GIVEN an app with the operators (one chart) and the database (its own namespaced chart)
  const app = Testing.app();
  addOperators(app);
  const chart = new Chart(app, 'database', { namespace: 'databases' });
  // WHEN
  const pg = backedUp(chart, 'Test', { schedule: BackupSchedule.hourly() });
  const docs = synthAuthored(chart);
  const cluster = find(docs, 'Cluster');
  const store = find(docs, 'ObjectStore');
  const backup = find(docs, 'ScheduledBackup');

  test('snapshot of the objects we author', () => {
    // THEN
    expect(docs.map(d => d.kind).sort()).toEqual(['Cluster', 'ObjectStore', 'PodMonitor', 'PrometheusRule', 'ScheduledBackup']);
    expect(docs).toMatchSnapshot();
  });

  test('the whole app passes synth validation against the upstream CRDs', () => {
    // THEN
    expect(() => validateApp(app)).not.toThrow();
  });

  test('all objects are in the chart\'s namespace', () => {
    // THEN
    expect(docs.map(d => d.metadata.namespace)).toEqual(['databases', 'databases', 'databases', 'databases', 'databases']);
    expect(pg.namespace).toBe('databases');
  });

  test('the schedule is hourly, six fields with seconds first, and the first backup is immediate', () => {
    // THEN
    expect(backup.spec.schedule).toBe('0 0 * * * *');
    expect(backup.spec.immediate).toBe(true);
    expect(backup.spec.cluster).toEqual({ name: 'test' });
    expect(backup.spec.backupOwnerReference).toBe('none');
    expect(backup.spec.target).toBeUndefined();
  });

  test('base backups go through the plugin', () => {
    // THEN
    expect(backup.spec.method).toBe('plugin');
    expect(backup.spec.pluginConfiguration).toEqual({ name: PLUGIN });
  });

  test('the Cluster archives WAL through the plugin into its ObjectStore under its server name', () => {
    // THEN
    expect(cluster.spec.plugins).toHaveLength(1);
    expect(cluster.spec.plugins[0]).toEqual({
      name: PLUGIN,
      isWALArchiver: true,
      parameters: { barmanObjectName: store.metadata.name, serverName: 'test' },
    });
    expect(store.metadata.name).toBe(pg.objectStoreName);
    // the legacy in-tree barman configuration is not used
    expect(cluster.spec.backup).toBeUndefined();
  });

  test('base backups and WAL are compressed by default', () => {
    // THEN
    expect(store.spec.configuration.data).toEqual({ compression: 'gzip' });
    expect(store.spec.configuration.wal).toEqual({ compression: 'gzip' });
  });

  test('the plugin sidecar has explicit requests and limits by default', () => {
    // THEN
    expect(store.spec.instanceSidecarConfiguration.resources).toEqual({
      requests: { cpu: '100m', memory: '256Mi' },
      limits: { memory: '512Mi' },
    });
  });

  test('the PostgreSQL image is pinned', () => {
    // THEN
    expect(cluster.spec.imageName).toBe('ghcr.io/cloudnative-pg/postgresql:18.1-system-trixie');
    expect(cluster.spec.imageName).not.toMatch(/:latest$/);
  });

  test('retention is managed by the plugin, 7 days', () => {
    // THEN
    expect(store.spec.retentionPolicy).toBe('7d');
  });

  test('the operator generates the app secret: initdb references none, nothing secret is synthesized', () => {
    // THEN
    expect(cluster.spec.bootstrap).toEqual({ initdb: { database: 'app', owner: 'app' } });
    expect(pg.appSecretName).toBe('test-app');
    expect(findPlaintextSecrets(docs)).toEqual([]);
  });

  test('S3 credentials are referenced from a Secret; no encryption is requested', () => {
    // THEN
    expect(store.spec.configuration.destinationPath).toBe('s3://my-backups/postgres/');
    expect(store.spec.configuration.s3Credentials).toEqual({
      accessKeyId: { name: 's3-credentials', key: 'ACCESS_KEY_ID' },
      secretAccessKey: { name: 's3-credentials', key: 'ACCESS_SECRET_KEY' },
    });
    expect(store.spec.configuration.wal.encryption).toBeUndefined();
    expect(store.spec.configuration.data.encryption).toBeUndefined();
  });

  test('attributes expose the names other code needs', () => {
    // THEN
    expect(pg.clusterName).toBe('test');
    expect(pg.readWriteServiceName).toBe('test-rw');
    expect(pg.readOnlyServiceName).toBe('test-ro');
    expect(pg.serverName).toBe('test');
    expect(pg.objectStoreName).toBe('test-store');
    expect(pg.scheduledBackupName).toBe('test-backup');
    expect(pg.destinationPath).toBe('s3://my-backups/postgres/');
    expect(pg.instances).toBe(1);
    expect(pg.storageSize.toGibibytes()).toBe(1);
    expect(pg.retentionPolicy.value).toBe('7d');
    expect(pg.walCompression).toBe(Compression.GZIP);
    expect(pg.dataCompression).toBe(Compression.GZIP);
    expect(pg.database).toBe('app');
    expect(pg.owner).toBe('app');
  });

  test('defaultChild is the Cluster', () => {
    // THEN
    expect(ApiObject.of(pg)).toBe(pg.cluster);
    expect(ApiObject.of(pg).kind).toBe('Cluster');
    expect(ApiObject.of(pg).name).toBe('test');
  });
});

describe('BackedUpPostgres', () => {
  test('escape hatch: a JSON patch on the Cluster shows up in synth', () => {
    // GIVEN
    const chart = Testing.chart();
    const pg = backedUp(chart);
    // WHEN
    ApiObject.of(pg).addJsonPatch(JsonPatch.add('/spec/enableSuperuserAccess', true));
    ApiObject.of(pg).addJsonPatch(JsonPatch.add('/spec/postgresql', { parameters: { max_connections: '50' } }));
    // THEN
    const cluster = find(Testing.synth(chart), 'Cluster');
    expect(cluster.spec.enableSuperuserAccess).toBe(true);
    expect(cluster.spec.postgresql).toEqual({ parameters: { max_connections: '50' } });
  });

  test("escape hatch: patches in CNPG's own field names reach the YAML exactly", () => {
    // GIVEN
    const chart = Testing.chart();
    const pg = backedUp(chart);
    // WHEN the CNPG docs' spelling is used (postInitSQL, endpointURL: not the camel-cased names of the generated classes)
    ApiObject.of(pg).addJsonPatch(JsonPatch.add('/spec/bootstrap/initdb/postInitSQL', ['CREATE EXTENSION pg_stat_statements']));
    pg.objectStore.addJsonPatch(JsonPatch.add('/spec/configuration/endpointURL', 'https://s3.internal:9000'));
    // THEN
    const docs = Testing.synth(chart);
    const cluster = find(docs, 'Cluster');
    expect(cluster.spec.bootstrap.initdb.postInitSQL).toEqual(['CREATE EXTENSION pg_stat_statements']);
    expect(cluster.spec.plugins[0].isWALArchiver).toBe(true);
    expect(find(docs, 'ObjectStore').spec.configuration.endpointURL).toBe('https://s3.internal:9000');
  });

  test.each([
    ['a misspelt field on the Cluster', (pg: BackedUpPostgres) => ApiObject.of(pg).addJsonPatch(JsonPatch.add('/spec/enableSuperUserAccess', true)),
      '[test/Test] Cluster "test" spec.enableSuperUserAccess: unknown field "enableSuperUserAccess"'],
    ['a camel-cased name of the generated classes', (pg: BackedUpPostgres) => ApiObject.of(pg).addJsonPatch(JsonPatch.add('/spec/bootstrap/initdb/postInitSql', ['SELECT 1'])),
      '[test/Test] Cluster "test" spec.bootstrap.initdb.postInitSql: unknown field "postInitSql"'],
    ['a misspelt field on the ObjectStore', (pg: BackedUpPostgres) => pg.objectStore.addJsonPatch(JsonPatch.add('/spec/configuration/endpointUrl', 'https://s3.internal')),
      '[test/Test] ObjectStore "test-store" spec.configuration.endpointUrl: unknown field "endpointUrl"'],
  ])('escape hatch: fails when a patch adds %s, naming it', (_, patch, message) => {
    // GIVEN
    const chart = Testing.chart();
    const pg = backedUp(chart);
    // WHEN
    patch(pg);
    // THEN
    expect(errorOf(() => Testing.synth(chart))).toContain(message);
  });

  test('in a chart without a namespace, no namespace is hard-coded', () => {
    // GIVEN
    const chart = Testing.chart();
    // WHEN
    const pg = backedUp(chart);
    // THEN
    expect(pg.namespace).toBeUndefined();
    for (const d of Testing.synth(chart)) expect(d.metadata.namespace).toBeUndefined();
  });

  test('an explicit namespace is used for all objects (the monitoring ones too)', () => {
    // GIVEN
    const chart = new Chart(Testing.app(), 'test', { namespace: 'chart-ns' });
    // WHEN
    backedUp(chart, 'Test', { namespace: 'databases' });
    // THEN
    expect(Testing.synth(chart).map((d: Doc) => d.metadata.namespace)).toEqual(['databases', 'databases', 'databases', 'databases', 'databases']);
  });

  test('every prop is rendered where CNPG reads it', () => {
    // GIVEN
    const chart = Testing.chart();
    // WHEN
    const pg = new BackedUpPostgres(chart, 'Db', {
      clusterName: 'orders',
      instances: 3,
      storageSize: Size.gibibytes(10),
      storageClass: 'local-path',
      walStorageSize: Size.gibibytes(2),
      walStorageClass: 'fast',
      imageName: 'ghcr.io/cloudnative-pg/postgresql:16.6',
      resources: {
        cpu: { request: kplus.Cpu.millis(500), limit: kplus.Cpu.units(2) },
        memory: { request: Size.gibibytes(1), limit: Size.gibibytes(2) },
      },
      database: 'orders',
      owner: 'orders_owner',
      credentials: AppCredentials.fromSecret('orders-credentials'),
      objectStoreName: 'orders-store',
      serverName: 'orders-2026',
      walCompression: Compression.ZSTD,
      dataCompression: Compression.SNAPPY,
      retentionPolicy: RetentionPolicy.weeks(2),
      schedule: BackupSchedule.daily({ hour: 3, minute: 15 }),
      scheduledBackupName: 'orders-nightly',
      immediateBackup: false,
      backupOwnerReference: BackupOwnerReference.CLUSTER,
      backupTarget: BackupTarget.PRIMARY,
      sidecarResources: { memory: { request: Size.mebibytes(128), limit: Size.mebibytes(1024) } },
      objectStorage: ObjectStorage.s3({
        bucket: 'orders-backups',
        path: '/db/',
        credentials: S3Credentials.fromSecret({ secretName: 'aws', accessKeyIdKey: 'id', secretAccessKeyKey: 'key', sessionTokenKey: 'token', regionKey: 'region' }),
        encryption: S3Encryption.AWS_KMS,
      }),
    });
    const docs = Testing.synth(chart);
    // THEN
    expect(docs).toMatchSnapshot();
    const cluster = find(docs, 'Cluster', 'orders');
    expect(cluster.spec).toMatchObject({
      instances: 3,
      imageName: 'ghcr.io/cloudnative-pg/postgresql:16.6',
      storage: { size: '10Gi', storageClass: 'local-path' },
      walStorage: { size: '2Gi', storageClass: 'fast' },
      resources: { requests: { cpu: '500m', memory: '1Gi' }, limits: { cpu: '2', memory: '2Gi' } },
      bootstrap: { initdb: { database: 'orders', owner: 'orders_owner', secret: { name: 'orders-credentials' } } },
      plugins: [{ name: PLUGIN, isWALArchiver: true, parameters: { barmanObjectName: 'orders-store', serverName: 'orders-2026' } }],
    });
    const store = find(docs, 'ObjectStore', 'orders-store');
    expect(store.spec.retentionPolicy).toBe('2w');
    expect(store.spec.configuration).toMatchObject({
      destinationPath: 's3://orders-backups/db/',
      wal: { compression: 'zstd', encryption: 'aws:kms' },
      data: { compression: 'snappy', encryption: 'aws:kms' },
      s3Credentials: {
        accessKeyId: { name: 'aws', key: 'id' },
        secretAccessKey: { name: 'aws', key: 'key' },
        sessionToken: { name: 'aws', key: 'token' },
        region: { name: 'aws', key: 'region' },
      },
    });
    expect(store.spec.instanceSidecarConfiguration.resources).toEqual({ requests: { memory: '128Mi' }, limits: { memory: '1024Mi' } });
    const backup = find(docs, 'ScheduledBackup', 'orders-nightly');
    expect(backup.spec).toMatchObject({ schedule: '0 15 3 * * *', immediate: false, backupOwnerReference: 'cluster', target: 'primary', cluster: { name: 'orders' } });
    expect(pg.appSecretName).toBe('orders-credentials');
    expect(pg.destinationPath).toBe('s3://orders-backups/db/');
    expect(findPlaintextSecrets(docs)).toEqual([]);
  });

  test('an invalid cluster name is reported once, not again for the names derived from it', () => {
    // GIVEN / WHEN a cluster name with upper case and a space
    const message = errorOf(() => backedUp(Testing.chart(), 'Test', { clusterName: 'My DB' }));
    // THEN only clusterName is named
    expect(message).toMatch(/^Validation failed with the following errors:\n  \[test\/Test\] clusterName: must be a DNS-1035 label[^\n]*$/);
    expect(message).not.toMatch(/objectStoreName|scheduledBackupName|serverName/);
  });

  test('the cluster name defaults to the construct id in lower case', () => {
    // GIVEN
    const chart = Testing.chart();
    // WHEN
    const pg = backedUp(chart, 'Orders');
    // THEN
    expect(pg.clusterName).toBe('orders');
    expect(pg.cluster.name).toBe('orders');
  });

  test('the default schedule is daily at midnight', () => {
    // GIVEN
    const chart = Testing.chart();
    // WHEN
    const pg = backedUp(chart);
    // THEN
    expect(find(Testing.synth(chart), 'ScheduledBackup').spec.schedule).toBe('0 0 0 * * *');
    expect(pg.schedule.expression).toBe('0 0 0 * * *');
  });

  test('an S3-compatible store adds the two boto3 checksum variables and no encryption', () => {
    // GIVEN
    const chart = Testing.chart();
    // WHEN
    backedUp(chart, 'Test', {
      objectStorage: ObjectStorage.s3Compatible({
        endpointUrl: 'https://minio.example.lan:9000',
        endpointCa: { secretName: 'minio-ca', key: 'ca.crt' },
        bucket: 'pg-backups',
        credentials: S3Credentials.fromSecret({ secretName: 'minio' }),
      }),
    });
    // THEN
    const store = find(Testing.synth(chart), 'ObjectStore');
    expect(store.spec.instanceSidecarConfiguration.env).toEqual([
      { name: 'AWS_REQUEST_CHECKSUM_CALCULATION', value: 'when_required' },
      { name: 'AWS_RESPONSE_CHECKSUM_VALIDATION', value: 'when_required' },
    ]);
    expect(store.spec.configuration).toMatchObject({
      destinationPath: 's3://pg-backups/',
      endpointURL: 'https://minio.example.lan:9000',
      endpointCA: { name: 'minio-ca', key: 'ca.crt' },
    });
    expect(store.spec.configuration.wal.encryption).toBeUndefined();
    expect(store.spec.configuration.data.encryption).toBeUndefined();
  });

  test('plain S3 adds no checksum variables', () => {
    // GIVEN
    const chart = Testing.chart();
    // WHEN
    backedUp(chart);
    // THEN
    expect(find(Testing.synth(chart), 'ObjectStore').spec.instanceSidecarConfiguration.env).toBeUndefined();
  });

  test('IAM-role credentials inherit the role and annotate the instance ServiceAccount', () => {
    // GIVEN
    const chart = Testing.chart();
    // WHEN
    backedUp(chart, 'Test', {
      objectStorage: ObjectStorage.s3({ bucket: 'my-backups', credentials: S3Credentials.fromIamRole({ roleArn: 'arn:aws:iam::123456789012:role/pg-backup' }) }),
    });
    // THEN
    const docs = Testing.synth(chart);
    expect(find(docs, 'ObjectStore').spec.configuration.s3Credentials).toEqual({ inheritFromIAMRole: true });
    expect(find(docs, 'Cluster').spec.serviceAccountTemplate).toEqual({
      metadata: { annotations: { 'eks.amazonaws.com/role-arn': 'arn:aws:iam::123456789012:role/pg-backup' } },
    });
  });

  test('IAM-role credentials without a role ARN add no ServiceAccount template', () => {
    // GIVEN
    const chart = Testing.chart();
    // WHEN
    backedUp(chart, 'Test', { objectStorage: ObjectStorage.s3({ bucket: 'my-backups', credentials: S3Credentials.fromIamRole() }) });
    // THEN
    expect(find(Testing.synth(chart), 'Cluster').spec.serviceAccountTemplate).toBeUndefined();
  });

  test.each([
    ['a service account key Secret', GcsCredentials.fromSecret('backup-creds'),
      { googleCredentials: { applicationCredentials: { name: 'backup-creds', key: 'gcsCredentials' } } }, undefined],
    ['workload identity', GcsCredentials.fromWorkloadIdentity('pg-backup@my-project.iam.gserviceaccount.com'),
      { googleCredentials: { gkeEnvironment: true } }, { 'iam.gke.io/gcp-service-account': 'pg-backup@my-project.iam.gserviceaccount.com' }],
  ])('Google Cloud Storage with %s renders gs:// and its credentials', (_, credentials, configuration, annotations) => {
    // GIVEN
    const chart = Testing.chart();
    // WHEN
    backedUp(chart, 'Test', { objectStorage: ObjectStorage.gcs({ bucket: 'my-backups', path: 'pg', credentials }) });
    // THEN
    const docs = Testing.synth(chart);
    const store = find(docs, 'ObjectStore');
    expect(store.spec.configuration).toMatchObject({ destinationPath: 'gs://my-backups/pg/', ...configuration });
    expect(store.spec.configuration.s3Credentials).toBeUndefined();
    expect(store.spec.instanceSidecarConfiguration.env).toBeUndefined();
    expect(find(docs, 'Cluster').spec.serviceAccountTemplate?.metadata.annotations).toEqual(annotations);
    expect(findPlaintextSecrets(docs)).toEqual([]);
  });

  test.each([
    ['a connection string', AzureCredentials.fromConnectionString('azure-creds'), { connectionString: { name: 'azure-creds', key: 'AZURE_CONNECTION_STRING' } }],
    ['a storage key', AzureCredentials.fromStorageKey({ secretName: 'azure-creds' }), {
      storageAccount: { name: 'azure-creds', key: 'AZURE_STORAGE_ACCOUNT' }, storageKey: { name: 'azure-creds', key: 'AZURE_STORAGE_KEY' },
    }],
    ['a SAS token', AzureCredentials.fromSasToken({ secretName: 'azure-creds', storageAccountKey: 'account', credentialKey: 'sas' }), {
      storageAccount: { name: 'azure-creds', key: 'account' }, storageSasToken: { name: 'azure-creds', key: 'sas' },
    }],
    ['Azure AD', AzureCredentials.fromAzureAd(), { inheritFromAzureAD: true }],
    ['the default credential chain', AzureCredentials.fromDefaultCredentials(), { useDefaultAzureCredentials: true }],
  ])('Azure Blob Storage with %s renders the blob URL and its credentials', (_, credentials, azureCredentials) => {
    // GIVEN
    const chart = Testing.chart();
    // WHEN
    backedUp(chart, 'Test', { objectStorage: ObjectStorage.azureBlob({ storageAccount: 'myaccount', container: 'backups', path: 'pg', credentials }) });
    // THEN
    const docs = Testing.synth(chart);
    const store = find(docs, 'ObjectStore');
    expect(store.spec.configuration.destinationPath).toBe('https://myaccount.blob.core.windows.net/backups/pg/');
    expect(store.spec.configuration.azureCredentials).toEqual(azureCredentials);
    expect(findPlaintextSecrets(docs)).toEqual([]);
  });

  test.each([
    ['S3-compatible with a CA', ObjectStorage.s3Compatible({
      endpointUrl: 'https://minio.example.lan:9000',
      endpointCa: { secretName: 'minio-ca', key: 'ca.crt' },
      bucket: 'pg-backups',
      credentials: S3Credentials.fromSecret({ secretName: 'minio' }),
    })],
    ['S3 with an IAM role', ObjectStorage.s3({ bucket: 'my-backups', credentials: S3Credentials.fromIamRole({ roleArn: 'arn:aws:iam::123456789012:role/pg-backup' }) })],
    ['GCS workload identity', ObjectStorage.gcs({ bucket: 'my-backups', credentials: GcsCredentials.fromWorkloadIdentity() })],
    ['Azure AD', ObjectStorage.azureBlob({ storageAccount: 'myaccount', container: 'backups', credentials: AzureCredentials.fromAzureAd() })],
  ])('%s passes synth validation against the ObjectStore CRD (unknown fields rejected)', (_, objectStorage) => {
    // GIVEN
    const app = Testing.app();
    addOperators(app);
    // WHEN
    backedUp(new Chart(app, 'database', { namespace: 'databases' }), 'Test', { objectStorage });
    // THEN
    expect(() => validateApp(app)).not.toThrow();
  });

  test('fails at synth when the app installs plugin v0.9.0 and a database asks for lz4 base backups', () => {
    // GIVEN an app that installs the plugin v0.9.0 (no pluginVersion prop on the database)
    const app = Testing.app();
    const operators = new Chart(app, 'operators');
    const operator = new CnpgOperator(operators, 'Cnpg', { version: CnpgVersion.V1_28_0 });
    new CertManager(operators, 'CertManager');
    new BarmanPlugin(operators, 'Plugin', { operator, version: BarmanPluginVersion.V0_9_0 });
    backedUp(new Chart(app, 'db', { namespace: 'db' }), 'Test', { dataCompression: Compression.LZ4 });
    // WHEN / THEN the ObjectStore is checked against the v0.9.0 CRD, which has no lz4 for base backups
    expect(() => app.synth()).toThrow(/\[db\/Test\] ObjectStore "test-store" spec\.configuration\.data\.compression: "lz4" is not allowed by barmancloud\.cnpg\.io ObjectStore of plugin 0\.9\.0/);
  });

  test('a database that takes its plugin follows the plugin\'s version (fromExisting at v0.9.0: no lz4 base backups)', () => {
    // GIVEN a plugin installed elsewhere at v0.9.0, passed to the database
    const chart = Testing.chart();
    const plugin = BarmanPlugin.fromExisting(chart, 'Plugin', { version: BarmanPluginVersion.V0_9_0 });
    // WHEN
    const message = errorOf(() => backedUp(chart, 'Test', { plugin, dataCompression: Compression.LZ4 }));
    // THEN the construct knows the version without a pluginVersion prop
    expectPropError(message, { path: 'test/Test', prop: 'dataCompression', value: 'lz4', problem: 'needs plugin v0.13.0 or newer, the cluster runs v0.9.0', fix: 'Compression.SNAPPY' });
  });

  test('the plugin\'s version is the database\'s pluginVersion', () => {
    // GIVEN
    const chart = Testing.chart();
    const plugin = BarmanPlugin.fromExisting(chart, 'Plugin', { version: BarmanPluginVersion.V0_14_0 });
    // WHEN
    const pg = backedUp(chart, 'Test', { plugin, dataCompression: Compression.LZ4 });
    // THEN
    expect(pg.pluginVersion).toBe(BarmanPluginVersion.V0_14_0);
    expect(find(Testing.synth(chart), 'ObjectStore').spec.configuration.data.compression).toBe('lz4');
  });

  test('fails when pluginVersion contradicts the plugin passed', () => {
    // GIVEN
    const chart = Testing.chart();
    const plugin = BarmanPlugin.fromExisting(chart, 'Plugin', { version: BarmanPluginVersion.V0_14_0 });
    // WHEN
    const message = errorOf(() => backedUp(chart, 'Test', { plugin, pluginVersion: BarmanPluginVersion.V0_9_0 }));
    // THEN
    expectPropError(message, { path: 'test/Test', prop: 'pluginVersion', value: '0.9.0', problem: 'differs from the version of plugin (0.14.0)', fix: 'leave pluginVersion out' });
  });

  test('lz4 base backups are accepted with plugin v0.14.0', () => {
    // GIVEN
    const chart = Testing.chart();
    // WHEN
    backedUp(chart, 'Test', { dataCompression: Compression.LZ4, pluginVersion: BarmanPluginVersion.V0_14_0 });
    // THEN
    expect(find(Testing.synth(chart), 'ObjectStore').spec.configuration.data.compression).toBe('lz4');
  });
});

describe('BackedUpPostgres postgresqlParameters', () => {
  test('reach spec.postgresql.parameters exactly, and pass synth validation', () => {
    // GIVEN
    const app = Testing.app();
    addOperators(app);
    const chart = new Chart(app, 'database', { namespace: 'databases' });
    const parameters = { 'max_connections': '200', 'shared_buffers': '256MB', 'pg_stat_statements.max': '10000', 'log_min_duration_statement': '' };
    // WHEN
    backedUp(chart, 'Test', { postgresqlParameters: parameters });
    // THEN
    expect(find(synthAuthored(chart), 'Cluster').spec.postgresql).toEqual({ parameters });
    expect(() => validateApp(app)).not.toThrow();
  });

  test('are left out of the Cluster when not given', () => {
    expect(find(Testing.synth(backedUp(Testing.chart()).node.scope as Chart), 'Cluster').spec.postgresql).toBeUndefined();
  });
});

describe('BackedUpPostgres bad input', () => {
  const make = (props: Partial<BackedUpPostgresProps>, id = 'Test') => () => backedUp(Testing.chart(), id, props);
  const s3With = (o: object) => ObjectStorage.s3({ bucket: 'my-backups', credentials: S3Credentials.fromSecret({ secretName: 's3-credentials' }), ...o } as any);
  const compatWith = (o: object) => ObjectStorage.s3Compatible({ endpointUrl: 'https://minio.lan:9000', bucket: 'pg-backups', credentials: S3Credentials.fromSecret({ secretName: 'minio' }), ...o } as any);
  const P = 'test/Test';

  // [case, props, prop, bad value as shown, fix hint, construct id]
  test.each<[string, Partial<BackedUpPostgresProps>, string, unknown, string | RegExp, string?]>([
    ['clusterName is empty', { clusterName: '' }, 'clusterName', '', 'use a name such as "test"'],
    ['clusterName is whitespace', { clusterName: '  ' }, 'clusterName', '  ', 'use a name such as "test"'],
    ['clusterName has upper case', { clusterName: 'MyDb' }, 'clusterName', 'MyDb', 'use "mydb"'],
    ['clusterName has an underscore', { clusterName: 'my_db' }, 'clusterName', 'my_db', 'use "my-db"'],
    ['clusterName starts with a digit', { clusterName: '1db' }, 'clusterName', '1db', 'use "db"'],
    ['clusterName is over 50 characters', { clusterName: 'a'.repeat(51) }, 'clusterName', 'a'.repeat(51), 'use a shorter name'],
    ['the construct id makes an invalid cluster name', {}, 'clusterName (from the construct id)', 'my_db', 'use "my-db"', 'My_Db'],
    ['namespace has upper case', { namespace: 'Databases' }, 'namespace', 'Databases', 'use "databases"'],
    ['namespace is empty', { namespace: '' }, 'namespace', '', 'use a name such as "databases"'],
    ['namespace is over 63 characters', { namespace: 'n'.repeat(64) }, 'namespace', 'n'.repeat(64), 'use a shorter name'],
    ['instances is zero', { instances: 0 }, 'instances', 0, 'use e.g. 1'],
    ['instances is negative', { instances: -1 }, 'instances', -1, 'use e.g. 1'],
    ['instances is fractional', { instances: 1.5 }, 'instances', 1.5, 'use e.g. 1'],
    ['storageSize is zero', { storageSize: Size.gibibytes(0) }, 'storageSize', '0Gi', 'Size.gibibytes(1)'],
    ['walStorageSize is zero', { walStorageSize: Size.mebibytes(0) }, 'walStorageSize', '0Mi', 'Size.gibibytes(1)'],
    ['storageClass has spaces', { storageClass: 'Fast SSD' }, 'storageClass', 'Fast SSD', 'use "fast-ssd"'],
    ['storageClass is empty', { storageClass: '' }, 'storageClass', '', 'local-path'],
    ['walStorageClass is set without walStorageSize', { walStorageClass: 'fast' }, 'walStorageClass', 'fast', 'set walStorageSize too'],
    ['imageName is empty', { imageName: '' }, 'imageName', '', 'ghcr.io/cloudnative-pg/postgresql:18.1-system-trixie'],
    ['imageName has no tag', { imageName: 'ghcr.io/cloudnative-pg/postgresql' }, 'imageName', 'ghcr.io/cloudnative-pg/postgresql', 'ghcr.io/cloudnative-pg/postgresql:18.1-system-trixie'],
    ['imageName uses latest', { imageName: 'postgres:latest' }, 'imageName', 'postgres:latest', 'pin a version'],
    ['imageName has whitespace', { imageName: 'postgres:16 ' }, 'imageName', 'postgres:16 ', 'ghcr.io/cloudnative-pg/postgresql:18.1-system-trixie'],
    ['resources memory request is zero', { resources: { memory: { request: Size.mebibytes(0) } } }, 'resources.memory.request', '0Mi', 'Size.mebibytes(512)'],
    ['resources memory request is above the limit', { resources: { memory: { request: Size.gibibytes(2), limit: Size.gibibytes(1) } } }, 'resources.memory', { request: '2Gi', limit: '1Gi' }, 'raise the limit or lower the request'],
    ['resources cpu request is zero', { resources: { cpu: { request: kplus.Cpu.millis(0) } } }, 'resources.cpu.request', '0m', 'Cpu.millis(100)'],
    ['sidecarResources memory limit is zero', { sidecarResources: { memory: { limit: Size.mebibytes(0) } } }, 'sidecarResources.memory.limit', '0Mi', 'Size.mebibytes(512)'],
    ['database is empty', { database: '' }, 'database', '', 'use e.g. "app"'],
    ['database has upper case', { database: 'App' }, 'database', 'App', 'use e.g. "app"'],
    ['database has a hyphen', { database: 'my-db' }, 'database', 'my-db', 'use e.g. "app"'],
    ['database is over 63 characters', { database: 'd'.repeat(64) }, 'database', 'd'.repeat(64), 'use e.g. "app"'],
    ['owner has upper case', { owner: 'User1' }, 'owner', 'User1', 'use e.g. "app"'],
    ['owner is whitespace', { owner: ' ' }, 'owner', ' ', 'use e.g. "app"'],
    ['credentials name an empty Secret', { credentials: AppCredentials.fromSecret('') }, 'credentials.secretName', '', 'postgres-secret'],
    ['credentials name a Secret with upper case', { credentials: AppCredentials.fromSecret('Postgres-Secret') }, 'credentials.secretName', 'Postgres-Secret', 'use "postgres-secret"'],
    ['unsafe plaintext credentials are for another user', { credentials: AppCredentials.unsafePlaintext('user1', 'pw') }, 'credentials.username', 'user1', 'AppCredentials.unsafePlaintext("app", …)'],
    ['unsafe plaintext credentials have an empty password', { credentials: AppCredentials.unsafePlaintext('app', '') }, 'credentials.password', '<redacted>', 'AppCredentials.fromSecret'],
    ['objectStoreName has spaces', { objectStoreName: 'S3 Store' }, 'objectStoreName', 'S3 Store', 'use "s3-store"'],
    ['objectStoreName is empty', { objectStoreName: '' }, 'objectStoreName', '', 's3-store'],
    ['scheduledBackupName has an underscore', { scheduledBackupName: 'pg_backup' }, 'scheduledBackupName', 'pg_backup', 'use "pg-backup"'],
    ['serverName is empty', { serverName: '' }, 'serverName', '', 'use e.g. "test"'],
    ['serverName has a slash', { serverName: 'a/b' }, 'serverName', 'a/b', 'use e.g. "test"'],
    ['serverName starts with whitespace', { serverName: ' test' }, 'serverName', ' test', 'use e.g. "test"'],
    ['the bucket has spaces and upper case', { objectStorage: s3With({ bucket: 'Bad Bucket' }) }, 'objectStorage.bucket', 'Bad Bucket', 'my-postgres-backups'],
    ['the bucket is too short', { objectStorage: s3With({ bucket: 'ab' }) }, 'objectStorage.bucket', 'ab', 'my-postgres-backups'],
    ['the bucket is empty', { objectStorage: s3With({ bucket: '' }) }, 'objectStorage.bucket', '', 'my-postgres-backups'],
    ['the bucket has two dots in a row', { objectStorage: s3With({ bucket: 'my..bucket' }) }, 'objectStorage.bucket', 'my..bucket', 'my-postgres-backups'],
    ['the bucket is over 63 characters', { objectStorage: s3With({ bucket: 'b'.repeat(64) }) }, 'objectStorage.bucket', 'b'.repeat(64), 'my-postgres-backups'],
    ['the path has a .. segment', { objectStorage: s3With({ path: 'a/../b' }) }, 'objectStorage.path', 'a/../b', 'use e.g. "postgres"'],
    ['the path has whitespace', { objectStorage: s3With({ path: 'my backups' }) }, 'objectStorage.path', 'my backups', 'use e.g. "postgres"'],
    ['the S3 credentials Secret is empty', { objectStorage: s3With({ credentials: S3Credentials.fromSecret({ secretName: '' }) }) }, 'objectStorage.credentials.secretName', '', 's3-credentials'],
    ['an S3 credentials key is invalid', { objectStorage: s3With({ credentials: S3Credentials.fromSecret({ secretName: 's3', accessKeyIdKey: 'access key' }) }) }, 'objectStorage.credentials.accessKeyIdKey', 'access key', 'use'],
    ['the IAM role ARN is not an ARN', { objectStorage: s3With({ credentials: S3Credentials.fromIamRole({ roleArn: 'pg-backup' }) }) }, 'objectStorage.credentials.roleArn', 'pg-backup', 'arn:aws:iam::123456789012:role/pg-backup'],
    ['the endpoint URL has no scheme', { objectStorage: compatWith({ endpointUrl: 'minio.lan:9000' }) }, 'objectStorage.endpointUrl', 'minio.lan:9000', 'https://minio.example.lan:9000'],
    ['the endpoint URL is not http(s)', { objectStorage: compatWith({ endpointUrl: 'ftp://minio.lan' }) }, 'objectStorage.endpointUrl', 'ftp://minio.lan', 'https://minio.example.lan:9000'],
    ['the endpoint URL has a path', { objectStorage: compatWith({ endpointUrl: 'https://minio.lan:9000/pg' }) }, 'objectStorage.endpointUrl', 'https://minio.lan:9000/pg', 'the bucket goes in bucket'],
    ['the endpoint URL is empty', { objectStorage: compatWith({ endpointUrl: '' }) }, 'objectStorage.endpointUrl', '', 'https://minio.example.lan:9000'],
    ['the endpoint CA key is empty', { objectStorage: compatWith({ endpointCa: { secretName: 'minio-ca', key: '' } }) }, 'objectStorage.endpointCa.key', '', 'ca.crt'],
    ['the GCS bucket has upper case', { objectStorage: ObjectStorage.gcs({ bucket: 'MyBucket', credentials: GcsCredentials.fromSecret('gcs') }) }, 'objectStorage.bucket', 'MyBucket', 'my-postgres-backups'],
    ['the GCS service account is not an e-mail', { objectStorage: ObjectStorage.gcs({ bucket: 'my-backups', credentials: GcsCredentials.fromWorkloadIdentity('pg-backup') }) }, 'objectStorage.credentials.gcpServiceAccount', 'pg-backup', 'pg-backup@my-project.iam.gserviceaccount.com'],
    ['the GCS credentials key is empty', { objectStorage: ObjectStorage.gcs({ bucket: 'my-backups', credentials: GcsCredentials.fromSecret('gcs', '') }) }, 'objectStorage.credentials.key', '', 'gcsCredentials'],
    ['the Azure storage account has upper case', { objectStorage: ObjectStorage.azureBlob({ storageAccount: 'MyAccount', container: 'backups', credentials: AzureCredentials.fromAzureAd() }) }, 'objectStorage.storageAccount', 'MyAccount', 'mybackups'],
    ['the Azure container is too short', { objectStorage: ObjectStorage.azureBlob({ storageAccount: 'myaccount', container: 'b', credentials: AzureCredentials.fromAzureAd() }) }, 'objectStorage.container', 'b', 'postgres-backups'],
    ['the Azure credentials Secret is empty', { objectStorage: ObjectStorage.azureBlob({ storageAccount: 'myaccount', container: 'backups', credentials: AzureCredentials.fromConnectionString('') }) }, 'objectStorage.credentials.secretName', '', 'azure-creds'],
    ['default Azure credentials with plugin v0.9.0', { pluginVersion: BarmanPluginVersion.V0_9_0, objectStorage: ObjectStorage.azureBlob({ storageAccount: 'myaccount', container: 'backups', credentials: AzureCredentials.fromDefaultCredentials() }) }, 'objectStorage.credentials', 'fromDefaultCredentials()', 'AzureCredentials.fromAzureAd()'],
    ['walCompression is unknown', { walCompression: 'nope' as any }, 'walCompression', 'nope', 'Compression.GZIP'],
    ['dataCompression is unknown', { dataCompression: 'nope' as any }, 'dataCompression', 'nope', 'Compression.GZIP'],
    ['dataCompression is WAL-only xz', { dataCompression: Compression.XZ }, 'dataCompression', 'xz', 'use Compression.GZIP, BZIP2, SNAPPY or LZ4'],
    ['dataCompression is lz4 with plugin v0.9.0', { dataCompression: Compression.LZ4, pluginVersion: BarmanPluginVersion.V0_9_0 }, 'dataCompression', 'lz4', 'BarmanPluginVersion.V0_14_0'],
    ['retentionPolicy is zero days', { retentionPolicy: RetentionPolicy.days(0) }, 'retentionPolicy', 0, 'RetentionPolicy.days(7)'],
    ['retentionPolicy is negative', { retentionPolicy: RetentionPolicy.weeks(-1) }, 'retentionPolicy', -1, 'RetentionPolicy.days(7)'],
    ['schedule has 5 fields', { schedule: BackupSchedule.cron('0 * * * *') }, 'schedule', '0 * * * *', 'BackupSchedule.hourly() ("0 0 * * * *")'],
    ['schedule is empty', { schedule: BackupSchedule.cron('') }, 'schedule', '', 'six fields, seconds first'],
    ['schedule has an hour of 24', { schedule: BackupSchedule.daily({ hour: 24 }) }, 'schedule', '0 0 24 * * *', 'six fields, seconds first'],
    ['backupOwnerReference is unknown', { backupOwnerReference: 'nope' as any }, 'backupOwnerReference', 'nope', 'BackupOwnerReference.NONE, SELF or CLUSTER'],
    ['backupTarget is unknown', { backupTarget: 'standby' as any }, 'backupTarget', 'standby', 'BackupTarget.PRIMARY or PREFER_STANDBY'],
    ['postgresqlParameters sets an operator-managed parameter', { postgresqlParameters: { port: '5433' } }, 'postgresqlParameters.port', '5433', 'the operator manages this parameter'],
    ['postgresqlParameters sets a recovery target', { postgresqlParameters: { recovery_target_time: '2025-12-27 20:43:00+00' } }, 'postgresqlParameters.recovery_target_time', '2025-12-27 20:43:00+00', "PitrRestore's target"],
    ['postgresqlParameters sets archive_command', { postgresqlParameters: { archive_command: '/bin/true' } }, 'postgresqlParameters.archive_command', '/bin/true', 'Barman Cloud plugin'],
    ['postgresqlParameters has a number (JavaScript)', { postgresqlParameters: { max_connections: 200 as any } }, 'postgresqlParameters.max_connections', 200, 'use "200"'],
    ['postgresqlParameters has a key with a space', { postgresqlParameters: { 'max connections': '200' } }, 'postgresqlParameters', 'max connections', '"max_connections"'],
    ['a schedule is a plain string (JavaScript)', { schedule: '0 0 * * * *' as any }, 'schedule', '0 0 * * * *', 'BackupSchedule.hourly()'],
    ['storageSize is a plain string (JavaScript)', { storageSize: '5Gi' as any }, 'storageSize', '5Gi', 'Size.gibibytes(1)'],
    ['credentials are a plain string (JavaScript)', { credentials: 'postgres-secret' as any }, 'credentials', 'postgres-secret', 'AppCredentials.fromSecret("postgres-secret")'],
    ['retentionPolicy is a plain string (JavaScript)', { retentionPolicy: '7d' as any }, 'retentionPolicy', '7d', 'RetentionPolicy.days(7)'],
    ['objectStorage is a plain object (JavaScript)', { objectStorage: { bucket: 'my-backups' } as any }, 'objectStorage', { bucket: 'my-backups' }, 'ObjectStorage.s3('],
    ['the S3 credentials are left out (JavaScript)', { objectStorage: ObjectStorage.s3({ bucket: 'my-backups' } as any) }, 'objectStorage.credentials', undefined, 'S3Credentials.fromSecret('],
    ['the GCS credentials are left out (JavaScript)', { objectStorage: ObjectStorage.gcs({ bucket: 'my-backups' } as any) }, 'objectStorage.credentials', undefined, 'GcsCredentials.fromSecret('],
    ['the S3 credentials are GCS credentials', { objectStorage: s3With({ credentials: GcsCredentials.fromSecret('gcs') }) }, 'objectStorage.credentials', 'GcsCredentials', 'S3Credentials.fromSecret('],
    ['the schedule has no expression (JavaScript)', { schedule: (BackupSchedule.cron as any)() }, 'schedule', undefined, 'BackupSchedule.cron("0 0 3 * * *")'],
  ])('fails when %s', (_, props, prop, value, fix, ...rest) => {
    // GIVEN (the rest parameter keeps jest from taking a sixth argument for a done callback)
    const id = rest[0] as string | undefined;
    // WHEN
    const message = errorOf(make(props, id ?? 'Test'));
    // THEN
    expectPropError(message, { path: id ? `test/${id}` : P, prop, value, fix });
  });

  test('fails when objectStorage is missing', () => {
    // GIVEN / WHEN
    const message = errorOf(() => new BackedUpPostgres(Testing.chart(), 'Test', {} as any));
    // THEN
    expectPropError(message, { path: P, prop: 'objectStorage', value: undefined, problem: 'is required', fix: 'ObjectStorage.s3(' });
  });

  test.each([
    ['ObjectStorage.s3 gets no options', () => (ObjectStorage.s3 as any)(), '[ObjectStorage.s3] options: is required; pass { bucket: "my-backups"'],
    ['ObjectStorage.gcs gets a string', () => (ObjectStorage.gcs as any)('my-backups'), '[ObjectStorage.gcs] options: must be an options object, got "my-backups"; pass { bucket: "my-backups"'],
    ['S3Credentials.fromSecret gets no options', () => (S3Credentials.fromSecret as any)(), '[S3Credentials.fromSecret] options: is required; pass { secretName: "s3-credentials" }'],
    ['AppCredentials.fromSecret gets no name', () => (AppCredentials.fromSecret as any)(), '[AppCredentials.fromSecret] secretName: is required; pass the name of a basic-auth Secret'],
  ])('fails in one line, not with a TypeError, when %s (JavaScript)', (_name, call, expected) => {
    // GIVEN / WHEN
    let error: unknown;
    try {
      call();
    } catch (e) {
      error = e;
    }
    // THEN
    expect(error).toBeInstanceOf(Error);
    expect(error).not.toBeInstanceOf(TypeError);
    expect((error as Error).message).toContain(expected);
    expect((error as Error).message).not.toContain('\n');
  });

  test('fails with every problem of the construct in one error', () => {
    // GIVEN / WHEN
    const message = errorOf(make({ owner: 'Bad', instances: 0, schedule: BackupSchedule.cron('0 * * * *') }));
    // THEN
    expect(message.split('\n').filter(l => l.startsWith(`  [${P}] `))).toHaveLength(3);
    expectPropError(message, { path: P, prop: 'owner', value: 'Bad', fix: 'use e.g. "app"' });
    expectPropError(message, { path: P, prop: 'instances', value: 0, fix: 'use e.g. 1' });
    expectPropError(message, { path: P, prop: 'schedule', value: '0 * * * *', fix: 'BackupSchedule.hourly()' });
  });

  test('a failing construct adds nothing to the chart, and synth fails before writing', () => {
    // GIVEN
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-cnpg-never-written-'));
    const app = new App({ outdir });
    const chart = new Chart(app, 'test');
    // WHEN
    const pg = backedUp(chart, 'Test', { instances: 0 });
    // THEN
    expect(chart.node.findAll().filter(c => c instanceof ApiObject)).toEqual([]);
    expect(pg.cluster).toBeUndefined();
    expect(() => app.synth()).toThrow(/\[test\/Test\] instances: must be a whole number of at least 1, got 0/);
    expect(fs.readdirSync(outdir)).toEqual([]);
    fs.rmSync(outdir, { recursive: true, force: true });
  });

  test('prop errors of every construct of the app are reported together in one synth, in tree order', () => {
    // GIVEN three constructs with wrong props in two charts, and constructs built from a failing one
    const app = Testing.app();
    const operators = new Chart(app, 'operators');
    new CnpgOperator(operators, 'Cnpg', { version: '1.27.0' as unknown as CnpgVersion });
    const db = new Chart(app, 'db', { namespace: 'db' });
    const orders = backedUp(db, 'Orders', { schedule: BackupSchedule.cron('0 * * * *') });
    backedUp(db, 'Users', { instances: 0, owner: 'Bad' });
    new PitrRestore(db, 'Restore', { source: orders, clusterName: 'orders-restore' });
    new RestoreDrill(db, 'Drill', { source: orders });
    // WHEN
    const message = errorOf(() => app.synthYaml());
    // THEN one message, every prop error in the house shape, none for what is built from a failing construct
    const lines = message.split('\n');
    expect(lines[0]).toBe('Validation failed with the following errors:');
    expect(lines.slice(1).map(l => l.replace(/^  (\[[^\]]*\] [^:]*):.*$/, '$1'))).toEqual([
      '[operators/Cnpg] version',
      '[db/Orders] schedule',
      '[db/Users] instances',
      '[db/Users] owner',
    ]);
    expect(message).not.toMatch(/got undefined|TypeError|\n\s+at /);
    expect(message).not.toContain('db/Restore');
    expect(message).not.toContain('db/Drill');
  });

  test('a valid cluster name of exactly 50 characters is accepted', () => {
    // GIVEN / WHEN
    const pg = backedUp(Testing.chart(), 'Test', { clusterName: 'a'.repeat(50) });
    // THEN
    expect(pg.clusterName).toHaveLength(50);
  });

  test('s3Storage helper uses a valid bucket', () => {
    expect(s3Storage().bucket).toBe('my-backups');
  });
});
