import { BackedUpPostgres } from './backed-up-postgres';
import { argumentError, formatPropError, isOptionsObject } from './private/errors';
import { s3PolicyDocument } from './private/iam';

/** Options for `BucketPolicies.lifecycleRule`. */
export interface LifecycleRuleOptions {
  /** Days after which the bucket deletes archive objects; must exceed the retention window plus one backup interval. */
  readonly expireAfterDays: number;
}

/**
 * Documents to apply to the bucket itself (outside Kubernetes): the least-privilege IAM policy for the backup
 * credentials, and an optional, guarded lifecycle rule.
 */
export class BucketPolicies {
  /**
   * The least-privilege IAM policy (JSON) for the credentials `db` uses: list the bucket (barman-cloud's
   * HeadBucket check carries no prefix, so listing cannot be narrowed to it), read and write objects under the
   * archive prefix, and delete them because the plugin enforces the retention policy. The same document serves
   * MinIO-style policies for S3-compatible stores.
   *
   * @example fs.writeFileSync('dist/iam/test.policy.json', BucketPolicies.iamPolicy(db))
   */
  public static iamPolicy(db: BackedUpPostgres): string {
    if (!(db instanceof BackedUpPostgres)) throw argumentError('BucketPolicies.iamPolicy', 'db', db, 'a BackedUpPostgres', 'pass the BackedUpPostgres whose bucket the policy is for');
    if (!db.objectStorage.isS3Api) {
      throw new Error(formatPropError(db.node.path, 'objectStorage', 'an IAM policy applies to S3 and S3-compatible stores only', db.objectStorage.provider,
        'grant the equivalent object read, write, list and delete roles in your provider'));
    }
    const policy = s3PolicyDocument({ bucket: db.objectStorage.bucket, prefix: db.objectStorage.prefix, allowDelete: true });
    return JSON.stringify(policy, null, 2) + '\n';
  }

  /**
   * An S3 lifecycle configuration (JSON for PutBucketLifecycleConfiguration) that expires archive objects, as a
   * safety net next to the plugin's retention. A lifecycle rule deletes by age and knows nothing of backups: if
   * base backups stop, it deletes the last restorable one. So the expiry must be longer than the retention
   * window plus one backup interval, and it is an error otherwise.
   *
   * @example BucketPolicies.lifecycleRule(db, { expireAfterDays: 14 })
   */
  public static lifecycleRule(db: BackedUpPostgres, options: LifecycleRuleOptions): string {
    if (!(db instanceof BackedUpPostgres)) throw argumentError('BucketPolicies.lifecycleRule', 'db', db, 'a BackedUpPostgres', 'pass the BackedUpPostgres whose bucket the rule is for');
    if (!isOptionsObject(options)) throw argumentError('BucketPolicies.lifecycleRule', 'options', options, 'an object', 'pass { expireAfterDays: 30 }');
    const intervalDays = Math.ceil(db.schedule._maxIntervalSeconds() / 86400);
    const minimum = db.retentionPolicy.windowDays + intervalDays + 1;
    if (!Number.isInteger(options.expireAfterDays)) {
      throw new Error(formatPropError(db.node.path, 'expireAfterDays', 'must be a whole number of days', options.expireAfterDays, `use e.g. { expireAfterDays: ${minimum} }`));
    }
    if (options.expireAfterDays < minimum) {
      throw new Error(formatPropError(db.node.path, 'expireAfterDays',
        `must be at least ${minimum} days: longer than the retention window (${db.retentionPolicy.value} = ${db.retentionPolicy.windowDays} days) plus one backup interval (${intervalDays} day(s)), or the rule can delete the only restorable base backup`,
        options.expireAfterDays, `use { expireAfterDays: ${minimum} } or more`));
    }
    if (!db.objectStorage.isS3Api) {
      throw new Error(formatPropError(db.node.path, 'objectStorage', 'lifecycle rules here are for S3 and S3-compatible stores', db.objectStorage.provider, 'use your provider\'s lifecycle management'));
    }
    const prefix = db.objectStorage.prefix ? `${db.objectStorage.prefix}/${db.serverName}/` : `${db.serverName}/`;
    return JSON.stringify({
      Rules: [{
        ID: `cdk8s-cnpg-${db.clusterName}-expire-after-${options.expireAfterDays}d`,
        Status: 'Enabled',
        Filter: { Prefix: prefix },
        Expiration: { Days: options.expireAfterDays },
        NoncurrentVersionExpiration: { NoncurrentDays: 1 },
      }],
    }, null, 2) + '\n';
  }

  private constructor() {}
}
