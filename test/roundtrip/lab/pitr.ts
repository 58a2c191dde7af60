/**
 * The whole restore path from our library to PostgreSQL: synthesize a PitrRestore of a lab archive with our
 * constructs, read the restore Cluster back from the YAML, and do what CNPG and the plugin do with it (backup
 * choice, recovery settings for the CNPG version, barman-cloud-restore, barman-cloud-wal-restore, promotion).
 */
import { ApiObject, Chart, Testing } from 'cdk8s';
import { Manifest, recoverySource } from './barman-config';
import { buildPostgresOptions, chooseBackup, CnpgRecoveryTarget, CnpgVersion } from './cnpg-recovery';
import { restoreBackup, RestoreOutcome } from './restore';
import { PitrRestore, RecoveryTarget } from '../../../src';
import type { ArchiveLab, ArchiveTruth } from '../archive-lab';

export interface PitrOptions {
  /** The target, as a user of our library writes it. */
  readonly target: RecoveryTarget;
  /** Which CNPG version's recovery settings to write. */
  readonly cnpgVersion: CnpgVersion;
  /**
   * An escape hatch applied to the PitrRestore before synthesis.
   * @default - none
   */
  readonly patch?: (restore: PitrRestore) => void;
  /**
   * Read the objects without running the app's validations: for YAML our validator rejects, to learn what CNPG
   * itself would do with it.
   * @default false
   */
  readonly skipValidation?: boolean;
}

export interface PitrOutcome extends RestoreOutcome {
  /** `spec.bootstrap.recovery.recoveryTarget` of the synthesized restore Cluster. */
  readonly recoveryTarget?: CnpgRecoveryTarget;
  /** The backup CNPG's plugin restores (FindBackupInfo), if any. */
  readonly backupId?: string;
  /** The recovery target lines CNPG writes. */
  readonly recoveryOptions: string;
}

/** Restores `truth`'s archive to `options.target` the way CNPG `options.cnpgVersion` would. */
export async function restoreWithPitr(lab: ArchiveLab, truth: ArchiveTruth, options: PitrOptions): Promise<PitrOutcome> {
  const chart = new Chart(Testing.app(), 'database', { namespace: 'databases' });
  const source = lab.backedUpPostgres(chart, truth.sourceOptions);
  const clusterName = `${truth.serverName}-restore`;
  const restore = new PitrRestore(chart, 'Restore', { source, clusterName, target: options.target });
  options.patch?.(restore);
  const docs: Manifest[] = options.skipValidation
    ? chart.node.findAll().filter((c): c is ApiObject => c instanceof ApiObject).map(o => o.toJson())
    : Testing.synth(chart);
  const cluster = docs.find(d => d.kind === 'Cluster' && d.metadata?.name === clusterName);
  const recoveryTarget: CnpgRecoveryTarget | undefined = cluster?.spec?.bootstrap?.recovery?.recoveryTarget;
  const from = recoverySource(docs, clusterName, lab.secretsFor(docs));
  const recoveryOptions = buildPostgresOptions(recoveryTarget, options.cnpgVersion);
  // The plugin reads the catalog with barman-cloud-backup-list; the lab's truths hold the same backups.
  const chosen = chooseBackup(truth.backups, recoveryTarget);
  if (!chosen) {
    // plugin restore.go loadBackupObjectFromExternalCluster
    return { promoted: false, rowIds: [], error: 'no target backup found', log: '', recoveryTarget, recoveryOptions };
  }
  const outcome = await restoreBackup(lab, { source: from, backupId: chosen.id, beginWal: chosen.beginWal, recoveryOptions });
  return { ...outcome, recoveryTarget, backupId: chosen.id, recoveryOptions };
}
