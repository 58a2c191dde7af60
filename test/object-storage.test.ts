import {
  BarmanPluginFeature,
  AzureCredentials, GcsCredentials, ObjectStorage, ObjectStorageProvider, S3Credentials, S3Encryption,
} from '../src';

describe('ObjectStorage', () => {
  const secret = S3Credentials.fromSecret({ secretName: 's3-credentials' });

  test.each<[string, ObjectStorage, ObjectStorageProvider, string, string, string, boolean]>([
    ['S3 with a prefix', ObjectStorage.s3({ bucket: 'my-backups', path: 'postgres', credentials: secret }), ObjectStorageProvider.S3, 'my-backups', 'postgres', 's3://my-backups/postgres/', true],
    ['S3 with slashes around the prefix', ObjectStorage.s3({ bucket: 'my-backups', path: '/a/b/', credentials: secret }), ObjectStorageProvider.S3, 'my-backups', 'a/b', 's3://my-backups/a/b/', true],
    ['S3 at the bucket root', ObjectStorage.s3({ bucket: 'my-backups', credentials: secret }), ObjectStorageProvider.S3, 'my-backups', '', 's3://my-backups/', true],
    ['S3-compatible', ObjectStorage.s3Compatible({ endpointUrl: 'http://minio:9000', bucket: 'pg-backups', credentials: secret }), ObjectStorageProvider.S3_COMPATIBLE, 'pg-backups', '', 's3://pg-backups/', true],
    ['GCS', ObjectStorage.gcs({ bucket: 'my-backups', path: 'pg', credentials: GcsCredentials.fromSecret('gcs') }), ObjectStorageProvider.GCS, 'my-backups', 'pg', 'gs://my-backups/pg/', false],
    ['Azure Blob', ObjectStorage.azureBlob({ storageAccount: 'acct', container: 'backups', credentials: AzureCredentials.fromAzureAd() }), ObjectStorageProvider.AZURE_BLOB, 'backups', '', 'https://acct.blob.core.windows.net/backups/', false],
  ])('%s resolves provider, bucket, prefix and destinationPath', (_, storage, provider, bucket, prefix, destinationPath, isS3Api) => {
    // GIVEN / WHEN (the factory) / THEN
    expect(storage.provider).toBe(provider);
    expect(storage.bucket).toBe(bucket);
    expect(storage.prefix).toBe(prefix);
    expect(storage.destinationPath).toBe(destinationPath);
    expect(storage.isS3Api).toBe(isS3Api);
  });

  test('S3 credentials from a Secret render references with default keys, never values', () => {
    // GIVEN
    const storage = ObjectStorage.s3({ bucket: 'my-backups', credentials: secret });
    // WHEN
    const r = storage._render();
    // THEN
    expect(r.configuration).toEqual({
      destinationPath: 's3://my-backups/',
      s3Credentials: {
        accessKeyId: { name: 's3-credentials', key: 'ACCESS_KEY_ID' },
        secretAccessKey: { name: 's3-credentials', key: 'ACCESS_SECRET_KEY' },
      },
    });
    expect(r.env).toEqual([]);
    expect(r.serviceAccountAnnotations).toEqual({});
    expect(secret.secretName).toBe('s3-credentials');
  });

  test('S3-compatible adds endpointURL, endpointCA and the boto3 checksum variables', () => {
    // GIVEN
    const storage = ObjectStorage.s3Compatible({
      endpointUrl: 'https://minio.lan:9000', endpointCa: { secretName: 'minio-ca', key: 'ca.crt' }, bucket: 'pg-backups', credentials: secret,
    });
    // WHEN
    const r = storage._render();
    // THEN
    // (in the generated class's names; the ObjectStore tests check the CRD's endpointURL/endpointCA in synth output)
    expect(r.configuration).toMatchObject({ endpointUrl: 'https://minio.lan:9000', endpointCa: { name: 'minio-ca', key: 'ca.crt' } });
    expect(r.env).toEqual([
      { name: 'AWS_REQUEST_CHECKSUM_CALCULATION', value: 'when_required' },
      { name: 'AWS_RESPONSE_CHECKSUM_VALIDATION', value: 'when_required' },
    ]);
    expect(storage._encryption).toBeUndefined();
  });

  test('encryption is only what was asked for', () => {
    // GIVEN / WHEN
    const storage = ObjectStorage.s3({ bucket: 'my-backups', credentials: secret, encryption: S3Encryption.AES256 });
    // THEN
    expect(storage._encryption).toBe('AES256');
    expect(ObjectStorage.gcs({ bucket: 'my-backups', credentials: GcsCredentials.fromWorkloadIdentity() })._encryption).toBeUndefined();
  });

  test('GKE workload identity without a service account adds no annotation', () => {
    // GIVEN / WHEN
    const r = ObjectStorage.gcs({ bucket: 'my-backups', credentials: GcsCredentials.fromWorkloadIdentity() })._render();
    // THEN
    expect(r.configuration.googleCredentials).toEqual({ gkeEnvironment: true });
    expect(r.serviceAccountAnnotations).toEqual({});
  });

  test('default Azure credentials need the plugin feature of v0.11.0; other modes need none', () => {
    // GIVEN / WHEN / THEN
    const azure = (credentials: AzureCredentials) => ObjectStorage.azureBlob({ storageAccount: 'acct', container: 'backups', credentials });
    expect(azure(AzureCredentials.fromDefaultCredentials())._pluginFeature).toBe(BarmanPluginFeature.AZURE_DEFAULT_CREDENTIALS);
    expect(azure(AzureCredentials.fromAzureAd())._pluginFeature).toBeUndefined();
    expect(ObjectStorage.s3({ bucket: 'my-backups', credentials: secret })._pluginFeature).toBeUndefined();
  });

  test.each<[string, ObjectStorage, string, unknown]>([
    ['the bucket ends with a hyphen', ObjectStorage.s3({ bucket: 'backups-', credentials: secret }), 'objectStorage.bucket', 'backups-'],
    ['the bucket has an underscore', ObjectStorage.gcs({ bucket: 'my_backups', credentials: GcsCredentials.fromSecret('gcs') }), 'objectStorage.bucket', 'my_backups'],
    ['the path has an empty segment', ObjectStorage.s3({ bucket: 'my-backups', path: 'a//b', credentials: secret }), 'objectStorage.path', 'a//b'],
    ['the path is a dot', ObjectStorage.s3({ bucket: 'my-backups', path: '.', credentials: secret }), 'objectStorage.path', '.'],
    ['the endpoint URL is garbage', ObjectStorage.s3Compatible({ endpointUrl: 'not a url', bucket: 'pg-backups', credentials: secret }), 'objectStorage.endpointUrl', 'not a url'],
    ['the endpoint URL carries credentials (never echoed)', ObjectStorage.s3Compatible({ endpointUrl: 'https://AK:SK@minio.lan:9000', bucket: 'pg-backups', credentials: secret }), 'objectStorage.endpointUrl', 'https://…@minio.lan:9000'],
    ['the endpoint URL carries a query token (never echoed)', ObjectStorage.s3Compatible({ endpointUrl: 'https://minio.lan:9000/?token=abc', bucket: 'pg-backups', credentials: secret }), 'objectStorage.endpointUrl', 'https://…@minio.lan:9000'],
    ['an Azure key name has a space', ObjectStorage.azureBlob({ storageAccount: 'acct', container: 'backups', credentials: AzureCredentials.fromStorageKey({ secretName: 'az', credentialKey: 'a key' }) }), 'objectStorage.credentials.credentialKey', 'a key'],
    ['an S3 region key is empty', ObjectStorage.s3({ bucket: 'my-backups', credentials: S3Credentials.fromSecret({ secretName: 's3', regionKey: '' }) }), 'objectStorage.credentials.regionKey', ''],
  ])('fails when %s', (_, storage, prop, value) => {
    // GIVEN / WHEN
    const problems = storage._problems('objectStorage');
    // THEN
    const p = problems.find(x => x.prop === prop);
    expect(p).toBeDefined();
    expect(p!.value).toEqual(value);
    expect(p!.fix).toMatch(/^use /);
  });

  test('a valid configuration has no problems', () => {
    // GIVEN / WHEN / THEN
    expect(ObjectStorage.s3({ bucket: 'my.backups-2026', path: 'postgres/prod', credentials: secret })._problems('objectStorage')).toEqual([]);
  });
});
