/**
 * Data safety of archives. A cluster that archives WAL into the folder it restores from, or two clusters that
 * archive into the same `<destinationPath>/<serverName>`, overwrite each other's WAL and backups; CNPG refuses
 * to start the second with "Expected empty archive" at best ([O] docs/src/recovery.md § "Restoring into a
 * Cluster with a Backup Section"; [P] issues #350, #683). With the plugin, `serverName` defaults to the
 * cluster's own name for archiving, and also for a recovery or replica source ([P] config.go `NewFromCluster`:
 * `recoveryServerName = cluster.Name` when unset); with the in-tree barmanObjectStore it defaults to the
 * external cluster's name for a source ([O] api/v1 `ExternalCluster` / barmanObjectStore `serverName` doc).
 */
import { barmanArchiver, externalClustersOf, recoveryOf, recoverySource } from './cluster-model';
import { CNPG_GROUP, dig, Entry, isObj, str, ValidationContext } from './context';
import { show } from './finding';
import { BARMAN_PLUGIN_NAME } from '../upstream/catalog';

/** One folder of an object store, as far as the set lets us know it. */
interface ArchiveFolder {
  /** The destinationPath (normalised), or the ObjectStore's identity when its definition is not in the set. */
  readonly store: string;
  readonly serverName: string;
  /** For messages (built only for one). */
  readonly describe: () => string;
}

function normalisePath(path: string): string {
  const trimmed = path.trim();
  // Asked for every archiving cluster: the replace only when there is a trailing slash to drop.
  return trimmed.endsWith('/') ? trimmed.replace(/\/+$/, '') : trimmed;
}

function pluginFolder(ctx: ValidationContext, cluster: Entry, objectName: string, serverName: string): ArchiveFolder {
  const store = ctx.find('ObjectStore', cluster.namespace, objectName);
  const destination = str(dig(store?.doc, 'spec', 'configuration')?.destinationPath);
  return destination
    ? { store: normalisePath(destination), serverName, describe: () => `${show(destination)} server ${show(serverName)}` }
    : { store: `ObjectStore ${cluster.namespace}/${objectName}`, serverName, describe: () => `ObjectStore ${show(objectName)} server ${show(serverName)}` };
}

/** Where a cluster archives WAL, with the path of the setting that decides it. */
function archiveOf(ctx: ValidationContext, cluster: Entry): { folder: ArchiveFolder; path: string } | undefined {
  const archiver = barmanArchiver(cluster);
  const objectName = str(archiver?.parameters?.barmanObjectName);
  if (archiver && objectName) {
    const serverName = str(archiver.parameters?.serverName) || cluster.name;
    return { folder: pluginFolder(ctx, cluster, objectName, serverName), path: `${archiver.path}.parameters.serverName` };
  }
  const inTree = dig(cluster.doc, 'spec', 'backup', 'barmanObjectStore');
  const destination = str(inTree?.destinationPath);
  if (inTree && destination) {
    const serverName = str(inTree.serverName) || cluster.name;
    return { folder: { store: normalisePath(destination), serverName, describe: () => `${show(destination)} server ${show(serverName)}` }, path: 'spec.backup.barmanObjectStore.serverName' };
  }
  return undefined;
}

/** Where a cluster restores from, when it restores from an object store. */
function recoveryFolder(ctx: ValidationContext, cluster: Entry): ArchiveFolder | undefined {
  const source = recoverySource(cluster);
  if (!source?.name) return undefined;
  const plugin = isObj(source.cluster.plugin) ? source.cluster.plugin : undefined;
  const objectName = str(dig(plugin, 'parameters')?.barmanObjectName);
  if (plugin?.name === BARMAN_PLUGIN_NAME && objectName) {
    return pluginFolder(ctx, cluster, objectName, str(dig(plugin, 'parameters')?.serverName) || cluster.name);
  }
  const inTree = isObj(source.cluster.barmanObjectStore) ? source.cluster.barmanObjectStore : undefined;
  const destination = str(inTree?.destinationPath);
  if (inTree && destination) {
    const serverName = str(inTree.serverName) || source.name;
    return { store: normalisePath(destination), serverName, describe: () => `${show(destination)} server ${show(serverName)}` };
  }
  return undefined;
}

const same = (a: ArchiveFolder, b: ArchiveFolder): boolean => a.store === b.store && a.serverName === b.serverName;

/**
 * A plugin source (recovery or replica) without `serverName` reads the folder named after the cluster itself,
 * not after the source: almost always a surprise. An error for a replica source (a replica of its own folder
 * replicates nothing) and when the set shows the source under the external cluster's name (a Cluster of that
 * name, or one archiving under it); otherwise a warning, since a restore under a former cluster's own name reads
 * that name's folder on purpose. A replica source of a cluster that is the primary of its topology right now
 * (`replica.primary` is itself, or `enabled: false`) is read only once it is demoted: a warning (the plugin's own
 * usage.md distributed-topology example is written that way).
 */
function checkSourceServerNames(ctx: ValidationContext, cluster: Entry): void {
  if (!externalClustersOf(cluster).length) return; // no source to read from
  const replica = dig(cluster.doc, 'spec', 'replica');
  const replicaSource = str(replica?.source);
  const self = str(replica?.self) ?? cluster.name;
  const primary = str(replica?.primary);
  const replicatingNow = replica?.enabled === true || (replica?.enabled === undefined && primary !== undefined && primary !== self);
  const used = new Set([str(recoveryOf(cluster)?.source), replicaSource].filter(n => n !== undefined));
  for (const source of externalClustersOf(cluster).filter(c => c.name && used.has(c.name))) {
    const plugin = isObj(source.cluster.plugin) ? source.cluster.plugin : undefined;
    const parameters = dig(plugin, 'parameters');
    if (plugin?.name !== BARMAN_PLUGIN_NAME || str(parameters?.serverName) || source.name === cluster.name) continue;
    const known = ctx.find('Cluster', cluster.namespace, source.name!) !== undefined
      || ctx.untrusted('Cluster', CNPG_GROUP).some(c => c !== cluster && str(barmanArchiver(c)?.parameters?.serverName) === source.name);
    const asReplica = source.name === replicaSource;
    const later = asReplica && !replicatingNow;
    ctx.report(cluster, !later && (known || asReplica) ? 'error' : 'warning', `${source.path}.plugin.parameters.serverName`,
      `not set, so the plugin ${later ? 'will read, once this cluster is demoted to a replica,' : 'reads'} the folder ${show(cluster.name)} (this cluster's own name), not ${show(source.name)}`,
      `set serverName: ${show(source.name)} (the source's server name) in the plugin parameters`);
  }
}

/** Checks that no archive is shared, and that no restore archives into its own source. */
export function checkArchiveSafety(ctx: ValidationContext): void {
  for (const cluster of ctx.untrusted('Cluster', CNPG_GROUP)) checkSourceServerNames(ctx, cluster);
  const archivers = new Map<string, Entry>();
  for (const cluster of ctx.untrusted('Cluster', CNPG_GROUP)) {
    const archive = archiveOf(ctx, cluster);
    if (!archive) continue;
    const source = recoveryFolder(ctx, cluster);
    // CNPG's documented opt-out ([O] pkg/utils/labels_annotations.go `skipEmptyWalArchiveCheck`; docs/src/recovery.md):
    // the user has said the archive may hold WAL already, so this is reported, not refused.
    const optedOut = dig(cluster.doc, 'metadata', 'annotations')?.['cnpg.io/skipEmptyWalArchiveCheck'] === 'enabled';
    const severity = optedOut ? 'warning' : 'error';
    if (source && same(source, archive.folder)) {
      ctx.report(cluster, severity, archive.path, `archives WAL to ${archive.folder.describe()}, the same folder it restores from: it would overwrite the source's backups (or fail with "Expected empty archive")`,
        `archive to a new folder, e.g. serverName: ${show(`${cluster.name}-2`)}${optedOut ? ' (cnpg.io/skipEmptyWalArchiveCheck: enabled lets it start; its WAL then joins the source\'s on a new timeline)' : ''}`);
    }
    const folderKey = `${archive.folder.store}\u0000${archive.folder.serverName}`;
    const clash = archivers.get(folderKey);
    if (clash) {
      const suggestion = archive.folder.serverName === cluster.name ? `${cluster.namespace || 'default'}-${cluster.name}` : cluster.name;
      ctx.report(cluster, severity, archive.path, `archives WAL to ${archive.folder.describe()}, where Cluster ${show(clash.namespace ? `${clash.namespace}/${clash.name}` : clash.name)} archives too: their WAL and backups would mix`,
        `give each cluster its own serverName, e.g. serverName: ${show(suggestion)}`);
    }
    if (!clash) archivers.set(folderKey, cluster);
  }
}
