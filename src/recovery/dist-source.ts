/**
 * Finds what a restore needs in a synthesized `dist/` folder: a Cluster that archives WAL through the Barman
 * Cloud plugin and its ObjectStore. The archive's server name is the plugin's `serverName` parameter, or the
 * Cluster's name when it has none (plugin-barman-cloud `internal/cnpgi/common/config.go`, v0.9.0 and v0.14.0).
 */
import * as fs from 'fs';
import * as path from 'path';
import * as yaml from 'js-yaml';

const PLUGIN = 'barman-cloud.cloudnative-pg.io';
const MAX_FILE = 32 * 1024 * 1024;
const MAX_FILES = 1000;

/** The source of a restore, as read from synthesized YAML. */
export interface DistSource {
  readonly clusterName: string;
  readonly namespace?: string;
  readonly objectStoreName: string;
  readonly serverName: string;
  readonly destinationPath: string;
  readonly endpointUrl?: string;
  readonly imageName?: string;
  readonly storageSize?: string;
  readonly database?: string;
  readonly owner?: string;
  readonly appSecretName?: string;
  readonly serviceAccountAnnotations: Record<string, string>;
}

type Doc = Record<string, any>;

function readDocs(dir: string): Doc[] {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(dir);
  } catch {
    throw new Error(`${dir}: no such file or directory`);
  }
  const files = stat.isDirectory()
    ? fs.readdirSync(dir).sort().filter(f => /\.(ya?ml|json)$/i.test(f)).map(f => path.join(dir, f))
    : [dir];
  if (!files.length) throw new Error(`${dir}: no .yaml files (synthesize first: npx cdk8s synth)`);
  if (files.length > MAX_FILES) throw new Error(`${dir}: more than ${MAX_FILES} files`);
  const docs: Doc[] = [];
  for (const file of files) {
    if (fs.statSync(file).size > MAX_FILE) throw new Error(`${file}: larger than ${MAX_FILE} bytes`);
    let loaded: unknown[];
    try {
      loaded = yaml.loadAll(fs.readFileSync(file, 'utf-8'), undefined, { schema: yaml.CORE_SCHEMA });
    } catch (e) {
      throw new Error(`${file}: cannot parse: ${(e as Error).message.split('\n')[0]}`);
    }
    docs.push(...loaded.filter((d): d is Doc => typeof d === 'object' && d !== null && !Array.isArray(d)));
  }
  return docs;
}

/** Reads the restore source from a dist folder (or file); `clusterName` picks one when several archive WAL. */
export function readDistSource(dir: string, clusterName?: string): DistSource {
  const docs = readDocs(dir);
  const isCluster = (d: Doc) => d.kind === 'Cluster' && String(d.apiVersion ?? '').startsWith('postgresql.cnpg.io/');
  const archiving = docs.filter(d => isCluster(d) && (d.spec?.plugins ?? []).some((p: Doc) => p?.name === PLUGIN && p.isWALArchiver === true));
  const candidates = clusterName ? archiving.filter(d => d.metadata?.name === clusterName) : archiving;
  const names = archiving.map(d => `${d.metadata?.namespace ? `${d.metadata.namespace}/` : ''}${d.metadata?.name}`);
  if (!candidates.length) {
    throw new Error(clusterName
      ? `${dir}: no Cluster ${JSON.stringify(clusterName)} archiving WAL through the barman-cloud plugin${names.length ? `; found ${names.join(', ')}` : ''}`
      : `${dir}: no Cluster archiving WAL through the barman-cloud plugin (plugins[].isWALArchiver: true)`);
  }
  if (candidates.length > 1) throw new Error(`${dir}: ${candidates.length} Clusters archive WAL (${names.join(', ')}); choose one with --cluster`);
  const cluster = candidates[0];
  const plugin = cluster.spec.plugins.find((p: Doc) => p?.name === PLUGIN && p.isWALArchiver === true);
  const objectStoreName = plugin.parameters?.barmanObjectName;
  if (typeof objectStoreName !== 'string') throw new Error(`Cluster ${cluster.metadata?.name}: the barman-cloud plugin has no barmanObjectName parameter`);
  const namespace = cluster.metadata?.namespace;
  const store = docs.find(d => d.kind === 'ObjectStore' && String(d.apiVersion ?? '').startsWith('barmancloud.cnpg.io/')
    && d.metadata?.name === objectStoreName && (d.metadata?.namespace ?? namespace) === namespace);
  if (!store) throw new Error(`${dir}: no ObjectStore ${JSON.stringify(objectStoreName)}${namespace ? ` in namespace ${namespace}` : ''} (the Cluster ${cluster.metadata?.name} archives to it)`);
  const destinationPath = store.spec?.configuration?.destinationPath;
  if (typeof destinationPath !== 'string') throw new Error(`ObjectStore ${objectStoreName}: no spec.configuration.destinationPath`);
  const initdb = cluster.spec?.bootstrap?.initdb ?? {};
  return {
    clusterName: cluster.metadata.name,
    namespace,
    objectStoreName,
    serverName: typeof plugin.parameters?.serverName === 'string' ? plugin.parameters.serverName : cluster.metadata.name,
    destinationPath,
    endpointUrl: store.spec?.configuration?.endpointURL,
    imageName: cluster.spec?.imageName,
    storageSize: cluster.spec?.storage?.size,
    database: initdb.database,
    owner: initdb.owner,
    appSecretName: initdb.secret?.name,
    serviceAccountAnnotations: { ...(cluster.spec?.serviceAccountTemplate?.metadata?.annotations ?? {}) },
  };
}
