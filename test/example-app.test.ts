import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { YamlOutputType } from 'cdk8s';
import { ruleFileOf, runPromtool } from './promtool';
import { cleanupTempDirs, Doc, find, findPlaintextSecrets, loadYamlFile, readTree, tempDir, withEnv } from './util';
import { buildExampleApp, exampleSettings } from '../src/main';
import { synthExample } from '../src/synth-example';
import { formatFinding, validateManifests } from '../src/validation';

const CLUSTER_SCOPED = ['Namespace', 'CustomResourceDefinition', 'ClusterRole', 'ClusterRoleBinding', 'MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration'];

describe('example app', () => {
  // GIVEN the seed's settings (default bucket, namespace cnpg-system)
  const env = { CDK8S_CNPG_BUCKET: undefined, CDK8S_CNPG_NAMESPACE: undefined, CDK8S_CNPG_LAYOUT: undefined };
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
    expect(withEnv(env, () => exampleSettings(app))).toEqual({ bucket: 'my-postgres-backups', namespace: 'cnpg-system', layout: YamlOutputType.FILE_PER_CHART });
  });

  test('cdk8s context overrides the environment, which overrides the defaults', () => {
    // GIVEN the environment names one bucket and the context another
    const settings = withEnv({ CDK8S_CNPG_BUCKET: 'env-bucket', CDK8S_CNPG_NAMESPACE: undefined, CDK8S_CNPG_LAYOUT: undefined }, () => ({
      fromEnv: exampleSettings(buildExampleApp(tempDir()).app),
      fromContext: exampleSettings(buildExampleApp(tempDir(), { bucket: 'context-bucket', namespace: 'databases' }).app),
    }));
    // THEN
    expect(settings.fromEnv).toEqual({ bucket: 'env-bucket', namespace: 'cnpg-system', layout: YamlOutputType.FILE_PER_CHART });
    expect(settings.fromContext).toEqual({ bucket: 'context-bucket', namespace: 'databases', layout: YamlOutputType.FILE_PER_CHART });
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

  test('dist/ holds a PodMonitor and a PrometheusRule for test that promtool check rules accepts', () => {
    // THEN
    const podMonitor = find(database, 'PodMonitor', 'test');
    expect(podMonitor.spec.selector.matchLabels).toEqual({ 'cnpg.io/cluster': 'test', 'cnpg.io/podRole': 'instance' });
    const rules = database.filter(d => d.kind === 'PrometheusRule');
    expect(rules.map(r => r.metadata.name).sort()).toEqual(['test-backups', 'test-restore-drill']);
    const result = runPromtool(() => ['check', 'rules', 'rules.yml'], { 'rules.yml': ruleFileOf(rules, { keepAnnotations: true }) });
    expect(result.output).toContain('SUCCESS: 8 rules found');
    expect(result.status).toBe(0);
  });

  test('dist/ holds a weekly restore drill of test', () => {
    // THEN
    const cronJob = find(database, 'CronJob', 'test-restore-drill');
    expect(cronJob.metadata.namespace).toBe('cnpg-system');
    expect(cronJob.spec.schedule).toBe('0 4 * * 0');
    expect(JSON.parse(find(database, 'ConfigMap', 'test-restore-drill').data['restore.json']).spec.externalClusters[0].plugin.parameters)
      .toEqual({ barmanObjectName: 's3-store', serverName: 'test' });
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

  test('the operators file opens with a header naming each upstream release, its digest and URL', () => {
    // THEN
    const header = files['operators.k8s.yaml'].split('\n').slice(0, 5);
    expect(header[0]).toMatch(/^# cdk8s-cnpg: upstream installs/);
    expect(header[1]).toMatch(/^# {3}cnpg 1\.28\.4 +sha256:8f24b9163df8ff771fc398de885e6c4052f31a1289f921f9d23024eff5e8ebbe {2}https:\/\/github\.com\/cloudnative-pg\/cloudnative-pg\/releases\/download\/v1\.28\.4\/cnpg-1\.28\.4\.yaml$/);
    expect(header[2]).toMatch(/^# {3}cert-manager 1\.19\.4 +sha256:[0-9a-f]{64} {2}https:\/\//);
    expect(header[3]).toMatch(/^# {3}plugin-barman-cloud 0\.14\.0 +sha256:[0-9a-f]{64} {2}https:\/\//);
    expect(header[4]).toBe(`# ${operators.length} of the ${operators.length} objects below are those documents unchanged: review the lines above, not the objects.`);
    // and the files we author carry none
    expect(files['database.k8s.yaml']).not.toMatch(/^#/);
    expect(files['restore.k8s.yaml']).not.toMatch(/^#/);
  });

  test('file-per-resource layout: a folder per chart, one object per file, the upstream ones headed', () => {
    // GIVEN / WHEN the layout setting
    const target = path.join(tempDir(), 'dist');
    withEnv({ ...env, CDK8S_CNPG_LAYOUT: 'file-per-resource' }, () => synthExample(target));
    const tree = readTree(target);
    // THEN the objects are those of the file-per-chart layout, one per file
    expect(Object.keys(tree).filter(f => f.startsWith('database/')).sort()).toEqual([
      'database/Cluster.test.k8s.yaml', 'database/ConfigMap.test-restore-drill.k8s.yaml', 'database/CronJob.test-restore-drill.k8s.yaml',
      'database/ObjectStore.s3-store.k8s.yaml', 'database/PodMonitor.test.k8s.yaml', 'database/PrometheusRule.test-backups.k8s.yaml',
      'database/PrometheusRule.test-restore-drill.k8s.yaml', 'database/Role.test-restore-drill.k8s.yaml',
      'database/RoleBinding.test-restore-drill.k8s.yaml', 'database/ScheduledBackup.pg-backup.k8s.yaml',
      'database/ServiceAccount.test-restore-drill.k8s.yaml',
    ]);
    expect(Object.keys(tree).filter(f => f.startsWith('restore/'))).toEqual(['restore/Cluster.test-restore.k8s.yaml']);
    const operatorFiles = Object.keys(tree).filter(f => f.startsWith('operators/'));
    expect(operatorFiles).toHaveLength(operators.length);
    for (const f of operatorFiles) {
      expect(tree[f]).toMatch(/^# cdk8s-cnpg: upstream installs/);
      expect(loadYamlFile(path.join(target, f))).toHaveLength(1);
    }
    expect(find(loadYamlFile(path.join(target, 'database/Cluster.test.k8s.yaml')), 'Cluster')).toEqual(find(database, 'Cluster'));
  });

  test('fails when the layout setting is unknown, naming the choices', () => {
    expect(() => withEnv({ ...env, CDK8S_CNPG_LAYOUT: 'per-object' }, () => buildExampleApp(tempDir()))).toThrow(
      '[app] layout: is not a layout of the example, got "per-object"; use "file-per-chart" or "file-per-resource" (CDK8S_CNPG_LAYOUT)');
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
    // THEN dist is a link to one complete version folder; the old folder and everything it held are gone
    expect(Object.keys(readTree(target)).sort()).toEqual(Object.keys(files).sort());
    expect(fs.readdirSync(parent).sort()).toEqual(['.dist.cdk8s-cnpg', 'dist']);
    expect(fs.lstatSync(target).isSymbolicLink()).toBe(true);
    const versions = path.join(parent, '.dist.cdk8s-cnpg');
    expect(fs.readdirSync(versions).sort()).toEqual(['.gitignore', path.basename(fs.readlinkSync(target))]);
    expect(fs.readFileSync(path.join(versions, '.gitignore'), 'utf-8')).toMatch(/^\*$/m);
  });

  test('a synth after a killed one publishes and removes what the killed one left (its version folder and lock)', () => {
    // GIVEN a published dist, then the leftovers of a synth killed mid-way by a process that no longer runs
    const parent = tempDir();
    const target = path.join(parent, 'dist');
    withEnv(env, () => synthExample(target));
    const versions = path.join(parent, '.dist.cdk8s-cnpg');
    const dead = 2 ** 22 + 12345; // above the default pid_max: never a running process
    fs.mkdirSync(path.join(versions, `v-${dead}-abc123`));
    fs.writeFileSync(path.join(versions, `v-${dead}-abc123`, 'operators.k8s.yaml'), 'half');
    fs.writeFileSync(path.join(versions, 'lock'), `${dead}\n${os.hostname()}\n${Date.now()}\n`);
    // WHEN
    withEnv(env, () => synthExample(target));
    // THEN
    expect(Object.keys(readTree(target)).sort()).toEqual(Object.keys(files).sort());
    expect(fs.readdirSync(versions).sort()).toEqual(['.gitignore', path.basename(fs.readlinkSync(target))]);
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

  test('fails when the bucket setting is invalid, leaving an existing dist exactly as it was and no version folder behind', () => {
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
    expect(fs.lstatSync(target).isDirectory()).toBe(true);
    expect(fs.readdirSync(path.join(parent, '.dist.cdk8s-cnpg'))).toEqual(['.gitignore']);
  });
});
