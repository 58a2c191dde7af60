import * as fs from 'fs';
import * as http from 'http';
import * as os from 'os';
import * as path from 'path';
import { putObject, S3RVER_CREDENTIALS, startS3 } from './s3-helpers';
import { ArchiveReadError, loadCredentials, loadRegion, parseDestinationPath, S3Reader } from '../../src/recovery/s3';

describe('S3Reader against s3rver on 127.0.0.1', () => {
  let s3: Awaited<ReturnType<typeof startS3>>;
  const creds = { ...S3RVER_CREDENTIALS, source: 'test' };
  const reader = (options: Partial<ConstructorParameters<typeof S3Reader>[0]> = {}) =>
    new S3Reader({ bucket: 'archive', credentials: creds, endpointUrl: s3.server.endpointUrl, region: 'us-east-1', ...options });

  beforeAll(async () => {
    s3 = await startS3(['archive']);
    for (const key of ['pg/srv/wals/0000000100000000/000000010000000000000001.gz', 'pg/srv/wals/0000000100000000/000000010000000000000002.gz',
      'pg/srv/wals/00000002.history', 'pg/srv/base/20250101T000000/backup.info', 'pg/other/x', 'pg/srv/odd name+(1).txt']) {
      await putObject(s3.server.endpointUrl, 'archive', key, Buffer.from(`content of ${key}`));
    }
  }, 60_000);
  afterAll(async () => s3?.stop());

  test('GIVEN a prefix THEN every key under it is listed (path-style, signed)', async () => {
    const keys = (await reader().list('pg/srv/', 100)).map(o => o.key);
    expect(keys).toEqual([
      'pg/srv/base/20250101T000000/backup.info', 'pg/srv/odd name+(1).txt', 'pg/srv/wals/0000000100000000/000000010000000000000001.gz',
      'pg/srv/wals/0000000100000000/000000010000000000000002.gz', 'pg/srv/wals/00000002.history',
    ]);
  });

  test('GIVEN a key with spaces and parentheses THEN it is read', async () => {
    expect((await reader().get('pg/srv/odd name+(1).txt', 1000)).toString()).toBe('content of pg/srv/odd name+(1).txt');
  });

  test.each<[string, () => Promise<unknown>, RegExp]>([
    ['a listing is over the limit', () => reader().list('pg/', 3), /lists more than 3 objects/],
    ['an object is over the size limit', () => reader().get('pg/srv/wals/00000002.history', 5), /over the 5-byte limit/],
    ['the object does not exist', () => reader().get('pg/srv/nothing', 100), /HTTP 404 NoSuchKey/],
    ['the bucket does not exist', () => reader({ bucket: 'nobucket' }).list('x/', 10), /HTTP 404 NoSuchBucket; check the bucket/],
    ['the access key is unknown', () => reader({ credentials: { ...creds, accessKeyId: 'AKIAWRONG' } }).list('pg/', 10), /HTTP 403 InvalidAccessKeyId; check the credentials \(from test\)/],
    ['nothing listens at the endpoint', () => reader({ endpointUrl: 'http://127.0.0.1:9' }).list('pg/', 10), /cannot reach http:\/\/127.0.0.1:9/],
  ])('fails when %s', async (_, call, message) => {
    await expect(call()).rejects.toThrow(ArchiveReadError);
    await expect(call()).rejects.toThrow(message);
  });
});

describe('S3Reader listing across pages', () => {
  // s3rver cannot continue a listing on Node 20 (its continuation token uses DES, which OpenSSL 3 dropped), so a
  // small server on 127.0.0.1 plays S3's ListObjectsV2 pages, as AWS documents them.
  let server: http.Server;
  let endpoint: string;
  const seen: string[] = [];
  beforeAll(async () => {
    server = http.createServer((req, res) => {
      const url = new URL(req.url!, 'http://x');
      seen.push(`${url.pathname} ${url.searchParams.get('continuation-token') ?? '-'} ${String(req.headers.authorization).slice(0, 33)}`);
      const token = url.searchParams.get('continuation-token');
      const page = token === null
        ? '<Contents><Key>pg/a&amp;b</Key><Size>1</Size></Contents><IsTruncated>true</IsTruncated><NextContinuationToken>t+/=&amp;1</NextContinuationToken>'
        : token === 't+/=&1' ? '<Contents><Key>pg/c</Key><Size>2</Size></Contents><IsTruncated>false</IsTruncated>' : '<Error><Code>InvalidArgument</Code></Error>';
      res.writeHead(token === null || token === 't+/=&1' ? 200 : 400).end(`<?xml version="1.0"?><ListBucketResult>${page}</ListBucketResult>`);
    });
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
    endpoint = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  });
  afterAll(() => new Promise<void>(resolve => server.close(() => resolve())));

  test('GIVEN two pages THEN the continuation token is passed back exactly and both pages are listed', async () => {
    const r = new S3Reader({ bucket: 'b', credentials: { accessKeyId: 'AKID', secretAccessKey: 's', source: 'test' }, endpointUrl: endpoint, region: 'us-east-1', pageSize: 1 });
    expect(await r.list('pg/', 10)).toEqual([{ key: 'pg/a&b', size: 1 }, { key: 'pg/c', size: 2 }]);
    expect(seen).toEqual(['/b/ - AWS4-HMAC-SHA256 Credential=AKID/', '/b/ t+/=&1 AWS4-HMAC-SHA256 Credential=AKID/']);
  });
});

describe('credentials, region and destination paths', () => {
  let home: string;
  beforeAll(() => {
    home = fs.mkdtempSync(path.join(os.tmpdir(), 'cnpg-aws-'));
    fs.writeFileSync(path.join(home, 'credentials'), '[default]\naws_access_key_id = AKIDEFAULT\naws_secret_access_key = s1\n\n[other]\naws_access_key_id=AKIOTHER\naws_secret_access_key=s2\naws_session_token=tok\n');
    fs.writeFileSync(path.join(home, 'config'), '[profile cfg]\naws_access_key_id = AKICFG\naws_secret_access_key = s3\nregion = eu-west-3\n');
  });
  afterAll(() => fs.rmSync(home, { recursive: true, force: true }));
  const files = () => ({ AWS_SHARED_CREDENTIALS_FILE: path.join(home, 'credentials'), AWS_CONFIG_FILE: path.join(home, 'config') });

  test.each<[string, NodeJS.ProcessEnv, string, string | undefined]>([
    ['the environment', { AWS_ACCESS_KEY_ID: 'AKIENV', AWS_SECRET_ACCESS_KEY: 's', AWS_SESSION_TOKEN: 't' }, 'AKIENV', 't'],
    ['the default profile', {}, 'AKIDEFAULT', undefined],
    ['AWS_PROFILE in the credentials file', { AWS_PROFILE: 'other' }, 'AKIOTHER', 'tok'],
    ['AWS_PROFILE in the config file', { AWS_PROFILE: 'cfg' }, 'AKICFG', undefined],
  ])('GIVEN credentials in %s THEN they are used', (_, env, keyId, token) => {
    const c = loadCredentials({ ...files(), ...env });
    expect(typeof c === 'string' ? c : [c.accessKeyId, c.sessionToken]).toEqual([keyId, token]);
  });

  test('fails when there are no credentials, saying how to export SSO ones', () => {
    expect(loadCredentials({ AWS_SHARED_CREDENTIALS_FILE: '/nonexistent', AWS_CONFIG_FILE: '/nonexistent', AWS_PROFILE: 'sso' })).toMatch(/no AWS credentials found.*aws configure export-credentials/);
  });

  test('GIVEN a region in the environment or profile THEN it is used, else us-east-1', () => {
    expect(loadRegion({ ...files(), AWS_REGION: 'ap-south-1' })).toBe('ap-south-1');
    expect(loadRegion({ ...files(), AWS_PROFILE: 'cfg' })).toBe('eu-west-3');
    expect(loadRegion({ AWS_CONFIG_FILE: '/nonexistent' })).toBe('us-east-1');
  });

  test.each<[string, unknown]>([
    ['s3://bucket/postgres/', { bucket: 'bucket', prefix: 'postgres/' }],
    ['s3://bucket', { bucket: 'bucket', prefix: '' }],
    ['gs://bucket/pg/', expect.stringMatching(/Google Cloud Storage .* not supported yet/)],
    ['https://acct.blob.core.windows.net/c/pg', expect.stringMatching(/Azure Blob Storage .* not supported yet/)],
    ['/local/path', expect.stringMatching(/must be an S3 URL/)],
  ])('GIVEN destination path %s THEN it is understood', (dest, expected) => {
    expect(parseDestinationPath(dest)).toEqual(expected);
  });
});
