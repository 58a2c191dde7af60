// Type only: a value type names the capability it needs, and the plugin's version answers.
import type { BarmanPluginFeature } from './barman-plugin';
import { argumentError, isOptionsObject, PropProblem } from './private/errors';
import { RenderedObjectStorage } from './private/rendered';
import { AzureBlobBackend, AzureBlobOptions } from './storage/azure-blob';
import { StorageBackend } from './storage/backend';
import { GcsBackend, GcsOptions } from './storage/gcs';
import { ObjectStorageProvider } from './storage/provider';
import { S3Backend, S3CompatibleOptions, S3Encryption, S3Options } from './storage/s3';

// The options of each kind live with the kind that renders them (src/storage/); they are part of this API.
export { AzureBlobOptions } from './storage/azure-blob';
export { GcsOptions } from './storage/gcs';
export { S3CompatibleOptions, S3Encryption, S3Options } from './storage/s3';

/**
 * Where backups and WAL go: the `destinationPath` and credentials of a Barman Cloud `ObjectStore`. Each kind
 * (S3, S3-compatible, GCS, Azure Blob) renders its own configuration and checks its own options.
 *
 * @see https://cloudnative-pg.io/plugin-barman-cloud/docs/object_stores/
 */
export class ObjectStorage {
  /**
   * Amazon S3.
   *
   * @example ObjectStorage.s3({ bucket: 'my-backups', path: 'postgres', credentials: S3Credentials.fromSecret({ secretName: 's3-credentials' }) })
   */
  public static s3(options: S3Options): ObjectStorage {
    if (!isOptionsObject(options)) throw argumentError('ObjectStorage.s3', 'options', options, 'an options object', 'pass { bucket: "my-backups", path: "postgres", credentials: S3Credentials.fromSecret({ secretName: "s3-credentials" }) }');
    return new ObjectStorage(new S3Backend(ObjectStorageProvider.S3, options));
  }

  /**
   * An S3-compatible store at a custom endpoint. Adds the boto3 checksum settings (`when_required`) that
   * MinIO, R2, B2 and Ceph need (plugin issue #393), and requests no server-side encryption unless asked.
   *
   * @example ObjectStorage.s3Compatible({ endpointUrl: 'https://minio.lan:9000', bucket: 'pg-backups', credentials: S3Credentials.fromSecret({ secretName: 'minio' }) })
   */
  public static s3Compatible(options: S3CompatibleOptions): ObjectStorage {
    if (!isOptionsObject(options)) throw argumentError('ObjectStorage.s3Compatible', 'options', options, 'an options object', 'pass { endpointUrl: "https://minio.lan:9000", bucket: "pg-backups", credentials: S3Credentials.fromSecret({ secretName: "minio" }) }');
    return new ObjectStorage(new S3Backend(ObjectStorageProvider.S3_COMPATIBLE, options));
  }

  /**
   * Google Cloud Storage.
   *
   * @example ObjectStorage.gcs({ bucket: 'my-backups', credentials: GcsCredentials.fromSecret('backup-creds') })
   */
  public static gcs(options: GcsOptions): ObjectStorage {
    if (!isOptionsObject(options)) throw argumentError('ObjectStorage.gcs', 'options', options, 'an options object', 'pass { bucket: "my-backups", credentials: GcsCredentials.fromSecret("backup-creds") }');
    return new ObjectStorage(new GcsBackend(options));
  }

  /**
   * Azure Blob Storage.
   *
   * @example ObjectStorage.azureBlob({ storageAccount: 'myaccount', container: 'backups', credentials: AzureCredentials.fromConnectionString('azure-creds') })
   */
  public static azureBlob(options: AzureBlobOptions): ObjectStorage {
    if (!isOptionsObject(options)) throw argumentError('ObjectStorage.azureBlob', 'options', options, 'an options object', 'pass { storageAccount: "myaccount", container: "backups", credentials: AzureCredentials.fromConnectionString("azure-creds") }');
    return new ObjectStorage(new AzureBlobBackend(options));
  }

  /** The provider. */
  public readonly provider: ObjectStorageProvider;
  /** The bucket (or Azure container). */
  public readonly bucket: string;
  /** The prefix inside the bucket, without leading or trailing slashes ('' for the root). */
  public readonly prefix: string;
  /** The ObjectStore's `destinationPath`. */
  public readonly destinationPath: string;

  private constructor(private readonly backend: StorageBackend) {
    this.provider = backend.provider;
    this.bucket = backend.bucket;
    this.prefix = (backend.path ?? '').replace(/^\/+|\/+$/g, '');
    this.destinationPath = backend.destinationPath(this.prefix ? `${this.prefix}/` : '');
  }

  /** Whether this store speaks the S3 API (an IAM-style policy applies). */
  public get isS3Api(): boolean {
    return this.backend.isS3Api;
  }

  /** The plugin capability this configuration needs. @internal */
  public get _pluginFeature(): BarmanPluginFeature | undefined {
    return this.backend.pluginFeature;
  }

  /** @internal */
  public _render(): RenderedObjectStorage {
    return this.backend.render(this.destinationPath);
  }

  /** The encryption asked for, if any. @internal */
  public get _encryption(): S3Encryption | undefined {
    return this.backend.encryption as S3Encryption | undefined;
  }

  /** @internal */
  public _problems(prop: string): PropProblem[] {
    return this.backend.problems(prop);
  }
}
