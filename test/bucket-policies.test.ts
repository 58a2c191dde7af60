import { Testing } from 'cdk8s';
import {
  AzureCredentials, BackedUpPostgres, BackupSchedule, BucketPolicies, ObjectStorage, RetentionPolicy, S3Credentials,
} from '../src';

const s3 = (path?: string) => ObjectStorage.s3({ bucket: 'my-backups', path, credentials: S3Credentials.fromSecret({ secretName: 's3-credentials' }) });

function database(props: { path?: string; retention?: RetentionPolicy; schedule?: BackupSchedule } = {}) {
  const chart = Testing.chart();
  return new BackedUpPostgres(chart, 'Postgres', {
    clusterName: 'test',
    objectStorage: s3(props.path),
    retentionPolicy: props.retention,
    schedule: props.schedule,
  });
}

describe('iamPolicy', () => {
  test('grants only the documented actions, on the bucket and prefix only', () => {
    // GIVEN a database archiving to s3://my-backups/postgres/
    const pg = database({ path: 'postgres' });
    // WHEN the policy is generated
    const policy = JSON.parse(BucketPolicies.iamPolicy(pg));
    // THEN listing is on the bucket, and object actions only on objects under the prefix
    const statements: any[] = policy.Statement;
    const actions = statements.flatMap(s => s.Action).sort();
    expect(actions).toEqual(['s3:DeleteObject', 's3:GetObject', 's3:ListBucket', 's3:PutObject']);
    expect(statements.every(s => s.Effect === 'Allow')).toBe(true);
    const list = statements.find(s => s.Action.includes('s3:ListBucket'));
    expect(list.Resource).toEqual(['arn:aws:s3:::my-backups']);
    // no s3:prefix condition: barman-cloud's HeadBucket check carries none and would be denied
    expect(list.Condition).toBeUndefined();
    const objects = statements.find(s => s.Action.includes('s3:PutObject'));
    expect(objects.Resource).toEqual(['arn:aws:s3:::my-backups/postgres/*']);
  });

  test('a bucket-root archive lists the whole bucket and reads any object', () => {
    const policy = JSON.parse(BucketPolicies.iamPolicy(database()));
    expect(policy.Statement[0].Condition).toBeUndefined();
    expect(policy.Statement[1].Resource).toEqual(['arn:aws:s3:::my-backups/*']);
  });

  test('fails when the store does not speak S3', () => {
    const chart = Testing.chart();
    const pg = new BackedUpPostgres(chart, 'Postgres', {
      clusterName: 'test',
      objectStorage: ObjectStorage.azureBlob({ storageAccount: 'mybackups', container: 'pgbackups', credentials: AzureCredentials.fromAzureAd() }),
    });
    expect(() => BucketPolicies.iamPolicy(pg)).toThrow(/\[test\/Postgres\] objectStorage: an IAM policy applies to S3 and S3-compatible stores only, got "azure-blob"/);
  });
});

describe('lifecycleRule', () => {
  test('fails when the expiry is not a whole number of days', () => {
    expect(() => BucketPolicies.lifecycleRule(database(), { expireAfterDays: 10.5 }))
      .toThrow('[test/Postgres] expireAfterDays: must be a whole number of days, got 10.5; use e.g. { expireAfterDays: 9 }');
  });

  test('expires the cluster\'s archive prefix after the given days', () => {
    // GIVEN 7-day retention and daily backups
    const pg = database({ path: 'postgres' });
    // WHEN a 14-day lifecycle rule is asked for
    const rule = JSON.parse(BucketPolicies.lifecycleRule(pg, { expireAfterDays: 14 })).Rules[0];
    // THEN it targets only this server's archive
    expect(rule.Filter.Prefix).toBe('postgres/test/');
    expect(rule.Expiration.Days).toBe(14);
    expect(rule.Status).toBe('Enabled');
  });

  test.each([
    ['the retention window itself', 7, RetentionPolicy.days(7), BackupSchedule.daily(), 9],
    ['a window plus less than one interval', 8, RetentionPolicy.days(7), BackupSchedule.daily(), 9],
    ['weekly backups with 2-week retention', 20, RetentionPolicy.weeks(2), BackupSchedule.weekly(), 22],
    // the longest gap between two runs decides, whatever form the schedule takes
    ['@monthly backups with 7-day retention', 16, RetentionPolicy.days(7), BackupSchedule.cron('@monthly'), 39],
    ['the same monthly schedule as six fields', 38, RetentionPolicy.days(7), BackupSchedule.cron('0 0 0 1 * *'), 39],
    ['@yearly backups (366 days across a leap day)', 370, RetentionPolicy.days(7), BackupSchedule.cron('@yearly'), 374],
    ['@every 720h backups', 37, RetentionPolicy.days(7), BackupSchedule.cron('@every 720h'), 38],
    ['@every 36h backups (rounded up to 2 days)', 9, RetentionPolicy.days(7), BackupSchedule.cron('@every 36h'), 10],
    ['backups on the 31st (none in months of 30 days: 61 days apart)', 60, RetentionPolicy.days(1), BackupSchedule.cron('0 0 0 31 * *'), 63],
  ])('fails when the expiry is %s', (_, days, retention, schedule, minimum) => {
    const pg = database({ retention, schedule });
    expect(() => BucketPolicies.lifecycleRule(pg, { expireAfterDays: days }))
      .toThrow(new RegExp(`\\[test/Postgres\\] expireAfterDays: must be at least ${minimum} days.*got ${days}; use \\{ expireAfterDays: ${minimum} \\}`));
  });
});
