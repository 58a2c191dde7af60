/**
 * CNPG's webhook, version by version: each case is a behaviour of [O] internal/webhook/v1/cluster_webhook.go (and
 * backup_webhook.go, scheduledbackup_webhook.go, barman-cloud pkg/api) read at the release tags; the wal_level,
 * wal_log_hints, BackupID, pvcTemplate storage, credentials and external-cluster cases mirror upstream's own
 * cluster_webhook_test.go cases at v1.30.0. `refused` lists the CNPG versions whose webhook refuses the object;
 * every other supported version must accept it (no error at all).
 */
import { cluster, credentials, errorsOf, objectStore, restore, scheduledBackup, validate, backup } from './helpers';
import { supportedVersions } from '../../src/upstream/catalog';
import { Manifest } from '../../src/upstream/manifest';

const ALL = supportedVersions('cnpg');
const set = (...docs: Manifest[]): Manifest[] => [credentials(), objectStore(), ...docs];
const inTree = (barmanObjectStore: object) => set(cluster({ plugins: undefined, backup: { barmanObjectStore: { destinationPath: 's3://b/pg', ...barmanObjectStore } } }));
const keys = { accessKeyId: { name: 'c', key: 'A' }, secretAccessKey: { name: 'c', key: 'S' } };
const azure = (azureCredentials: object) => inTree({ destinationPath: 'https://acct.blob.core.windows.net/c/pg', azureCredentials });
const ref = (key: string) => ({ name: 'az', key });
const snapshot = (recovery: object, spec: object = {}) => set(cluster({
  bootstrap: { recovery: { volumeSnapshots: { storage: { name: 'snap', kind: 'VolumeSnapshot', apiGroup: 'snapshot.storage.k8s.io' } }, ...recovery } },
  ...spec,
}, {}, 'pg-restore'));
const target = (recoveryTarget: object) => set(cluster(), restore({ recoveryTarget }));

interface ParityCase {
  readonly docs: Manifest[];
  /** The CNPG versions that refuse it. */
  readonly refused: readonly string[];
  /** The path of the error where refused. */
  readonly path?: string;
  readonly message?: string;
}

const cases: Record<string, ParityCase> = {
  // validateConfiguration: FixedConfigurationParameters (same list at every tag).
  'wal_level logical (a default, not a fixed parameter)': { docs: set(cluster({ postgresql: { parameters: { wal_level: 'logical' } } })), refused: [] },
  'wal_log_hints on, full_page_writes on': { docs: set(cluster({ postgresql: { parameters: { wal_log_hints: 'on', full_page_writes: 'on' } } })), refused: [] },
  'temp_tablespaces (fixed)': { docs: set(cluster({ postgresql: { parameters: { temp_tablespaces: 'x' } } })), refused: ALL, path: 'spec.postgresql.parameters.temp_tablespaces', message: 'cannot be set' },
  'pg_failover_slots.primary_dsn (fixed)': { docs: set(cluster({ postgresql: { parameters: { 'pg_failover_slots.primary_dsn': 'x' } } })), refused: ALL, path: 'spec.postgresql.parameters["pg_failover_slots.primary_dsn"]' },
  'ssl_ecdh_curve (fixed)': { docs: set(cluster({ postgresql: { parameters: { ssl_ecdh_curve: 'x' } } })), refused: ALL },
  'logging_collector "on" (the value CNPG writes itself)': { docs: set(cluster({ postgresql: { parameters: { logging_collector: 'on' } } })), refused: [] },
  'logging_collector "off"': { docs: set(cluster({ postgresql: { parameters: { logging_collector: 'off' } } })), refused: ALL },
  'archive_mode "on" on a primary': { docs: set(cluster({ postgresql: { parameters: { archive_mode: 'on' } } })), refused: [] },
  'a parameter name with a newline (postgresParameterNameRegex, 1.28.4 and 1.29.2+)': { docs: set(cluster({ postgresql: { parameters: { 'work_mem\nx': '4MB' } } })), refused: ['1.28.4', '1.29.2', '1.30.0'] },
  'wal_level minimal with archiving on': { docs: set(cluster({ postgresql: { parameters: { wal_level: 'minimal', max_wal_senders: '0' } } })), refused: ALL, path: 'spec.postgresql.parameters.wal_level' },
  'wal_log_hints off with 3 instances': { docs: set(cluster({ instances: 3, postgresql: { parameters: { wal_log_hints: 'off' } } })), refused: ALL },
  // validateBackupConfiguration → barman-cloud ValidateBackupConfiguration / Validate*Credentials.
  'in-tree S3 with keys': { docs: inTree({ s3Credentials: keys }), refused: [] },
  'in-tree without credentials': { docs: inTree({}), refused: ALL, path: 'spec.backup.barmanObjectStore', message: 'missing credentials' },
  'in-tree S3 with only accessKeyId': { docs: inTree({ s3Credentials: { accessKeyId: keys.accessKeyId } }), refused: ALL, path: 'spec.backup.barmanObjectStore.s3Credentials' },
  'in-tree S3 keys and inheritFromIAMRole': { docs: inTree({ s3Credentials: { ...keys, inheritFromIAMRole: true } }), refused: ALL },
  'in-tree Azure with three methods (CNPG docs object_stores.md)': { docs: azure({ connectionString: ref('C'), storageAccount: ref('A'), storageKey: ref('K'), storageSasToken: ref('T') }), refused: ALL, path: 'spec.backup.barmanObjectStore.azureCredentials' },
  'in-tree Azure with account and key': { docs: azure({ storageAccount: ref('A'), storageKey: ref('K') }), refused: [] },
  'in-tree Azure with a key but no account (barman-cloud v0.4+, CNPG 1.28.1+)': { docs: azure({ storageKey: ref('K') }), refused: ['1.28.1', '1.28.4', '1.29.1', '1.29.2', '1.30.0'] },
  'in-tree GCS with gkeEnvironment and a secret': { docs: inTree({ destinationPath: 'gs://b/pg', googleCredentials: { gkeEnvironment: true, applicationCredentials: ref('G') } }), refused: ALL },
  // validateRecoveryTarget.
  'targetTLI current': { docs: target({ targetTime: '2025-12-27 20:43:00+00:00', targetTLI: 'current' }), refused: ALL, path: 'spec.bootstrap.recovery.recoveryTarget.targetTLI' },
  'targetTLI latest': { docs: target({ targetTime: '2025-12-27 20:43:00+00:00', targetTLI: 'latest' }), refused: [] },
  'targetImmediate false still counts as a target and needs backupID': { docs: target({ targetImmediate: false }), refused: ALL, path: 'spec.bootstrap.recovery.recoveryTarget.backupID' },
  'targetName from a Backup object without backupID': { docs: set(cluster({ bootstrap: { recovery: { backup: { name: 'b1' }, recoveryTarget: { targetName: 'rp' } } } }, {}, 'pg-restore')), refused: ALL, path: 'spec.bootstrap.recovery.recoveryTarget.backupID' },
  'targetName from volume snapshots without backupID': { docs: snapshot({ recoveryTarget: { targetName: 'rp' } }), refused: [] },
  'targetXID above 2^32 (1.28.4 and 1.29.1+; stricter on purpose before)': { docs: target({ targetXID: '4294967296', backupID: '20251227T030000' }), refused: ALL, path: 'spec.bootstrap.recovery.recoveryTarget.targetXID' },
  // validateBootstrapRecoverySource / validateExternalCluster.
  'a recovery source with only connectionParameters': {
    docs: set(restore({}, { externalClusters: [{ name: 'origin', connectionParameters: { host: 'pg-rw', user: 'postgres' } }] })),
    refused: ['1.28.0', '1.28.1'],
    path: 'spec.externalClusters[0]',
  },
  'an external cluster with no connection at all': { docs: set(cluster({ externalClusters: [{ name: 'other' }] })), refused: ALL, path: 'spec.externalClusters[0]' },
  // validateBootstrapRecoveryDataSource.
  'volume snapshots and a backup': { docs: snapshot({ backup: { name: 'b1' } }), refused: ALL, path: 'spec.bootstrap.recovery.backup' },
  'volume snapshots and a backupID': { docs: snapshot({ recoveryTarget: { backupID: '20251227T030000' } }), refused: ALL, path: 'spec.bootstrap.recovery.recoveryTarget.backupID' },
  'a WAL snapshot without spec.walStorage': { docs: snapshot({ volumeSnapshots: { storage: { name: 'a', kind: 'VolumeSnapshot', apiGroup: 'snapshot.storage.k8s.io' }, walStorage: { name: 'b', kind: 'VolumeSnapshot', apiGroup: 'snapshot.storage.k8s.io' } } }), refused: ALL, path: 'spec.bootstrap.recovery.volumeSnapshots.walStorage' },
  'a WAL snapshot with spec.walStorage': { docs: snapshot({ volumeSnapshots: { storage: { name: 'a', kind: 'VolumeSnapshot', apiGroup: 'snapshot.storage.k8s.io' }, walStorage: { name: 'b', kind: 'PersistentVolumeClaim' } } }, { walStorage: { size: '1Gi' } }), refused: [] },
  'a snapshot source of another kind': { docs: snapshot({ volumeSnapshots: { storage: { name: 'a', kind: 'Pod' } } }), refused: ALL, path: 'spec.bootstrap.recovery.volumeSnapshots.storage' },
  // validateStorageConfigurationSize.
  'a pvcTemplate without a storage request': { docs: set(cluster({ storage: { pvcTemplate: { accessModes: ['ReadWriteOnce'] } } })), refused: ALL, path: 'spec.storage.size' },
  'a pvcTemplate with a storage request': { docs: set(cluster({ storage: { pvcTemplate: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } } })), refused: [] },
  // backup_webhook.go / scheduledbackup_webhook.go.
  'online on a plugin Backup': { docs: set(cluster(), backup({ online: true })), refused: [] },
  'online on a Backup with the default method': { docs: set(cluster({ plugins: undefined, backup: { barmanObjectStore: { destinationPath: 's3://b/pg', s3Credentials: keys } } }), backup({ method: undefined, pluginConfiguration: undefined, online: true })), refused: ALL, path: 'spec.online' },
  'a month-0 five-field schedule (robfig/cron refuses it)': { docs: set(cluster(), scheduledBackup({ schedule: '0 0 * * 0' })), refused: ALL, path: 'spec.schedule', message: 'CNPG refuses it' },
  // machinery ConvertToPostgresFormat: v0.3.1 (1.28.0) writes "Z", v0.3.3+ "+00:00"; lib/pq refuses "… Z".
  'an RFC 3339 UTC target time': { docs: target({ targetTime: '2025-12-27T20:43:00Z' }), refused: ['1.28.0'], path: 'spec.bootstrap.recovery.recoveryTarget.targetTime' },
  'a non-RFC-3339 time ending in Z': { docs: target({ targetTime: '2025-11-26 01:00:00Z' }), refused: ALL, path: 'spec.bootstrap.recovery.recoveryTarget.targetTime' },
};

describe.each(Object.entries(cases))('%s', (_name, c) => {
  test.each(ALL)('CNPG %s', version => {
    // GIVEN the objects WHEN validated at that CNPG version
    const errors = errorsOf(validate(c.docs, { cnpgVersion: version }));
    // THEN refused exactly where upstream refuses it
    if (!c.refused.includes(version)) {
      expect(errors).toEqual([]);
      return;
    }
    expect(errors.length).toBeGreaterThan(0);
    if (c.path) expect(errors.map(e => e.path)).toContain(c.path);
    if (c.message) expect(errors.map(e => e.message).join('\n')).toContain(c.message);
  });
});

test('cnpg.io/skipEmptyWalArchiveCheck: archiving into the restore source is a warning, not an error', () => {
  const same = restore({}, { plugins: [{ name: 'barman-cloud.cloudnative-pg.io', isWALArchiver: true, parameters: { barmanObjectName: 'store', serverName: 'pg' } }] });
  expect(errorsOf(validate(set(same))).map(e => e.path)).toContain('spec.plugins[0].parameters.serverName');
  const optedOut = { ...same, metadata: { ...same.metadata, annotations: { 'cnpg.io/skipEmptyWalArchiveCheck': 'enabled' } } };
  const findings = validate(set(optedOut));
  expect(errorsOf(findings)).toEqual([]);
  expect(findings.find(f => f.path === 'spec.plugins[0].parameters.serverName')?.severity).toBe('warning');
});

test('a Backup that omits method, of a cluster not in the set, gets no advice (the default may be right)', () => {
  const findings = validate([backup({ method: undefined, pluginConfiguration: undefined })]);
  expect(findings.filter(f => f.path === 'spec.method')).toEqual([]);
});

describe('a replica source without serverName (plugin config.go: the folder defaults to this cluster\'s name)', () => {
  const topology = (replica: object) => set(cluster({
    replica,
    externalClusters: [{ name: 'pg-b', plugin: { name: 'barman-cloud.cloudnative-pg.io', parameters: { barmanObjectName: 'store-b' } } }],
  }, {}, 'pg-a'));
  const finding = (replica: object) => validate(topology(replica)).find(f => f.path === 'spec.externalClusters[0].plugin.parameters.serverName');

  test('is a warning while the cluster is the primary of its topology (it reads the source only once demoted)', () => {
    const f = finding({ self: 'pg-a', primary: 'pg-a', source: 'pg-b' });
    expect(f?.severity).toBe('warning');
    expect(f?.message).toContain('once this cluster is demoted');
  });

  test.each([
    ['another cluster is the primary', { self: 'pg-a', primary: 'pg-b', source: 'pg-b' }],
    ['the cluster is an enabled replica', { enabled: true, source: 'pg-b' }],
  ])('fails when %s', (_name, replica) => {
    expect(finding(replica)?.severity).toBe('error');
  });
});
