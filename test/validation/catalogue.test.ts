import {
  backup, cluster, credentials, fromYaml, objectStore, restore, scheduledBackup, secret, validate, withField,
} from './helpers';
import { Manifest } from '../../src/upstream/manifest';
import { ValidationOptions } from '../../src/validation';

/** An invalid input and the finding it must produce (path exactly, message by substring). */
interface Case {
  readonly docs: Manifest[];
  readonly path: string;
  readonly message: string | RegExp;
  readonly fix?: string;
  readonly kind?: string;
  readonly severity?: 'error' | 'warning';
  readonly options?: ValidationOptions;
}

const PLUGIN = 'barman-cloud.cloudnative-pg.io';
const set = (...docs: Manifest[]): Manifest[] => [credentials(), objectStore(), ...docs];
const pluginWith = (parameters: object, extra: object = {}) => ({ plugins: [{ name: PLUGIN, isWALArchiver: true, parameters, ...extra }] });
const target = (recoveryTarget: object) => set(cluster(), restore({ recoveryTarget }));
const schedule = (expr: string) => set(cluster(), scheduledBackup({ schedule: expr }));
const on09 = { pluginVersion: '0.9.0' };

const schemaCases: Record<string, Case> = {
  'an unknown Cluster field (typo)': { docs: set(cluster({ instance: 3 })), path: 'spec.instance', message: 'unknown field "instance": not in postgresql.cnpg.io Cluster of CNPG 1.30.0', fix: 'instances' },
  'instances is a string': { docs: set(cluster({ instances: '3' })), path: 'spec.instances', message: 'must be of type integer, got "3"' },
  'instances is 0': { docs: set(cluster({ instances: 0 })), path: 'spec.instances', message: 'must be >= 1' },
  'an unknown storage field': { docs: set(cluster({ storage: { size: '1Gi', sizee: '2Gi' } })), path: 'spec.storage.sizee', message: 'unknown field "sizee"' },
  'a Backup method is not an allowed value': { docs: set(cluster(), backup({ method: 's3' })), path: 'spec.method', message: '"s3" is not allowed by postgresql.cnpg.io Backup', fix: '"plugin"' },
  'a ScheduledBackup has no schedule': { docs: set(cluster(), withField(scheduledBackup(), 'spec.schedule', undefined)), path: 'spec.schedule', message: 'missing required field "schedule"' },
  'backupOwnerReference is not an allowed value': { docs: set(cluster(), scheduledBackup({ backupOwnerReference: 'owner' })), path: 'spec.backupOwnerReference', message: '"owner" is not allowed' },
  'the CNPG apiVersion is not served': { docs: set(withField(cluster(), 'apiVersion', 'postgresql.cnpg.io/v1beta1')), path: 'apiVersion', message: '"postgresql.cnpg.io/v1beta1" is not served by CNPG 1.30.0', fix: '"postgresql.cnpg.io/v1"' },
  'the CNPG kind does not exist': { docs: set(withField(cluster(), 'kind', 'Clusters')), path: 'kind', message: 'kind "Clusters" is not defined in postgresql.cnpg.io', fix: 'Cluster' },
  'a label value is a number': { docs: set(cluster({}, { labels: { tier: 1 } })), path: 'metadata.labels.tier', message: 'must be of type string' },
  'primaryUpdateStrategy is not an allowed value': { docs: set(cluster({ primaryUpdateStrategy: 'auto' })), path: 'spec.primaryUpdateStrategy', message: '"auto" is not allowed' },
  'isWALArchiver is a string': { docs: set(cluster(pluginWith({ barmanObjectName: 'store' }, { isWALArchiver: 'yes' }))), path: 'spec.plugins[0].isWALArchiver', message: 'must be of type boolean' },
  'an external cluster plugin has no name': { docs: set(restore({}, { externalClusters: [{ name: 'origin', plugin: { parameters: { barmanObjectName: 'store' } } }] })), path: 'spec.externalClusters[0].plugin.name', message: 'missing required field "name"' },
  'an unknown ObjectStore configuration field': { docs: [credentials(), objectStore({ destinationPth: 's3://x' })], path: 'spec.configuration.destinationPth', message: 'unknown field "destinationPth": not in barmancloud.cnpg.io ObjectStore of plugin 0.14.0' },
  'an ObjectStore has no destinationPath': { docs: [credentials(), withField(objectStore(), 'spec.configuration.destinationPath', undefined)], path: 'spec.configuration.destinationPath', message: 'missing required field "destinationPath"' },
  'wal.compression is not supported': { docs: [credentials(), objectStore({ wal: { compression: 'brotli' } })], path: 'spec.configuration.wal.compression', message: '"brotli" is not allowed' },
  'retentionPolicy has no unit letter': { docs: [credentials(), objectStore({}, { retentionPolicy: '7days' })], path: 'spec.retentionPolicy', message: 'does not match the pattern' },
  'wal.maxParallel is 0': { docs: [credentials(), objectStore({ wal: { maxParallel: 0 } })], path: 'spec.configuration.wal.maxParallel', message: 'must be >= 1' },
  'restoreAdditionalCommandArgs on plugin 0.9.0': { docs: [credentials(), objectStore({ data: { restoreAdditionalCommandArgs: ['--x'] } })], options: on09, path: 'spec.configuration.data.restoreAdditionalCommandArgs', message: 'not in barmancloud.cnpg.io ObjectStore of plugin 0.9.0 (available from plugin 0.14.0 in this catalog (upstream: v0.13.0))' },
  'data.compression lz4 on plugin 0.9.0': { docs: [credentials(), objectStore({ data: { compression: 'lz4' } })], options: on09, path: 'spec.configuration.data.compression', message: '"lz4" is not allowed by barmancloud.cnpg.io ObjectStore of plugin 0.9.0 (available from plugin 0.14.0 in this catalog (upstream: v0.13.0))' },
  'useDefaultAzureCredentials on plugin 0.9.0': { docs: [objectStore({ destinationPath: 'https://acct.blob.core.windows.net/c/pg', s3Credentials: undefined, azureCredentials: { useDefaultAzureCredentials: true } })], options: on09, path: 'spec.configuration.azureCredentials.useDefaultAzureCredentials', message: 'upstream: v0.11.0' },
  'the ObjectStore apiVersion is not served': { docs: [credentials(), withField(objectStore(), 'apiVersion', 'barmancloud.cnpg.io/v2')], path: 'apiVersion', message: 'is not served by plugin 0.14.0' },
  'a cert-manager Issuer has an unknown field': { docs: fromYaml('apiVersion: cert-manager.io/v1\nkind: Issuer\nmetadata: { name: selfsigned, namespace: db }\nspec: { selfsigned: {} }\n'), path: 'spec.selfsigned', message: 'unknown field "selfsigned": not in cert-manager.io Issuer of cert-manager 1.19.4' },
  'a cert-manager Certificate has no secretName': { docs: fromYaml('apiVersion: cert-manager.io/v1\nkind: Certificate\nmetadata: { name: c, namespace: db }\nspec: { issuerRef: { name: selfsigned }, dnsNames: [a.example] }\n'), path: 'spec.secretName', message: 'missing required field "secretName"' },
};

const celCases: Record<string, Case> = {
  'an ObjectStore sets serverName (CRD CEL rule)': { docs: [credentials(), objectStore({ serverName: 'pg' })], path: 'spec.configuration.serverName', message: 'use the \'serverName\' plugin parameter in the Cluster resource' },
  'a Cluster sets imageName and imageCatalogRef (CRD CEL rule)': { docs: set(cluster({ imageName: 'ghcr.io/cloudnative-pg/postgresql:18.1', imageCatalogRef: { apiGroup: 'postgresql.cnpg.io', kind: 'ImageCatalog', name: 'pg', major: 18 } })), path: 'spec', message: 'imageName and imageCatalogRef are mutually exclusive' },
  'an image catalog reference of the wrong kind (CRD CEL rule)': { docs: set(cluster({ imageCatalogRef: { apiGroup: 'postgresql.cnpg.io', kind: 'ConfigMap', name: 'pg', major: 18 } })), path: 'spec.imageCatalogRef', message: 'only image catalogs are supported' },
  'synchronous.number is 0 (CRD CEL rule on an integer)': { docs: set(cluster({ postgresql: { synchronous: { method: 'any', number: 0 } } })), path: 'spec.postgresql.synchronous.number', message: 'the number of synchronous replicas should be greater than zero' },
  'icuLocale without localeProvider icu (CRD CEL rule)': { docs: set(cluster({ bootstrap: { initdb: { icuLocale: 'en', localeProvider: 'libc' } } })), path: 'spec.bootstrap.initdb', message: 'icuLocale is only available when localeProvider is set to `icu`' },
  'the sidecar sets --log-level (CRD CEL rule)': { docs: [credentials(), objectStore({}, { instanceSidecarConfiguration: { additionalContainerArgs: ['--log-level=debug'] } })], path: 'spec.instanceSidecarConfiguration.additionalContainerArgs', message: 'do not set --log-level' },
};

const webhookCases: Record<string, Case> = {
  'a PITR target set as a PostgreSQL parameter': { docs: set(cluster({ postgresql: { parameters: { recovery_target_time: '2025-12-27 20:43:00+00:00' } } })), path: 'spec.postgresql.parameters.recovery_target_time', message: 'recovery_target_time is managed by the operator and cannot be set', fix: 'spec.bootstrap.recovery.recoveryTarget.targetTime' },
  'archive_command set by hand': { docs: set(cluster({ postgresql: { parameters: { archive_command: '/bin/true' } } })), path: 'spec.postgresql.parameters.archive_command', message: 'cannot be set', fix: 'spec.plugins (isWALArchiver)' },
  'the cluster name has upper-case letters': { docs: set(cluster({}, { name: 'PG' })), path: 'metadata.name', message: 'cluster name "PG" is not a DNS-1035 label', fix: '"pg"' },
  'the cluster name starts with a digit': { docs: set(cluster({}, { name: '1pg' })), path: 'metadata.name', message: 'is not a DNS-1035 label' },
  'the cluster name is longer than 50 characters': { docs: set(cluster({}, { name: 'a'.repeat(51) })), path: 'metadata.name', message: 'has 51 characters, the maximum is 50' },
  'two bootstrap methods are given': { docs: set(restore({}, { bootstrap: { initdb: { database: 'app' }, recovery: { source: 'origin' } } })), path: 'spec.bootstrap', message: 'only one bootstrap method can be specified at a time, got initdb and recovery' },
  'the recovery source is not among externalClusters': { docs: set(cluster(), restore({ source: 'orgin' })), path: 'spec.bootstrap.recovery.source', message: 'external cluster "orgin" not found (defined: "origin")' },
  'the recovery source has nothing to restore from': { docs: set(restore({}, { externalClusters: [{ name: 'origin' }] })), path: 'spec.externalClusters[0]', message: 'external cluster "origin" has none of connectionParameters, plugin and barmanObjectStore' },
  'the recovery source is a live server on CNPG 1.28.0 (refused until 1.28.4/1.29.1)': { docs: set(restore({}, { externalClusters: [{ name: 'origin', connectionParameters: { host: 'pg-rw', user: 'postgres' } }] })), options: { cnpgVersion: '1.28.0' }, path: 'spec.externalClusters[0]', message: 'CNPG 1.28.0 refuses connectionParameters alone for recovery', fix: 'pg_basebackup: { source: "origin" }' },
  'recovery names no source, backup or snapshots': { docs: set(withField(restore(), 'spec.bootstrap.recovery.source', undefined)), path: 'spec.bootstrap.recovery', message: 'recovery needs a source, a backup or volumeSnapshots' },
  'two external clusters share a name': { docs: set(cluster(), restore({}, { externalClusters: [{ name: 'origin', plugin: { name: PLUGIN, parameters: { barmanObjectName: 'store', serverName: 'pg' } } }, { name: 'origin', connectionParameters: { host: 'x' } }] })), path: 'spec.externalClusters[1].name', message: 'duplicate external cluster name "origin"' },
  'an external cluster name has a path separator': { docs: set(cluster(), restore({ source: 'a/b' }, { externalClusters: [{ name: 'a/b', plugin: { name: PLUGIN, parameters: { barmanObjectName: 'store', serverName: 'pg' } } }] })), path: 'spec.externalClusters[0].name', message: 'external cluster name "a/b" contains a path separator' },
  'two recovery targets are given': { docs: target({ targetTime: '2025-12-27 20:43:00+00:00', targetLSN: '0/3000060' }), path: 'spec.bootstrap.recovery.recoveryTarget', message: 'recovery target options are mutually exclusive, got targetTime, targetLSN' },
  'targetLSN is not an LSN': { docs: target({ targetLSN: 'xyz' }), path: 'spec.bootstrap.recovery.recoveryTarget.targetLSN', message: '"xyz" is not a PostgreSQL LSN' },
  'targetXID is negative': { docs: target({ targetXID: '-1', backupID: '20251227T030000' }), path: 'spec.bootstrap.recovery.recoveryTarget.targetXID', message: '"-1" is not a 32-bit unsigned transaction id' },
  'targetXID overflows 32 bits': { docs: target({ targetXID: '4294967296', backupID: '20251227T030000' }), path: 'spec.bootstrap.recovery.recoveryTarget.targetXID', message: 'is not a 32-bit unsigned transaction id' },
  'targetName is 64 bytes': { docs: target({ targetName: 'r'.repeat(64), backupID: '20251227T030000' }), path: 'spec.bootstrap.recovery.recoveryTarget.targetName', message: 'has 64 bytes, PostgreSQL allows at most 63' },
  'targetName has a quote, which CNPG 1.28.1 writes unescaped': { docs: target({ targetName: "bob's point", backupID: '20251227T030000' }), options: { cnpgVersion: '1.28.1' }, path: 'spec.bootstrap.recovery.recoveryTarget.targetName', message: 'contains a quote, which CNPG 1.28.1 writes unescaped into the recovery configuration, so PostgreSQL refuses to start (CNPG accepts it; stricter on purpose' },
  'targetName has a backslash, which CNPG 1.28.0 writes unescaped': { docs: target({ targetName: 'a\\b', backupID: '20251227T030000' }), options: { cnpgVersion: '1.28.0' }, path: 'spec.bootstrap.recovery.recoveryTarget.targetName', message: 'contains a backslash' },
  'targetName has a control character': { docs: target({ targetName: 'before\nmigration', backupID: '20251227T030000' }), path: 'spec.bootstrap.recovery.recoveryTarget.targetName', message: 'contains control characters' },
  'targetImmediate from an object store without backupID': { docs: target({ targetImmediate: true }), path: 'spec.bootstrap.recovery.recoveryTarget.backupID', message: 'targetImmediate needs backupID' },
  'targetName from an object store without backupID': { docs: target({ targetName: 'before-migration' }), path: 'spec.bootstrap.recovery.recoveryTarget.backupID', message: 'targetName needs backupID' },
  'targetTLI is 0': { docs: target({ targetTLI: '0' }), path: 'spec.bootstrap.recovery.recoveryTarget.targetTLI', message: '"0" is not "latest" or a positive timeline number' },
  'targetTLI is a word': { docs: target({ targetTLI: 'newest' }), path: 'spec.bootstrap.recovery.recoveryTarget.targetTLI', message: '"newest" is not "latest"' },
  'two plugins archive WAL': { docs: set(cluster({ plugins: [{ name: PLUGIN, isWALArchiver: true, parameters: { barmanObjectName: 'store' } }, { name: 'other.example.com', isWALArchiver: true }] })), path: 'spec.plugins[1]', message: 'more than one WAL archiver plugin' },
  'a WAL archiver plugin next to spec.backup.barmanObjectStore': { docs: set(cluster({ backup: { barmanObjectStore: { destinationPath: 's3://backups/old' } } })), path: 'spec.backup.barmanObjectStore', message: 'cannot archive WAL with the in-tree barmanObjectStore and a WAL archiver plugin at once' },
  'the storage size is not a quantity': { docs: set(cluster({ storage: { size: '1GB' } })), path: 'spec.storage.size', message: '"1GB" is not a valid quantity', fix: '"1Gi"' },
  'the cluster has no storage': { docs: set(withField(cluster(), 'spec.storage', undefined)), path: 'spec.storage.size', message: 'storage size not configured (the CNPG webhook refuses it)' },
  'the WAL storage size is not a quantity': { docs: set(cluster({ walStorage: { size: 'lots' } })), path: 'spec.walStorage.size', message: '"lots" is not a valid quantity' },
  'a Backup with method plugin has no pluginConfiguration': { docs: set(cluster(), withField(backup(), 'spec.pluginConfiguration', undefined)), path: 'spec.pluginConfiguration', message: 'method "plugin" needs pluginConfiguration (the CNPG webhook refuses it)' },
  'a ScheduledBackup with method plugin has no pluginConfiguration': { docs: set(cluster(), withField(scheduledBackup(), 'spec.pluginConfiguration', undefined)), path: 'spec.pluginConfiguration', message: 'the CNPG webhook does not check this' },
  'a barmanObjectStore ScheduledBackup sets online': { docs: set(cluster(), scheduledBackup({ method: 'barmanObjectStore', pluginConfiguration: undefined, online: true })), path: 'spec.online', message: 'online applies only to method "volumeSnapshot", and the method is "barmanObjectStore" (the CNPG webhook refuses it)' },
  'a pg_basebackup source has no connectionParameters': { docs: set(cluster({ bootstrap: { pg_basebackup: { source: 'primary' } }, externalClusters: [{ name: 'primary', plugin: { name: PLUGIN, parameters: { barmanObjectName: 'store' } } }] })), path: 'spec.externalClusters[0]', message: 'pg_basebackup source "primary" has no connectionParameters' },
};

const pluginCases: Record<string, Case> = {
  'the destinationPath is not a URL': { docs: set(cluster()).map(d => d.kind === 'ObjectStore' ? objectStore({ destinationPath: 'my-bucket/postgres' }) : d), kind: 'ObjectStore', path: 'spec.configuration.destinationPath', message: '"my-bucket/postgres" is not an object store URL barman-cloud understands' },
  'an S3-compatible store written as an https destinationPath': { docs: [credentials(), objectStore({ destinationPath: 'https://minio.lan:9000/backups' }), cluster()], kind: 'ObjectStore', path: 'spec.configuration.s3Credentials', message: 'do not match the destinationPath', fix: 's3://my-bucket/postgres/' },
  'two kinds of credentials': { docs: [credentials(), objectStore({ googleCredentials: { gkeEnvironment: true } }), cluster()], kind: 'ObjectStore', path: 'spec.configuration', message: 'one kind of credentials at a time, got s3Credentials and googleCredentials' },
  'an endpointURL without a scheme': { docs: [credentials(), objectStore({ endpointURL: 'minio.lan:9000' }), cluster()], kind: 'ObjectStore', path: 'spec.configuration.endpointURL', message: 'is not an http(s) URL' },
  'no credentials at all': { docs: [objectStore({ s3Credentials: undefined }), cluster()], kind: 'ObjectStore', path: 'spec.configuration', message: 'no credentials', severity: 'warning' },
  'the plugin name is misspelt': { docs: set(cluster({ plugins: [{ name: 'barman-cloud.cloudnative-pg.com', isWALArchiver: true, parameters: { barmanObjectName: 'store' } }] })), path: 'spec.plugins[0].name', message: 'unknown plugin "barman-cloud.cloudnative-pg.com": the operator loads plugins by exact name', fix: 'use name: "barman-cloud.cloudnative-pg.io"' },
  'a ScheduledBackup names a misspelt plugin': { docs: set(cluster(), scheduledBackup({ pluginConfiguration: { name: 'barman-cloud' } })), kind: 'ScheduledBackup', path: 'spec.pluginConfiguration.name', message: 'unknown plugin "barman-cloud"' },
  'an external cluster names a misspelt plugin': { docs: set(cluster(), restore({}, { externalClusters: [{ name: 'origin', plugin: { name: 'barman-cloud.cnpg.io', parameters: { barmanObjectName: 'store', serverName: 'pg' } } }] })), path: 'spec.externalClusters[0].plugin.name', message: 'unknown plugin "barman-cloud.cnpg.io"' },
  'targetTime is a plugin parameter (the seed)': { docs: set(cluster(), restore({}, { externalClusters: [{ name: 'origin', plugin: { name: PLUGIN, parameters: { barmanObjectName: 'store', serverName: 'pg', targetTime: '2025-12-27T20:43:00Z' } } }] })), path: 'spec.externalClusters[0].plugin.parameters.targetTime', message: 'parameter "targetTime" is ignored by the barman-cloud.cloudnative-pg.io plugin', fix: 'spec.bootstrap.recovery.recoveryTarget.targetTime (e.g. recoveryTarget: { targetTime: "2025-12-27 20:43:00+00:00" })' },
  'compression is a plugin parameter': { docs: set(cluster(pluginWith({ barmanObjectName: 'store', compression: 'gzip' }))), path: 'spec.plugins[0].parameters.compression', message: 'parameter "compression" is ignored', fix: 'spec.configuration.wal.compression' },
  'retentionPolicy is a plugin parameter': { docs: set(cluster(pluginWith({ barmanObjectName: 'store', retentionPolicy: '7d' }))), path: 'spec.plugins[0].parameters.retentionPolicy', message: 'is ignored', fix: 'spec.retentionPolicy' },
  'destinationPath is a plugin parameter': { docs: set(cluster(pluginWith({ barmanObjectName: 'store', destinationPath: 's3://x' }))), path: 'spec.plugins[0].parameters.destinationPath', message: 'is ignored', fix: 'spec.configuration.destinationPath' },
  'a made-up plugin parameter': { docs: set(cluster(pluginWith({ barmanObjectName: 'store', region: 'eu' }))), path: 'spec.plugins[0].parameters.region', message: 'parameter "region" is ignored', fix: 'only barmanObjectName' },
  'a cluster plugin has no barmanObjectName': { docs: set(cluster(pluginWith({ serverName: 'pg' }))), path: 'spec.plugins[0].parameters.barmanObjectName', message: 'missing barmanObjectName', fix: 'barmanObjectName: "s3-store"' },
  'an external cluster plugin has no barmanObjectName': { docs: set(cluster(), restore({}, { externalClusters: [{ name: 'origin', plugin: { name: PLUGIN, parameters: { serverName: 'pg' } } }] })), path: 'spec.externalClusters[0].plugin.parameters.barmanObjectName', message: 'plugin issue #337' },
};

const scheduleCases: Record<string, Case> = {
  'the schedule has 5 fields (daily meant, hourly run)': { docs: schedule('0 0 * * *'), path: 'spec.schedule', message: 'schedule "0 0 * * *" has 5 fields but CNPG reads 6, seconds first: it would run every hour', fix: '"0 0 0 * * *" runs at 00:00' },
  'the schedule has 5 fields (every 5 seconds)': { docs: schedule('*/5 * * * *'), path: 'spec.schedule', message: 'every 5 seconds' },
  'the minute is 60': { docs: schedule('0 60 * * * *'), path: 'spec.schedule', message: 'minute field: 60 is out of range 0-59' },
  'the hour is 24': { docs: schedule('0 0 24 * * *'), path: 'spec.schedule', message: 'hour field: 24 is out of range 0-23' },
  'the day of month is 0': { docs: schedule('0 0 3 0 * *'), path: 'spec.schedule', message: 'day of month field: 0 is out of range 1-31' },
  'the month is 13': { docs: schedule('0 0 3 1 13 *'), path: 'spec.schedule', message: 'month field: 13 is out of range 1-12' },
  'the day of week is 7': { docs: schedule('0 0 3 * * 7'), path: 'spec.schedule', message: 'day of week field: 7 is out of range 0-6' },
  'the schedule has 7 fields': { docs: schedule('0 0 3 * * * 2026'), path: 'spec.schedule', message: 'has 7 fields, CNPG needs 6' },
  'an unknown descriptor': { docs: schedule('@fortnightly'), path: 'spec.schedule', message: 'unknown descriptor "@fortnightly"' },
  'a zero step': { docs: schedule('*/0 * * * * *'), path: 'spec.schedule', message: 'step "0" must be a positive number' },
  'a backwards range': { docs: schedule('0 0 5-2 * * *'), path: 'spec.schedule', message: 'range "5-2" runs backwards' },
  'a misspelt month name': { docs: schedule('0 0 3 1 JANUARY *'), path: 'spec.schedule', message: '"JANUARY" is not a number or a name' },
};

const referenceCases: Record<string, Case> = {
  'the cluster\'s ObjectStore is not in the set': { docs: [cluster()], path: 'spec.plugins[0].parameters.barmanObjectName', message: 'ObjectStore "store" not found in namespace "db" among the objects given' },
  'the cluster\'s ObjectStore is in another namespace (the seed)': { docs: [credentials(), objectStore({}, {}, 'store', { namespace: 'cnpg-system' }), cluster({}, { namespace: 'cpgn-system' })], path: 'spec.plugins[0].parameters.barmanObjectName', message: 'ObjectStore "store" not found in namespace "cpgn-system" (one named "store" exists in "cnpg-system")' },
  'a ScheduledBackup\'s cluster is in another namespace (the seed)': { docs: set(cluster({}, { namespace: 'cpgn-system' }), scheduledBackup()), kind: 'ScheduledBackup', path: 'spec.cluster.name', message: 'cluster "pg" not found in namespace "db" (one named "pg" exists in "cpgn-system")' },
  'a ScheduledBackup names a cluster the set does not define, next to one it does (a typo, even for the CLI)': { docs: set(cluster(), scheduledBackup({ cluster: { name: 'pgg' } })), kind: 'ScheduledBackup', path: 'spec.cluster.name', message: 'cluster "pgg" not found in namespace "db", which defines "pg"', options: { unresolvedReferences: 'warning' } },
  'a cluster names an ObjectStore the set does not define, next to one it does (a typo, even for the CLI)': { docs: [credentials(), objectStore(), cluster({ plugins: [{ name: 'barman-cloud.cloudnative-pg.io', isWALArchiver: true, parameters: { barmanObjectName: 'stor' } }] })], path: 'spec.plugins[0].parameters.barmanObjectName', message: 'ObjectStore "stor" not found in namespace "db", which defines "store"', options: { unresolvedReferences: 'warning' } },
  'a ScheduledBackup names a plugin its cluster does not load': { docs: [cluster({ plugins: undefined, backup: { barmanObjectStore: { destinationPath: 's3://backups/pg', s3Credentials: { inheritFromIAMRole: true } } } }), scheduledBackup()], kind: 'ScheduledBackup', path: 'spec.pluginConfiguration.name', message: 'cluster "pg" does not load plugin "barman-cloud.cloudnative-pg.io" (it has no plugins), so every backup fails' },
  'the same Cluster is defined twice': { docs: [...set(cluster()), cluster({ instances: 2 })], path: 'metadata.name', message: 'Cluster "pg" is defined twice in namespace "db"' },
  'a restore from a Backup object taken by the plugin': { docs: [...set(cluster()), backup(), cluster({ plugins: undefined, bootstrap: { recovery: { backup: { name: 'now' } } } }, {}, 'pg-restore')], path: 'spec.bootstrap.recovery.backup', message: 'plugin issue #510', severity: 'warning' },
  'a ScheduledBackup\'s cluster does not exist': { docs: set(cluster(), scheduledBackup({ cluster: { name: 'pgg' } })), kind: 'ScheduledBackup', path: 'spec.cluster.name', message: 'cluster "pgg" not found in namespace "db"' },
  'a Backup\'s cluster does not exist (CLI severity)': { docs: set(backup()), kind: 'Backup', path: 'spec.cluster.name', message: 'cluster "pg" not found', severity: 'warning', options: { unresolvedReferences: 'warning' } },
  'a cluster without namespace uses an ObjectStore with one': { docs: [credentials(), objectStore(), cluster({}, { namespace: undefined })], path: 'spec.plugins[0].parameters.barmanObjectName', message: 'not found in namespace (no namespace) (one named "store" exists in "db")' },
  'the recovery source\'s ObjectStore does not exist': { docs: set(restore({}, { externalClusters: [{ name: 'origin', plugin: { name: PLUGIN, parameters: { barmanObjectName: 'old-store', serverName: 'pg' } } }] })), path: 'spec.externalClusters[0].plugin.parameters.barmanObjectName', message: 'ObjectStore "old-store" not found' },
  'the initdb Secret has no password': { docs: set(secret('app', { username: 'app' }), cluster({ bootstrap: { initdb: { database: 'app', owner: 'app', secret: { name: 'app' } } } })), path: 'spec.bootstrap.initdb.secret.name', message: 'secret "app" has no "password" key' },
  'the initdb Secret is in another namespace': { docs: set(secret('app', { username: 'a', password: 'b' }, { namespace: 'other' }), cluster({ bootstrap: { initdb: { secret: { name: 'app' } } } })), path: 'spec.bootstrap.initdb.secret.name', message: 'secret "app" not found in namespace "db" (one named "app" exists in "other")' },
  'the ObjectStore names a key its Secret lacks': { docs: [secret('creds', { ACCESS_KEY_ID: 'a', SECRET: 'b' }), objectStore()], kind: 'ObjectStore', path: 'spec.configuration.s3Credentials.secretAccessKey.key', message: 'secret "creds" has no key "ACCESS_SECRET_KEY"' },
  'a ScheduledBackup of a plugin cluster omits method': { docs: set(cluster(), withField(scheduledBackup(), 'spec.method', undefined)), kind: 'ScheduledBackup', path: 'spec.method', message: 'defaults to "barmanObjectStore", but cluster "pg" backs up through the barman-cloud plugin' },
  'a Backup of a plugin cluster uses method barmanObjectStore': { docs: set(cluster(), backup({ method: 'barmanObjectStore', pluginConfiguration: undefined })), kind: 'Backup', path: 'spec.method', message: 'method "barmanObjectStore" but cluster "pg" has no spec.backup.barmanObjectStore' },
};

const safetyCases: Record<string, Case> = {
  'a restore archives into its source folder (explicit serverName)': { docs: set(cluster(), restore({}, pluginWith({ barmanObjectName: 'store', serverName: 'pg' }))), path: 'spec.plugins[0].parameters.serverName', message: 'archives WAL to "s3://backups/pg" server "pg", the same folder it restores from' },
  'a plugin source without serverName reads the cluster\'s own folder, not the source\'s (plugin config.go)': { docs: set(cluster(), restore({ source: 'pg' }, { externalClusters: [{ name: 'pg', plugin: { name: PLUGIN, parameters: { barmanObjectName: 'store' } } }] })), path: 'spec.externalClusters[0].plugin.parameters.serverName', message: 'not set, so the plugin reads the folder "pg-restore" (this cluster\'s own name), not "pg"', fix: 'set serverName: "pg"' },
  'a restore with neither serverName reads and archives its own folder': { docs: set(restore({ source: 'pg' }, { externalClusters: [{ name: 'pg', plugin: { name: PLUGIN, parameters: { barmanObjectName: 'store' } } }], ...pluginWith({ barmanObjectName: 'store' }) }, 'pg-new')), path: 'spec.plugins[0].parameters.serverName', message: 'server "pg-new", the same folder it restores from' },
  'a replica source without serverName replicates its own (empty) folder': { docs: set(cluster({ replica: { enabled: true, source: 'primary' }, bootstrap: { recovery: { source: 'primary' } }, externalClusters: [{ name: 'primary', plugin: { name: PLUGIN, parameters: { barmanObjectName: 'store' } } }], plugins: undefined }, {}, 'replica')), path: 'spec.externalClusters[0].plugin.parameters.serverName', message: 'reads the folder "replica"' },
  'a restore source without serverName, source not in the set (a warning)': { docs: set(restore({ source: 'old' }, { externalClusters: [{ name: 'old', plugin: { name: PLUGIN, parameters: { barmanObjectName: 'store' } } }], plugins: undefined })), path: 'spec.externalClusters[0].plugin.parameters.serverName', message: 'reads the folder "pg-restore"', severity: 'warning' },
  'a restore under the original name archives into its source (serverName defaults to the cluster name)': { docs: set(restore({}, pluginWith({ barmanObjectName: 'store' }), 'pg')), path: 'spec.plugins[0].parameters.serverName', message: 'server "pg", the same folder it restores from' },
  'two clusters archive to the same folder of one ObjectStore': { docs: set(cluster(), cluster(pluginWith({ barmanObjectName: 'store', serverName: 'pg' }), {}, 'pg2')), path: 'spec.plugins[0].parameters.serverName', message: 'where Cluster "db/pg" archives too' },
  'two ObjectStores with the same destinationPath and the same server name': { docs: [credentials(), objectStore(), objectStore({}, {}, 'store2'), cluster(), cluster(pluginWith({ barmanObjectName: 'store2', serverName: 'pg' }), {}, 'pg2')], path: 'spec.plugins[0].parameters.serverName', message: 'archives WAL to "s3://backups/pg" server "pg", where Cluster "db/pg" archives too' },
  'two in-tree barmanObjectStore clusters share a folder': { docs: [cluster({ plugins: undefined, backup: { barmanObjectStore: { destinationPath: 's3://b/x/', serverName: 'a' } } }, {}, 'a'), cluster({ plugins: undefined, backup: { barmanObjectStore: { destinationPath: 's3://b/x', serverName: 'a' } } }, {}, 'b')], path: 'spec.backup.barmanObjectStore.serverName', message: 'where Cluster "db/a" archives too' },
};

const timestampCases: Record<string, Case> = {
  'targetTime is RFC 3339 with Z (CNPG issue #10819) on CNPG 1.28.0': { docs: target({ targetTime: '2025-12-27T20:43:00Z' }), options: { cnpgVersion: '1.28.0' }, path: 'spec.bootstrap.recovery.recoveryTarget.targetTime', message: 'reaches PostgreSQL as "2025-12-27 20:43:00.000000Z"', fix: 'write the same instant as "2025-12-27 20:43:00+00:00"' },
  'targetTime is RFC 3339 with +00:00 on CNPG 1.28.0': { docs: target({ targetTime: '2025-12-27T20:43:00+00:00' }), options: { cnpgVersion: '1.28.0' }, path: 'spec.bootstrap.recovery.recoveryTarget.targetTime', message: 'PostgreSQL refuses to start the restore with a "Z" zone', fix: '"2025-12-27 20:43:00+00:00"' },
  'targetTime is RFC 3339 with -00:00 on CNPG 1.28.0': { docs: target({ targetTime: '2025-12-27T20:43:00-00:00' }), options: { cnpgVersion: '1.28.0' }, path: 'spec.bootstrap.recovery.recoveryTarget.targetTime', message: 'refuses to start' },
  'targetTime is RFC 3339 with a lower-case z on CNPG 1.28.0': { docs: target({ targetTime: '2025-12-27t20:43:00z' }), options: { cnpgVersion: '1.28.0' }, path: 'spec.bootstrap.recovery.recoveryTarget.targetTime', message: 'refuses to start', fix: '"2025-12-27 20:43:00+00:00"' },
  'targetTime is RFC 3339 UTC with microseconds on CNPG 1.28.0': { docs: target({ targetTime: '2025-12-27T20:43:00.250Z' }), options: { cnpgVersion: '1.28.0' }, path: 'spec.bootstrap.recovery.recoveryTarget.targetTime', message: 'refuses to start', fix: '"2025-12-27 20:43:00.250000+00:00"' },
  'targetTime is not a time': { docs: target({ targetTime: 'yesterday' }), path: 'spec.bootstrap.recovery.recoveryTarget.targetTime', message: '"yesterday" is not a timestamp CNPG accepts' },
  'targetTime has month 13': { docs: target({ targetTime: '2025-13-01 00:00:00+00:00' }), path: 'spec.bootstrap.recovery.recoveryTarget.targetTime', message: 'month 13 is out of range' },
  'targetTime has a space and a Z': { docs: target({ targetTime: '2025-12-27 20:43:00Z' }), path: 'spec.bootstrap.recovery.recoveryTarget.targetTime', message: 'PostgreSQL refuses "Z"' },
  'targetTime has no zone': { docs: target({ targetTime: '2025-12-27 20:43:00' }), path: 'spec.bootstrap.recovery.recoveryTarget.targetTime', message: 'has no time zone and is taken as UTC', fix: '"2025-12-27 20:43:00+00:00"', severity: 'warning' },
  'targetTime has no zone on CNPG 1.28.0': { docs: target({ targetTime: '2025-12-27 20:43:00' }), options: { cnpgVersion: '1.28.0' }, path: 'spec.bootstrap.recovery.recoveryTarget.targetTime', message: 'only from CNPG 1.28.1 and plugin 0.10.0', severity: 'warning' },
};

const catalogue: Record<string, Record<string, Case>> = {
  schema: schemaCases,
  cel: celCases,
  webhook: webhookCases,
  plugin: pluginCases,
  schedule: scheduleCases,
  references: referenceCases,
  safety: safetyCases,
  timestamps: timestampCases,
};
const table = Object.entries(catalogue).flatMap(([family, cases]) => Object.entries(cases).map(([name, c]) => [`${family}: ${name}`, c] as const));

describe('the catalogue of invalid inputs', () => {
  test('has at least 60 cases', () => {
    expect(table.length).toBeGreaterThanOrEqual(60);
  });

  test.each(table)('fails when %s', (_name, c) => {
    // GIVEN the set, WHEN validated
    const findings = validate(c.docs, c.options);
    // THEN the specific finding is among the findings
    const severity = c.severity ?? 'error';
    const match = findings.find(f => f.path === c.path && f.severity === severity
      && (c.kind === undefined || f.kind === c.kind)
      && (typeof c.message === 'string' ? f.message.includes(c.message) : c.message.test(f.message))
      && (c.fix === undefined || f.fix.includes(c.fix)));
    if (!match) throw new Error(`expected a ${severity} at ${c.path} with ${String(c.message)}; got:\n${findings.map(f => `${f.severity} ${f.kind} ${f.path}: ${f.message} — ${f.fix}`).join('\n')}`);
    expect(match.docIndex).toBeGreaterThanOrEqual(0);
  });
});


describe('restore point names with quotes and backslashes', () => {
  test.each(['1.28.4', '1.29.1', '1.29.2', '1.30.0'])('are fine at CNPG %s, which escapes them (configfile.RenderPostgresConfiguration)', cnpgVersion => {
    for (const targetName of ["bob's point", 'a\\b']) {
      const findings = validate(target({ targetName, backupID: '20251227T030000' }), { cnpgVersion });
      expect(findings.filter(f => f.path.endsWith('targetName'))).toEqual([]);
    }
  });

  test.each(['1.28.0', '1.28.1'])('are errors at CNPG %s, and a plain name is not', cnpgVersion => {
    const plain = validate(target({ targetName: 'before-migration', backupID: '20251227T030000' }), { cnpgVersion });
    expect(plain.filter(f => f.path.endsWith('targetName'))).toEqual([]);
    const quoted = validate(target({ targetName: "bob's", backupID: '20251227T030000' }), { cnpgVersion });
    expect(quoted.filter(f => f.path.endsWith('targetName')).map(f => f.severity)).toEqual(['error']);
  });
});
