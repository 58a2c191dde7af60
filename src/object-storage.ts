import type { BarmanPluginFeature } from './barman-plugin';
import type * as barman from '../imports/barmancloud.cnpg.io';
import { argumentError, isOptionsObject, PropProblem } from './private/errors';
import { checkObjectName, checkSecretKey } from './private/names';
import { RenderedObjectStorage } from './private/rendered';
// Type only: a value type names the capability it needs, and the plugin's version answers.

/** The kind of object storage. */
export enum ObjectStorageProvider {
  /** Amazon S3. */
  S3 = 's3',
  /** An S3-compatible store (MinIO, Garage, Ceph RGW, Backblaze B2, Cloudflare R2) at a custom endpoint. */
  S3_COMPATIBLE = 's3-compatible',
  /** Google Cloud Storage. */
  GCS = 'gcs',
  /** Azure Blob Storage. */
  AZURE_BLOB = 'azure-blob',
}

/** Server-side encryption for S3 objects. */
export enum S3Encryption {
  /** SSE-S3. */
  AES256 = 'AES256',
  /** SSE-KMS. */
  AWS_KMS = 'aws:kms',
}

/** A key in an existing Secret. */
export interface SecretKeySelector {
  /** The Secret's name, in the cluster's namespace. */
  readonly secretName: string;
  /** The key within the Secret. */
  readonly key: string;
}

/** Keys of an existing Secret that holds S3 access keys (by default `ACCESS_KEY_ID` and `ACCESS_SECRET_KEY`). */
export interface S3SecretOptions {
  /** The Secret's name, in the cluster's namespace. */
  readonly secretName: string;
  /**
   * Key holding the access key ID.
   * @default 'ACCESS_KEY_ID'
   */
  readonly accessKeyIdKey?: string;
  /**
   * Key holding the secret access key.
   * @default 'ACCESS_SECRET_KEY'
   */
  readonly secretAccessKeyKey?: string;
  /**
   * Key holding a session token.
   * @default - no session token
   */
  readonly sessionTokenKey?: string;
  /**
   * Key holding the region.
   * @default - the store's default region
   */
  readonly regionKey?: string;
}

/** Options for credentials from an IAM role (IRSA or EKS Pod Identity). */
export interface S3IamRoleOptions {
  /**
   * Role ARN to annotate the instance ServiceAccount with (`eks.amazonaws.com/role-arn`).
   * @default - no annotation (EKS Pod Identity, or the annotation is managed elsewhere)
   */
  readonly roleArn?: string;
}

/** How the plugin authenticates to S3. Never inline keys: reference a Secret or use an IAM role. */
export class S3Credentials {
  /**
   * Access keys from an existing Secret in the cluster's namespace.
   *
   * By default the Secret holds them under the keys `ACCESS_KEY_ID` and `ACCESS_SECRET_KEY` (the names of CNPG's
   * and the plugin's documentation, e.g. `kubectl create secret generic s3-credentials
   * --from-literal=ACCESS_KEY_ID=… --from-literal=ACCESS_SECRET_KEY=…`). A Secret with other key names is
   * referenced through `accessKeyIdKey` and `secretAccessKeyKey` (and `sessionTokenKey`, `regionKey`): the keys
   * are not checked at synth, a wrong one fails only when the plugin first archives.
   *
   * @example S3Credentials.fromSecret({ secretName: 's3-credentials', accessKeyIdKey: 'access-key-id', secretAccessKeyKey: 'secret-key-id' })
   */
  public static fromSecret(options: S3SecretOptions): S3Credentials {
    if (!isOptionsObject(options)) throw argumentError('S3Credentials.fromSecret', 'options', options, 'an object', 'pass { secretName: "s3-credentials" }');
    return new S3Credentials(options, undefined);
  }

  /**
   * The instance pods' IAM role (`inheritFromIAMRole`).
   *
   * @example S3Credentials.fromIamRole({ roleArn: 'arn:aws:iam::123456789012:role/pg-backup' })
   */
  public static fromIamRole(options: S3IamRoleOptions = {}): S3Credentials {
    return new S3Credentials(undefined, options);
  }

  private constructor(private readonly secret: S3SecretOptions | undefined, private readonly role: S3IamRoleOptions | undefined) {}

  /** The Secret referenced, if any. */
  public get secretName(): string | undefined {
    return this.secret?.secretName;
  }

  /** @internal */
  public _render(): { s3Credentials: barman.ObjectStoreSpecConfigurationS3Credentials; annotations: Record<string, string> } {
    if (this.secret) {
      const s = this.secret;
      const ref = (key: string) => ({ name: s.secretName, key });
      return {
        s3Credentials: {
          accessKeyId: ref(s.accessKeyIdKey ?? 'ACCESS_KEY_ID'),
          secretAccessKey: ref(s.secretAccessKeyKey ?? 'ACCESS_SECRET_KEY'),
          ...(s.sessionTokenKey ? { sessionToken: ref(s.sessionTokenKey) } : {}),
          ...(s.regionKey ? { region: ref(s.regionKey) } : {}),
        },
        annotations: {},
      };
    }
    return {
      s3Credentials: { inheritFromIamRole: true },
      annotations: this.role?.roleArn ? { 'eks.amazonaws.com/role-arn': this.role.roleArn } : {},
    };
  }

  /** @internal */
  public _problems(prop: string): PropProblem[] {
    const problems: PropProblem[] = [];
    if (this.secret) {
      const s = this.secret;
      push(problems, checkObjectName(`${prop}.secretName`, s.secretName, 's3-credentials'));
      const keys = {
        accessKeyIdKey: s.accessKeyIdKey,
        secretAccessKeyKey: s.secretAccessKeyKey,
        sessionTokenKey: s.sessionTokenKey,
        regionKey: s.regionKey,
      };
      for (const [name, value] of Object.entries(keys)) {
        if (value !== undefined) push(problems, checkSecretKey(`${prop}.${name}`, value, 'ACCESS_KEY_ID'));
      }
    } else if (this.role?.roleArn !== undefined && !/^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@\/-]+$/.test(this.role.roleArn)) {
      problems.push({ prop: `${prop}.roleArn`, problem: 'is not an IAM role ARN', value: this.role.roleArn, fix: 'use e.g. "arn:aws:iam::123456789012:role/pg-backup"' });
    }
    return problems;
  }
}

/** How the plugin authenticates to Google Cloud Storage. */
export class GcsCredentials {
  /**
   * A service account key (JSON) from an existing Secret.
   *
   * @example GcsCredentials.fromSecret('backup-creds', 'gcsCredentials')
   */
  public static fromSecret(secretName: string, key: string = 'gcsCredentials'): GcsCredentials {
    return new GcsCredentials({ secretName, key }, undefined);
  }

  /**
   * GKE Workload Identity (`gkeEnvironment: true`), optionally annotating the instance ServiceAccount with the
   * Google service account to impersonate.
   *
   * @example GcsCredentials.fromWorkloadIdentity('pg-backup@my-project.iam.gserviceaccount.com')
   */
  public static fromWorkloadIdentity(gcpServiceAccount?: string): GcsCredentials {
    return new GcsCredentials(undefined, gcpServiceAccount ?? '');
  }

  private constructor(private readonly secret: SecretKeySelector | undefined, private readonly serviceAccount: string | undefined) {}

  /** @internal */
  public _render(): { googleCredentials: barman.ObjectStoreSpecConfigurationGoogleCredentials; annotations: Record<string, string> } {
    if (this.secret) {
      return { googleCredentials: { applicationCredentials: { name: this.secret.secretName, key: this.secret.key } }, annotations: {} };
    }
    return { googleCredentials: { gkeEnvironment: true }, annotations: this.serviceAccount ? { 'iam.gke.io/gcp-service-account': this.serviceAccount } : {} };
  }

  /** @internal */
  public _problems(prop: string): PropProblem[] {
    const problems: PropProblem[] = [];
    if (this.secret) {
      push(problems, checkObjectName(`${prop}.secretName`, this.secret.secretName, 'backup-creds'));
      push(problems, checkSecretKey(`${prop}.key`, this.secret.key, 'gcsCredentials'));
    } else if (this.serviceAccount && !/^[a-z][-a-z0-9]{4,28}[a-z0-9]@[-a-z0-9.]+\.iam\.gserviceaccount\.com$/.test(this.serviceAccount)) {
      problems.push({ prop: `${prop}.gcpServiceAccount`, problem: 'is not a Google service account e-mail', value: this.serviceAccount, fix: 'use e.g. "pg-backup@my-project.iam.gserviceaccount.com"' });
    }
    return problems;
  }
}

/** Keys of an existing Secret for Azure storage-account authentication. */
export interface AzureSecretOptions {
  /** The Secret's name, in the cluster's namespace. */
  readonly secretName: string;
  /**
   * Key holding the storage account name.
   * @default 'AZURE_STORAGE_ACCOUNT'
   */
  readonly storageAccountKey?: string;
  /**
   * Key holding the storage key, or the SAS token for `fromSasToken`.
   * @default 'AZURE_STORAGE_KEY' (or 'AZURE_STORAGE_SAS_TOKEN')
   */
  readonly credentialKey?: string;
}

/** How the plugin authenticates to Azure Blob Storage (one mode only). */
export class AzureCredentials {
  /**
   * A connection string from an existing Secret.
   *
   * @example AzureCredentials.fromConnectionString('azure-creds')
   */
  public static fromConnectionString(secretName: string, key: string = 'AZURE_CONNECTION_STRING'): AzureCredentials {
    return new AzureCredentials('connectionString', { secretName, credentialKey: key });
  }

  /**
   * Storage account name and key from an existing Secret.
   *
   * @example AzureCredentials.fromStorageKey({ secretName: 'azure-creds' })
   */
  public static fromStorageKey(options: AzureSecretOptions): AzureCredentials {
    return new AzureCredentials('storageKey', options);
  }

  /**
   * Storage account name and SAS token from an existing Secret.
   *
   * @example AzureCredentials.fromSasToken({ secretName: 'azure-creds' })
   */
  public static fromSasToken(options: AzureSecretOptions): AzureCredentials {
    return new AzureCredentials('storageSasToken', options);
  }

  /**
   * Azure AD workload identity (`inheritFromAzureAD`).
   *
   * @example AzureCredentials.fromAzureAd()
   */
  public static fromAzureAd(): AzureCredentials {
    return new AzureCredentials('inheritFromAzureAD', undefined);
  }

  /**
   * The Azure SDK's default credential chain (`useDefaultAzureCredentials`); needs plugin v0.11.0 or newer.
   *
   * @example AzureCredentials.fromDefaultCredentials()
   */
  public static fromDefaultCredentials(): AzureCredentials {
    return new AzureCredentials('useDefaultAzureCredentials', undefined);
  }

  private constructor(
    private readonly mode: 'connectionString' | 'storageKey' | 'storageSasToken' | 'inheritFromAzureAD' | 'useDefaultAzureCredentials',
    private readonly secret: AzureSecretOptions | undefined,
  ) {}

  /** The plugin capability this mode needs. @internal */
  public get _pluginFeature(): BarmanPluginFeature | undefined {
    return this.mode === 'useDefaultAzureCredentials' ? 'azure-default-credentials' as BarmanPluginFeature : undefined;
  }

  /** @internal */
  public _render(): barman.ObjectStoreSpecConfigurationAzureCredentials {
    const s = this.secret;
    switch (this.mode) {
      case 'connectionString':
        return { connectionString: { name: s!.secretName, key: s!.credentialKey ?? 'AZURE_CONNECTION_STRING' } };
      case 'storageKey':
      case 'storageSasToken':
        return {
          storageAccount: { name: s!.secretName, key: s!.storageAccountKey ?? 'AZURE_STORAGE_ACCOUNT' },
          [this.mode]: { name: s!.secretName, key: s!.credentialKey ?? (this.mode === 'storageKey' ? 'AZURE_STORAGE_KEY' : 'AZURE_STORAGE_SAS_TOKEN') },
        };
      case 'inheritFromAzureAD':
        return { inheritFromAzureAd: true };
      default:
        return { [this.mode]: true };
    }
  }

  /** @internal */
  public _problems(prop: string): PropProblem[] {
    const problems: PropProblem[] = [];
    if (this.secret) {
      push(problems, checkObjectName(`${prop}.secretName`, this.secret.secretName, 'azure-creds'));
      if (this.secret.storageAccountKey !== undefined) push(problems, checkSecretKey(`${prop}.storageAccountKey`, this.secret.storageAccountKey, 'AZURE_STORAGE_ACCOUNT'));
      if (this.secret.credentialKey !== undefined) push(problems, checkSecretKey(`${prop}.credentialKey`, this.secret.credentialKey, 'AZURE_STORAGE_KEY'));
    }
    return problems;
  }
}

/** Options for Amazon S3. */
export interface S3Options {
  /** The bucket name. */
  readonly bucket: string;
  /**
   * The prefix inside the bucket; each cluster's archive goes under `<path>/<serverName>/`.
   * @default - the bucket root
   */
  readonly path?: string;
  /** How the plugin authenticates. */
  readonly credentials: S3Credentials;
  /**
   * Server-side encryption of WAL and base backups.
   * @default - none requested (the bucket's default encryption applies)
   */
  readonly encryption?: S3Encryption;
}

/** Options for an S3-compatible store. */
export interface S3CompatibleOptions extends S3Options {
  /** The endpoint URL, e.g. `https://minio.example.lan:9000`. */
  readonly endpointUrl: string;
  /**
   * A CA bundle in an existing Secret, for endpoints with a private CA.
   * @default - the system trust store
   */
  readonly endpointCa?: SecretKeySelector;
}

/** Options for Google Cloud Storage. */
export interface GcsOptions {
  /** The bucket name. */
  readonly bucket: string;
  /**
   * The prefix inside the bucket.
   * @default - the bucket root
   */
  readonly path?: string;
  /** How the plugin authenticates. */
  readonly credentials: GcsCredentials;
}

/** Options for Azure Blob Storage. */
export interface AzureBlobOptions {
  /** The storage account name. */
  readonly storageAccount: string;
  /** The container name. */
  readonly container: string;
  /**
   * The prefix inside the container.
   * @default - the container root
   */
  readonly path?: string;
  /** How the plugin authenticates. */
  readonly credentials: AzureCredentials;
}

/**
 * Where backups and WAL go: the `destinationPath` and credentials of a Barman Cloud `ObjectStore`.
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
    return new ObjectStorage(ObjectStorageProvider.S3, options.bucket, options.path, options);
  }

  /**
   * An S3-compatible store at a custom endpoint. Adds the boto3 checksum settings (`when_required`) that
   * MinIO, R2, B2 and Ceph need (plugin issue #393), and requests no server-side encryption unless asked.
   *
   * @example ObjectStorage.s3Compatible({ endpointUrl: 'https://minio.lan:9000', bucket: 'pg-backups', credentials: S3Credentials.fromSecret({ secretName: 'minio' }) })
   */
  public static s3Compatible(options: S3CompatibleOptions): ObjectStorage {
    if (!isOptionsObject(options)) throw argumentError('ObjectStorage.s3Compatible', 'options', options, 'an options object', 'pass { endpointUrl: "https://minio.lan:9000", bucket: "pg-backups", credentials: S3Credentials.fromSecret({ secretName: "minio" }) }');
    return new ObjectStorage(ObjectStorageProvider.S3_COMPATIBLE, options.bucket, options.path, options);
  }

  /**
   * Google Cloud Storage.
   *
   * @example ObjectStorage.gcs({ bucket: 'my-backups', credentials: GcsCredentials.fromSecret('backup-creds') })
   */
  public static gcs(options: GcsOptions): ObjectStorage {
    if (!isOptionsObject(options)) throw argumentError('ObjectStorage.gcs', 'options', options, 'an options object', 'pass { bucket: "my-backups", credentials: GcsCredentials.fromSecret("backup-creds") }');
    return new ObjectStorage(ObjectStorageProvider.GCS, options.bucket, options.path, options);
  }

  /**
   * Azure Blob Storage.
   *
   * @example ObjectStorage.azureBlob({ storageAccount: 'myaccount', container: 'backups', credentials: AzureCredentials.fromConnectionString('azure-creds') })
   */
  public static azureBlob(options: AzureBlobOptions): ObjectStorage {
    if (!isOptionsObject(options)) throw argumentError('ObjectStorage.azureBlob', 'options', options, 'an options object', 'pass { storageAccount: "myaccount", container: "backups", credentials: AzureCredentials.fromConnectionString("azure-creds") }');
    return new ObjectStorage(ObjectStorageProvider.AZURE_BLOB, options.container, options.path, options);
  }

  /** The provider. */
  public readonly provider: ObjectStorageProvider;
  /** The bucket (or Azure container). */
  public readonly bucket: string;
  /** The prefix inside the bucket, without leading or trailing slashes ('' for the root). */
  public readonly prefix: string;
  /** The ObjectStore's `destinationPath`. */
  public readonly destinationPath: string;

  private constructor(
    provider: ObjectStorageProvider,
    bucket: string,
    path: string | undefined,
    private readonly options: S3Options | S3CompatibleOptions | GcsOptions | AzureBlobOptions,
  ) {
    this.provider = provider;
    this.bucket = bucket;
    this.prefix = (path ?? '').replace(/^\/+|\/+$/g, '');
    const tail = this.prefix ? `${this.prefix}/` : '';
    switch (provider) {
      case ObjectStorageProvider.GCS:
        this.destinationPath = `gs://${bucket}/${tail}`;
        break;
      case ObjectStorageProvider.AZURE_BLOB:
        this.destinationPath = `https://${(options as AzureBlobOptions).storageAccount}.blob.core.windows.net/${bucket}/${tail}`;
        break;
      default:
        this.destinationPath = `s3://${bucket}/${tail}`;
    }
  }

  /** Whether this store speaks the S3 API (an IAM-style policy applies). */
  public get isS3Api(): boolean {
    return this.provider === ObjectStorageProvider.S3 || this.provider === ObjectStorageProvider.S3_COMPATIBLE;
  }

  /** The plugin capability this configuration needs. @internal */
  public get _pluginFeature(): BarmanPluginFeature | undefined {
    return this.provider === ObjectStorageProvider.AZURE_BLOB ? (this.options as AzureBlobOptions).credentials._pluginFeature : undefined;
  }

  /** @internal */
  public _render(): RenderedObjectStorage {
    const configuration: { -readonly [K in keyof RenderedObjectStorage['configuration']]: RenderedObjectStorage['configuration'][K] } = {
      destinationPath: this.destinationPath,
    };
    const env: Array<{ name: string; value: string }> = [];
    let annotations: Record<string, string> = {};
    switch (this.provider) {
      case ObjectStorageProvider.S3:
      case ObjectStorageProvider.S3_COMPATIBLE: {
        const o = this.options as S3CompatibleOptions;
        const creds = o.credentials._render();
        annotations = creds.annotations;
        if (this.provider === ObjectStorageProvider.S3_COMPATIBLE) {
          configuration.endpointUrl = o.endpointUrl;
          if (o.endpointCa) configuration.endpointCa = { name: o.endpointCa.secretName, key: o.endpointCa.key };
          // boto3 >= 1.36 sends checksums that most S3-compatible stores reject (plugin issue #393, CNPG #7715).
          env.push({ name: 'AWS_REQUEST_CHECKSUM_CALCULATION', value: 'when_required' });
          env.push({ name: 'AWS_RESPONSE_CHECKSUM_VALIDATION', value: 'when_required' });
        }
        configuration.s3Credentials = creds.s3Credentials;
        break;
      }
      case ObjectStorageProvider.GCS: {
        const creds = (this.options as GcsOptions).credentials._render();
        configuration.googleCredentials = creds.googleCredentials;
        annotations = creds.annotations;
        break;
      }
      default:
        configuration.azureCredentials = (this.options as AzureBlobOptions).credentials._render();
    }
    return { configuration, env, serviceAccountAnnotations: annotations };
  }

  /** The encryption asked for, if any. @internal */
  public get _encryption(): S3Encryption | undefined {
    return this.isS3Api ? (this.options as S3Options).encryption : undefined;
  }

  /** @internal */
  public _problems(prop: string): PropProblem[] {
    const problems: PropProblem[] = [];
    const add = (p: string, problem: string, value: unknown, fix: string) => problems.push({ prop: `${prop}.${p}`, problem, value, fix });
    if (this.provider === ObjectStorageProvider.AZURE_BLOB) {
      const o = this.options as AzureBlobOptions;
      if (!/^[a-z0-9]{3,24}$/.test(o.storageAccount ?? '')) add('storageAccount', 'must be 3-24 lower-case letters and digits', o.storageAccount, 'use e.g. "mybackups"');
      if (!/^[a-z0-9](?!.*--)[-a-z0-9]{1,61}[a-z0-9]$/.test(this.bucket ?? '')) add('container', 'must be 3-63 lower-case letters, digits and single hyphens', this.bucket, 'use e.g. "postgres-backups"');
      if (credentialsProblem(problems, `${prop}.credentials`, o.credentials instanceof AzureCredentials, o.credentials, 'AzureCredentials', 'AzureCredentials.fromConnectionString("azure-creds")')) problems.push(...o.credentials._problems(`${prop}.credentials`));
    } else {
      // S3 and GCS bucket naming rules: 3-63 characters, lower-case letters, digits, dots and hyphens.
      if (!/^[a-z0-9][-a-z0-9.]{1,61}[a-z0-9]$/.test(this.bucket ?? '') || this.bucket.includes('..')) {
        add('bucket', 'must be a bucket name (3-63 lower-case letters, digits, "." and "-")', this.bucket, 'use e.g. "my-postgres-backups"');
      }
      const o = this.options as S3CompatibleOptions | GcsOptions;
      const ok = this.provider === ObjectStorageProvider.GCS
        ? credentialsProblem(problems, `${prop}.credentials`, o.credentials instanceof GcsCredentials, o.credentials, 'GcsCredentials', 'GcsCredentials.fromSecret("backup-creds")')
        : credentialsProblem(problems, `${prop}.credentials`, o.credentials instanceof S3Credentials, o.credentials, 'S3Credentials', 'S3Credentials.fromSecret({ secretName: "s3-credentials" })');
      if (ok) problems.push(...o.credentials._problems(`${prop}.credentials`));
      if (this.provider === ObjectStorageProvider.S3_COMPATIBLE) {
        const s = this.options as S3CompatibleOptions;
        let url: URL | undefined;
        try {
          url = new URL(s.endpointUrl);
        } catch {
          url = undefined;
        }
        if (!url || !/^https?:$/.test(url.protocol) || url.pathname.replace(/\/$/, '') !== '') {
          add('endpointUrl', 'must be an http(s) URL without a path', url && (url.username || url.password || url.search) ? '<redacted>' : s.endpointUrl, 'use e.g. "https://minio.example.lan:9000"; the bucket goes in bucket');
        }
        if (url && (url.username || url.password || url.search || url.hash)) {
          // Never echoed: it may hold the very credential it must not carry.
          add('endpointUrl', 'must not carry credentials, a query or a fragment (it reaches the YAML in plain text)', `${url.protocol}//…@${url.host}`,
            'use e.g. "https://minio.example.lan:9000" and give the keys through credentials: S3Credentials.fromSecret({ secretName: "minio" })');
        }
        if (s.endpointCa) {
          push(problems, checkObjectName(`${prop}.endpointCa.secretName`, s.endpointCa.secretName, 'minio-ca'));
          push(problems, checkSecretKey(`${prop}.endpointCa.key`, s.endpointCa.key, 'ca.crt'));
        }
      }
    }
    const path = (this.options as S3Options).path;
    if (path !== undefined && (/\s/.test(path) || path.split('/').some(seg => seg === '..' || seg === '.') || /\/\//.test(path.replace(/^\/+|\/+$/g, '')))) {
      add('path', 'must be a plain prefix without whitespace, "." or ".." segments or empty segments', path, 'use e.g. "postgres"');
    }
    return problems;
  }
}

/** Reports credentials JavaScript callers left out or made by hand; true when they are usable. */
function credentialsProblem(problems: PropProblem[], prop: string, ok: boolean, value: unknown, kind: string, example: string): boolean {
  if (ok) return true;
  // Another kind's instance is named by its class, not by its private fields.
  const shown = typeof value === 'object' && value !== null && value.constructor !== Object ? value.constructor.name : value;
  problems.push({ prop, problem: value === undefined ? 'is required' : `must be made by ${kind}'s factories`, value: shown, fix: `use e.g. ${example}` });
  return false;
}

function push(list: PropProblem[], p: PropProblem | undefined): void {
  if (p) list.push(p);
}
