/**
 * The base backup CNPG picks for a recovery target: `(*Catalog).FindBackupInfo` in github.com/cloudnative-pg/
 * barman-cloud `pkg/catalog/catalog.go` (v0.3.3, vendored by plugin-barman-cloud v0.9.0; unchanged at
 * 950b0f5, vendored by v0.14.0), called from the plugin's `internal/cnpgi/restore/restore.go`
 * `loadBackupObjectFromExternalCluster`. A backup counts when barman-cloud-backup-list gives it a begin and an
 * end time (`isBackupDone`), whatever its status. The catalog is sorted by begin time (`sorting.go`); the newest
 * match wins: for a time, `EndTime <= target`; for an LSN, `EndLSN < target`; a numeric `targetTLI` must equal
 * the backup's timeline, and "" or "latest" matches any. With `backupID` the backup is taken as named; without a
 * target, the newest done backup (`LatestBackupInfo`).
 */
import { BackupInfo } from './backup-info';

/** A recovery target as CNPG's catalog sees it. */
export interface CatalogTarget {
  readonly backupId?: string;
  /** Microseconds since the epoch. */
  readonly time?: bigint;
  readonly lsn?: bigint;
  /** `targetTLI` as written: "", "latest" or a number. */
  readonly targetTli?: string;
}

const isDone = (b: BackupInfo) => b.beginTime !== undefined && b.endTime !== undefined;

/** The catalog in CNPG's order: by begin time, backups without times last. */
function sorted(backups: readonly BackupInfo[]): BackupInfo[] {
  return [...backups].sort((a, b) => {
    if (!isDone(a) || !isDone(b)) return (isDone(a) ? 0 : 1) - (isDone(b) ? 0 : 1);
    return a.beginTime! < b.beginTime! ? -1 : a.beginTime! > b.beginTime! ? 1 : 0;
  });
}

/** The backup CNPG would restore for the target, or undefined when it finds none ("no target backup found"). */
export function cnpgBackupChoice(backups: readonly BackupInfo[], target: CatalogTarget): BackupInfo | undefined {
  if (target.backupId) return backups.find(b => isDone(b) && b.id === target.backupId);
  const tli = target.targetTli ?? '';
  const tliMatches = (b: BackupInfo) => tli === '' || tli === 'latest' || String(b.timeline ?? 0) === tli;
  const list = sorted(backups);
  for (let i = list.length - 1; i >= 0; i--) {
    const b = list[i];
    if (!isDone(b) || !tliMatches(b)) continue;
    if (target.time !== undefined) {
      if (b.endTime! <= target.time) return b;
    } else if (target.lsn !== undefined) {
      // types.LSN.Less: an unparseable LSN counts as 0.
      if ((b.endLsn ?? 0n) < target.lsn) return b;
    } else {
      return b;
    }
  }
  return undefined;
}
