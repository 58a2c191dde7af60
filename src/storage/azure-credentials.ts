// Type only: a value type names the capability it needs, and the plugin's version answers.
import type * as barman from '../../imports/barmancloud.cnpg.io';
import type { BarmanPluginFeature } from '../barman-plugin';
import { PropProblem } from '../private/errors';
import { checkObjectName, checkSecretKey } from '../private/names';
import { push } from '../private/problems';

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
