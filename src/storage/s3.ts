import { StorageBackend } from './backend';
import { ObjectStorageProvider } from './provider';
import { S3Credentials } from './s3-credentials';
import { SecretKeySelector } from './secret-key-selector';
import { PropProblem } from '../private/errors';
import { checkObjectName, checkSecretKey } from '../private/names';
import { credentialsProblem, pathProblem, push } from '../private/problems';
import { RenderedObjectStorage } from '../private/rendered';

/** Server-side encryption for S3 objects. */
export enum S3Encryption {
  /** SSE-S3. */
  AES256 = 'AES256',
  /** SSE-KMS. */
  AWS_KMS = 'aws:kms',
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

/** Amazon S3, or an S3-compatible store at a custom endpoint. Internal: `ObjectStorage.s3()`/`.s3Compatible()`. */
export class S3Backend implements StorageBackend {
  public readonly isS3Api = true;

  constructor(public readonly provider: ObjectStorageProvider, private readonly options: S3Options | S3CompatibleOptions) {}

  public get bucket(): string {
    return this.options.bucket;
  }

  public get path(): string | undefined {
    return this.options.path;
  }

  public get encryption(): string | undefined {
    return this.options.encryption;
  }

  private get compatible(): S3CompatibleOptions | undefined {
    return this.provider === ObjectStorageProvider.S3_COMPATIBLE ? this.options as S3CompatibleOptions : undefined;
  }

  public destinationPath(tail: string): string {
    return `s3://${this.bucket}/${tail}`;
  }

  public render(destinationPath: string): RenderedObjectStorage {
    const creds = this.options.credentials._render();
    const env: Array<{ name: string; value: string }> = [];
    const c = this.compatible;
    if (c) {
      // boto3 >= 1.36 sends checksums that most S3-compatible stores reject (plugin issue #393, CNPG #7715).
      env.push({ name: 'AWS_REQUEST_CHECKSUM_CALCULATION', value: 'when_required' });
      env.push({ name: 'AWS_RESPONSE_CHECKSUM_VALIDATION', value: 'when_required' });
    }
    return {
      configuration: {
        destinationPath,
        ...(c ? { endpointUrl: c.endpointUrl } : {}),
        ...(c?.endpointCa ? { endpointCa: { name: c.endpointCa.secretName, key: c.endpointCa.key } } : {}),
        s3Credentials: creds.s3Credentials,
      },
      env,
      serviceAccountAnnotations: creds.annotations,
    };
  }

  public problems(prop: string): PropProblem[] {
    const problems: PropProblem[] = [];
    const add = (p: string, problem: string, value: unknown, fix: string) => problems.push({ prop: `${prop}.${p}`, problem, value, fix });
    // S3 bucket naming rules: 3-63 characters, lower-case letters, digits, dots and hyphens.
    if (!/^[a-z0-9][-a-z0-9.]{1,61}[a-z0-9]$/.test(this.bucket ?? '') || this.bucket.includes('..')) {
      add('bucket', 'must be a bucket name (3-63 lower-case letters, digits, "." and "-")', this.bucket, 'use e.g. "my-postgres-backups"');
    }
    const credentials = this.options.credentials;
    if (credentialsProblem(problems, `${prop}.credentials`, credentials instanceof S3Credentials, credentials, 'S3Credentials', 'S3Credentials.fromSecret({ secretName: "s3-credentials" })')) {
      problems.push(...credentials._problems(`${prop}.credentials`));
    }
    const c = this.compatible;
    if (c) {
      let url: URL | undefined;
      try {
        url = new URL(c.endpointUrl);
      } catch {
        url = undefined;
      }
      if (!url || !/^https?:$/.test(url.protocol) || url.pathname.replace(/\/$/, '') !== '') {
        add('endpointUrl', 'must be an http(s) URL without a path', url && (url.username || url.password || url.search) ? '<redacted>' : c.endpointUrl, 'use e.g. "https://minio.example.lan:9000"; the bucket goes in bucket');
      }
      if (url && (url.username || url.password || url.search || url.hash)) {
        // Never echoed: it may hold the very credential it must not carry.
        add('endpointUrl', 'must not carry credentials, a query or a fragment (it reaches the YAML in plain text)', `${url.protocol}//…@${url.host}`,
          'use e.g. "https://minio.example.lan:9000" and give the keys through credentials: S3Credentials.fromSecret({ secretName: "minio" })');
      }
      if (c.endpointCa) {
        push(problems, checkObjectName(`${prop}.endpointCa.secretName`, c.endpointCa.secretName, 'minio-ca'));
        push(problems, checkSecretKey(`${prop}.endpointCa.key`, c.endpointCa.key, 'ca.crt'));
      }
    }
    push(problems, pathProblem(prop, this.path));
    return problems;
  }
}
