import { StorageBackend } from './backend';
import { GcsCredentials } from './gcs-credentials';
import { ObjectStorageProvider } from './provider';
import { PropProblem } from '../private/errors';
import { credentialsProblem, pathProblem, push } from '../private/problems';
import { RenderedObjectStorage } from '../private/rendered';

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

/** Google Cloud Storage. Internal: `ObjectStorage.gcs()`. */
export class GcsBackend implements StorageBackend {
  public readonly provider = ObjectStorageProvider.GCS;
  public readonly isS3Api = false;

  constructor(private readonly options: GcsOptions) {}

  public get bucket(): string {
    return this.options.bucket;
  }

  public get path(): string | undefined {
    return this.options.path;
  }

  public destinationPath(tail: string): string {
    return `gs://${this.bucket}/${tail}`;
  }

  public render(destinationPath: string): RenderedObjectStorage {
    const creds = this.options.credentials._render();
    return { configuration: { destinationPath, googleCredentials: creds.googleCredentials }, env: [], serviceAccountAnnotations: creds.annotations };
  }

  public problems(prop: string): PropProblem[] {
    const problems: PropProblem[] = [];
    // GCS bucket naming rules: 3-63 characters, lower-case letters, digits, dots and hyphens.
    if (!/^[a-z0-9][-a-z0-9.]{1,61}[a-z0-9]$/.test(this.bucket ?? '') || this.bucket.includes('..')) {
      problems.push({ prop: `${prop}.bucket`, problem: 'must be a bucket name (3-63 lower-case letters, digits, "." and "-")', value: this.bucket, fix: 'use e.g. "my-postgres-backups"' });
    }
    const credentials = this.options.credentials;
    if (credentialsProblem(problems, `${prop}.credentials`, credentials instanceof GcsCredentials, credentials, 'GcsCredentials', 'GcsCredentials.fromSecret("backup-creds")')) {
      problems.push(...credentials._problems(`${prop}.credentials`));
    }
    push(problems, pathProblem(prop, this.path));
    return problems;
  }
}
