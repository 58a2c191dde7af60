/** The kind of object storage. */
export enum ObjectStorageProvider {
  /** Amazon S3. */
  S3 = 's3',
  /** An S3-compatible store (MinIO, Garage, Ceph RGW, Backblaze B2, Cloudflare R2) at a custom endpoint. */
  S3_COMPATIBLE = 's3-compatible',
  /** Google Cloud Storage. */
  GCS = 'gcs',
  /** Azure Blob Storage. */
  AZURE_BLOB = 'azure-blob',
}
