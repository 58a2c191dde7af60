/**
 * CNPG's admission webhook rules for Clusters, Backups and ScheduledBackups ([O] internal/webhook/v1/
 * cluster_webhook.go, backup_webhook.go, scheduledbackup_webhook.go), for what the API server would reject
 * after the CRD schema passed. Each check names the webhook function it mirrors and the versions it holds for,
 * read at the tags v1.28.0, v1.28.1, v1.28.4, v1.29.1, v1.29.2 and v1.30.0 (the same unless a comment says so).
 * Where we are stricter than CNPG on purpose (data safety), the message says so.
 */
import { clusterSpec, externalClustersOf, isObjectStoreSource, pluginsOf, recoveryOf, recoverySource } from './cluster-model';
import { CNPG_GROUP, dig, Entry, has, isObj, Obj, str, ValidationContext } from './context';
import { joinPath, show } from './finding';
import { firstReleasesWith } from '../upstream/catalog';

const DNS1035 = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
// resource.ParseQuantity: a signed decimal number with an optional binary, decimal or exponent suffix.
const QUANTITY = /^[+-]?(\d+(\.\d*)?|\.\d+)(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E|[eE][+-]?\d+)?$/;
const LSN = /^[0-9A-Fa-f]{1,8}\/[0-9A-Fa-f]{1,8}$/;
const RECOVERY_TARGETS = ['targetTime', 'targetXID', 'targetName', 'targetLSN', 'targetImmediate'] as const;

/** validateClusterName: a DNS-1035 label; at most 50 characters so that derived names (pods, jobs) fit 63. */
function checkClusterName(ctx: ValidationContext, e: Entry): void {
  if (!e.name) return;
  if (!DNS1035.test(e.name)) {
    ctx.error(e, 'metadata.name', `cluster name ${show(e.name)} is not a DNS-1035 label (lower-case letters, digits and "-", starting with a letter)`,
      `use a name like ${show(e.name.toLowerCase().replace(/[^a-z0-9-]/g, '-').replace(/^[^a-z]+/, '') || 'pg-main')}`);
  }
  if (e.name.length > 50) {
    ctx.error(e, 'metadata.name', `cluster name ${show(e.name)} has ${e.name.length} characters, the maximum is 50`,
      `use a shorter name like ${show(e.name.slice(0, 50).replace(/-+$/, ''))}`);
  }
}

/** validateBootstrapMethod: only one of initdb, recovery, pg_basebackup. */
function checkBootstrapMethod(ctx: ValidationContext, e: Entry): void {
  const bootstrap = dig(e.doc, 'spec', 'bootstrap');
  if (!bootstrap) return;
  const methods = ['initdb', 'recovery', 'pg_basebackup'].filter(m => bootstrap[m] !== undefined && bootstrap[m] !== null);
  if (methods.length > 1) {
    ctx.error(e, 'spec.bootstrap', `only one bootstrap method can be specified at a time, got ${methods.join(' and ')}`,
      'keep one: initdb for a new database, recovery to restore a backup, pg_basebackup to clone a running server');
  }
}

/**
 * validateExternalClusters / validateExternalCluster: unique names; each entry has a way to reach the source
 * (connectionParameters, plugin or barmanObjectStore; every version). From 1.28.4 and 1.29.2 the name and the
 * sslCert/sslKey/sslRootCert secret names and keys cannot be path components (`isUnsafePathComponent`).
 */
function checkExternalClusters(ctx: ValidationContext, e: Entry): void {
  if (!externalClustersOf(e).length) return;
  const seen = new Set<string>();
  const unsafePaths = has(ctx, 'cnpg', 'external-cluster-paths-checked');
  const unsafe = (v: unknown): v is string => typeof v === 'string' && (v === '.' || v === '..' || /[/\\]/.test(v));
  for (const c of externalClustersOf(e)) {
    if (!isObj(c.cluster.connectionParameters) && !isObj(c.cluster.plugin) && !isObj(c.cluster.barmanObjectStore)) {
      ctx.error(e, c.path, `external cluster ${show(c.name ?? '')} has none of connectionParameters, plugin and barmanObjectStore (the CNPG webhook requires one)`,
        'add plugin: { name: "barman-cloud.cloudnative-pg.io", parameters: { barmanObjectName: "s3-store", serverName: "source" } } to read a backup, or connectionParameters to reach a running server');
    }
    if (c.name === undefined) continue;
    if (seen.has(c.name)) {
      ctx.error(e, `${c.path}.name`, `duplicate external cluster name ${show(c.name)}`, 'give every externalClusters entry its own name');
    }
    seen.add(c.name);
    if (!unsafePaths) continue;
    if (unsafe(c.name)) {
      ctx.error(e, `${c.path}.name`, `external cluster name ${show(c.name)} contains a path separator or is a relative path (CNPG ${ctx.options.versions.cnpg} refuses it)`,
        `use a plain name like ${show(c.name.replace(/[/\\.]+/g, '-').replace(/^-|-$/g, '') || 'source')}`);
    }
    for (const selector of ['sslCert', 'sslKey', 'sslRootCert']) {
      const ref = dig(c.cluster, selector);
      for (const key of ['name', 'key']) {
        if (unsafe(ref?.[key])) {
          ctx.error(e, `${c.path}.${selector}.${key}`, `${show(ref?.[key])} contains a path separator or is a relative path (CNPG ${ctx.options.versions.cnpg} refuses it)`, 'use a plain secret name and key');
        }
      }
    }
  }
}

/**
 * validateBootstrapRecoverySource / validateBootstrapPgBaseBackupSource: the source exists and can be used. A
 * recovery source with only connectionParameters is refused by CNPG 1.28.0 and 1.28.1 ("both Barman and CNPG-i
 * plugin configurations are missing") and accepted from 1.28.4 and 1.29.1. A source with none of the three is
 * reported by checkExternalClusters.
 */
function checkBootstrapSources(ctx: ValidationContext, e: Entry): void {
  // What the cluster defines, for a message about a source it does not (built only for one).
  const known = (): string => {
    const names = externalClustersOf(e).map(c => c.name).filter((n): n is string => n !== undefined);
    return names.length ? `defined: ${names.map(show).join(', ')}` : 'spec.externalClusters is empty';
  };
  const recovery = recoveryOf(e);
  const recoverySourceName = str(recovery?.source);
  if (recovery && recoverySourceName) {
    const source = recoverySource(e);
    if (!source) {
      ctx.error(e, 'spec.bootstrap.recovery.source', `external cluster ${show(recoverySourceName)} not found (${known()})`,
        `add an externalClusters entry named ${show(recoverySourceName)}, e.g. { name: ${show(recoverySourceName)}, plugin: { name: "barman-cloud.cloudnative-pg.io", parameters: { barmanObjectName: "s3-store", serverName: "test" } } }`);
    } else if (!isObjectStoreSource(source.cluster) && isObj(source.cluster.connectionParameters) && !has(ctx, 'cnpg', 'recovery-from-connection-parameters')) {
      ctx.error(e, source.path, `recovery source ${show(recoverySourceName)} has no plugin or barmanObjectStore: CNPG ${ctx.options.versions.cnpg} refuses connectionParameters alone for recovery (accepted from ${firstReleasesWith('cnpg', 'recovery-from-connection-parameters').replace('/', ' and ')})`,
        `to clone the live server use bootstrap: { pg_basebackup: { source: ${show(recoverySourceName)} } }; to restore a backup add plugin: { name: "barman-cloud.cloudnative-pg.io", parameters: { barmanObjectName: "s3-store", serverName: "test" } }`);
    }
  }
  if (recovery && !recoverySourceName && recovery.backup === undefined && recovery.volumeSnapshots === undefined) {
    // Stricter than the webhook, which lets it through; the restore job then fails ([O] pkg/management/postgres/
    // restore.go `loadBackupObjectFromExternalCluster`: "recovery source not specified").
    ctx.error(e, 'spec.bootstrap.recovery', 'recovery needs a source, a backup or volumeSnapshots to restore from (the CNPG webhook does not check this; the restore job fails with "recovery source not specified")',
      'set source: "source" and an externalClusters entry named "source" pointing at the object store');
  }
  const basebackup = dig(e.doc, 'spec', 'bootstrap', 'pg_basebackup');
  const baseSource = str(basebackup?.source);
  if (baseSource !== undefined) {
    const source = externalClustersOf(e).find(c => c.name === baseSource);
    if (!source) {
      ctx.error(e, 'spec.bootstrap.pg_basebackup.source', `external cluster ${show(baseSource)} not found (${known()})`,
        `add an externalClusters entry named ${show(baseSource)} with connectionParameters`);
    } else if (!isObj(source.cluster.connectionParameters) && (isObj(source.cluster.plugin) || isObj(source.cluster.barmanObjectStore))) {
      // Stricter than the webhook (it checks only that the source exists): pg_basebackup connects to a server.
      ctx.error(e, source.path, `pg_basebackup source ${show(baseSource)} has no connectionParameters, so the clone cannot connect (the CNPG webhook does not check this; the bootstrap job fails)`,
        'add connectionParameters: { host: "source-rw", user: "streaming_replica", dbname: "postgres" }, or restore the backup with bootstrap.recovery instead');
    }
  }
}

/**
 * validateBootstrapRecoveryDataSource: recovery from volume snapshots excludes `backup` and `backupID`, takes only
 * VolumeSnapshots or PersistentVolumeClaims, and a WAL snapshot needs spec.walStorage (every version).
 */
function checkVolumeSnapshotRecovery(ctx: ValidationContext, e: Entry): void {
  const recovery = recoveryOf(e);
  const snapshots = dig(recovery, 'volumeSnapshots');
  if (!recovery || !snapshots) return;
  const base = 'spec.bootstrap.recovery';
  if (recovery.backup !== undefined) {
    ctx.error(e, `${base}.backup`, 'recovery from volumeSnapshots cannot be combined with backup (the CNPG webhook refuses it)', 'keep volumeSnapshots or backup, not both');
    return;
  }
  const backupID = str(dig(recovery, 'recoveryTarget')?.backupID);
  if (backupID) {
    ctx.error(e, `${base}.recoveryTarget.backupID`, `backupID ${show(backupID)} cannot be used with volumeSnapshots (the CNPG webhook refuses it): the snapshot is the backup`, 'remove backupID');
    return;
  }
  const checkSource = (path: string, ref: unknown): void => {
    if (!isObj(ref)) return;
    const apiGroup = str(ref.apiGroup) ?? '';
    const kind = str(ref.kind);
    if (!(apiGroup === 'snapshot.storage.k8s.io' && kind === 'VolumeSnapshot') && !(apiGroup === '' && kind === 'PersistentVolumeClaim')) {
      ctx.error(e, path, `only VolumeSnapshots (apiGroup "snapshot.storage.k8s.io") and PersistentVolumeClaims (no apiGroup) can be restored, got kind ${show(kind ?? '')} apiGroup ${show(apiGroup)}`,
        'write { name: "…", kind: "VolumeSnapshot", apiGroup: "snapshot.storage.k8s.io" }');
    }
  };
  checkSource(`${base}.volumeSnapshots.storage`, snapshots.storage);
  if (isObj(snapshots.walStorage)) {
    if (!isObj(clusterSpec(e).walStorage)) {
      ctx.error(e, `${base}.volumeSnapshots.walStorage`, 'a WAL snapshot is restored onto spec.walStorage, which is not configured (the CNPG webhook refuses it)',
        'add spec.walStorage: { size: "1Gi" }, or remove volumeSnapshots.walStorage');
    }
    checkSource(`${base}.volumeSnapshots.walStorage`, snapshots.walStorage);
  }
}

/**
 * validateRecoveryTarget / validateTargetExclusiveness. Every version: one target at most (`targetImmediate` counts
 * when present, even `false`), LSN syntax, targetTLI "latest" or a positive number ("current" is refused), and
 * backupID for targetName/targetXID/targetImmediate unless recovering from volumeSnapshots (whatever the source:
 * object store or Backup object). From 1.28.4 and 1.29.1: targetXID a 32-bit number, targetName under 64 bytes
 * without control characters; for older versions we keep these as errors on purpose (PostgreSQL truncates such
 * an XID or refuses such a name at restore time) and say so.
 */
function checkRecoveryTarget(ctx: ValidationContext, e: Entry): void {
  const recovery = recoveryOf(e);
  const target = dig(recovery, 'recoveryTarget');
  if (!target) return;
  const base = 'spec.bootstrap.recovery.recoveryTarget';
  const present = (k: string) => k === 'targetImmediate' ? target[k] !== undefined && target[k] !== null : typeof target[k] === 'string' && target[k] !== '';
  const set = RECOVERY_TARGETS.filter(present);
  if (set.length > 1) {
    ctx.error(e, base, `recovery target options are mutually exclusive, got ${set.join(', ')}`, `keep only one of ${RECOVERY_TARGETS.join(', ')}`);
  }
  const lsn = str(target.targetLSN);
  if (lsn !== undefined && lsn !== '' && !LSN.test(lsn)) {
    ctx.error(e, `${base}.targetLSN`, `${show(lsn)} is not a PostgreSQL LSN`, 'write it as two hexadecimal numbers, e.g. "0/3000060"');
  }
  const checkedByCnpg = has(ctx, 'cnpg', 'target-name-checked') && has(ctx, 'cnpg', 'target-xid-checked');
  const stricter = checkedByCnpg ? '' : ` (CNPG ${ctx.options.versions.cnpg} does not check this; stricter on purpose, fixed upstream in ${firstReleasesWith('cnpg', 'target-xid-checked')})`;
  const xid = str(target.targetXID);
  if (xid !== undefined && xid !== '' && (!/^\d+$/.test(xid) || Number(xid) > 0xFFFFFFFF)) {
    ctx.error(e, `${base}.targetXID`, `${show(xid)} is not a 32-bit unsigned transaction id${checkedByCnpg ? '' : `, which PostgreSQL would truncate or refuse${stricter}`}`, 'write a number between 0 and 4294967295, e.g. "1234"');
  }
  const name = str(target.targetName);
  if (name !== undefined) {
    if (Buffer.byteLength(name, 'utf-8') >= 64) {
      ctx.error(e, `${base}.targetName`, `restore point name ${show(name)} has ${Buffer.byteLength(name, 'utf-8')} bytes, PostgreSQL allows at most 63${stricter}`,
        'use the name given to pg_create_restore_point(), which is shorter than 64 bytes');
    }
    // eslint-disable-next-line no-control-regex
    if (/[\u0000-\u001f\u007f]/.test(name)) {
      ctx.error(e, `${base}.targetName`, `restore point name ${show(name)} contains control characters${stricter}`, 'remove them');
    }
    // api/v1/cluster_funcs.go BuildPostgresOptions writes `recovery_target_name = '%v'` unescaped up to 1.28.2 and in
    // 1.29.0; from 1.28.3 and 1.29.1 configfile.RenderPostgresConfiguration escapes the value.
    if (/['\\]/.test(name) && !has(ctx, 'cnpg', 'recovery-target-escaped')) {
      ctx.error(e, `${base}.targetName`, `restore point name ${show(name)} contains ${name.includes("'") ? 'a quote' : 'a backslash'}, which CNPG ${ctx.options.versions.cnpg} writes unescaped into the recovery configuration, so PostgreSQL ${name.includes("'") ? 'refuses to start' : 'looks for another name'} (CNPG accepts it; stricter on purpose, fixed upstream in ${firstReleasesWith('cnpg', 'recovery-target-escaped')})`,
        'create and use a restore point name without quotes or backslashes, or upgrade CNPG to 1.28.4 or later');
    }
  }
  const tli = target.targetTLI;
  if (tli !== undefined && tli !== '' && !(tli === 'latest' || (typeof tli === 'string' && /^[+]?\d+$/.test(tli) && Number(tli) > 0))) {
    ctx.error(e, `${base}.targetTLI`, `${show(tli)} is not "latest" or a positive timeline number (the CNPG webhook refuses it)`, 'write "latest" or a number like "2"');
  }
  const needsBackupId = set.filter(k => k === 'targetName' || k === 'targetXID' || k === 'targetImmediate');
  if (needsBackupId.length && recovery?.volumeSnapshots === undefined && !str(target.backupID)) {
    ctx.error(e, `${base}.backupID`, `${needsBackupId.join(', ')} needs backupID: the base backup can only be chosen by time or LSN (the CNPG webhook answers "BackupID is missing")`,
      'set backupID to the backup to start from, e.g. "20251227T030000" (the folder name under <destinationPath>/<serverName>/base/)');
  }
}

/** validatePluginConfiguration: at most one WAL archiver, and none next to the in-tree barmanObjectStore. */
function checkWalArchivers(ctx: ValidationContext, e: Entry): void {
  const archivers = pluginsOf(e).filter(p => p.enabled && p.isWALArchiver);
  if (archivers.length > 1) {
    ctx.error(e, archivers[1].path, `more than one WAL archiver plugin: ${archivers.map(p => show(p.name)).join(', ')}`,
      'set isWALArchiver: true on exactly one plugin');
  }
  if (archivers.length && dig(e.doc, 'spec', 'backup', 'barmanObjectStore')) {
    ctx.error(e, 'spec.backup.barmanObjectStore', 'cannot archive WAL with the in-tree barmanObjectStore and a WAL archiver plugin at once',
      'remove spec.backup.barmanObjectStore and configure the plugin\'s ObjectStore instead');
  }
}

/**
 * validateStorageSize / validateWalStorageSize / validateTablespaceStorageSize (`validateStorageConfigurationSize`):
 * a size that parses as a quantity, or, without a size, a pvcTemplate with a non-zero storage request.
 */
function checkStorage(ctx: ValidationContext, e: Entry): void {
  const spec = clusterSpec(e);
  const check = (path: string, storage: unknown): void => {
    const config = isObj(storage) ? storage : {};
    const size = config.size;
    if (size === undefined || size === '') {
      const request = dig(config, 'pvcTemplate', 'resources', 'requests')?.storage;
      const zero = request === undefined || request === null || (typeof request === 'string' && QUANTITY.test(request) && parseFloat(request) === 0) || request === 0;
      if (zero) {
        ctx.error(e, `${path}.size`, isObj(config.pvcTemplate) ? 'storage size not configured, and the pvcTemplate requests no storage (the CNPG webhook refuses it)' : 'storage size not configured (the CNPG webhook refuses it)',
          isObj(config.pvcTemplate) ? 'add size: "1Gi", or pvcTemplate: { resources: { requests: { storage: "1Gi" } } }' : `add ${path.split('.').pop()}: { size: "1Gi" }`);
      }
      return;
    }
    if (typeof size !== 'string' || !QUANTITY.test(size)) {
      ctx.error(e, `${path}.size`, `${show(size)} is not a valid quantity`, 'write a quantity like "1Gi" or "500Mi"');
    } else if (parseFloat(size) <= 0) {
      // Stricter than the webhook (it only parses the quantity): Kubernetes refuses a volume of that size.
      ctx.error(e, `${path}.size`, `storage size ${show(size)} must be positive (the CNPG webhook lets it through, the volume cannot be created)`, 'write a quantity like "1Gi"');
    }
  };
  check('spec.storage', spec.storage);
  if (isObj(spec.walStorage)) check('spec.walStorage', spec.walStorage);
  if (Array.isArray(spec.tablespaces)) {
    spec.tablespaces.forEach((t, i) => isObj(t) && check(`spec.tablespaces[${i}].storage`, t.storage));
  }
}

/**
 * backup_webhook.go / scheduledbackup_webhook.go `validate` (every version): `online` and `onlineConfiguration`
 * are refused with method barmanObjectStore (the CRD default when method is not written); a Backup with method
 * plugin needs pluginConfiguration. A ScheduledBackup with method plugin and no pluginConfiguration passes the
 * webhook but every run fails: our rule, and the message says so.
 */
function checkBackupMethod(ctx: ValidationContext, e: Entry): void {
  const spec: Obj = isObj(e.doc.spec) ? e.doc.spec : {};
  const method = str(spec.method);
  if (method === 'plugin' && !str(dig(spec, 'pluginConfiguration')?.name)) {
    const why = e.kind === 'Backup' ? 'the CNPG webhook refuses it' : 'the CNPG webhook does not check this, every scheduled backup would fail';
    ctx.error(e, 'spec.pluginConfiguration', `method "plugin" needs pluginConfiguration (${why})`,
      'add pluginConfiguration: { name: "barman-cloud.cloudnative-pg.io" }');
  }
  if (method === 'barmanObjectStore') {
    const written = str(dig(e.written, 'spec')?.method) !== undefined;
    for (const key of ['online', 'onlineConfiguration']) {
      if (spec[key] === undefined) continue;
      ctx.error(e, `spec.${key}`, `${key} applies only to method "volumeSnapshot", and the method is "barmanObjectStore"${written ? '' : ' (the default when method is not set)'} (the CNPG webhook refuses it)`,
        'remove it, or set method: volumeSnapshot');
    }
  }
}

/**
 * validateConfiguration ([O] cluster_webhook.go; the list is pkg/postgres/configuration.go
 * `FixedConfigurationParameters`, the same in every supported version). A fixed parameter is refused unless its
 * value equals the one CNPG itself writes (the webhook compares with `CreatePostgresqlConfiguration` without the
 * mandatory settings: the global defaults and archive_mode). From 1.28.4 and 1.29.2 a parameter name must also
 * look like a GUC name. wal_level must be a known level, and above minimal when archiving or with several
 * instances; wal_log_hints, hot_standby_feedback and sync_replication_slots must be PostgreSQL booleans, and
 * wal_log_hints on with several instances.
 */
export const FIXED_PARAMETERS: ReadonlySet<string> = new Set([
  'allow_system_table_mods', 'archive_mode', 'bonjour', 'bonjour_name', 'cluster_name', 'config_file', 'data_directory',
  'data_sync_retry', 'event_source', 'external_pid_file', 'hba_file', 'hot_standby', 'ident_file', 'jit_provider',
  'listen_addresses', 'logging_collector', 'port', 'primary_conninfo', 'primary_slot_name', 'recovery_target',
  'recovery_target_action', 'recovery_target_inclusive', 'recovery_target_lsn', 'recovery_target_name', 'recovery_target_time',
  'recovery_target_timeline', 'recovery_target_xid', 'restore_command', 'shared_preload_libraries', 'temp_tablespaces',
  'unix_socket_directories', 'unix_socket_group', 'unix_socket_permissions',
  'archive_cleanup_command', 'archive_command', 'log_destination', 'log_directory', 'log_file_mode', 'log_filename',
  'log_rotation_age', 'log_rotation_size', 'log_truncate_on_rotation', 'pg_failover_slots.primary_dsn',
  'pg_failover_slots.standby_slot_names', 'promote_trigger_file', 'recovery_end_command', 'recovery_min_apply_delay',
  'restart_after_crash', 'ssl', 'ssl_ca_file', 'ssl_cert_file', 'ssl_crl_file', 'ssl_dh_params_file', 'ssl_ecdh_curve',
  'ssl_key_file', 'ssl_passphrase_command', 'ssl_passphrase_command_supports_reload', 'ssl_prefer_server_ciphers',
  'stats_temp_directory', 'synchronous_standby_names', 'synchronized_standby_slots', 'syslog_facility', 'syslog_ident',
  'syslog_sequence_numbers', 'syslog_split_messages',
]);
/** The values CNPG writes for fixed parameters (`CnpgConfigurationSettings.GlobalDefaultSettings`): setting one to exactly that passes. */
const CNPG_DEFAULTS: Readonly<Record<string, string>> = {
  logging_collector: 'on',
  log_destination: 'csvlog',
  log_directory: '/controller/log',
  log_filename: 'postgres',
  log_rotation_age: '0',
  log_rotation_size: '0',
  log_truncate_on_rotation: 'false',
  shared_preload_libraries: '',
};
const RECOVERY_PARAMETER_FIELDS: Readonly<Record<string, string>> = {
  recovery_target_time: 'targetTime',
  recovery_target_xid: 'targetXID',
  recovery_target_name: 'targetName',
  recovery_target_lsn: 'targetLSN',
  recovery_target_timeline: 'targetTLI',
  recovery_target_inclusive: 'exclusive',
  recovery_target: 'targetImmediate',
};
const GUC_NAME = /^[A-Za-z_][A-Za-z0-9_$]*(\.[A-Za-z_][A-Za-z0-9_$]*)?$/;
const PG_TRUE = new Set(['1', 'on', 'y', 'ye', 'yes', 't', 'tr', 'tru', 'true']);
const PG_FALSE = new Set(['0', 'of', 'off', 'n', 'no', 'f', 'fa', 'fal', 'fals', 'false']);

/** The archive_mode CNPG writes: off with the cnpg.io/skipWalArchiving annotation, always for a replica cluster. */
function archiveModeOf(e: Entry): string {
  if (dig(e.doc, 'metadata', 'annotations')?.['cnpg.io/skipWalArchiving'] === 'enabled') return 'off';
  return dig(e.doc, 'spec', 'replica')?.enabled === true ? 'always' : 'on';
}

function checkPostgresParameters(ctx: ValidationContext, e: Entry): void {
  const parameters = dig(e.doc, 'spec', 'postgresql', 'parameters') ?? {};
  const checkNames = has(ctx, 'cnpg', 'parameter-names-checked');
  const archiveMode = archiveModeOf(e);
  for (const [key, value] of Object.entries(parameters)) {
    if (checkNames && !GUC_NAME.test(key)) {
      ctx.error(e, joinPath('spec.postgresql.parameters', key), `${show(key)} is not a PostgreSQL parameter name (CNPG ${ctx.options.versions.cnpg} refuses it)`,
        'write a GUC name, optionally namespaced with one dot, e.g. "pg_stat_statements.max"');
      continue;
    }
    if (!FIXED_PARAMETERS.has(key)) continue;
    const own = key === 'archive_mode' ? archiveMode : CNPG_DEFAULTS[key];
    if (own !== undefined && value === own) continue;
    const field = RECOVERY_PARAMETER_FIELDS[key];
    let fix = 'remove it: the operator manages this parameter';
    if (field) fix = `set the target in spec.bootstrap.recovery.recoveryTarget.${field} instead; the operator writes ${key} from it`;
    else if (key === 'shared_preload_libraries') fix = 'list the libraries in spec.postgresql.shared_preload_libraries instead';
    else if (key === 'archive_command' || key === 'archive_mode' || key === 'restore_command') fix = 'remove it: WAL archiving and restore go through spec.plugins (isWALArchiver) and the ObjectStore';
    else if (key === 'synchronous_standby_names') fix = 'use spec.postgresql.synchronous instead';
    ctx.error(e, joinPath('spec.postgresql.parameters', key), `${key} is managed by the operator and cannot be set (the webhook answers "Can't set fixed configuration parameter")`, fix);
  }
  const instances = typeof clusterSpec(e).instances === 'number' ? clusterSpec(e).instances as number : 1;
  const walLevel = typeof parameters.wal_level === 'string' ? parameters.wal_level : 'logical';
  if (!['logical', 'replica', 'minimal'].includes(walLevel)) {
    ctx.error(e, 'spec.postgresql.parameters.wal_level', `unrecognized wal_level ${show(walLevel)} (the CNPG webhook refuses it)`, 'use "logical", "replica" or "minimal"');
  } else if (walLevel === 'minimal' && (instances > 1 || archiveMode !== 'off')) {
    ctx.error(e, 'spec.postgresql.parameters.wal_level', 'wal_level "minimal" needs WAL archiving off and a single instance (the CNPG webhook refuses it)', 'use "replica" or "logical"');
  } else if (walLevel === 'minimal' && parameters.max_wal_senders !== '0') {
    ctx.error(e, 'spec.postgresql.parameters.max_wal_senders', 'wal_level "minimal" needs max_wal_senders "0" (the CNPG webhook refuses it)', 'set max_wal_senders: "0"');
  }
  for (const key of ['hot_standby_feedback', 'sync_replication_slots', 'wal_log_hints']) {
    const value = parameters[key];
    if (typeof value !== 'string') continue;
    const lower = value.toLowerCase();
    if (!PG_TRUE.has(lower) && !PG_FALSE.has(lower)) {
      ctx.error(e, joinPath('spec.postgresql.parameters', key), `${show(value)} is not a PostgreSQL boolean (the CNPG webhook refuses it)`, 'write "on" or "off"');
    } else if (key === 'wal_log_hints' && PG_FALSE.has(lower) && instances > 1) {
      ctx.error(e, 'spec.postgresql.parameters.wal_log_hints', 'wal_log_hints must be on when instances > 1 (the CNPG webhook refuses it)', 'remove it, or set "on"');
    }
  }
}

/**
 * validateBackupConfiguration → barman-cloud `webhooks.ValidateBackupConfiguration` and the credential checks of
 * pkg/api/config.go (barman-cloud v0.3.3 in CNPG 1.28.0; v0.4.1+/v0.5.x from 1.28.1): the in-tree
 * spec.backup.barmanObjectStore needs exactly one of s3Credentials, azureCredentials and googleCredentials, each
 * complete. Azure: a connectionString alone, or exactly one of storageKey, storageSasToken, inheritFromAzureAD
 * (and from 1.28.1 useDefaultAzureCredentials), with storageAccount for a key or token.
 */
function checkInTreeCredentials(ctx: ValidationContext, e: Entry): void {
  const store = dig(e.doc, 'spec', 'backup', 'barmanObjectStore');
  if (!store) return;
  const base = 'spec.backup.barmanObjectStore';
  const given = ['s3Credentials', 'azureCredentials', 'googleCredentials'].filter(k => isObj(store[k]));
  if (given.length === 0) {
    ctx.error(e, base, 'missing credentials: one and only one of azureCredentials, s3Credentials and googleCredentials is required (the CNPG webhook refuses it)',
      'add s3Credentials: { accessKeyId: { name: "aws-creds", key: "ACCESS_KEY_ID" }, secretAccessKey: { name: "aws-creds", key: "ACCESS_SECRET_KEY" } }, or s3Credentials: { inheritFromIAMRole: true }');
  } else if (given.length > 1) {
    ctx.error(e, base, `too many credentials: ${given.join(' and ')}; one and only one is allowed (the CNPG webhook refuses it)`, 'keep the credentials of the provider in destinationPath');
  }
  const s3 = dig(store, 's3Credentials');
  if (s3) {
    const keys = ['accessKeyId', 'secretAccessKey'].filter(k => isObj(s3[k]));
    const methods = (s3.inheritFromIAMRole === true ? 1 : 0) + (keys.length ? 1 : 0);
    if (keys.length === 1) {
      ctx.error(e, `${base}.s3Credentials`, 'when using AWS credentials both accessKeyId and secretAccessKey must be provided (the CNPG webhook refuses it)', `add ${keys[0] === 'accessKeyId' ? 'secretAccessKey' : 'accessKeyId'}: { name: "aws-creds", key: "…" }`);
    }
    if (methods === 0) {
      ctx.error(e, `${base}.s3Credentials`, 'no AWS authentication method: give accessKeyId and secretAccessKey, or inheritFromIAMRole: true (the CNPG webhook refuses it)', 'add inheritFromIAMRole: true, or a Secret reference for both keys');
    } else if (methods > 1) {
      ctx.error(e, `${base}.s3Credentials`, 'only one AWS authentication method may be given: keys or inheritFromIAMRole (the CNPG webhook refuses it)', 'remove inheritFromIAMRole, or the keys');
    }
  }
  const azure = dig(store, 'azureCredentials');
  if (azure) {
    const modern = has(ctx, 'cnpg', 'azure-default-credentials');
    const methods = ['storageKey', 'storageSasToken'].filter(k => isObj(azure[k])).length
      + (azure.inheritFromAzureAD === true ? 1 : 0) + (modern && azure.useDefaultAzureCredentials === true ? 1 : 0);
    const connection = isObj(azure.connectionString);
    const path = `${base}.azureCredentials`;
    if (methods !== 1 && !connection) {
      ctx.error(e, path, `when connectionString is not given, exactly one of storageKey, storageSasToken, inheritFromAzureAD${modern ? ', useDefaultAzureCredentials' : ''} is required, got ${methods} (the CNPG webhook refuses it)`,
        'keep one authentication method, e.g. storageAccount with storageKey');
    }
    if (connection && (methods !== 0 || (modern && isObj(azure.storageAccount)))) {
      ctx.error(e, path, 'when connectionString is given, the other Azure credentials must be empty (the CNPG webhook refuses it)', 'keep connectionString alone, or remove it');
    }
    if (modern && (isObj(azure.storageKey) || isObj(azure.storageSasToken)) && !isObj(azure.storageAccount)) {
      ctx.error(e, path, 'storageAccount must be given with storageKey or storageSasToken (the CNPG webhook refuses it)', 'add storageAccount: { name: "azure-creds", key: "AZURE_STORAGE_ACCOUNT" }');
    }
  }
  const gcs = dig(store, 'googleCredentials');
  if (gcs) {
    const secret = isObj(gcs.applicationCredentials);
    if (gcs.gkeEnvironment !== true && !secret) {
      ctx.error(e, `${base}.googleCredentials`, 'without gkeEnvironment: true, applicationCredentials (a Secret) must be given (the CNPG webhook refuses it)', 'add applicationCredentials: { name: "gcs-creds", key: "gcsCredentials" }, or gkeEnvironment: true');
    } else if (gcs.gkeEnvironment === true && secret) {
      ctx.error(e, `${base}.googleCredentials`, 'with gkeEnvironment: true, applicationCredentials must not be given (the CNPG webhook refuses it)', 'remove one of them');
    }
  }
}

/** Runs the webhook rules on every untrusted CNPG object. */
export function checkWebhookRules(ctx: ValidationContext): void {
  for (const e of ctx.untrusted('Cluster', CNPG_GROUP)) {
    checkClusterName(ctx, e);
    checkBootstrapMethod(ctx, e);
    checkExternalClusters(ctx, e);
    checkBootstrapSources(ctx, e);
    checkVolumeSnapshotRecovery(ctx, e);
    checkRecoveryTarget(ctx, e);
    checkWalArchivers(ctx, e);
    checkStorage(ctx, e);
    checkPostgresParameters(ctx, e);
    checkInTreeCredentials(ctx, e);
  }
  for (const e of ctx.untrusted('Backup', CNPG_GROUP)) checkBackupMethod(ctx, e);
  for (const e of ctx.untrusted('ScheduledBackup', CNPG_GROUP)) checkBackupMethod(ctx, e);
}
