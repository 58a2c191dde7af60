/**
 * What the Barman Cloud plugin's sidecar runs for a Cluster and ObjectStore: the barman-cloud command lines and
 * environment, translated from synthesized YAML.
 *
 * Sources (read at the tags, our own code):
 * - plugin-barman-cloud v0.9.0 and v0.14.0 `internal/cnpgi/operator/config/config.go`: the archive server name is
 *   the `serverName` plugin parameter of the Cluster's plugin entry, else the Cluster name; the recovery server name
 *   is the `serverName` parameter of the externalClusters[] plugin, else the Cluster name.
 * - cloudnative-pg/barman-cloud v0.3.3 (plugin v0.9.0) and v0.5.2-0.20260720143032-950b0f57e122 (plugin v0.14.0);
 *   the S3 paths are identical in both:
 *   `pkg/archiver/command.go` BarmanCloudWalArchiveOptions, `pkg/archiver/archiver.go`
 *   BarmanCloudCheckWalArchiveOptions, `pkg/backup/backup.go` GetBarmanCloudBackupOptions/GetDataConfiguration,
 *   `pkg/command/commandbuilder.go` CloudWalRestoreOptions/appendCloudProviderOptions, `pkg/credentials/env.go`
 *   envSetAWSCredentials.
 * - plugin v0.14.0 `internal/cnpgi/restore/restore.go` restoreDataDir (barman-cloud-restore arguments) and
 *   `internal/cnpgi/instance/backup.go` (backup name `backup-<YYYYMMDDHHMMSS>`, `--user postgres`).
 */

/** A plain Kubernetes document. */
export type Manifest = Record<string, any>;

/** The plugin's name in Cluster.spec.plugins and externalClusters[].plugin. */
export const BARMAN_PLUGIN = 'barman-cloud.cloudnative-pg.io';

/** Secret values by Secret name and key (Secrets are referenced by our constructs, never written). */
export type SecretValues = Record<string, Record<string, string>>;

/** The barman-cloud view of one ObjectStore and server name. */
export interface BarmanTarget {
  /** `spec.configuration.destinationPath`. */
  readonly destinationPath: string;
  /** The server name (folder under destinationPath). */
  readonly serverName: string;
  /** `spec.configuration.endpointURL`, if any. */
  readonly endpointUrl?: string;
  /** `spec.configuration.wal.compression`, if any. */
  readonly walCompression?: string;
  /** `spec.configuration.data.compression`, if any. */
  readonly dataCompression?: string;
  /** The environment the sidecar gives the tools: credentials from the Secrets and instanceSidecarConfiguration.env. */
  readonly env: Record<string, string>;
  /** barman-cloud-wal-archive arguments before the WAL path. */
  readonly walArchiveArgs: readonly string[];
  /** barman-cloud-check-wal-archive arguments. */
  readonly checkWalArchiveArgs: readonly string[];
  /** barman-cloud-backup arguments after `--user postgres --name <name>`. */
  readonly backupArgs: readonly string[];
  /** barman-cloud-wal-restore arguments before `%f %p`. */
  readonly walRestoreArgs: readonly string[];
  /** barman-cloud-restore, barman-cloud-backup-list: the provider and endpoint options. */
  readonly providerArgs: readonly string[];
}

/** Compressions barman-cli-cloud 3.4 (Debian 12) can write; the plugin's newer barman also has lz4, xz, zstd. */
const SUPPORTED_BY_LAB = new Set(['gzip', 'bzip2']);

/** The archive the Cluster named `clusterName` writes to, as the sidecar would run barman-cloud for it. */
export function archiveTarget(docs: readonly Manifest[], clusterName: string, secrets: SecretValues): BarmanTarget {
  const cluster = findDoc(docs, 'Cluster', clusterName);
  const entry = (cluster.spec?.plugins ?? []).find((p: Manifest) => p.name === BARMAN_PLUGIN && p.enabled !== false && p.isWALArchiver);
  if (!entry) throw new Error(`Cluster ${clusterName} has no enabled ${BARMAN_PLUGIN} plugin with isWALArchiver: true`);
  const params = entry.parameters ?? {};
  return fromObjectStore(findDoc(docs, 'ObjectStore', params.barmanObjectName), params.serverName || clusterName, secrets);
}

/** The archive a restore Cluster recovers from (`bootstrap.recovery.source` → externalClusters[].plugin). */
export function recoverySource(docs: readonly Manifest[], clusterName: string, secrets: SecretValues): BarmanTarget {
  const cluster = findDoc(docs, 'Cluster', clusterName);
  const sourceName = cluster.spec?.bootstrap?.recovery?.source;
  const external = (cluster.spec?.externalClusters ?? []).find((e: Manifest) => e.name === sourceName);
  if (!external?.plugin || external.plugin.name !== BARMAN_PLUGIN) {
    throw new Error(`Cluster ${clusterName} does not recover through the ${BARMAN_PLUGIN} plugin (source ${JSON.stringify(sourceName)})`);
  }
  const params = external.plugin.parameters ?? {};
  return fromObjectStore(findDoc(docs, 'ObjectStore', params.barmanObjectName), params.serverName || clusterName, secrets);
}

function fromObjectStore(store: Manifest, serverName: string, secrets: SecretValues): BarmanTarget {
  const c = store.spec?.configuration ?? {};
  if (!c.s3Credentials) throw new Error(`ObjectStore ${store.metadata?.name}: the lab only runs S3 archives (s3Credentials)`);
  if (c.endpointCA) throw new Error(`ObjectStore ${store.metadata?.name}: endpointCA is not supported by the lab`);
  for (const [what, value] of [['wal', c.wal?.compression], ['data', c.data?.compression]]) {
    if (value !== undefined && !SUPPORTED_BY_LAB.has(value)) {
      throw new Error(`ObjectStore ${store.metadata?.name}: ${what}.compression ${JSON.stringify(value)} needs a newer barman-cli-cloud than Debian 12's 3.4`);
    }
  }
  const env = credentialsEnv(store, secrets);
  for (const e of store.spec?.instanceSidecarConfiguration?.env ?? []) {
    if (e.value !== undefined) env[e.name] = String(e.value);
  }
  // appendCloudProviderOptions: AWS credentials → `--cloud-provider aws-s3`.
  const provider = ['--cloud-provider', 'aws-s3'];
  const endpoint = c.endpointURL ? ['--endpoint-url', c.endpointURL] : [];
  const tags = (flag: string, m?: Record<string, string>) => (m && Object.keys(m).length
    ? [flag, ...Object.entries(m).map(([k, v]) => `${k},${v}`)] : []);
  const positional = [c.destinationPath, serverName];

  // BarmanCloudWalArchiveOptions: compression, encryption, extra args, endpoint, tags, history tags, provider, path, server.
  const walArchiveArgs = [
    ...(c.wal?.compression ? [`--${c.wal.compression}`] : []),
    ...(c.wal?.encryption ? ['-e', c.wal.encryption] : []),
    ...(c.wal?.archiveAdditionalCommandArgs ?? []),
    ...endpoint, ...tags('--tags', c.tags), ...tags('--history-tags', c.historyTags), ...provider, ...positional,
  ];
  // GetBarmanCloudBackupOptions after --user/--name: data options, tags, endpoint, provider, path, server.
  const backupArgs = [
    ...(c.data?.compression ? [`--${c.data.compression}`] : []),
    ...(c.data?.encryption ? ['--encryption', c.data.encryption] : []),
    ...(c.data?.immediateCheckpoint ? ['--immediate-checkpoint'] : []),
    ...(c.data?.jobs !== undefined ? ['--jobs', String(c.data.jobs)] : []),
    ...(c.data?.additionalCommandArgs ?? []),
    ...tags('--tags', c.tags), ...endpoint, ...provider, ...positional,
  ];
  // CloudWalRestoreOptions: endpoint, provider, path, server, then restore extra args.
  const walRestoreArgs = [...endpoint, ...provider, ...positional, ...(c.wal?.restoreAdditionalCommandArgs ?? [])];
  return {
    destinationPath: c.destinationPath,
    serverName,
    endpointUrl: c.endpointURL,
    walCompression: c.wal?.compression,
    dataCompression: c.data?.compression,
    env,
    walArchiveArgs,
    checkWalArchiveArgs: [...endpoint, ...provider, ...positional],
    backupArgs,
    walRestoreArgs,
    providerArgs: [...provider, ...endpoint],
  };
}

/** envSetAWSCredentials: the access key pair, optional session token and region, read from the referenced Secrets. */
function credentialsEnv(store: Manifest, secrets: SecretValues): Record<string, string> {
  const creds = store.spec.configuration.s3Credentials;
  if (creds.inheritFromIAMRole) throw new Error(`ObjectStore ${store.metadata?.name}: inheritFromIAMRole cannot run against a local S3 server`);
  const read = (sel: Manifest | undefined, what: string): string | undefined => {
    if (!sel) return undefined;
    const value = secrets[sel.name]?.[sel.key];
    if (value === undefined) throw new Error(`ObjectStore ${store.metadata?.name}: ${what} refers to Secret ${sel.name} key ${sel.key}, which the lab was not given`);
    return value;
  };
  const env: Record<string, string> = {
    AWS_ACCESS_KEY_ID: read(creds.accessKeyId, 'accessKeyId')!,
    AWS_SECRET_ACCESS_KEY: read(creds.secretAccessKey, 'secretAccessKey')!,
  };
  const token = read(creds.sessionToken, 'sessionToken');
  if (token) env.AWS_SESSION_TOKEN = token;
  const region = read(creds.region, 'region');
  if (region) env.AWS_DEFAULT_REGION = region;
  return env;
}

function findDoc(docs: readonly Manifest[], kind: string, name: string): Manifest {
  const doc = docs.find(d => d.kind === kind && d.metadata?.name === name);
  if (!doc) throw new Error(`no ${kind} named ${JSON.stringify(name)} in the synthesized documents`);
  return doc;
}
