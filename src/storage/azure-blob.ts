import type { BarmanPluginFeature } from '../barman-plugin';
import { AzureCredentials } from './azure-credentials';
import { StorageBackend } from './backend';
import { ObjectStorageProvider } from './provider';
import { PropProblem } from '../private/errors';
import { credentialsProblem, pathProblem, push } from '../private/problems';
import { RenderedObjectStorage } from '../private/rendered';

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

/** Azure Blob Storage. Internal: `ObjectStorage.azureBlob()`. */
export class AzureBlobBackend implements StorageBackend {
  public readonly provider = ObjectStorageProvider.AZURE_BLOB;
  public readonly isS3Api = false;

  constructor(private readonly options: AzureBlobOptions) {}

  /** The container. */
  public get bucket(): string {
    return this.options.container;
  }

  public get path(): string | undefined {
    return this.options.path;
  }

  public get pluginFeature(): BarmanPluginFeature | undefined {
    return this.options.credentials._pluginFeature;
  }

  public destinationPath(tail: string): string {
    return `https://${this.options.storageAccount}.blob.core.windows.net/${this.bucket}/${tail}`;
  }

  public render(destinationPath: string): RenderedObjectStorage {
    return { configuration: { destinationPath, azureCredentials: this.options.credentials._render() }, env: [], serviceAccountAnnotations: {} };
  }

  public problems(prop: string): PropProblem[] {
    const problems: PropProblem[] = [];
    const o = this.options;
    if (!/^[a-z0-9]{3,24}$/.test(o.storageAccount ?? '')) {
      problems.push({ prop: `${prop}.storageAccount`, problem: 'must be 3-24 lower-case letters and digits', value: o.storageAccount, fix: 'use e.g. "mybackups"' });
    }
    if (!/^[a-z0-9](?!.*--)[-a-z0-9]{1,61}[a-z0-9]$/.test(this.bucket ?? '')) {
      problems.push({ prop: `${prop}.container`, problem: 'must be 3-63 lower-case letters, digits and single hyphens', value: this.bucket, fix: 'use e.g. "postgres-backups"' });
    }
    if (credentialsProblem(problems, `${prop}.credentials`, o.credentials instanceof AzureCredentials, o.credentials, 'AzureCredentials', 'AzureCredentials.fromConnectionString("azure-creds")')) {
      problems.push(...o.credentials._problems(`${prop}.credentials`));
    }
    push(problems, pathProblem(prop, this.path));
    return problems;
  }
}
