import { ApiObject, Chart, JsonPatch, Size, Testing } from 'cdk8s';
import {
  AppCredentials, BackedUpPostgres, BackupSchedule, ObjectStorage, PitrRestore, PitrRestoreProps, RecoveryTarget, S3Credentials,
} from '../src';
import { addOperators, backedUp, Doc, errorOf, expectPropError, find, synthAuthored, validateApp } from './util';

const PLUGIN = 'barman-cloud.cloudnative-pg.io';
const AT = new Date('2025-12-27T20:43:00Z');

describe('PitrRestore of a BackedUpPostgres to a time', () => {
  // GIVEN the source database and the operators in one app
  const app = Testing.app();
  addOperators(app);
  const chart = new Chart(app, 'database', { namespace: 'databases' });
  const source = backedUp(chart, 'Postgres', {
    clusterName: 'test',
    owner: 'user1',
    database: 'shop',
    credentials: AppCredentials.fromSecret('postgres-secret'),
    objectStoreName: 's3-store',
    imageName: 'ghcr.io/cloudnative-pg/postgresql:17.5',
    storageSize: Size.gibibytes(5),
    schedule: BackupSchedule.hourly(),
  });
  const restoreChart = new Chart(app, 'restore', { namespace: 'databases' });
  // WHEN
  const restore = new PitrRestore(restoreChart, 'Restore', { source, clusterName: 'test-restore', target: RecoveryTarget.time(AT) });
  const docs = synthAuthored(restoreChart);
  const cluster = find(docs, 'Cluster', 'test-restore');
  const recovery = cluster.spec.bootstrap.recovery;

  test('snapshot of the objects we author', () => {
    // THEN
    expect(docs).toHaveLength(1);
    expect(docs).toMatchSnapshot();
  });

  test('the whole app passes synth validation (references, CRDs, webhook rules)', () => {
    // THEN
    expect(() => validateApp(app)).not.toThrow();
  });

  test('the target is in spec.bootstrap.recovery.recoveryTarget, not in the plugin parameters', () => {
    // THEN
    expect(recovery.recoveryTarget).toEqual({ targetTime: '2025-12-27 20:43:00.000000+00:00' });
    const parameters = cluster.spec.externalClusters[0].plugin.parameters;
    expect(Object.keys(parameters).sort()).toEqual(['barmanObjectName', 'serverName']);
    expect(parameters).toEqual({ barmanObjectName: 's3-store', serverName: 'test' });
    expect(JSON.stringify(cluster.spec.externalClusters)).not.toMatch(/target/i);
  });

  test('the time is emitted in the PostgreSQL-safe UTC form, never with Z or T', () => {
    // THEN
    expect(recovery.recoveryTarget.targetTime).toBe('2025-12-27 20:43:00.000000+00:00');
    expect(recovery.recoveryTarget.targetTime).not.toMatch(/[ZT]/);
    expect(restore.target.describe()).toBe('targetTime 2025-12-27 20:43:00.000000+00:00');
  });

  test('it recovers through source + externalClusters[].plugin, never recovery.backup', () => {
    // THEN
    expect(recovery.source).toBe('source');
    expect(recovery.backup).toBeUndefined();
    expect(cluster.spec.externalClusters).toEqual([{
      name: 'source',
      plugin: { name: PLUGIN, parameters: { barmanObjectName: 's3-store', serverName: 'test' } },
    }]);
    expect(cluster.spec.externalClusters[0].barmanObjectStore).toBeUndefined();
  });

  test('it carries over the image, database, owner and secret of the source', () => {
    // THEN
    expect(cluster.spec.imageName).toBe('ghcr.io/cloudnative-pg/postgresql:17.5');
    expect(recovery.database).toBe('shop');
    expect(recovery.owner).toBe('user1');
    expect(recovery.secret).toEqual({ name: 'postgres-secret' });
    expect(cluster.spec.storage).toEqual({ size: '5Gi' });
    expect(restore.imageName).toBe(source.imageName);
  });

  test('it lands in the source\'s namespace and does not archive WAL by default', () => {
    // THEN
    expect(cluster.metadata.namespace).toBe('databases');
    expect(cluster.spec.plugins).toBeUndefined();
    expect(restore.archiveServerName).toBeUndefined();
  });

  test('attributes', () => {
    // THEN
    expect(restore.clusterName).toBe('test-restore');
    expect(restore.readWriteServiceName).toBe('test-restore-rw');
    expect(restore.namespace).toBe('databases');
  });

  test('defaultChild is the Cluster', () => {
    // THEN
    expect(ApiObject.of(restore)).toBe(restore.cluster);
    expect(ApiObject.of(restore).kind).toBe('Cluster');
  });
});

describe('PitrRestore', () => {
  const source = (chart: Chart) => backedUp(chart, 'Postgres', { clusterName: 'test' });

  test('escape hatch: a JSON patch on the Cluster shows up in synth', () => {
    // GIVEN
    const chart = Testing.chart();
    const restore = new PitrRestore(chart, 'Restore', { source: source(chart), clusterName: 'test-restore', target: RecoveryTarget.time(AT) });
    // WHEN
    ApiObject.of(restore).addJsonPatch(JsonPatch.add('/spec/bootstrap/recovery/recoveryTarget/exclusive', true));
    ApiObject.of(restore).addJsonPatch(JsonPatch.add('/spec/description', 'restore of test before the bad migration'));
    // THEN
    const cluster = find(Testing.synth(chart), 'Cluster', 'test-restore');
    expect(cluster.spec.bootstrap.recovery.recoveryTarget).toEqual({ targetTime: '2025-12-27 20:43:00.000000+00:00', exclusive: true });
    expect(cluster.spec.description).toBe('restore of test before the bad migration');
  });

  test.each([
    [{ targetXID: '1234567', backupID: '20251227T030000' }],
    [{ targetLSN: '0/3000000', exclusive: true }],
    [{ targetName: 'before-migration', backupID: '20251227T030000' }],
  ])("escape hatch: a recovery target patched in CNPG's spelling reaches the YAML exactly: %j", target => {
    // GIVEN a restore to the end of the archive
    const chart = Testing.chart();
    const restore = new PitrRestore(chart, 'Restore', { source: source(chart), clusterName: 'test-restore' });
    // WHEN
    ApiObject.of(restore).addJsonPatch(JsonPatch.add('/spec/bootstrap/recovery/recoveryTarget', target));
    // THEN
    expect(find(Testing.synth(chart), 'Cluster', 'test-restore').spec.bootstrap.recovery.recoveryTarget).toEqual(target);
  });

  test('escape hatch: fails when a patch misspells a field, naming it', () => {
    // GIVEN
    const chart = Testing.chart();
    const restore = new PitrRestore(chart, 'Restore', { source: source(chart), clusterName: 'test-restore' });
    // WHEN the generated classes' camel-cased name is used instead of CNPG's
    ApiObject.of(restore).addJsonPatch(JsonPatch.add('/spec/bootstrap/recovery/recoveryTarget', { targetXid: '1234567' }));
    // THEN
    expect(errorOf(() => Testing.synth(chart))).toContain('[test/Restore] Cluster "test-restore" spec.bootstrap.recovery.recoveryTarget.targetXid: unknown field "targetXid"');
  });

  test('the default target is latest: no recoveryTarget at all', () => {
    // GIVEN
    const chart = Testing.chart();
    // WHEN
    new PitrRestore(chart, 'Restore', { source: source(chart), clusterName: 'test-restore' });
    // THEN
    expect(find(Testing.synth(chart), 'Cluster', 'test-restore').spec.bootstrap.recovery.recoveryTarget).toBeUndefined();
  });

  test('a generated source secret is not referenced: it belongs to the source Cluster and goes with it', () => {
    // GIVEN a source whose app secret the operator generates (test-app, owned by the source Cluster)
    const chart = Testing.chart();
    // WHEN
    new PitrRestore(chart, 'Restore', { source: source(chart), clusterName: 'test-restore' });
    // THEN the restore names no secret, so the operator generates test-restore-app for it
    expect(find(Testing.synth(chart), 'Cluster', 'test-restore').spec.bootstrap.recovery.secret).toBeUndefined();
  });

  test('the source\'s cloud identity is carried over, so the restore can read the bucket', () => {
    // GIVEN a source that reaches S3 through an IAM role
    const chart = Testing.chart();
    const iam = backedUp(chart, 'Iam', {
      clusterName: 'iam',
      objectStorage: ObjectStorage.s3({ bucket: 'my-backups', credentials: S3Credentials.fromIamRole({ roleArn: 'arn:aws:iam::123456789012:role/pg' }) }),
    });
    // WHEN
    new PitrRestore(chart, 'Restore', { source: iam, clusterName: 'iam-restore' });
    // THEN both clusters' ServiceAccounts carry the role
    const docs = Testing.synth(chart);
    const annotations = { 'eks.amazonaws.com/role-arn': 'arn:aws:iam::123456789012:role/pg' };
    expect(find(docs, 'Cluster', 'iam').spec.serviceAccountTemplate.metadata.annotations).toEqual(annotations);
    expect(find(docs, 'Cluster', 'iam-restore').spec.serviceAccountTemplate.metadata.annotations).toEqual(annotations);
  });

  test('archiveWal archives into the same ObjectStore under the restore\'s own server name', () => {
    // GIVEN
    const chart = Testing.chart();
    // WHEN
    const restore = new PitrRestore(chart, 'Restore', { source: source(chart), clusterName: 'test-restore', archiveWal: true, target: RecoveryTarget.time(AT) });
    // THEN
    const cluster = find(Testing.synth(chart), 'Cluster', 'test-restore');
    expect(restore.archiveServerName).toBe('test-restore');
    expect(cluster.spec.plugins).toEqual([{ name: PLUGIN, isWALArchiver: true, parameters: { barmanObjectName: 'test-store', serverName: 'test-restore' } }]);
    // still restores from the source's server name
    expect(cluster.spec.externalClusters[0].plugin.parameters.serverName).toBe('test');
  });

  test('archiveServerName names the new archive: restoring under the original name, in its own app', () => {
    // GIVEN the original cluster "test" is gone, and its archive is restored under the same name
    const chart = Testing.chart();
    const archive = BackedUpPostgres.fromAttributes(chart, 'Archive', { objectStoreName: 'test-store', serverName: 'test', destinationPath: 's3://my-backups/' });
    // WHEN
    new PitrRestore(chart, 'Restore', { source: archive, clusterName: 'test', archiveWal: true, archiveServerName: 'test-v2' });
    // THEN
    const restored = find(Testing.synth(chart), 'Cluster', 'test');
    expect(restored.spec.plugins[0].parameters).toEqual({ barmanObjectName: 'test-store', serverName: 'test-v2' });
  });

  test('fails at synth when the restore has the source\'s cluster name in the same app', () => {
    // GIVEN / WHEN a restore named like its source, next to it
    const chart = Testing.chart();
    new PitrRestore(chart, 'Restore', { source: source(chart), clusterName: 'test', archiveWal: true, archiveServerName: 'test-v2' });
    // THEN one would replace the other on apply
    expect(() => Testing.synth(chart)).toThrow(/\[test\/Restore\] Cluster "test" metadata\.name: Cluster "test" is defined twice/);
  });

  test('BackedUpPostgres.fromAttributes restores from an archive defined elsewhere, declared external', () => {
    // GIVEN an app whose only database object is the restore
    const app = Testing.app();
    addOperators(app);
    const chart = new Chart(app, 'restore', { namespace: 'databases' });
    const src = BackedUpPostgres.fromAttributes(chart, 'Source', {
      objectStoreName: 's3-store', serverName: 'test', destinationPath: 's3://my-backups/postgres/', owner: 'user1', appSecretName: 'postgres-secret',
    });
    // WHEN
    new PitrRestore(chart, 'Restore', { source: src, clusterName: 'test-restore', target: RecoveryTarget.timestamp('2025-12-27 21:43:00+01:00') });
    // THEN no validation error about the missing ObjectStore
    expect(() => validateApp(app)).not.toThrow();
    const cluster = find(Testing.synth(chart), 'Cluster');
    expect(cluster.spec.bootstrap.recovery).toEqual({
      source: 'source',
      database: 'app',
      owner: 'user1',
      secret: { name: 'postgres-secret' },
      recoveryTarget: { targetTime: '2025-12-27 20:43:00.000000+00:00' },
    });
    expect(cluster.spec.imageName).toBe('ghcr.io/cloudnative-pg/postgresql:18.1-system-trixie');
    expect(cluster.spec.externalClusters[0].plugin.parameters).toEqual({ barmanObjectName: 's3-store', serverName: 'test' });
    expect(cluster.metadata.namespace).toBe('databases');
  });

  test('a reference to an ObjectStore that is neither in the app nor declared external fails synth', () => {
    // GIVEN the restore's external cluster is patched to name another ObjectStore
    const app = Testing.app();
    addOperators(app);
    const chart = new Chart(app, 'restore', { namespace: 'databases' });
    const src = BackedUpPostgres.fromAttributes(chart, 'Source', { objectStoreName: 's3-store', serverName: 'test', destinationPath: 's3://my-backups/postgres/' });
    const restore = new PitrRestore(chart, 'Restore', { source: src, clusterName: 'test-restore' });
    ApiObject.of(restore).addJsonPatch(JsonPatch.replace('/spec/externalClusters/0/plugin/parameters/barmanObjectName', 'other-store'));
    // WHEN
    const message = errorOf(() => validateApp(app));
    // THEN
    expect(message).toContain('[restore/Restore] Cluster "test-restore" spec.externalClusters[0].plugin.parameters.barmanObjectName:');
    expect(message).toContain('other-store');
  });

  test('fromAttributes: an imported database in a chart of its namespace, with the size a restore takes by default', () => {
    // GIVEN a database of another app, imported into this one
    const app = Testing.app();
    const chart = new Chart(app, 'restore', { namespace: 'databases' });
    const src = BackedUpPostgres.fromAttributes(chart, 'Orders', { objectStoreName: 'orders-store', serverName: 'orders', destinationPath: 's3://b/pg/', storageSize: Size.gibibytes(20) });
    // WHEN
    new PitrRestore(chart, 'Restore', { source: src, clusterName: 'orders-restore' });
    // THEN the import adds no object, and its defaults are resolved
    expect(src.clusterName).toBe('orders');
    expect(src.namespace).toBe('databases');
    expect(src.node.path).toBe('restore/Orders');
    const docs = Testing.synth(chart);
    expect(docs.map(d => d.kind)).toEqual(['Cluster']);
    expect(docs[0].spec.storage.size).toBe('20Gi');
  });

  test('fromAttributes names no secret by default: the operator generates one for the restore', () => {
    // GIVEN / WHEN
    const src = BackedUpPostgres.fromAttributes(Testing.chart(), 'Source', { objectStoreName: 's3-store', serverName: 'test', destinationPath: 's3://b/' });
    // THEN
    expect(src.restoreSecretName).toBeUndefined();
    expect(src.serviceAccountAnnotations).toEqual({});
    expect(src.owner).toBe('app');
    expect(src.database).toBe('app');
  });

  describe('bad input', () => {
    const external = (o: object = {}) => BackedUpPostgres.fromAttributes(Testing.chart(), 'Source', { objectStoreName: 's3-store', serverName: 'test', destinationPath: 's3://my-backups/postgres/', ...o });
    test.each<[string, Partial<PitrRestoreProps>, string, unknown, string]>([
      ['clusterName is empty', { clusterName: '' }, 'clusterName', '', 'use a name such as "test-restore"'],
      ['clusterName has upper case', { clusterName: 'Test-Restore' }, 'clusterName', 'Test-Restore', 'use "test-restore"'],
      ['clusterName is over 50 characters', { clusterName: 'r'.repeat(51) }, 'clusterName', 'r'.repeat(51), 'use a shorter name'],
      ['instances is zero', { instances: 0 }, 'instances', 0, 'use e.g. 1'],
      ['instances is negative', { instances: -2 }, 'instances', -2, 'use e.g. 1'],
      ['storageSize is zero', { storageSize: Size.gibibytes(0) }, 'storageSize', '0Gi', 'Size.gibibytes(1)'],
      ['storageClass has upper case', { storageClass: 'Local' }, 'storageClass', 'Local', 'use "local"'],
      ['imageName uses latest', { imageName: 'postgres:latest' }, 'imageName', 'postgres:latest', 'pin a version'],
      ['imageName is another major', { imageName: 'ghcr.io/cloudnative-pg/postgresql:17.5' }, 'imageName', 'ghcr.io/cloudnative-pg/postgresql:17.5', 'use "ghcr.io/cloudnative-pg/postgresql:18.1-system-trixie", or leave imageName out'],
      ['the target timestamp has no offset', { target: RecoveryTarget.timestamp('2025-12-27 20:43:00') }, 'target', '2025-12-27 20:43:00', 'add one'],
      ['archiveServerName is not a folder name', { archiveWal: true, archiveServerName: 'a/b' }, 'archiveServerName', 'a/b', 'use e.g. "test-restore-v2"'],
      ['the source serverName is empty', { source: external({ serverName: '' }) }, 'source.serverName', '', 'use the source cluster\'s name'],
      ['the source objectStoreName has upper case', { source: external({ objectStoreName: 'S3-Store' }) }, 'source.objectStoreName', 'S3-Store', 'use "s3-store"'],
      ['the source namespace has upper case', { source: external({ namespace: 'Databases' }) }, 'source.namespace', 'Databases', 'use "databases"'],
      ['the source image is unpinned', { source: external({ imageName: 'postgres' }) }, 'imageName', 'postgres', 'ghcr.io/cloudnative-pg/postgresql:18.1-system-trixie'],
    ])('fails when %s', (_, props, prop, value, fix) => {
      // GIVEN / WHEN
      const message = errorOf(() => new PitrRestore(Testing.chart(), 'Restore', { source: external(), clusterName: 'test-restore', ...props }));
      // THEN
      expectPropError(message, { path: 'test/Restore', prop, value, fix });
    });

    test.each<[string, (chart: Chart) => Partial<PitrRestoreProps>, string, string]>([
      ['archiving under a clusterName equal to the source\'s server name', { clusterName: 'test', archiveWal: true }, 'archiveServerName (from clusterName)', 'test'],
      ['archiving under an archiveServerName equal to the source\'s server name', { archiveWal: true, archiveServerName: 'test' }, 'archiveServerName', 'test'],
    ])('fails when %s (the restore collision)', (_, props, prop, value) => {
      // GIVEN
      const chart = Testing.chart();
      const src = source(chart);
      // WHEN
      const message = errorOf(() => new PitrRestore(chart, 'Restore', { source: src, clusterName: 'test-restore', ...props }));
      // THEN
      expectPropError(message, {
        path: 'test/Restore',
        prop,
        value,
        problem: 'would archive into s3://my-backups/postgres/test/, the archive this cluster restores from',
        fix: 'archive under a new server name, e.g. archiveServerName: "test-v2"',
      });
    });

    test('a restore named like its source is fine when it does not archive WAL', () => {
      // GIVEN
      const chart = new Chart(Testing.app(), 'restore');
      // WHEN
      const restore = new PitrRestore(chart, 'Restore', { source: external(), clusterName: 'test' });
      // THEN
      expect(restore.archiveServerName).toBeUndefined();
    });

    test('fails when the chart\'s namespace differs from the source\'s, naming both', () => {
      // GIVEN the database in "databases" and a restore chart in "restores"
      const app = Testing.app();
      const src = backedUp(new Chart(app, 'database', { namespace: 'databases' }), 'Postgres', { clusterName: 'test' });
      // WHEN
      const message = errorOf(() => new PitrRestore(new Chart(app, 'restore', { namespace: 'restores' }), 'Restore', { source: src, clusterName: 'test-restore' }));
      // THEN
      expectPropError(message, {
        path: 'restore/Restore',
        prop: 'source.namespace',
        value: 'databases',
        problem: 'must be this chart\'s namespace "restores": the restored cluster reads the ObjectStore in its own namespace',
        fix: 'put the PitrRestore in a chart with namespace: "databases"',
      });
    });

    test('a chart without a namespace puts the restore in the source\'s namespace, explicitly', () => {
      // GIVEN / WHEN
      const app = Testing.app();
      const src = backedUp(new Chart(app, 'database', { namespace: 'databases' }), 'Postgres', { clusterName: 'test' });
      const chart = new Chart(app, 'restore');
      new PitrRestore(chart, 'Restore', { source: src, clusterName: 'test-restore' });
      // THEN
      expect(find(Testing.synth(chart), 'Cluster').metadata.namespace).toBe('databases');
    });

    test.each([
      ['the source is a plain object', { source: {} }, 'source', {}, 'BackedUpPostgres.fromAttributes(chart, "Source", { objectStoreName: "s3-store"'],
      ['the target is a Date', { source: external(), target: AT }, 'target', AT, 'RecoveryTarget.time(new Date("2025-12-27T20:43:00Z"))'],
      ['the target is a string', { source: external(), target: '2025-12-27 20:43:00+00' }, 'target', '2025-12-27 20:43:00+00', 'RecoveryTarget.latest()'],
    ])('fails in one line when %s (JavaScript)', (_name, props, prop, value, fix) => {
      // GIVEN / WHEN
      const message = errorOf(() => new PitrRestore(Testing.chart(), 'Restore', { clusterName: 'test-restore', ...props } as any));
      // THEN one line under synth's header
      expect(message.split('\n').slice(1)).toHaveLength(1);
      expectPropError(message, { path: 'test/Restore', prop, value, fix });
    });

    test('fails in one line when BackedUpPostgres.fromAttributes gets no attributes (JavaScript)', () => {
      expect(errorOf(() => (BackedUpPostgres.fromAttributes as any)(Testing.chart(), 'Source'))).toBe(
        '[BackedUpPostgres.fromAttributes] attrs: is required; pass { objectStoreName: "s3-store", serverName: "test", destinationPath: "s3://my-bucket/postgres/" }');
    });

    test('fails when the source is missing', () => {
      // GIVEN / WHEN
      const message = errorOf(() => new PitrRestore(Testing.chart(), 'Restore', {} as any));
      // THEN
      expectPropError(message, { path: 'test/Restore', prop: 'source', value: undefined, problem: 'is required', fix: 'BackedUpPostgres.fromAttributes' });
    });
  });
});

describe('PitrRestore boundaries', () => {
  const external = (o: object = {}) => BackedUpPostgres.fromAttributes(Testing.chart(), 'Source', { objectStoreName: 's3-store', serverName: 'test', destinationPath: 's3://my-backups/postgres/', imageName: 'ghcr.io/cloudnative-pg/postgresql:17.5', ...o });
  const clusterOf = (chart: Chart) => find(synthAuthored(chart), 'Cluster', 'test-restore');

  test.each([
    ['a later minor', 'ghcr.io/cloudnative-pg/postgresql:17.6'],
    ['an earlier minor', 'ghcr.io/cloudnative-pg/postgresql:17.0'],
    ['the major alone', 'ghcr.io/cloudnative-pg/postgresql:17'],
    ['a minor with a suffix', 'ghcr.io/cloudnative-pg/postgresql:17.6-standard-bookworm'],
  ])('restores into %s of the source\'s major: %s', (_, imageName) => {
    // GIVEN an app with a restore whose image differs from the source's only in the minor
    const chart = new Chart(Testing.app(), 'restore', { namespace: 'databases' });
    // WHEN
    const restore = new PitrRestore(chart, 'Restore', { source: external(), clusterName: 'test-restore', imageName });
    // THEN the image the user gave reaches the YAML
    expect(restore.imageName).toBe(imageName);
    expect(clusterOf(chart).spec.imageName).toBe(imageName);
  });

  test.each([
    ['the next major', 'ghcr.io/cloudnative-pg/postgresql:18.1'],
    ['the previous major with a suffix', 'ghcr.io/cloudnative-pg/postgresql:16.9-bookworm'],
    ['a major that starts with the same digits', 'ghcr.io/cloudnative-pg/postgresql:170.1'],
    ['a major alone', 'ghcr.io/cloudnative-pg/postgresql:1'],
  ])('fails when the image is %s: %s', (_, imageName) => {
    const message = errorOf(() => new PitrRestore(Testing.chart(), 'Restore', { source: external(), clusterName: 'test-restore', imageName }));
    expectPropError(message, {
      path: 'test/Restore',
      prop: 'imageName',
      value: imageName,
      problem: 'must be the source\'s PostgreSQL major version 17 (a base backup restores only into the same major)',
      fix: 'use "ghcr.io/cloudnative-pg/postgresql:17.5", or leave imageName out',
    });
  });

  test('a source image without a version has no major to compare: the image given reaches the YAML', () => {
    const chart = new Chart(Testing.app(), 'restore', { namespace: 'databases' });
    new PitrRestore(chart, 'Restore', { source: external({ imageName: 'postgres' }), clusterName: 'test-restore', imageName: 'ghcr.io/cloudnative-pg/postgresql:17.5' });
    expect(clusterOf(chart).spec.imageName).toBe('ghcr.io/cloudnative-pg/postgresql:17.5');
  });

  test.each<[string, string | undefined, string | undefined, string | undefined]>([
    ['a source namespace in a chart without one', 'databases', undefined, 'databases'],
    ['the chart\'s namespace for a source without one', undefined, 'restores', 'restores'],
    ['no namespace at all', undefined, undefined, undefined],
  ])('a restore from an archive elsewhere lands in %s', (_, sourceNamespace, chartNamespace, expected) => {
    // GIVEN the ObjectStore must be in the restored Cluster's namespace (the plugin looks it up there)
    const chart = new Chart(Testing.app(), 'restore', chartNamespace ? { namespace: chartNamespace } : {});
    // WHEN
    const restore = new PitrRestore(chart, 'Restore', { source: external({ namespace: sourceNamespace }), clusterName: 'test-restore' });
    // THEN
    expect(restore.namespace).toBe(expected);
    expect(clusterOf(chart).metadata.namespace).toBe(expected);
  });

  test.each([
    ['one instance', 1],
    ['three instances', 3],
  ])('%s reach the YAML', (_, instances) => {
    const chart = new Chart(Testing.app(), 'restore', { namespace: 'databases' });
    new PitrRestore(chart, 'Restore', { source: external(), clusterName: 'test-restore', instances });
    expect(clusterOf(chart).spec.instances).toBe(instances);
  });

  test('fails when instances is fractional', () => {
    const message = errorOf(() => new PitrRestore(Testing.chart(), 'Restore', { source: external(), clusterName: 'test-restore', instances: 1.5 }));
    expectPropError(message, { path: 'test/Restore', prop: 'instances', value: 1.5, problem: 'must be a whole number of at least 1', fix: 'use e.g. 1' });
  });

  test('archiveWal archives under the restore\'s name by default, and the target, storage class and secret reach the YAML', () => {
    // GIVEN
    const chart = new Chart(Testing.app(), 'restore', { namespace: 'databases' });
    // WHEN
    const restore = new PitrRestore(chart, 'Restore', {
      source: external({ appSecretName: 'app-secret', database: 'shop', owner: 'shopper' }),
      clusterName: 'test-restore',
      archiveWal: true,
      storageClass: 'local-path',
      target: RecoveryTarget.utc('2024-02-29 23:59:59.999999', { exclusive: true }),
    });
    const cluster = clusterOf(chart);
    // THEN
    expect(restore.archiveServerName).toBe('test-restore');
    expect(cluster.spec.plugins).toEqual([{ name: PLUGIN, isWALArchiver: true, parameters: { barmanObjectName: 's3-store', serverName: 'test-restore' } }]);
    expect(cluster.spec.storage).toEqual({ size: '1Gi', storageClass: 'local-path' });
    expect(cluster.spec.bootstrap.recovery).toEqual({
      source: 'source',
      database: 'shop',
      owner: 'shopper',
      secret: { name: 'app-secret' },
      recoveryTarget: { targetTime: '2024-02-29 23:59:59.999999+00:00', exclusive: true },
    });
    expect(cluster.spec.externalClusters).toEqual([{ name: 'source', plugin: { name: PLUGIN, parameters: { barmanObjectName: 's3-store', serverName: 'test' } } }]);
  });
});

describe('PitrRestore: every message and default, constructed inside each test', () => {
  const external = (scope: Chart, o: object = {}) => BackedUpPostgres.fromAttributes(scope, 'Source', { objectStoreName: 's3-store', serverName: 'test', destinationPath: 's3://my-backups/postgres/', imageName: 'ghcr.io/cloudnative-pg/postgresql:17.5', ...o });
  const restoreIn = (namespace: string | undefined, props: (chart: Chart) => Partial<PitrRestoreProps>, id = 'Restore') => {
    const chart = new Chart(Testing.app(), 'restore', namespace ? { namespace } : {});
    const given = props(chart);
    const restore = new PitrRestore(chart, id, { ...given, source: given.source ?? external(chart) });
    return { restore, cluster: find(synthAuthored(chart), 'Cluster') };
  };
  const lineOf = (fn: () => unknown, prop: string) => errorOf(fn).split('\n').map(l => l.trim()).find(l => l.startsWith(`[test/Restore] ${prop}: `));

  test('the cluster name defaults to the construct id in lower case, and names the read-write service', () => {
    const { restore, cluster } = restoreIn('databases', () => ({}), 'ShopRestore');
    expect(restore.clusterName).toBe('shoprestore');
    expect(restore.readWriteServiceName).toBe('shoprestore-rw');
    expect(cluster.metadata).toEqual({ name: 'shoprestore', namespace: 'databases' });
  });

  test('a restore that does not archive WAL has no plugins and no archive server name', () => {
    const { restore, cluster } = restoreIn('databases', () => ({ clusterName: 'test-restore' }));
    expect(restore.archiveServerName).toBeUndefined();
    expect(cluster.spec.plugins).toBeUndefined();
    expect(Object.keys(cluster.spec).sort()).toEqual(['bootstrap', 'externalClusters', 'imageName', 'instances', 'storage']);
  });

  test.each<[string, (chart: Chart) => Partial<PitrRestoreProps>, string, string]>([
    ['a source server name that is not a folder', c => ({ clusterName: 'test-restore', source: external(c, { serverName: 'a/b' }) }), 'source.serverName',
      '[test/Restore] source.serverName: must be the folder the source archives into, got "a/b"; use the source cluster\'s name, e.g. "test"'],
    ['an empty storage class', () => ({ clusterName: 'test-restore', storageClass: '' }), 'storageClass',
      '[test/Restore] storageClass: must not be empty, got ""; use a name such as "local-path"'],
    ['an empty source namespace', c => ({ clusterName: 'test-restore', source: external(c, { namespace: '' }) }), 'source.namespace',
      '[test/Restore] source.namespace: must not be empty, got ""; use a name such as "databases"'],
    ['an empty ObjectStore name', c => ({ clusterName: 'test-restore', source: external(c, { objectStoreName: '' }) }), 'source.objectStoreName',
      '[test/Restore] source.objectStoreName: must not be empty, got ""; use a name such as "s3-store"'],
    ['an archive server name that is not a folder', () => ({ clusterName: 'test-restore', archiveWal: true, archiveServerName: '-x' }), 'archiveServerName',
      '[test/Restore] archiveServerName: must be a folder name (letters, digits, "-", "_" and "."), got "-x"; use e.g. "test-restore-v2"'],
    ['a target that is not a RecoveryTarget', () => ({ clusterName: 'test-restore', target: 'latest' as never }), 'target',
      '[test/Restore] target: must be a RecoveryTarget, got "latest"; use e.g. RecoveryTarget.time(new Date("2025-12-27T20:43:00Z")) or RecoveryTarget.latest()'],
  ])('fails with %s, saying exactly what to do', (_, props, prop, line) => {
    const chart = Testing.chart();
    const given = props(chart);
    expect(lineOf(() => new PitrRestore(chart, 'Restore', { ...given, source: given.source ?? external(chart) } as PitrRestoreProps), prop)).toBe(line);
  });

  test('fails, naming the construct id, when the cluster name comes from an id that is not one', () => {
    const chart = Testing.chart();
    const message = errorOf(() => new PitrRestore(chart, 'Restore_1', { source: external(chart) }));
    expect(message).toMatch(/^\s*\[test\/Restore_1\] clusterName \(from the construct id\): must be a DNS-1035 label .*got "restore_1"; use "restore-1"$/m);
  });

  test('an explicit cluster name that is not one is named as clusterName', () => {
    const chart = Testing.chart();
    expect(lineOf(() => new PitrRestore(chart, 'Restore', { source: external(chart), clusterName: 'Restore' }), 'clusterName')).toMatch(/^\[test\/Restore\] clusterName: must be a DNS-1035 label .*got "Restore"; use "restore"$/);
  });

  test.each<[string, unknown]>([
    ['a string', 'test'],
    ['an object without an image', { objectStoreName: 's3-store', serverName: 'test', destinationPath: 's3://b/', serviceAccountAnnotations: {} }],
    ['an object without serviceAccountAnnotations', { objectStoreName: 's3-store', serverName: 'test', destinationPath: 's3://b/', imageName: 'postgres:17.5' }],
  ])('fails in one line when the source is %s (JavaScript)', (_, source) => {
    const message = errorOf(() => new PitrRestore(Testing.chart(), 'Restore', { source, clusterName: 'test-restore' } as never));
    expect(message.split('\n').filter(l => l.includes('[test/Restore]'))).toHaveLength(1);
    expect(message).toMatch(/\[test\/Restore\] source: must be a BackedUpPostgres or BackedUpPostgres\.fromAttributes\(scope, id, \{\.\.\.\}\), got .*; pass the BackedUpPostgres to restore, or BackedUpPostgres\.fromAttributes\(chart, "Source", \{ objectStoreName: "s3-store", serverName: "test", destinationPath: "s3:\/\/my-bucket\/postgres\/" \}\)/);
  });

  test('fails in one line when there are no props at all (JavaScript)', () => {
    expect(lineOf(() => new (PitrRestore as any)(Testing.chart(), 'Restore'), 'source'))
      .toBe('[test/Restore] source: is required; pass the BackedUpPostgres to restore, or BackedUpPostgres.fromAttributes(scope, id, {...})');
  });

  test('BackedUpPostgres.fromAttributes fails in one line when given a string (JavaScript)', () => {
    expect(errorOf(() => BackedUpPostgres.fromAttributes(Testing.chart(), 'Source', 's3-store' as never))).toBe(
      '[BackedUpPostgres.fromAttributes] attrs: must be an object, got "s3-store"; pass { objectStoreName: "s3-store", serverName: "test", destinationPath: "s3://my-bucket/postgres/" }');
  });

  test.each([
    ['a registry with a port, and a major alone', 'registry.local:5000/postgresql:17', 'registry.local:5000/postgresql:17.6'],
    ['a registry with a port, and a minor', 'registry.local:5000/postgresql:17.5', 'registry.local:5000/postgresql:17'],
  ])('reads the major from the tag, not the registry port: %s', (_, sourceImage, imageName) => {
    const { cluster } = restoreIn('databases', c => ({ clusterName: 'test-restore', source: external(c, { imageName: sourceImage }), imageName }));
    expect(cluster.spec.imageName).toBe(imageName);
  });

  test.each([
    ['a two-digit major alone', 'ghcr.io/cloudnative-pg/postgresql:17', 'ghcr.io/cloudnative-pg/postgresql:18.1', '17'],
    ['a registry with a port', 'registry.local:5000/postgresql:16', 'registry.local:5000/postgresql:17', '16'],
  ])('fails when the major differs from the source\'s, given as %s', (_, sourceImage, imageName, major) => {
    const chart = Testing.chart();
    expect(lineOf(() => new PitrRestore(chart, 'Restore', { source: external(chart, { imageName: sourceImage }), clusterName: 'test-restore', imageName }), 'imageName'))
      .toBe(`[test/Restore] imageName: must be the source's PostgreSQL major version ${major} (a base backup restores only into the same major), got ${JSON.stringify(imageName)}; use ${JSON.stringify(sourceImage)}, or leave imageName out`);
  });

  test('a BackedUpPostgres of another app is not taken for an existing ObjectStore: use BackedUpPostgres.fromAttributes', () => {
    // GIVEN the source database in one app, the restore in another
    const source = backedUp(new Chart(Testing.app(), 'database', { namespace: 'databases' }), 'Postgres', { clusterName: 'test' });
    const app = Testing.app();
    new PitrRestore(new Chart(app, 'restore', { namespace: 'databases' }), 'Restore', { source, clusterName: 'test-restore' });
    // THEN the restore's app does not hold the ObjectStore, and says so
    expect(errorOf(() => validateApp(app))).toMatch(/barmanObjectName: ObjectStore "test-store" not found in namespace "databases" among the objects given/);
  });
});
