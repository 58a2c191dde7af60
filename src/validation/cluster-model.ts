/** Reading a CNPG Cluster's plain manifest: its plugins, external clusters and recovery source. */
import { dig, Entry, isObj, Obj, str } from './context';
import { BARMAN_PLUGIN_NAME } from '../upstream/catalog';

export interface PluginUse {
  readonly plugin: Obj;
  readonly path: string;
  readonly name?: string;
  readonly parameters?: Obj;
  /** `enabled` defaults to true ([O] api/v1/cluster_types.go PluginConfiguration). */
  readonly enabled: boolean;
  readonly isWALArchiver: boolean;
}

export function clusterSpec(entry: Entry): Obj {
  return isObj(entry.doc.spec) ? entry.doc.spec : {};
}

/**
 * The cluster's plugin entries (do not modify the list). Read once per entry and kept on it (entries live for one
 * validation): every rule family asks for a cluster's plugins and sources.
 */
export function pluginsOf(entry: Entry): PluginUse[] {
  entry.plugins ??= readPlugins(entry);
  return entry.plugins;
}

function readPlugins(entry: Entry): PluginUse[] {
  const list = clusterSpec(entry).plugins;
  if (!Array.isArray(list)) return [];
  const plugins: PluginUse[] = [];
  for (let i = 0; i < list.length; i++) {
    const p: unknown = list[i];
    if (!isObj(p)) continue;
    plugins.push({
      plugin: p,
      path: `spec.plugins[${i}]`,
      name: str(p.name),
      parameters: isObj(p.parameters) ? p.parameters : undefined,
      enabled: p.enabled !== false,
      isWALArchiver: p.isWALArchiver === true,
    });
  }
  return plugins;
}

/** The enabled barman-cloud plugin entry that archives WAL, if any. */
export function barmanArchiver(entry: Entry): PluginUse | undefined {
  // A loop, not `find` with a closure: asked several times for every Cluster of a set.
  for (const p of pluginsOf(entry)) if (p.name === BARMAN_PLUGIN_NAME && p.enabled && p.isWALArchiver) return p;
  return undefined;
}

export interface ExternalClusterUse {
  readonly cluster: Obj;
  readonly index: number;
  readonly path: string;
  readonly name?: string;
}

/** The cluster's external clusters (do not modify the list). */
export function externalClustersOf(entry: Entry): ExternalClusterUse[] {
  entry.externalClusters ??= readExternalClusters(entry);
  return entry.externalClusters;
}

function readExternalClusters(entry: Entry): ExternalClusterUse[] {
  const list = clusterSpec(entry).externalClusters;
  if (!Array.isArray(list)) return [];
  const clusters: ExternalClusterUse[] = [];
  for (let i = 0; i < list.length; i++) {
    const c: unknown = list[i];
    if (isObj(c)) clusters.push({ cluster: c, index: i, path: `spec.externalClusters[${i}]`, name: str(c.name) });
  }
  return clusters;
}

/** The recovery bootstrap section, when the cluster bootstraps by recovery. */
export function recoveryOf(entry: Entry): Obj | undefined {
  return dig(entry.doc, 'spec', 'bootstrap', 'recovery');
}

/** The external cluster a recovery reads from (`bootstrap.recovery.source`), if it is defined. */
export function recoverySource(entry: Entry): ExternalClusterUse | undefined {
  const source = str(recoveryOf(entry)?.source);
  return source === undefined ? undefined : externalClustersOf(entry).find(c => c.name === source);
}

/** Whether an external cluster is an object store (plugin or in-tree barmanObjectStore), not a live server. */
export function isObjectStoreSource(c: Obj): boolean {
  return isObj(c.plugin) || isObj(c.barmanObjectStore);
}
