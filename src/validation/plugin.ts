/**
 * The barman-cloud plugin's reading of `parameters` ([P] internal/cnpgi/operator/config/config.go `NewFromCluster`,
 * internal/cnpgi/restore/restore.go): from `spec.plugins[].parameters` and `externalClusters[].plugin.parameters`
 * it reads `barmanObjectName` and `serverName`, nothing else. The API accepts any key (a string map), so a
 * misplaced setting, like the seed's `targetTime`, is silently ignored: the restore replays all WAL.
 */
import { barmanArchiver, externalClustersOf, pluginsOf } from './cluster-model';
import { CNPG_GROUP, Entry, isObj, Obj, ValidationContext } from './context';
import { show } from './finding';
import { parseTargetTime, toPostgresSafeUtc } from './timestamps';
import { BARMAN_PLUGIN_NAME } from '../upstream/catalog';

const READ_KEYS = new Set(['barmanObjectName', 'serverName']);

const RECOVERY_TARGET_KEYS = new Set(['targetTime', 'targetXID', 'targetName', 'targetLSN', 'targetImmediate', 'targetTLI', 'exclusive', 'backupID']);
const OBJECT_STORE_KEYS = new Set(['destinationPath', 'endpointURL', 'endpointCA', 's3Credentials', 'azureCredentials', 'googleCredentials', 'tags', 'historyTags']);
const ARCHIVE_KEYS = new Set(['compression', 'encryption', 'maxParallel', 'jobs', 'immediateCheckpoint']);

/** Where a setting written as a plugin parameter actually belongs, with an example. */
function whereItBelongs(key: string, value: unknown): string {
  if (key === 'targetTime' && typeof value === 'string') {
    const parsed = parseTargetTime(value);
    if (parsed.ok && parsed.date && parsed.hasOffset) value = toPostgresSafeUtc(parsed.date, parsed.micros).replace(/\.000000\+/, '+');
  }
  if (RECOVERY_TARGET_KEYS.has(key)) {
    return `move it to spec.bootstrap.recovery.recoveryTarget.${key} (e.g. recoveryTarget: { ${key}: ${show(value)} })`;
  }
  if (/^retention/i.test(key)) {
    return 'set it on the ObjectStore as spec.retentionPolicy (e.g. retentionPolicy: "30d")';
  }
  if (ARCHIVE_KEYS.has(key)) {
    return `set it on the ObjectStore as spec.configuration.wal.${key} or spec.configuration.data.${key} (e.g. wal: { ${key}: ${show(value)} })`;
  }
  if (OBJECT_STORE_KEYS.has(key)) {
    return `set it on the ObjectStore as spec.configuration.${key}`;
  }
  return 'remove it: only barmanObjectName (the ObjectStore) and serverName (the folder in it) are read';
}

function checkParameters(ctx: ValidationContext, e: Entry, path: string, parameters: Obj | undefined, role: string): void {
  for (const [key, value] of Object.entries(parameters ?? {})) {
    if (READ_KEYS.has(key)) continue;
    ctx.error(e, `${path}.parameters.${key}`,
      `parameter ${show(key)} is ignored by the ${BARMAN_PLUGIN_NAME} plugin, which reads only barmanObjectName and serverName from ${role}`,
      whereItBelongs(key, value));
  }
  const objectName = parameters?.barmanObjectName;
  if (typeof objectName !== 'string' || objectName === '') {
    // [P] issue #337: without it the cluster stalls after "creating cluster role" with no error.
    ctx.error(e, `${path}.parameters.barmanObjectName`, 'missing barmanObjectName: the plugin cannot find its ObjectStore and the cluster stalls without an error (plugin issue #337)',
      'set parameters: { barmanObjectName: "s3-store" }, the name of an ObjectStore in the cluster\'s namespace');
  }
}

/** Edit distance, for telling a misspelt plugin name from another plugin. */
function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) row[j] = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = row;
  }
  return prev[b.length];
}

/**
 * A plugin name that is almost the Barman Cloud plugin's, or that carries its `barmanObjectName` parameter, is a
 * typo: the operator knows plugins only by their exact name and fails with "requested plugin is not available"
 * ([O] internal/cnpi/plugin/repository). Other names are other CNPG-I plugins, and pass.
 */
function checkPluginName(ctx: ValidationContext, e: Entry, path: string, name: string | undefined, parameters: Obj | undefined): void {
  if (name === undefined || name === BARMAN_PLUGIN_NAME) return;
  const looksLikeBarman = distance(name.toLowerCase(), BARMAN_PLUGIN_NAME) <= 4 || /barman/i.test(name) || parameters?.barmanObjectName !== undefined;
  if (looksLikeBarman) {
    ctx.error(e, `${path}.name`, `unknown plugin ${show(name)}: the operator loads plugins by exact name, and the Barman Cloud plugin is ${show(BARMAN_PLUGIN_NAME)}`,
      `use name: ${show(BARMAN_PLUGIN_NAME)}`);
  }
}

/** Checks the plugin names and parameters of every untrusted Cluster, Backup and ScheduledBackup. */
export function checkPluginParameters(ctx: ValidationContext): void {
  for (const kind of ['Backup', 'ScheduledBackup']) {
    for (const e of ctx.untrusted(kind, CNPG_GROUP)) {
      const config = isObj(e.doc.spec) && isObj((e.doc.spec as Obj).pluginConfiguration) ? (e.doc.spec as Obj).pluginConfiguration as Obj : undefined;
      if (config) checkPluginName(ctx, e, 'spec.pluginConfiguration', typeof config.name === 'string' ? config.name : undefined, undefined);
    }
  }
  for (const e of ctx.untrusted('Cluster', CNPG_GROUP)) {
    for (const p of pluginsOf(e)) checkPluginName(ctx, e, p.path, p.name, p.parameters);
    for (const c of externalClustersOf(e)) {
      const plugin = c.cluster.plugin;
      if (isObj(plugin)) checkPluginName(ctx, e, `${c.path}.plugin`, typeof plugin.name === 'string' ? plugin.name : undefined, isObj(plugin.parameters) ? plugin.parameters : undefined);
    }
    for (const p of pluginsOf(e)) {
      if (p.name !== BARMAN_PLUGIN_NAME || !p.enabled) continue;
      checkParameters(ctx, e, p.path, p.parameters, 'a cluster\'s plugins[] entry');
    }
    for (const c of externalClustersOf(e)) {
      const plugin = c.cluster.plugin;
      if (!isObj(plugin) || plugin.name !== BARMAN_PLUGIN_NAME) continue;
      checkParameters(ctx, e, `${c.path}.plugin`, isObj(plugin.parameters) ? plugin.parameters : undefined, 'an external cluster');
    }
    const listed = pluginsOf(e).find(p => p.name === BARMAN_PLUGIN_NAME && p.enabled);
    if (listed && !barmanArchiver(e) && !isObj(isObj(e.doc.spec) ? (e.doc.spec as Obj).backup : undefined)) {
      ctx.warning(e, `${listed.path}.isWALArchiver`, 'the barman-cloud plugin is not the WAL archiver, so no WAL is archived and point-in-time recovery is impossible',
        'set isWALArchiver: true');
    }
  }
}
