import { SecretKeySelector } from './secret-key-selector';
import type * as barman from '../../imports/barmancloud.cnpg.io';
import { PropProblem } from '../private/errors';
import { checkObjectName, checkSecretKey } from '../private/names';
import { push } from '../private/problems';

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
