import * as fs from 'fs';
import * as path from 'path';
import { cleanupTempDirs, Doc, find, findPlaintextSecrets, loadYamlFile, readTree, tempDir, withEnv } from './util';
import { buildExampleApp, exampleSettings, synthExample } from '../src/main';
import { formatFinding, validateManifests } from '../src/validation';

const CLUSTER_SCOPED = ['Namespace', 'CustomResourceDefinition', 'ClusterRole', 'ClusterRoleBinding', 'MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration'];

describe('example app', () => {
  // GIVEN the seed's settings (default bucket, namespace cnpg-system)
  const env = { CDK8S_CNPG_BUCKET: undefined, CDK8S_CNPG_NAMESPACE: undefined };
  let dist: string;
  let files: Record<string, string>;
  let operators: Doc[];
  let database: Doc[];
  let restore: Doc[];

  beforeAll(() => {
    // WHEN
    dist = path.join(tempDir(), 'dist');
    withEnv(env, () => synthExample(dist));
    files = readTree(dist);
    operators = loadYamlFile(path.join(dist, 'operators.k8s.yaml'));
    database = loadYamlFile(path.join(dist, 'database.k8s.yaml'));
    restore = loadYamlFile(path.join(dist, 'restore.k8s.yaml'));
  });
  afterAll(() => cleanupTempDirs());

  test('writes the operators, the database, the restore and the IAM policy, each in its own file', () => {
    // THEN
    expect(Object.keys(files).sort()).toEqual(['database.k8s.yaml', 'iam/test.policy.json', 'operators.k8s.yaml', 'restore.k8s.yaml']);
  });

  test('snapshot of what we author (database and restore files; the operators file is upstream data)', () => {
    // THEN
    expect(files['database.k8s.yaml']).toMatchSnapshot();
    expect(files['restore.k8s.yaml']).toMatchSnapshot();
  });

  test('the bucket and namespace are settings with the seed\'s defaults', () => {
    // THEN
    const { app } = withEnv(env, () => buildExampleApp(tempDir()));
    expect(withEnv(env, () => exampleSettings(app))).toEqual({ bucket: 'my-postgres-backups', namespace: 'cnpg-system' });
  });

  test('cdk8s context overrides the environment, which overrides the defaults', () => {
    // GIVEN the environment names one bucket and the context another
    const settings = withEnv({ CDK8S_CNPG_BUCKET: 'env-bucket', CDK8S_CNPG_NAMESPACE: undefined }, () => ({
      fromEnv: exampleSettings(buildExampleApp(tempDir()).app),
      fromContext: exampleSettings(buildExampleApp(tempDir(), { bucket: 'context-bucket', namespace: 'databases' }).app),
    }));
    // THEN
    expect(settings.fromEnv).toEqual({ bucket: 'env-bucket', namespace: 'cnpg-system' });
    expect(settings.fromContext).toEqual({ bucket: 'context-bucket', namespace: 'databases' });
  });

  test('everything we author is in cnpg-system', () => {
    // THEN
    expect([...database, ...restore].map(d => d.metadata.namespace)).toEqual([...database, ...restore].map(() => 'cnpg-system'));
  });

  test('Cluster test: 1 instance, 1Gi, owner user1 with the existing postgres-secret referenced by bootstrap.initdb', () => {
    // THEN
    const cluster = find(database, 'Cluster', 'test');
    expect(cluster.spec.instances).toBe(1);
    expect(cluster.spec.storage).toEqual({ size: '1Gi' });
    expect(cluster.spec.bootstrap).toEqual({ initdb: { database: 'app', owner: 'user1', secret: { name: 'postgres-secret' } } });
    expect(cluster.spec.imageName).toBe('ghcr.io/cloudnative-pg/postgresql:18.1-system-trixie');
    expect(cluster.spec.plugins).toEqual([{
      name: 'barman-cloud.cloudnative-pg.io', isWALArchiver: true, parameters: { barmanObjectName: 's3-store', serverName: 'test' },
    }]);
  });

  test('ObjectStore s3-store: s3://<bucket>/postgres/, gzip WAL, s3-credentials with the seed\'s keys', () => {
    // THEN
    const store = find(database, 'ObjectStore', 's3-store');
    expect(store.spec.configuration.destinationPath).toBe('s3://my-postgres-backups/postgres/');
    expect(store.spec.configuration.wal.compression).toBe('gzip');
    expect(store.spec.configuration.data.compression).toBe('gzip');
    expect(store.spec.configuration.s3Credentials).toEqual({
      accessKeyId: { name: 's3-credentials', key: 'access-key-id' },
      secretAccessKey: { name: 's3-credentials', key: 'secret-key-id' },
    });
    expect(store.spec.retentionPolicy).toBe('7d');
  });

  test('ScheduledBackup pg-backup: hourly (six fields), immediate, owned by itself, through the plugin', () => {
    // THEN
    const backup = find(database, 'ScheduledBackup', 'pg-backup');
    expect(backup.spec).toEqual({
      cluster: { name: 'test' },
      schedule: '0 0 * * * *',
      immediate: true,
      backupOwnerReference: 'self',
      method: 'plugin',
      pluginConfiguration: { name: 'barman-cloud.cloudnative-pg.io' },
    });
  });

  test('test-restore lands in restore.k8s.yaml alone, restoring server test to 2025-12-27 20:43:00 UTC', () => {
    // THEN
    expect(database.find(d => d.metadata.name === 'test-restore')).toBeUndefined();
    expect(restore.map(d => `${d.kind}/${d.metadata.name}`)).toEqual(['Cluster/test-restore']);
    const cluster = restore[0];
    expect(cluster.spec.bootstrap.recovery).toEqual({
      source: 'source',
      database: 'app',
      owner: 'user1',
      secret: { name: 'postgres-secret' },
      recoveryTarget: { targetTime: '2025-12-27 20:43:00.000000+00:00' },
    });
    expect(cluster.spec.externalClusters).toEqual([{
      name: 'source',
      plugin: { name: 'barman-cloud.cloudnative-pg.io', parameters: { barmanObjectName: 's3-store', serverName: 'test' } },
    }]);
    // in the YAML text too: the PostgreSQL-safe form, quoted, never RFC 3339
    expect(files['restore.k8s.yaml']).toContain('targetTime: "2025-12-27 20:43:00.000000+00:00"');
    expect(files['restore.k8s.yaml']).not.toMatch(/2025-12-27T|20:43:00(\.0+)?Z/);
  });

  test('operators.k8s.yaml: CNPG 1.28.4, cert-manager v1.19.4 and plugin v0.14.0, cluster-scoped objects without namespace', () => {
    // THEN
    const images = operators.filter(d => d.kind === 'Deployment').flatMap(d => d.spec.template.spec.containers.map((c: Doc) => c.image)).sort();
    expect(images).toEqual([
      'ghcr.io/cloudnative-pg/cloudnative-pg:1.28.4',
      'ghcr.io/cloudnative-pg/plugin-barman-cloud:v0.14.0',
      'quay.io/jetstack/cert-manager-cainjector:v1.19.4',
      'quay.io/jetstack/cert-manager-controller:v1.19.4',
      'quay.io/jetstack/cert-manager-webhook:v1.19.4',
    ]);
    const sidecar = find(operators, 'Secret');
    expect(Buffer.from(sidecar.data.SIDECAR_IMAGE, 'base64').toString().trim()).toBe('ghcr.io/cloudnative-pg/plugin-barman-cloud-sidecar:v0.14.0');
    for (const d of operators.filter(x => CLUSTER_SCOPED.includes(x.kind))) expect(d.metadata.namespace).toBeUndefined();
    expect(operators.filter(d => d.kind === 'Namespace').map(d => d.metadata.name).sort()).toEqual(['cert-manager', 'cnpg-system']);
    // 25 CNPG + 49 cert-manager + 17 plugin documents
    expect(operators).toHaveLength(25 + 49 + 17);
    expect(database.concat(restore).some(d => CLUSTER_SCOPED.includes(d.kind))).toBe(false);
  });

  test('every CNPG, plugin and cert-manager object in dist/ validates against the CRDs of the versions used, unknown fields rejected', () => {
    // GIVEN every synthesized document, none of them trusted (the upstream installs included)
    const inputs = [...operators, ...database, ...restore].map(doc => ({ doc }));
    // WHEN validated against CNPG 1.28.4, plugin 0.14.0 and cert-manager 1.19.4, as the CLI would
    const findings = validateManifests(inputs, { cnpgVersion: '1.28.4', pluginVersion: '0.14.0', certManagerVersion: '1.19.4' });
    // THEN there is no finding at all, and the plugin's own cert-manager objects were among the inputs
    expect(findings.map(f => formatFinding(f))).toEqual([]);
    expect(operators.filter(d => d.apiVersion === 'cert-manager.io/v1').map(d => d.kind).sort()).toEqual(['Certificate', 'Certificate', 'Issuer']);
  });

  test('no plaintext secret in any synthesized document', () => {
    // THEN
    expect(findPlaintextSecrets([...operators, ...database, ...restore])).toEqual([]);
    // grep-level over what we author (the CRD schemas in the operators file describe password fields, holding no values)
    expect(files['database.k8s.yaml'] + files['restore.k8s.yaml'] + files['iam/test.policy.json']).not.toMatch(/stringData|password|kind: Secret/i);
  });

  test('the IAM policy grants only the four barman-cloud actions, only on the bucket and bucket/postgres/*', () => {
    // THEN
    const policy = JSON.parse(files['iam/test.policy.json']);
    expect(policy.Version).toBe('2012-10-17');
    const statements: Doc[] = policy.Statement;
    expect(statements.every(s => s.Effect === 'Allow')).toBe(true);
    const actions = new Set(statements.flatMap(s => s.Action));
    expect([...actions].sort()).toEqual(['s3:DeleteObject', 's3:GetObject', 's3:ListBucket', 's3:PutObject']);
    const resources = new Set(statements.flatMap(s => s.Resource));
    expect([...resources].sort()).toEqual(['arn:aws:s3:::my-postgres-backups', 'arn:aws:s3:::my-postgres-backups/postgres/*']);
    // listing is limited to the prefix; object actions only on objects under it
    const list = statements.find(s => s.Action.includes('s3:ListBucket'))!;
    expect(list.Action).toEqual(['s3:ListBucket']);
    expect(list.Resource).toEqual(['arn:aws:s3:::my-postgres-backups']);
    expect(list.Condition).toBeUndefined(); // HeadBucket carries no s3:prefix (barman #929)
    const objects = statements.find(s => s.Action.includes('s3:GetObject'))!;
    expect(objects.Resource).toEqual(['arn:aws:s3:::my-postgres-backups/postgres/*']);
    expect(JSON.stringify(policy)).not.toMatch(/"\*"|s3:\*/);
  });

  test('a second synth gives byte-identical files', () => {
    // GIVEN
    const again = path.join(tempDir(), 'dist');
    // WHEN
    withEnv(env, () => synthExample(again));
    // THEN
    expect(readTree(again)).toEqual(files);
  });

  test('synthesizing over an existing dist replaces it wholesale', () => {
    // GIVEN an existing dist with a stale file
    const parent = tempDir();
    const target = path.join(parent, 'dist');
    fs.mkdirSync(target);
    fs.writeFileSync(path.join(target, 'stale.k8s.yaml'), 'old');
    // WHEN
    withEnv(env, () => synthExample(target));
    // THEN
    expect(Object.keys(readTree(target)).sort()).toEqual(Object.keys(files).sort());
    expect(fs.readdirSync(parent)).toEqual(['dist']);
  });

  test('the bucket setting comes from the environment', () => {
    // GIVEN
    const target = path.join(tempDir(), 'dist');
    // WHEN
    withEnv({ ...env, CDK8S_CNPG_BUCKET: 'other-bucket' }, () => synthExample(target));
    // THEN
    const store = find(loadYamlFile(path.join(target, 'database.k8s.yaml')), 'ObjectStore');
    expect(store.spec.configuration.destinationPath).toBe('s3://other-bucket/postgres/');
    expect(fs.readFileSync(path.join(target, 'iam', 'test.policy.json'), 'utf-8')).toContain('arn:aws:s3:::other-bucket/postgres/*');
  });

  test('fails when the bucket setting is invalid, leaving an existing dist exactly as it was and writing nothing', () => {
    // GIVEN an existing dist with a marker file
    const parent = tempDir();
    const target = path.join(parent, 'dist');
    fs.mkdirSync(target);
    fs.writeFileSync(path.join(target, 'marker.txt'), 'keep me');
    fs.writeFileSync(path.join(target, 'operators.k8s.yaml'), 'previous');
    const before = readTree(target);
    // WHEN
    let message = '';
    try {
      withEnv({ ...env, CDK8S_CNPG_BUCKET: 'Bad Bucket' }, () => synthExample(target));
    } catch (e) {
      message = (e as Error).message;
    }
    // THEN
    expect(message).toContain('[database/Postgres] objectStorage.bucket: must be a bucket name');
    expect(message).toContain('got "Bad Bucket"');
    expect(readTree(target)).toEqual(before);
    expect(fs.readdirSync(parent)).toEqual(['dist']);
  });
});
