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
        Sid: 'ListArchive',
        Effect: 'Allow',
        Action: ['s3:ListBucket'],
        Resource: [`arn:aws:s3:::${o.bucket}`],
        ...(o.prefix ? { Condition: { StringLike: { 's3:prefix': [o.prefix, `${o.prefix}/*`] } } } : {}),
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
