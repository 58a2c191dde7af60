/** Compression algorithms the Barman Cloud plugin offers. */
export enum Compression {
  /** gzip: everywhere, slow on small CPUs. */
  GZIP = 'gzip',
  /** bzip2: smallest, slowest. */
  BZIP2 = 'bzip2',
  /** snappy: fast, larger files. */
  SNAPPY = 'snappy',
  /** lz4: fast; for base backups only from plugin v0.13.0. */
  LZ4 = 'lz4',
  /** xz: WAL only. */
  XZ = 'xz',
  /** zstd: WAL only. */
  ZSTD = 'zstd',
}

/** Who owns the Backup objects a ScheduledBackup creates. */
export enum BackupOwnerReference {
  /** No owner: Backups outlive the schedule and the cluster. */
  NONE = 'none',
  /** The ScheduledBackup: deleting the schedule deletes its Backup objects (not the data in the bucket). */
  SELF = 'self',
  /** The Cluster. */
  CLUSTER = 'cluster',
}

/** Which instance takes base backups. */
export enum BackupTarget {
  /** Always the primary. */
  PRIMARY = 'primary',
  /** A standby when one is healthy, else the primary. */
  PREFER_STANDBY = 'prefer-standby',
}
