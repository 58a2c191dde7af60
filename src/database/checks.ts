import { Size } from 'cdk8s';
import { AppCredentials } from '../app-credentials';
import type { BackedUpPostgres, BackedUpPostgresProps } from '../backed-up-postgres';
import { BackupSchedule } from '../backup-schedule';
import { BarmanPluginFeature, BarmanPluginVersion, IBarmanPlugin } from '../barman-plugin';
import { ObjectStorage } from '../object-storage';
import { BackupOwnerReference, BackupTarget, Compression } from './backup-options';
import { PropErrors } from '../private/errors';
import { checkImage } from '../private/images';
import { checkClusterName, checkNamespaceName, checkObjectName, isServerName } from '../private/names';
import { checkResources, checkSize } from '../private/resources';
import { RetentionPolicy } from '../retention-policy';
import { FIXED_PARAMETERS } from '../validation/webhook';

// The checks of BackedUpPostgres's props: every problem is collected, the construct reports them all at once.

/** The compressions the ObjectStore CRD accepts for base backups (WAL takes more; lz4 from plugin v0.13.0). */
const DATA_COMPRESSIONS: readonly string[] = [Compression.GZIP, Compression.BZIP2, Compression.SNAPPY, Compression.LZ4];

/** Adds a problem for every prop that is wrong; `pg` holds the resolved defaults. */
export function checkDatabaseProps(errors: PropErrors, pg: BackedUpPostgres, props: BackedUpPostgresProps, credentials: AppCredentials): void {
  errors.addProblem(checkClusterName(props.clusterName === undefined ? 'clusterName (from the construct id)' : 'clusterName', pg.clusterName, 'test'));
  if (props.namespace !== undefined) errors.addProblem(checkNamespaceName('namespace', props.namespace, 'databases'));
  if (!Number.isInteger(pg.instances) || pg.instances < 1) {
    errors.add('instances', 'must be a whole number of at least 1', pg.instances, 'use e.g. 1, or 3 for a primary and two standbys');
  }
  errors.addProblem(checkSize('storageSize', pg.storageSize, 'Size.gibibytes(1)'));
  errors.addProblem(checkSize('walStorageSize', props.walStorageSize, 'Size.gibibytes(1)'));
  for (const [prop, value] of Object.entries({ storageClass: props.storageClass, walStorageClass: props.walStorageClass })) {
    if (value !== undefined) errors.addProblem(checkObjectName(prop, value, 'local-path'));
  }
  if (props.walStorageClass !== undefined && props.walStorageSize === undefined) {
    errors.add('walStorageClass', 'is set without walStorageSize', props.walStorageClass, 'set walStorageSize too, e.g. Size.gibibytes(1)');
  }
  checkImage(errors, pg.imageName);
  checkResources('resources', props.resources).forEach(p => errors.addProblem(p));
  checkResources('sidecarResources', props.sidecarResources).forEach(p => errors.addProblem(p));
  for (const [prop, value] of Object.entries({ database: pg.database, owner: pg.owner })) {
    // PostgreSQL identifiers CNPG accepts for initdb: at most 63 bytes; keep to the portable set.
    if (!/^[a-z_][a-z0-9_]{0,62}$/.test(value)) {
      errors.add(prop, 'must be a lower-case PostgreSQL identifier (letters, digits, "_", at most 63, not starting with a digit)', value, 'use e.g. "app"');
    }
  }
  credentials._problems('credentials', pg.owner).forEach(p => errors.addProblem(p));
  // Names derived from a valid cluster name are valid: check only the ones the user gave.
  if (props.objectStoreName !== undefined) errors.addProblem(checkObjectName('objectStoreName', pg.objectStoreName, 's3-store'));
  if (props.scheduledBackupName !== undefined) errors.addProblem(checkObjectName('scheduledBackupName', pg.scheduledBackupName, 'pg-backup'));
  if (props.serverName !== undefined && !isServerName(pg.serverName)) {
    errors.add('serverName', 'must be a folder name (letters, digits, "-", "_" and ".")', pg.serverName, `use e.g. ${JSON.stringify(pg.clusterName)}`);
  }
  pg.objectStorage._problems('objectStorage').forEach(p => errors.addProblem(p));
  for (const [prop, value] of Object.entries({ walCompression: pg.walCompression, dataCompression: pg.dataCompression })) {
    if (!Object.values(Compression).includes(value)) errors.add(prop, 'is not a known compression', value, 'use e.g. Compression.GZIP');
  }
  if (!DATA_COMPRESSIONS.includes(pg.dataCompression)) {
    errors.add('dataCompression', `${pg.dataCompression} is only available for WAL, not for base backups`, pg.dataCompression, 'use Compression.GZIP, BZIP2, SNAPPY or LZ4 (plugin >= 0.13.0)');
  }
  const plugin = pg.pluginVersion;
  if (plugin && pg.dataCompression === Compression.LZ4 && !plugin.supports(BarmanPluginFeature.LZ4_BASE_BACKUPS)) {
    errors.add('dataCompression', `lz4 for base backups needs plugin v0.13.0 or newer, the cluster runs v${plugin.version}`, pg.dataCompression, 'use Compression.SNAPPY, or BarmanPluginVersion.V0_14_0');
  }
  const feature = pg.objectStorage._pluginFeature;
  if (plugin && feature === BarmanPluginFeature.AZURE_DEFAULT_CREDENTIALS && !plugin.supports(feature)) {
    errors.add('objectStorage.credentials', `default Azure credentials need plugin v0.11.0 or newer, the cluster runs v${plugin.version}`, 'fromDefaultCredentials()', 'use AzureCredentials.fromAzureAd() or a newer plugin');
  }
  errors.addProblem(pg.retentionPolicy._problem('retentionPolicy'));
  errors.addProblem(pg.schedule._problem('schedule'));
  if (props.backupOwnerReference !== undefined && !Object.values(BackupOwnerReference).includes(props.backupOwnerReference)) {
    errors.add('backupOwnerReference', 'is not a known owner reference', props.backupOwnerReference, 'use BackupOwnerReference.NONE, SELF or CLUSTER');
  }
  if (props.backupTarget !== undefined && !Object.values(BackupTarget).includes(props.backupTarget)) {
    errors.add('backupTarget', 'is not a known backup target', props.backupTarget, 'use BackupTarget.PRIMARY or PREFER_STANDBY');
  }
  checkPostgresqlParameters(errors, props.postgresqlParameters);
}

/** Props whose values come from our factories: a plain string or object from JavaScript is named, not a TypeError. */
export function checkKinds(errors: PropErrors, props: BackedUpPostgresProps, storageFix: string): void {
  const kinds: Array<[string, unknown, string, (v: unknown) => boolean, string]> = [
    ['objectStorage', props.objectStorage, 'ObjectStorage', v => v instanceof ObjectStorage, storageFix],
    ['credentials', props.credentials, 'AppCredentials', v => v instanceof AppCredentials, 'use AppCredentials.fromSecret("postgres-secret") or AppCredentials.generated()'],
    ['schedule', props.schedule, 'BackupSchedule', v => v instanceof BackupSchedule, 'use BackupSchedule.hourly(), .daily() or .cron("0 0 * * * *")'],
    ['retentionPolicy', props.retentionPolicy, 'RetentionPolicy', v => v instanceof RetentionPolicy, 'use RetentionPolicy.days(7)'],
    ['storageSize', props.storageSize, 'Size', v => v instanceof Size, 'use Size.gibibytes(1)'],
    ['walStorageSize', props.walStorageSize, 'Size', v => v instanceof Size, 'use Size.gibibytes(1)'],
    ['pluginVersion', props.pluginVersion, 'BarmanPluginVersion', v => v instanceof BarmanPluginVersion, 'use BarmanPluginVersion.V0_14_0, or BarmanPluginVersion.of("0.14.0")'],
    ['plugin', props.plugin, 'BarmanPlugin', v => (v as IBarmanPlugin)?.version instanceof BarmanPluginVersion, 'pass the app\'s `new BarmanPlugin(...)`, or `BarmanPlugin.fromExisting(scope, id, { version })`'],
  ];
  const pluginsVersion = props.plugin?.version;
  if (pluginsVersion instanceof BarmanPluginVersion && props.pluginVersion instanceof BarmanPluginVersion && pluginsVersion !== props.pluginVersion) {
    errors.add('pluginVersion', `differs from the version of plugin (${pluginsVersion.version})`, props.pluginVersion.version, 'leave pluginVersion out: the plugin\'s version is used');
  }
  for (const [prop, value, kind, isKind, fix] of kinds) {
    if (value !== undefined && !isKind(value)) errors.add(prop, `must be ${/^[AEIOU]/.test(kind) ? 'an' : 'a'} ${kind}`, value, fix);
  }
  // Credentials left out of the storage options would fail deep inside rendering: report them here.
  if (props.objectStorage instanceof ObjectStorage) {
    props.objectStorage._problems('objectStorage').filter(p => p.prop === 'objectStorage.credentials').forEach(p => errors.addProblem(p));
  }
}

/** PostgreSQL GUC names: an identifier, or `extension.identifier` for custom ones. */
const PARAMETER_NAME = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_$]*)?$/;

/** `postgresqlParameters`: strings under valid names, none of those the operator manages ([O] webhook, see FIXED_PARAMETERS). */
function checkPostgresqlParameters(errors: PropErrors, parameters: { [name: string]: string } | undefined): void {
  if (parameters === undefined) return;
  if (typeof parameters !== 'object' || parameters === null || Array.isArray(parameters)) {
    errors.add('postgresqlParameters', 'must be an object of parameter names to string values', parameters, 'use e.g. { max_connections: "200" }');
    return;
  }
  for (const [name, value] of Object.entries(parameters)) {
    const prop = `postgresqlParameters.${name}`;
    if (!PARAMETER_NAME.test(name)) {
      errors.add('postgresqlParameters', 'has a key that is no PostgreSQL parameter name', name, 'use names such as "max_connections" or "pg_stat_statements.max"');
    } else if (FIXED_PARAMETERS.has(name)) {
      const fix = name.startsWith('recovery_target') ? 'remove it; a recovery target belongs in PitrRestore\'s target (spec.bootstrap.recovery.recoveryTarget)'
        : name === 'shared_preload_libraries' ? 'remove it; add the library through an ApiObject.of(pg) patch of /spec/postgresql/shared_preload_libraries'
          : ['archive_command', 'archive_mode', 'restore_command'].includes(name) ? 'remove it; WAL archiving and restore go through the Barman Cloud plugin'
            : 'remove it: the operator manages this parameter';
      errors.add(prop, 'is managed by the operator and cannot be set (CNPG\'s webhook refuses it: "Can\'t set fixed configuration parameter")', value, fix);
    } else if (typeof value !== 'string') {
      errors.add(prop, 'must be a string (CNPG passes parameters to PostgreSQL as text)', value, `use ${JSON.stringify(String(value))}`);
    }
  }
}
