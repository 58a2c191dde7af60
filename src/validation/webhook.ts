/**
 * CNPG's admission webhook rules for Clusters, Backups and ScheduledBackups ([O] internal/webhook/v1/
 * cluster_webhook.go, backup_webhook.go, scheduledbackup_webhook.go), for what the API server would reject
 * after the CRD schema passed. Each check names the webhook function it mirrors.
 */
import { clusterSpec, externalClustersOf, isObjectStoreSource, pluginsOf, recoveryOf, recoverySource } from './cluster-model';
import { CNPG_GROUP, dig, Entry, isObj, Obj, str, ValidationContext } from './context';
import { show } from './finding';

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

/** validateExternalClusters: unique names, usable as a path component of the archive ([O] cluster_webhook.go). */
function checkExternalClusters(ctx: ValidationContext, e: Entry): void {
  const seen = new Set<string>();
  for (const c of externalClustersOf(e)) {
    if (c.name === undefined) continue;
    if (seen.has(c.name)) {
      ctx.error(e, `${c.path}.name`, `duplicate external cluster name ${show(c.name)}`, 'give every externalClusters entry its own name');
    }
    seen.add(c.name);
    if (/[/\\]/.test(c.name) || c.name === '.' || c.name === '..') {
      ctx.error(e, `${c.path}.name`, `external cluster name ${show(c.name)} contains a path separator or is a relative path`,
        `use a plain name like ${show(c.name.replace(/[/\\.]+/g, '-').replace(/^-|-$/g, '') || 'source')} (it becomes the default serverName, a path in the archive)`);
    }
  }
}

/** validateBootstrapRecoverySource / validateBootstrapPgBaseBackupSource: the source exists and can be used. */
function checkBootstrapSources(ctx: ValidationContext, e: Entry): void {
  const names = externalClustersOf(e).map(c => c.name).filter((n): n is string => n !== undefined);
  const known = names.length ? `defined: ${names.map(show).join(', ')}` : 'spec.externalClusters is empty';
  const recovery = recoveryOf(e);
  const recoverySourceName = str(recovery?.source);
  if (recovery && recoverySourceName !== undefined) {
    const source = recoverySource(e);
    if (!source) {
      ctx.error(e, 'spec.bootstrap.recovery.source', `external cluster ${show(recoverySourceName)} not found (${known})`,
        `add an externalClusters entry named ${show(recoverySourceName)}, e.g. { name: ${show(recoverySourceName)}, plugin: { name: "barman-cloud.cloudnative-pg.io", parameters: { barmanObjectName: "s3-store", serverName: "test" } } }`);
    } else if (!isObjectStoreSource(source.cluster)) {
      // The webhook wants an object store to recover from: "has no barman object store configuration nor plugin
      // configuration". A live server is cloned with pg_basebackup instead.
      const live = isObj(source.cluster.connectionParameters);
      ctx.error(e, source.path, `recovery source ${show(recoverySourceName)} has no plugin or barmanObjectStore${live ? ' (connectionParameters alone are for pg_basebackup)' : ''}`,
        live ? `to clone the live server use bootstrap: { pg_basebackup: { source: ${show(recoverySourceName)} } }; to restore a backup add plugin: { name: "barman-cloud.cloudnative-pg.io", parameters: { barmanObjectName: "s3-store", serverName: "test" } }`
          : 'add plugin: { name: "barman-cloud.cloudnative-pg.io", parameters: { barmanObjectName: "s3-store", serverName: "test" } }');
    }
  }
  if (recovery && recoverySourceName === undefined && recovery.backup === undefined && recovery.volumeSnapshots === undefined) {
    ctx.error(e, 'spec.bootstrap.recovery', 'recovery needs a source, a backup or volumeSnapshots to restore from',
      'set source: "source" and an externalClusters entry named "source" pointing at the object store');
  }
  const basebackup = dig(e.doc, 'spec', 'bootstrap', 'pg_basebackup');
  const baseSource = str(basebackup?.source);
  if (baseSource !== undefined) {
    const source = externalClustersOf(e).find(c => c.name === baseSource);
    if (!source) {
      ctx.error(e, 'spec.bootstrap.pg_basebackup.source', `external cluster ${show(baseSource)} not found (${known})`,
        `add an externalClusters entry named ${show(baseSource)} with connectionParameters`);
    } else if (!isObj(source.cluster.connectionParameters)) {
      ctx.error(e, source.path, `pg_basebackup source ${show(baseSource)} has no connectionParameters`,
        'add connectionParameters: { host: "source-rw", user: "streaming_replica", dbname: "postgres" }');
    }
  }
}

/** validateRecoveryTarget ([O] cluster_webhook.go): exclusive targets, LSN/XID/name/TLI syntax, backupID needs. */
function checkRecoveryTarget(ctx: ValidationContext, e: Entry): void {
  const target = dig(e.doc, 'spec', 'bootstrap', 'recovery', 'recoveryTarget');
  if (!target) return;
  const base = 'spec.bootstrap.recovery.recoveryTarget';
  const set = RECOVERY_TARGETS.filter(k => k === 'targetImmediate' ? target[k] === true : target[k] !== undefined && target[k] !== '');
  if (set.length > 1) {
    ctx.error(e, base, `recovery target options are mutually exclusive, got ${set.join(', ')}`, `keep only one of ${RECOVERY_TARGETS.join(', ')}`);
  }
  const lsn = str(target.targetLSN);
  if (lsn !== undefined && lsn !== '' && !LSN.test(lsn)) {
    ctx.error(e, `${base}.targetLSN`, `${show(lsn)} is not a PostgreSQL LSN`, 'write it as two hexadecimal numbers, e.g. "0/3000060"');
  }
  const xid = str(target.targetXID);
  if (xid !== undefined && xid !== '' && (!/^\d+$/.test(xid) || Number(xid) > 0xFFFFFFFF)) {
    ctx.error(e, `${base}.targetXID`, `${show(xid)} is not a 32-bit unsigned transaction id`, 'write a number between 0 and 4294967295, e.g. "1234"');
  }
  const name = str(target.targetName);
  if (name !== undefined) {
    if (Buffer.byteLength(name, 'utf-8') >= 64) {
      ctx.error(e, `${base}.targetName`, `restore point name ${show(name)} has ${Buffer.byteLength(name, 'utf-8')} bytes, PostgreSQL allows at most 63`,
        'use the name given to pg_create_restore_point(), which is shorter than 64 bytes');
    }
    // eslint-disable-next-line no-control-regex
    if (/[\u0000-\u001f\u007f]/.test(name)) {
      ctx.error(e, `${base}.targetName`, `restore point name ${show(name)} contains control characters`, 'remove them');
    }
  }
  const tli = target.targetTLI;
  if (tli !== undefined && !(tli === 'latest' || tli === 'current' || (typeof tli === 'string' && /^\d+$/.test(tli) && Number(tli) > 0))) {
    ctx.error(e, `${base}.targetTLI`, `${show(tli)} is not "latest" or a positive timeline number`, 'write "latest" or a number like "2"');
  }
  const source = recoverySource(e);
  const needsBackupId = set.filter(k => k === 'targetName' || k === 'targetXID' || k === 'targetImmediate');
  if (needsBackupId.length && source && isObjectStoreSource(source.cluster) && !str(target.backupID)) {
    ctx.error(e, `${base}.backupID`, `${needsBackupId.join(', ')} from an object store needs backupID: the base backup cannot be chosen by time`,
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

/** validateStorageConfiguration / validateStorageSize: a size (or a PVC template) that parses as a quantity. */
function checkStorage(ctx: ValidationContext, e: Entry): void {
  const spec = clusterSpec(e);
  const check = (path: string, storage: unknown, required: boolean): void => {
    if (!isObj(storage)) {
      if (required) ctx.error(e, path, 'storage size not configured', 'add storage: { size: "1Gi" }');
      return;
    }
    const size = storage.size;
    if (size === undefined || size === '') {
      if (!isObj(storage.pvcTemplate)) ctx.error(e, `${path}.size`, 'storage size not configured', 'add size: "1Gi", or a storage request in pvcTemplate');
      return;
    }
    if (typeof size !== 'string' || !QUANTITY.test(size)) {
      ctx.error(e, `${path}.size`, `${show(size)} is not a valid quantity`, 'write a quantity like "1Gi" or "500Mi"');
    } else if (parseFloat(size) <= 0) {
      ctx.error(e, `${path}.size`, `storage size ${show(size)} must be positive`, 'write a quantity like "1Gi"');
    }
  };
  check('spec.storage', spec.storage, true);
  if (spec.walStorage !== undefined) check('spec.walStorage', spec.walStorage, false);
  if (Array.isArray(spec.tablespaces)) {
    spec.tablespaces.forEach((t, i) => isObj(t) && check(`spec.tablespaces[${i}].storage`, t.storage, true));
  }
}

/**
 * Backup: backup_webhook.go `validate` rejects method plugin without pluginConfiguration. ScheduledBackup: the
 * upstream webhook does NOT check it (scheduledbackup_webhook.go), and every scheduled run then fails; our rule.
 * Both: `online`/`onlineConfiguration` only for method volumeSnapshot.
 */
function checkBackupMethod(ctx: ValidationContext, e: Entry): void {
  const spec: Obj = isObj(e.doc.spec) ? e.doc.spec : {};
  const method = str(spec.method);
  if (method === 'plugin' && !isObj(spec.pluginConfiguration)) {
    const why = e.kind === 'Backup' ? 'the CNPG webhook rejects it' : 'the CNPG webhook does not check this, every scheduled backup would fail';
    ctx.error(e, 'spec.pluginConfiguration', `method "plugin" needs pluginConfiguration (${why})`,
      'add pluginConfiguration: { name: "barman-cloud.cloudnative-pg.io" }');
  }
  if ((spec.online !== undefined || spec.onlineConfiguration !== undefined) && method !== 'volumeSnapshot') {
    ctx.error(e, spec.online !== undefined ? 'spec.online' : 'spec.onlineConfiguration',
      `online and onlineConfiguration apply only to method "volumeSnapshot", got method ${show(method ?? 'barmanObjectStore')}`, 'remove them, or use method: volumeSnapshot');
  }
}

/**
 * validateConfiguration: parameters the operator manages itself cannot be set ("Can't set fixed configuration
 * parameter"; the list is [O] pkg/postgres/configuration.go `FixedConfigurationParameters`). The recovery ones
 * are the usual slip of a PITR target.
 */
export const FIXED_PARAMETERS: ReadonlySet<string> = new Set([
  'allow_system_table_mods', 'archive_mode', 'bonjour', 'bonjour_name', 'cluster_name', 'config_file', 'data_directory',
  'data_sync_retry', 'event_source', 'external_pid_file', 'hba_file', 'hot_standby', 'ident_file', 'jit_provider',
  'listen_addresses', 'logging_collector', 'port', 'primary_conninfo', 'primary_slot_name', 'recovery_target',
  'recovery_target_action', 'recovery_target_inclusive', 'recovery_target_lsn', 'recovery_target_name', 'recovery_target_time',
  'recovery_target_timeline', 'recovery_target_xid', 'restore_command', 'shared_preload_libraries', 'unix_socket_directories',
  'unix_socket_group', 'unix_socket_permissions', 'wal_level', 'wal_log_hints', 'archive_cleanup_command', 'archive_command',
  'full_page_writes', 'log_destination', 'log_directory', 'log_file_mode', 'log_filename', 'log_rotation_age', 'log_rotation_size',
  'log_truncate_on_rotation', 'promote_trigger_file', 'recovery_end_command', 'recovery_min_apply_delay', 'restart_after_crash',
  // ssl_ciphers, ssl_min_protocol_version and ssl_max_protocol_version are settable since CNPG 1.22 (#3408).
  'ssl', 'ssl_ca_file', 'ssl_cert_file', 'ssl_crl_file', 'ssl_key_file', 'ssl_passphrase_command',
  'ssl_passphrase_command_supports_reload', 'stats_temp_directory', 'synchronous_standby_names', 'syslog_facility', 'syslog_ident',
  'syslog_sequence_numbers', 'syslog_split_messages',
]);
const RECOVERY_PARAMETER_FIELDS: Readonly<Record<string, string>> = {
  recovery_target_time: 'targetTime',
  recovery_target_xid: 'targetXID',
  recovery_target_name: 'targetName',
  recovery_target_lsn: 'targetLSN',
  recovery_target_timeline: 'targetTLI',
  recovery_target_inclusive: 'exclusive',
  recovery_target: 'targetImmediate',
};

function checkPostgresParameters(ctx: ValidationContext, e: Entry): void {
  const parameters = dig(e.doc, 'spec', 'postgresql', 'parameters');
  for (const key of Object.keys(parameters ?? {})) {
    if (!FIXED_PARAMETERS.has(key)) continue;
    const field = RECOVERY_PARAMETER_FIELDS[key];
    let fix = 'remove it: the operator manages this parameter';
    if (field) fix = `set the target in spec.bootstrap.recovery.recoveryTarget.${field} instead; the operator writes ${key} from it`;
    else if (key === 'shared_preload_libraries') fix = 'list the libraries in spec.postgresql.shared_preload_libraries instead';
    else if (key === 'archive_command' || key === 'archive_mode' || key === 'restore_command') fix = 'remove it: WAL archiving and restore go through spec.plugins (isWALArchiver) and the ObjectStore';
    else if (key === 'synchronous_standby_names') fix = 'use spec.postgresql.synchronous instead';
    ctx.error(e, `spec.postgresql.parameters.${key}`, `${key} is managed by the operator and cannot be set (the webhook answers "Can't set fixed configuration parameter")`, fix);
  }
}

/** Runs the webhook rules on every untrusted CNPG object. */
export function checkWebhookRules(ctx: ValidationContext): void {
  for (const e of ctx.untrusted('Cluster', CNPG_GROUP)) {
    checkClusterName(ctx, e);
    checkBootstrapMethod(ctx, e);
    checkExternalClusters(ctx, e);
    checkBootstrapSources(ctx, e);
    checkRecoveryTarget(ctx, e);
    checkWalArchivers(ctx, e);
    checkStorage(ctx, e);
    checkPostgresParameters(ctx, e);
  }
  for (const e of [...ctx.untrusted('Backup', CNPG_GROUP), ...ctx.untrusted('ScheduledBackup', CNPG_GROUP)]) checkBackupMethod(ctx, e);
}
