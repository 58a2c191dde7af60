/**
 * The `recovery-window` contract (issue 9): arguments, exit codes 0/3/1/2, the --json shape and field names,
 * against an archive of real WAL (test/recovery/fixtures) served by s3rver on 127.0.0.1.
 */
import { runCommand } from '../../src/cli/cli';
import { BACKUPS_NEEDING_A_PIN, FixtureArchive } from '../recovery/fixture-archive';
import { putObject, S3_ENV, startS3 } from '../recovery/s3-helpers';

let s3: Awaited<ReturnType<typeof startS3>>;

beforeAll(async () => {
  s3 = await startS3(['bucket']);
  const archives: Array<[string, FixtureArchive]> = [
    ['srv', new FixtureArchive({ server: 'srv' })],
    ['nobackup', new FixtureArchive({ server: 'nobackup', backups: {} })],
    ['gap', new FixtureArchive({ server: 'gap', without: ['00000001000000000000000C'] })],
  ];
  for (const [, archive] of archives) {
    for (const [key, body] of archive.objects) await putObject(s3.server.endpointUrl, 'bucket', key, body);
  }
}, 120_000);
afterAll(async () => s3?.stop());

async function cli(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runCommand(['recovery-window', ...argv], { stdout: s => { stdout += s; }, stderr: s => { stderr += s; }, env: S3_ENV } as never);
  return { code, stdout, stderr };
}
const archive = (server: string, ...rest: string[]) => cli('s3://bucket/pg/', '--server-name', server, '--endpoint-url', s3.server.endpointUrl, ...rest);

describe('cdk8s-cnpg recovery-window', () => {
  test('GIVEN --json THEN one object with exactly the contract\'s fields', async () => {
    const { code, stdout, stderr } = await archive('srv', '--json');
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const json = JSON.parse(stdout);
    expect(Object.keys(json)).toEqual(['serverName', 'destinationPath', 'backups', 'timelines', 'earliest', 'latest', 'latestLsn']);
    expect(json).toEqual({
      serverName: 'srv',
      destinationPath: 's3://bucket/pg/',
      backups: [{
        id: '20261202T041914',
        name: 'backup-20261202041914',
        beginTime: '2026-12-02T04:19:14.000000+00:00',
        endTime: '2026-12-02T04:19:14.900000+00:00',
        beginLsn: '0/B00028',
        endLsn: '0/B00170',
        beginWal: '00000001000000000000000B',
        endWal: '00000001000000000000000B',
        timeline: 1,
        status: 'DONE',
      }],
      timelines: [
        { timeline: 1, firstSegment: '000000010000000000000006', lastSegment: '00000001000000000000000C', missingSegments: [], parent: null },
        { timeline: 2, firstSegment: '00000002000000000000000D', lastSegment: '00000002000000000000000D', missingSegments: [], parent: { timeline: 1, switchLsn: '0/D000A0' } },
      ],
      earliest: '2026-12-02T04:19:14.900000+00:00',
      latest: '2026-12-02T04:19:22.565359+00:00',
      latestLsn: '0/D040E8',
    });
  });

  test.each<[string, string[], number, unknown]>([
    ['a recoverable time', ['--target-time', '2026-12-02 04:19:20+00'], 0, { recoverable: true, backupId: '20261202T041914', cnpgWouldChoose: '20261202T041914' }],
    ['the last commit\'s time', ['--target-time', '2026-12-02T04:19:22.565359Z'], 3, { recoverable: false, backupId: null, cnpgWouldChoose: '20261202T041914' }],
    ['a time before the backup', ['--target-time', '2026-12-02T05:19:00+01:00'], 3, { recoverable: false, backupId: null, cnpgWouldChoose: null }],
    ['an LSN on timeline 2', ['--target-lsn', '0/D020C8'], 0, { recoverable: true, backupId: '20261202T041914' }],
    ['an LSN with --timeline 1 past its end', ['--target-lsn', '0/D020C8', '--timeline', '1'], 3, { recoverable: false }],
  ])('GIVEN %s THEN the target object and the exit code say so', async (_, flags, code, target) => {
    const r = await archive('srv', '--json', ...flags);
    expect(r.code).toBe(code);
    const json = JSON.parse(r.stdout);
    expect(Object.keys(json.target)).toEqual(['recoverable', 'backupId', 'cnpgWouldChoose', 'reason']);
    expect(json.target).toMatchObject(target as object);
    expect(typeof json.target.reason).toBe('string');
  });

  test('GIVEN no base backup THEN nothing is restorable: exit 3 and null window', async () => {
    const { code, stdout } = await archive('nobackup', '--json');
    expect(code).toBe(3);
    expect(JSON.parse(stdout)).toMatchObject({ backups: [], earliest: null, latest: null, latestLsn: null });
  });

  test('GIVEN a missing segment THEN it is listed and the window ends before it', async () => {
    const { code, stdout } = await archive('gap', '--json');
    expect(code).toBe(0);
    const json = JSON.parse(stdout);
    expect(json.timelines[0].missingSegments).toEqual(['00000001000000000000000C']);
    expect(json.latest).toBeNull(); // no commit between the backup's end and the gap
  });

  test('GIVEN no --json THEN a short report with the window in UTC and in the local zone', async () => {
    const { code, stdout } = await archive('srv');
    expect(code).toBe(0);
    expect(stdout).toMatch(/^Archive s3:\/\/bucket\/pg\/srv\//);
    expect(stdout).toMatch(/earliest {2}2026-12-02T04:19:14\.900000\+00:00 {2}\S+ \S+/);
    expect(stdout).toMatch(/latest {4}2026-12-02T04:19:22\.565359\+00:00 {2}\S+ \S+ .*LSN 0\/D040E8/);
    expect(stdout).toMatch(/2: branched from 1 at 0\/D000A0/);
  });

  test('GIVEN --help THEN usage with exit codes and the GCS/Azure note, exit 0', async () => {
    const { code, stdout } = await cli('--help');
    expect(code).toBe(0);
    expect(stdout).toMatch(/Exit status: 0 recoverable.*3 not recoverable/s);
    expect(stdout).toMatch(/Google Cloud Storage and Azure Blob Storage archives are not supported yet/);
  });

  test('GIVEN cdk8s-cnpg --help THEN the archive commands are listed after validate\'s usage', async () => {
    let stdout = '';
    const code = await runCommand(['--help'], { stdout: (s: string) => { stdout += s; }, stderr: () => undefined });
    expect(code).toBe(0);
    expect(stdout).toMatch(/^usage: cdk8s-cnpg <command>[\s\S]*validate[\s\S]*cdk8s-cnpg recovery-window[\s\S]*cdk8s-cnpg restore/);
  });

  test.each<[string, string[], RegExp]>([
    ['no destination', ['--server-name', 'x'], /no destination path given/],
    ['no server name', ['s3://b/p/'], /--server-name is required/],
    ['two targets', ['s3://b/p/', '--server-name', 'x', '--target-time', '2025-01-01 00:00:00+00', '--target-lsn', '0/1'], /not both/],
    ['a time without a zone', ['s3://b/p/', '--server-name', 'x', '--target-time', '2025-01-01 00:00:00'], /has no time zone/],
    ['a bad LSN', ['s3://b/p/', '--server-name', 'x', '--target-lsn', '12'], /not a WAL location/],
    ['a bad timeline', ['s3://b/p/', '--server-name', 'x', '--timeline', 'newest'], /--timeline must be "latest" or a timeline number/],
    ['an unknown option', ['s3://b/p/', '--server-name', 'x', '--verbose'], /unknown option "--verbose"/],
    ['a GCS path', ['gs://b/p/', '--server-name', 'x'], /Google Cloud Storage archives \(gs:\/\/\) are not supported yet/],
    ['an endpoint that is not a URL', ['s3://bkt/p/', '--server-name', 'x', '--endpoint-url', 'minio:9000'], /endpoint URL must be an http\(s\) URL, got "minio:9000"/],
  ])('fails with exit 2 on %s', async (_, argv, message) => {
    const { code, stderr, stdout } = await cli(...argv);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(message);
  });

  test.each<[string, string[], RegExp]>([
    ['nothing listens at the endpoint', ['s3://bucket/pg/', '--server-name', 'srv', '--endpoint-url', 'http://127.0.0.1:9'], /cannot read the archive: cannot reach http:\/\/127\.0\.0\.1:9/],
    ['the bucket does not exist', ['s3://nobucket/pg/', '--server-name', 'srv'], /NoSuchBucket/],
  ])('fails with exit 1 when %s', async (_, argv, message) => {
    const endpoint = argv.includes('--endpoint-url') ? [] : ['--endpoint-url', s3.server.endpointUrl];
    const { code, stderr } = await cli(...argv, ...endpoint);
    expect(code).toBe(1);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toMatch(message);
  });

  test('GIVEN AWS_ENDPOINT_URL and no --endpoint-url THEN that endpoint is used', async () => {
    let stdout = '';
    const code = await runCommand(['recovery-window', 's3://bucket/pg/', '--server-name', 'srv', '--json'],
      { stdout: (s: string) => { stdout += s; }, stderr: () => undefined, env: { ...S3_ENV, AWS_ENDPOINT_URL: s3.server.endpointUrl } } as never);
    expect(code).toBe(0);
    expect(JSON.parse(stdout).latestLsn).toBe('0/D040E8');
  });

  test('GIVEN a CNPG choice that fails THEN the JSON names the backup to pin', async () => {
    const pinned = new FixtureArchive({ server: 'pinned', backups: BACKUPS_NEEDING_A_PIN });
    for (const [key, body] of pinned.objects) await putObject(s3.server.endpointUrl, 'bucket', key, body);
    const { code, stdout } = await archive('pinned', '--json', '--target-time', '2026-12-02T04:19:22.53Z');
    expect(code).toBe(0);
    expect(JSON.parse(stdout).target).toMatchObject({ recoverable: true, backupId: '20261202T041914', cnpgWouldChoose: '20261202T041922' });
  });
});
