/**
 * The least-privilege IAM policy barman-cloud needs on one bucket prefix. Every action is documented in the
 * README ("Least-privilege bucket access").
 */
export interface S3PolicyOptions {
  readonly bucket: string;
  /** Prefix inside the bucket, without slashes at either end ('' for the bucket root). */
  readonly prefix: string;
  /** Whether the plugin deletes expired backups (retention managed by the plugin). */
  readonly allowDelete: boolean;
}

export function s3PolicyDocument(o: S3PolicyOptions): Record<string, unknown> {
  const objects = `arn:aws:s3:::${o.bucket}/${o.prefix ? `${o.prefix}/` : ''}*`;
  const objectActions = ['s3:GetObject', 's3:PutObject', ...(o.allowDelete ? ['s3:DeleteObject'] : [])];
  return {
    Version: '2012-10-17',
    Statement: [
      {
        // Not limited by an s3:prefix condition: barman-cloud checks the bucket with HeadBucket, which needs
        // s3:ListBucket and carries no prefix, so such a condition denies it and WAL archiving fails from the
        // first segment (EnterpriseDB/barman issues #929, #1145).
        Sid: 'ListArchive',
        Effect: 'Allow',
        Action: ['s3:ListBucket'],
        Resource: [`arn:aws:s3:::${o.bucket}`],
      },
      {
        Sid: 'ReadWriteArchive',
        Effect: 'Allow',
        Action: objectActions,
        Resource: [objects],
      },
    ],
  };
}
