/**
 * `cdk8s-cnpg restore`: the manifest is PitrRestore's output (checked against a PitrRestore synthesized here),
 * from flags or from a synthesized dist/ folder; --check refuses unrecoverable targets and pins backupID.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Chart, Testing } from 'cdk8s';
import * as yaml from 'js-yaml';
import { BackedUpPostgres, ObjectStorage, PitrRestore, RecoveryTarget, S3Credentials } from '../../src';
import { runCommand } from '../../src/cli/cli';
import { BACKUPS_NEEDING_A_PIN, FixtureArchive } from '../recovery/fixture-archive';
import { putObject, S3_ENV, startS3 } from '../recovery/s3-helpers';
import '../util';

let s3: Awaited<ReturnType<typeof startS3>>;
let work: string;

beforeAll(async () => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'cnpg-restore-'));
  s3 = await startS3(['bucket']);
  for (const archive of [new FixtureArchive({ server: 'db' }), new FixtureArchive({ server: 'pinned', backups: BACKUPS_NEEDING_A_PIN })]) {
    for (const [key, body] of archive.objects) await putObject(s3.server.endpointUrl, 'bucket', key, body);
  }
}, 120_000);
afterAll(async () => {
  await s3?.stop();
  fs.rmSync(work, { recursive: true, force: true });
});

async function restore(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string; docs: any[] }> {
  let stdout = '';
  let stderr = '';
  const code = await runCommand(['restore', ...argv], { stdout: s => { stdout += s; }, stderr: s => { stderr += s; }, env: S3_ENV } as never);
  return { code, stdout, stderr, docs: code === 0 && stdout && !stdout.startsWith('usage:') ? yaml.loadAll(stdout) as any[] : [] };
}

const FLAGS = ['--object-store', 's3-store', '--server-name', 'db', '--destination-path', 's3://bucket/pg/'];

/** The Cluster the construct itself synthesizes for the same request. */
function constructCluster(props: Partial<ConstructorParameters<typeof PitrRestore>[2]> & { namespace?: string }): any {
  const chart = new Chart(Testing.app(), 'restore', props.namespace ? { namespace: props.namespace } : {});
  new PitrRestore(chart, 'Restore', {
    source: BackedUpPostgres.fromAttributes(chart, 'Source', { objectStoreName: 's3-store', serverName: 'db', destinationPath: 's3://bucket/pg/' }),
    clusterName: 'db-restore',
    ...props,
  });
  return Testing.synth(chart)[0];
}

describe('cdk8s-cnpg restore', () => {
  test('GIVEN flags and a time target THEN the manifest is exactly what PitrRestore synthesizes', async () => {
    const r = await restore(...FLAGS, '--target-time', '2026-12-02T04:19:20+00:00');
    expect(r.code).toBe(0);
    expect(r.docs).toHaveLength(1);
    expect(r.docs[0]).toEqual(constructCluster({ target: RecoveryTarget.timestamp('2026-12-02T04:19:20+00:00') }));
    expect(r.docs[0].spec.bootstrap.recovery.recoveryTarget).toEqual({ targetTime: '2026-12-02 04:19:20.000000+00:00' });
    expect(r.docs[0].spec.externalClusters[0].plugin.parameters).toEqual({ barmanObjectName: 's3-store', serverName: 'db' });
  });

  test('GIVEN no target THEN the restore replays everything (no recoveryTarget)', async () => {
    const r = await restore(...FLAGS);
    expect(r.code).toBe(0);
    expect(r.docs[0].spec.bootstrap.recovery.recoveryTarget).toBeUndefined();
  });

  test('GIVEN --as-original THEN the source\'s name, archiving under the fresh server name', async () => {
    const r = await restore(...FLAGS, '--as-original', '--archive-server-name', 'db-v2');
    expect(r.code).toBe(0);
    expect(r.docs[0].metadata.name).toBe('db');
    expect(r.docs[0].spec.plugins).toEqual([{ name: 'barman-cloud.cloudnative-pg.io', isWALArchiver: true, parameters: { barmanObjectName: 's3-store', serverName: 'db-v2' } }]);
    expect(r.stderr).toMatch(/delete the existing Cluster db first/);
  });

  test('GIVEN a synthesized dist/ THEN the source Cluster and ObjectStore give the restore its settings', async () => {
    const chart = new Chart(Testing.app(), 'db', { namespace: 'databases' });
    new BackedUpPostgres(chart, 'Postgres', {
      clusterName: 'shop',
      objectStorage: ObjectStorage.s3Compatible({ endpointUrl: s3.server.endpointUrl, bucket: 'bucket', path: 'pg', credentials: S3Credentials.fromSecret({ secretName: 's3-credentials' }) }),
    });
    const dist = path.join(work, 'dist');
    fs.mkdirSync(dist, { recursive: true });
    fs.writeFileSync(path.join(dist, 'db.k8s.yaml'), Testing.synth(chart).map(d => yaml.dump(d)).join('---\n'));
    const r = await restore('--from-dist', dist, '--target-lsn', '0/D020C8', '--name', 'shop-pitr');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const c = r.docs[0];
    expect(c.metadata).toEqual({ name: 'shop-pitr', namespace: 'databases' });
    expect(c.spec.externalClusters[0].plugin.parameters.serverName).toBe('shop');
    expect(c.spec.bootstrap.recovery).toMatchObject({ source: 'source', database: 'app', owner: 'app', recoveryTarget: { targetLSN: '0/D020C8' } });
  });

  test.each<[string, any[], RegExp]>([
    ['two Clusters archive WAL', [
      { apiVersion: 'postgresql.cnpg.io/v1', kind: 'Cluster', metadata: { name: 'a' }, spec: { plugins: [{ name: 'barman-cloud.cloudnative-pg.io', isWALArchiver: true, parameters: { barmanObjectName: 's' } }] } },
      { apiVersion: 'postgresql.cnpg.io/v1', kind: 'Cluster', metadata: { name: 'b' }, spec: { plugins: [{ name: 'barman-cloud.cloudnative-pg.io', isWALArchiver: true, parameters: { barmanObjectName: 's' } }] } },
    ], /2 Clusters archive WAL \(a, b\); choose one with --cluster/],
    ['the ObjectStore is missing', [
      { apiVersion: 'postgresql.cnpg.io/v1', kind: 'Cluster', metadata: { name: 'a', namespace: 'db' }, spec: { plugins: [{ name: 'barman-cloud.cloudnative-pg.io', isWALArchiver: true, parameters: { barmanObjectName: 's' } }] } },
    ], /no ObjectStore "s" in namespace db/],
    ['no Cluster archives WAL', [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' } }], /no Cluster archiving WAL through the barman-cloud plugin/],
  ])('fails with exit 2 when, in dist/, %s', async (_, docs, message) => {
    const dir = fs.mkdtempSync(path.join(work, 'dist-'));
    fs.writeFileSync(path.join(dir, 'app.k8s.yaml'), docs.map(d => yaml.dump(d)).join('---\n'));
    const r = await restore('--from-dist', dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
  });

  test('GIVEN --check and a recoverable target THEN it is written, and says it was checked', async () => {
    const r = await restore(...FLAGS, '--target-time', '2026-12-02T04:19:20+00:00', '--check', '--endpoint-url', s3.server.endpointUrl);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/checked: recoverable from backup 20261202T041914/);
  });

  test('GIVEN --check and the last commit\'s time THEN refused with the reason and the nearest point, exit 3', async () => {
    const r = await restore(...FLAGS, '--target-time', '2026-12-02T04:19:22.565359+00:00', '--check', '--endpoint-url', s3.server.endpointUrl);
    expect(r.code).toBe(3);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/refusing: .*no transaction ends after the target.*nearest recoverable point: the last commit before the target is at 2026-12-02T04:19:22\.565359\+00:00/);
  });

  test('GIVEN --check where CNPG\'s own choice fails THEN backupID is pinned in the manifest', async () => {
    const r = await restore('--object-store', 's3-store', '--server-name', 'pinned', '--destination-path', 's3://bucket/pg/',
      '--target-time', '2026-12-02T04:19:22.53+00:00', '--check', '--endpoint-url', s3.server.endpointUrl);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/pinning backupID 20261202T041914/);
    expect(r.docs[0].spec.bootstrap.recovery.recoveryTarget).toMatchObject({ backupID: '20261202T041914' });
  });

  test('GIVEN --check and an unreachable archive THEN exit 1', async () => {
    const r = await restore(...FLAGS, '--check', '--endpoint-url', 'http://127.0.0.1:9');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/cannot read the archive/);
  });

  test('GIVEN --output THEN the file holds the manifest', async () => {
    const out = path.join(work, 'restore.yaml');
    const r = await restore(...FLAGS, '--output', out);
    expect(r.code).toBe(0);
    expect(yaml.load(fs.readFileSync(out, 'utf-8'))).toMatchObject({ kind: 'Cluster', metadata: { name: 'db-restore' } });
  });

  test.each<[string, string[], RegExp]>([
    ['no source', ['--target-lsn', '0/1'], /no source: give --from-dist DIR/],
    ['a partial source', ['--object-store', 'x'], /--server-name, --destination-path are required/],
    ['an XID without a backup', [...FLAGS, '--target-xid', '123'], /--target-xid needs --backup-id/],
    ['two targets', [...FLAGS, '--target-lsn', '0/1', '--target-immediate'], /give one target/],
    ['--as-original without a server name', [...FLAGS, '--as-original'], /--as-original needs --archive-server-name.*"db-v2"/],
    ['archiving into the source\'s own path', [...FLAGS, '--archive-wal', '--archive-server-name', 'db'], /archiveServerName: would archive into s3:\/\/bucket\/pg\/db\//],
    ['a bad time', [...FLAGS, '--target-time', 'noon'], /timestamp cannot be parsed/],
    ['a missing dist folder', ['--from-dist', '/nonexistent/dist'], /no such file or directory/],
  ])('fails with exit 2 on %s', async (_, argv, message) => {
    const r = await restore(...argv);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(message);
  });

  test('GIVEN --help THEN usage, exit 0', async () => {
    const r = await restore('--help');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^usage: cdk8s-cnpg restore/);
  });
});
