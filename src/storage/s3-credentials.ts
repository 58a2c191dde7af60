import type * as barman from '../../imports/barmancloud.cnpg.io';
import { argumentError, isOptionsObject, PropProblem } from '../private/errors';
import { checkObjectName, checkSecretKey } from '../private/names';
import { push } from '../private/problems';

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
