/**
 * References between the objects of the set. The plugin looks its ObjectStore up in the Cluster's namespace
 * ([P] internal/cnpgi/operator/config/config.go `GetBarmanObjectKey` uses `Cluster.Namespace`); Backups,
 * ScheduledBackups, Poolers, Databases, Publications and Subscriptions name a Cluster of their own namespace
 * ([O] api/v1 `LocalObjectReference`); `bootstrap.initdb.secret` must hold `username` and `password`
 * ([O] pkg/management/postgres/initdb.go reads both keys of a basic-auth secret).
 */
import { barmanArchiver, externalClustersOf, pluginsOf } from './cluster-model';
import { CNPG_GROUP, dig, Entry, isObj, Obj, PLUGIN_GROUP, showNamespace, str, ValidationContext } from './context';
import { show } from './finding';
import { NameIndex } from './nearest-names';
import { BARMAN_PLUGIN_NAME } from '../upstream/catalog';

/** How messages name a kind in running text: `cluster`, `secret`, but `ObjectStore`. */
function noun(kind: string): string {
  return /^[A-Z][a-z]+$/.test(kind) ? kind.toLowerCase() : kind;
}

const CLUSTER_REFERRERS = ['Backup', 'ScheduledBackup', 'Pooler', 'Database', 'Publication', 'Subscription'];

/** Most names or namespaces a message lists. */
const MAX_LISTED = 3;

/** `"a", "b", "c" and 4 more`: a message stays one short line however large the set. */
function listed(items: readonly string[]): string {
  const unique = [...new Set(items)];
  const head = unique.slice(0, MAX_LISTED).join(', ');
  return unique.length > MAX_LISTED ? `${head} and ${unique.length - MAX_LISTED} more` : head;
}

const nameIndexes = new WeakMap<ValidationContext, Map<string, NameIndex>>();

/**
 * What a namespace defines of a kind, for a name not among them: all of them when there are a few, otherwise
 * how many and the nearest by edit distance.
 */
function candidates(ctx: ValidationContext, kind: string, namespace: string, name: string): string {
  let indexes = nameIndexes.get(ctx);
  if (!indexes) nameIndexes.set(ctx, indexes = new Map());
  const key = `${kind}\u0000${namespace}`;
  let index = indexes.get(key);
  if (!index) indexes.set(key, index = new NameIndex(ctx.inNamespace(kind, namespace).map(o => o.name)));
  if (index.size <= MAX_LISTED) return listed(index.names.map(n => show(n)));
  const nearest = index.nearest(name, MAX_LISTED);
  return `${index.size} ${noun(kind)} names, ${nearest.length ? `nearest ${nearest.map(n => show(n)).join(', ')}` : 'none close to it'}`;
}

/**
 * Resolves `kind/name` in the referrer's namespace, reporting a reference that does not resolve: as an error
 * when an object of that name exists in another namespace, or when the set defines objects of that kind in the
 * namespace but none of that name (both almost always typos); otherwise with the configured severity unless
 * declared external (the object may well exist outside the set).
 */
function resolve(ctx: ValidationContext, from: Entry, path: string, kind: string, name: string, example: string): Entry | undefined {
  const found = ctx.find(kind, from.namespace, name);
  if (found || ctx.isExternal(kind, from.namespace, name)) return found;
  const elsewhere = ctx.elsewhere(kind, from.namespace, name);
  if (elsewhere.length) {
    const where = listed(elsewhere.map(o => showNamespace(o.namespace)));
    ctx.error(from, path, `${noun(kind)} ${show(name)} not found in namespace ${showNamespace(from.namespace)} (one named ${show(name)} exists in ${where})`,
      `put both in the same namespace: move the ${from.kind} to ${showNamespace(elsewhere[0].namespace)}, or the ${kind} to ${showNamespace(from.namespace)} (metadata.namespace)`);
  } else if (ctx.inNamespace(kind, from.namespace).length) {
    ctx.error(from, path, `${noun(kind)} ${show(name)} not found in namespace ${showNamespace(from.namespace)}, which defines ${candidates(ctx, kind, from.namespace, name)}`,
      `name one of them, or add the ${kind} ${show(name)} (${example})`);
  } else {
    ctx.report(from, ctx.options.unresolvedReferences, path,
      `${noun(kind)} ${show(name)} not found in namespace ${showNamespace(from.namespace)} among the objects given`,
      `add the ${kind} (${example}) in namespace ${showNamespace(from.namespace)}, or declare it as existing outside the set`);
  }
  return undefined;
}

function checkObjectStoreReferences(ctx: ValidationContext, e: Entry): void {
  const example = 'apiVersion: barmancloud.cnpg.io/v1, kind: ObjectStore';
  for (const p of pluginsOf(e)) {
    const name = str(p.parameters?.barmanObjectName);
    if (p.name === BARMAN_PLUGIN_NAME && p.enabled && name) resolve(ctx, e, `${p.path}.parameters.barmanObjectName`, 'ObjectStore', name, example);
  }
  for (const c of externalClustersOf(e)) {
    const plugin = isObj(c.cluster.plugin) ? c.cluster.plugin : undefined;
    const name = str(dig(plugin, 'parameters')?.barmanObjectName);
    if (plugin?.name === BARMAN_PLUGIN_NAME && name) resolve(ctx, e, `${c.path}.plugin.parameters.barmanObjectName`, 'ObjectStore', name, example);
  }
}

/** A Secret defined in the set for initdb must hold both keys ([O] initdb reads `username` and `password`). */
function checkInitdbSecret(ctx: ValidationContext, e: Entry): void {
  const name = str(dig(e.doc, 'spec', 'bootstrap', 'initdb', 'secret')?.name);
  if (!name) return;
  const secret = ctx.find('Secret', e.namespace, name);
  if (!secret) {
    const elsewhere = ctx.elsewhere('Secret', e.namespace, name);
    if (elsewhere.length && !ctx.isExternal('Secret', e.namespace, name)) {
      ctx.error(e, 'spec.bootstrap.initdb.secret.name', `secret ${show(name)} not found in namespace ${showNamespace(e.namespace)} (one named ${show(name)} exists in ${elsewhere.map(o => showNamespace(o.namespace)).join(', ')})`,
        'put the Cluster and its Secret in the same namespace');
    }
    return; // Secrets are usually created outside the manifests (sealed, external): a missing one is normal.
  }
  const keys = new Set([...Object.keys(dig(secret.doc, 'data') ?? {}), ...Object.keys(dig(secret.doc, 'stringData') ?? {})]);
  const missing = ['username', 'password'].filter(k => !keys.has(k));
  if (missing.length) {
    ctx.error(e, 'spec.bootstrap.initdb.secret.name', `secret ${show(name)} has no ${missing.map(k => show(k)).join(' or ')} key (it has ${listed([...keys].map(k => show(k))) || 'no keys'})`,
      'give the Secret (type kubernetes.io/basic-auth) the keys username and password, e.g. stringData: { username: "app", password: "…" }');
  }
}

/** An ObjectStore's credentials, when their Secret is in the set, must name keys the Secret has. */
function checkCredentialKeys(ctx: ValidationContext, e: Entry): void {
  // A node's path is built from its parent's only when it is reported (`at()`), not for every object walked.
  const visit = (node: unknown, at: () => string): void => {
    if (Array.isArray(node)) return node.forEach((n, i) => typeof n === 'object' && n !== null && visit(n, () => `${at()}[${i}]`));
    if (!isObj(node)) return;
    const name = str(node.name);
    const key = str(node.key);
    if (name && key && Object.keys(node).every(k => k === 'name' || k === 'key')) {
      const secret = ctx.find('Secret', e.namespace, name);
      if (secret) {
        const keys = new Set([...Object.keys(dig(secret.doc, 'data') ?? {}), ...Object.keys(dig(secret.doc, 'stringData') ?? {})]);
        if (!keys.has(key)) {
          ctx.error(e, `${at()}.key`, `secret ${show(name)} has no key ${show(key)} (it has ${listed([...keys].map(k => show(k))) || 'no keys'})`,
            `use one of the Secret's keys, or add ${show(key)} to it`);
        }
      }
      return;
    }
    // Only objects and lists can hold a reference: scalars are skipped before their path is built.
    for (const k of Object.keys(node)) {
      const v = node[k];
      if (typeof v === 'object' && v !== null) visit(v, () => `${at()}.${k}`);
    }
  };
  visit(dig(e.doc, 'spec', 'configuration'), () => 'spec.configuration');
}

/**
 * `method` omitted defaults to barmanObjectStore ([O] api/v1/scheduledbackup_types.go, backup_types.go kubebuilder
 * default), which fails on a cluster that backs up only through the plugin (the backup controller needs
 * spec.backup.barmanObjectStore). Said only when the cluster is in the set: for a cluster we cannot see, the
 * default may be exactly right (an in-tree backup, as in CNPG's own backup-example.yaml).
 */
function checkBackupTarget(ctx: ValidationContext, e: Entry, cluster: Entry | undefined): void {
  const spec: Obj = isObj(e.doc.spec) ? e.doc.spec : {};
  const method = str(spec.method);
  const written = str(dig(e.written, 'spec')?.method) !== undefined;
  const usesPlugin = cluster && barmanArchiver(cluster) && !dig(cluster.doc, 'spec', 'backup', 'barmanObjectStore');
  const fix = 'set method: plugin and pluginConfiguration: { name: "barman-cloud.cloudnative-pg.io" }';
  if (method === 'barmanObjectStore' && usesPlugin) {
    ctx.error(e, 'spec.method', written
      ? `method "barmanObjectStore" but cluster ${show(cluster.name)} has no spec.backup.barmanObjectStore (it backs up through the barman-cloud plugin)`
      : `method is not set and defaults to "barmanObjectStore", but cluster ${show(cluster.name)} backs up through the barman-cloud plugin`, fix);
  } else if (method === 'plugin' && cluster) {
    // [O] the backup is handed to the named plugin among the cluster's loaded plugins; any other name fails.
    const name = str(dig(spec, 'pluginConfiguration')?.name);
    const loaded = pluginsOf(cluster).filter(p => p.enabled && p.name).map(p => p.name!);
    if (name && !loaded.includes(name)) {
      ctx.error(e, 'spec.pluginConfiguration.name', `cluster ${show(cluster.name)} does not load plugin ${show(name)}${loaded.length ? ` (it loads ${loaded.map(show).join(', ')})` : ' (it has no plugins)'}, so every backup fails`,
        loaded.length ? `name a plugin the cluster loads (${loaded.map(show).join(', ')})`
          : `add { name: ${show(name)}, isWALArchiver: true, parameters: { barmanObjectName: "…" } } to the cluster's spec.plugins`);
    }
  }
}

/**
 * The same object twice in one set: on apply the second silently replaces the first, so one of them is a
 * copy-and-paste slip. Reported on each later copy that is ours (upstream installs are trusted).
 */
function checkDuplicates(ctx: ValidationContext): void {
  // group/kind → namespace → name: no key string built per object.
  const seen = new Map<string, Map<string, Set<string>>>();
  for (const e of ctx.entries) {
    if (!e.name) continue;
    const kindKey = e.group ? `${e.group}/${e.kind}` : e.kind;
    let namespaces = seen.get(kindKey);
    if (!namespaces) seen.set(kindKey, namespaces = new Map());
    let names = namespaces.get(e.namespace);
    if (!names) namespaces.set(e.namespace, names = new Set());
    if (!names.has(e.name)) {
      names.add(e.name);
    } else if (!e.trusted) {
      ctx.error(e, 'metadata.name', `${e.kind} ${show(e.name)} is defined twice in namespace ${showNamespace(e.namespace)}; on apply this one replaces the other`,
        'give one of them another name, or remove the copy');
    }
  }
}

/**
 * Recovery from a Backup object taken by the plugin is reported broken ([P] issue #510): recover through
 * `source` and an external cluster with the plugin instead.
 */
function checkRecoveryFromBackupObject(ctx: ValidationContext, e: Entry): void {
  const name = str(dig(e.doc, 'spec', 'bootstrap', 'recovery', 'backup')?.name);
  const backup = name ? ctx.find('Backup', e.namespace, name) : undefined;
  if (backup && str(dig(backup.doc, 'spec')?.method) === 'plugin') {
    ctx.warning(e, 'spec.bootstrap.recovery.backup', `recovering from Backup ${show(name)}, taken by the plugin, is reported to fail ("missing credentials", plugin issue #510)`,
      'recover through source: set bootstrap.recovery.source to an externalClusters entry with plugin: { name: "barman-cloud.cloudnative-pg.io", parameters: { barmanObjectName, serverName } }');
  }
}

/** Checks every reference of the untrusted objects. */
export function checkReferences(ctx: ValidationContext): void {
  checkDuplicates(ctx);
  for (const e of ctx.untrusted('Cluster', CNPG_GROUP)) {
    checkObjectStoreReferences(ctx, e);
    checkInitdbSecret(ctx, e);
    checkRecoveryFromBackupObject(ctx, e);
  }
  for (const e of ctx.untrusted('ObjectStore', PLUGIN_GROUP)) checkCredentialKeys(ctx, e);
  for (const kind of CLUSTER_REFERRERS) {
    for (const e of ctx.untrusted(kind, CNPG_GROUP)) {
      const name = str(dig(e.doc, 'spec', 'cluster')?.name);
      const cluster = name ? resolve(ctx, e, 'spec.cluster.name', 'Cluster', name, 'apiVersion: postgresql.cnpg.io/v1, kind: Cluster') : undefined;
      if (kind === 'Backup' || kind === 'ScheduledBackup') checkBackupTarget(ctx, e, cluster);
    }
  }
}
