import { Manifest } from '../../src/upstream/manifest';
import { Finding, validateManifests, ValidationInput, ValidationOptions } from '../../src/validation';
import { parseYamlDocuments } from '../../src/validation/yaml-reader';

/** Builders for the objects of a typical backed-up setup in namespace `db`; each takes overrides. */
export const NS = 'db';
const meta = (name: string, extra: object = {}) => ({ name, namespace: NS, ...extra });

export function cluster(spec: object = {}, metadata: object = {}, name = 'pg'): Manifest {
  return {
    apiVersion: 'postgresql.cnpg.io/v1',
    kind: 'Cluster',
    metadata: meta(name, metadata),
    spec: {
      instances: 1,
      storage: { size: '1Gi' },
      plugins: [{ name: 'barman-cloud.cloudnative-pg.io', isWALArchiver: true, parameters: { barmanObjectName: 'store' } }],
      ...spec,
    },
  };
}

export function objectStore(configuration: object = {}, spec: object = {}, name = 'store', metadata: object = {}): Manifest {
  return {
    apiVersion: 'barmancloud.cnpg.io/v1',
    kind: 'ObjectStore',
    metadata: meta(name, metadata),
    spec: {
      configuration: {
        destinationPath: 's3://backups/pg',
        s3Credentials: {
          accessKeyId: { name: 'creds', key: 'ACCESS_KEY_ID' },
          secretAccessKey: { name: 'creds', key: 'ACCESS_SECRET_KEY' },
        },
        wal: { compression: 'gzip' },
        ...configuration,
      },
      retentionPolicy: '30d',
      ...spec,
    },
  };
}

export function secret(name: string, stringData: Record<string, string>, metadata: object = {}): Manifest {
  return { apiVersion: 'v1', kind: 'Secret', metadata: meta(name, metadata), type: 'Opaque', stringData };
}

export const credentials = (): Manifest => secret('creds', { ACCESS_KEY_ID: 'a', ACCESS_SECRET_KEY: 'b' });

export function scheduledBackup(spec: object = {}, metadata: object = {}): Manifest {
  return {
    apiVersion: 'postgresql.cnpg.io/v1',
    kind: 'ScheduledBackup',
    metadata: meta('daily', metadata),
    spec: {
      cluster: { name: 'pg' },
      schedule: '0 0 3 * * *',
      immediate: true,
      method: 'plugin',
      pluginConfiguration: { name: 'barman-cloud.cloudnative-pg.io' },
      ...spec,
    },
  };
}

export function backup(spec: object = {}, metadata: object = {}): Manifest {
  return {
    apiVersion: 'postgresql.cnpg.io/v1',
    kind: 'Backup',
    metadata: meta('now', metadata),
    spec: { cluster: { name: 'pg' }, method: 'plugin', pluginConfiguration: { name: 'barman-cloud.cloudnative-pg.io' }, ...spec },
  };
}

/** A restore of `pg` from `store` to the given target, archiving to its own folder. */
export function restore(recovery: object = {}, spec: object = {}, name = 'pg-restore'): Manifest {
  return cluster({
    bootstrap: { recovery: { source: 'origin', ...recovery } },
    externalClusters: [{ name: 'origin', plugin: { name: 'barman-cloud.cloudnative-pg.io', parameters: { barmanObjectName: 'store', serverName: 'pg' } } }],
    plugins: [{ name: 'barman-cloud.cloudnative-pg.io', isWALArchiver: true, parameters: { barmanObjectName: 'store', serverName: name } }],
    ...spec,
  }, {}, name);
}

/** The typical valid set: credentials, store, cluster, schedule. */
export function baseSet(): Manifest[] {
  return [credentials(), objectStore(), cluster(), scheduledBackup()];
}

export function validate(docs: readonly Manifest[], options?: ValidationOptions): Finding[] {
  return validateManifests(docs.map((doc): ValidationInput => ({ doc })), options);
}

export function errorsOf(findings: readonly Finding[]): Finding[] {
  return findings.filter(f => f.severity === 'error');
}

export function fromYaml(text: string): Manifest[] {
  return parseYamlDocuments(text, 'test.yaml') as Manifest[];
}

/** Replaces one object's field by a path like `spec.storage.size` (undefined deletes it); returns a copy. */
export function withField(doc: Manifest, path: string, value: unknown): Manifest {
  const copy = JSON.parse(JSON.stringify(doc));
  const keys = path.split('.');
  let node = copy;
  for (const k of keys.slice(0, -1)) node = node[k] ??= {};
  if (value === undefined) delete node[keys[keys.length - 1]];
  else node[keys[keys.length - 1]] = value;
  return copy;
}

/** mulberry32: a small seeded generator, so that a failure can be replayed. */
/* eslint-disable no-bitwise */
export function seededRandom(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
/* eslint-enable no-bitwise */
