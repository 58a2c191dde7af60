import { backup, cluster, credentials, NS, objectStore, restore, scheduledBackup, secret, validate } from './helpers';
import { Manifest } from '../../src/upstream/manifest';
import { Finding, validateManifests, ValidationOptions } from '../../src/validation';

/** Boundary tests of src/validation/references.ts: every kind it checks, every branch of a reference's verdict. */

const PLUGIN = 'barman-cloud.cloudnative-pg.io';
const CLUSTER_EXAMPLE = 'apiVersion: postgresql.cnpg.io/v1, kind: Cluster';

/** The findings at one path (other rules report elsewhere), as `severity kind: message — fix`. */
function at(docs: readonly Manifest[], path: string, options?: ValidationOptions): string[] {
  return validate(docs, options).filter(f => f.path === path).map((f: Finding) => `${f.severity} ${f.kind}: ${f.message} — ${f.fix}`);
}

/** A CNPG object of any kind that names a Cluster in `spec.cluster.name`. */
function referrer(kind: string, clusterName: string, namespace = NS): Manifest {
  return { apiVersion: 'postgresql.cnpg.io/v1', kind, metadata: { name: 'ref', namespace }, spec: { cluster: { name: clusterName } } };
}

/** A Secret given with base64 `data` instead of `stringData`. */
function dataSecret(name: string, keys: readonly string[], namespace = NS): Manifest {
  return { apiVersion: 'v1', kind: 'Secret', metadata: { name, namespace }, type: 'Opaque', data: Object.fromEntries(keys.map(k => [k, 'eA=='])) };
}

const initdb = (secretName: string) => cluster({ bootstrap: { initdb: { database: 'app', owner: 'app', secret: { name: secretName } } } });

describe('references to a Cluster', () => {
  // [O] api/v1: each of these kinds names a Cluster of its own namespace in spec.cluster.name.
  const KINDS = ['Backup', 'ScheduledBackup', 'Pooler', 'Database', 'Publication', 'Subscription'];

  test.each(KINDS)('a %s naming a Cluster of its namespace resolves', kind => {
    // GIVEN the Cluster and the referrer in namespace "db" / WHEN validated / THEN nothing is said of the reference
    expect(at([credentials(), objectStore(), cluster(), referrer(kind, 'pg')], 'spec.cluster.name')).toEqual([]);
  });

  test.each(KINDS)('fails when a %s names a Cluster that is only in another namespace', kind => {
    // GIVEN the Cluster "pg" in namespace "other", the referrer in "db"
    const docs = [cluster({}, { namespace: 'other' }), referrer(kind, 'pg')];
    // WHEN validated / THEN an error names both namespaces and the fix
    expect(at(docs, 'spec.cluster.name')).toEqual([
      `error ${kind}: cluster "pg" not found in namespace "db" (one named "pg" exists in "other") — put both in the same namespace: move the ${kind} to "other", or the Cluster to "db" (metadata.namespace)`,
    ]);
  });

  test.each(KINDS)('fails when a %s names a Cluster the namespace does not define, next to one it does', kind => {
    expect(at([cluster(), cluster({}, {}, 'pg2'), referrer(kind, 'pgg')], 'spec.cluster.name')).toEqual([
      `error ${kind}: cluster "pgg" not found in namespace "db", which defines "pg", "pg2" — name one of them, or add the Cluster "pgg" (${CLUSTER_EXAMPLE})`,
    ]);
  });

  test.each<[string, ValidationOptions | undefined, string]>([
    ['an error by default (constructs)', undefined, 'error'],
    ['a warning for the CLI', { unresolvedReferences: 'warning' }, 'warning'],
  ])('a Cluster not in the set at all is %s', (_, options, severity) => {
    expect(at([referrer('Pooler', 'pg')], 'spec.cluster.name', options)).toEqual([
      `${severity} Pooler: cluster "pg" not found in namespace "db" among the objects given — add the Cluster (${CLUSTER_EXAMPLE}) in namespace "db", or declare it as existing outside the set`,
    ]);
  });

  test('a Cluster found in several other namespaces names them all', () => {
    expect(at([cluster({}, { namespace: 'a' }), cluster({}, { namespace: 'b' }), referrer('Database', 'pg')], 'spec.cluster.name')).toEqual([
      'error Database: cluster "pg" not found in namespace "db" (one named "pg" exists in "a", "b") — put both in the same namespace: move the Database to "a", or the Cluster to "db" (metadata.namespace)',
    ]);
  });

  test('a referrer without spec.cluster, or without spec, is left to the schema', () => {
    const noCluster: Manifest = { apiVersion: 'postgresql.cnpg.io/v1', kind: 'Pooler', metadata: { name: 'p', namespace: NS }, spec: {} };
    const noSpec: Manifest = { apiVersion: 'postgresql.cnpg.io/v1', kind: 'Backup', metadata: { name: 'b', namespace: NS } };
    expect(validate([noCluster, noSpec]).filter(f => f.message.includes('not found'))).toEqual([]);
  });

  test('a Cluster declared external resolves, and only in its namespace', () => {
    // GIVEN a Pooler and a Database naming "pg", declared to exist in "db" only
    const externalRefs = new Set(['Cluster/db/pg']);
    // WHEN validated / THEN the Pooler in "db" is fine, the Database in "x" is not
    expect(at([referrer('Pooler', 'pg')], 'spec.cluster.name', { externalRefs })).toEqual([]);
    expect(at([referrer('Database', 'pg', 'x')], 'spec.cluster.name', { externalRefs })).toHaveLength(1);
  });

  test('a Cluster without namespace is found by a referrer without one', () => {
    const noNamespace: Manifest = { ...referrer('Backup', 'pg'), metadata: { name: 'ref' } };
    expect(at([cluster({}, { namespace: undefined }), noNamespace], 'spec.cluster.name')).toEqual([]);
  });

  test('a referrer without spec.cluster.name is left to the schema', () => {
    const doc: Manifest = { apiVersion: 'postgresql.cnpg.io/v1', kind: 'Pooler', metadata: { name: 'p', namespace: NS }, spec: { cluster: {} } };
    expect(at([doc], 'spec.cluster.name').filter(f => f.includes('not found'))).toEqual([]);
  });

  test('a referrer of another API group is not ours to check', () => {
    const doc: Manifest = { ...referrer('Backup', 'nowhere'), apiVersion: 'example.com/v1' };
    expect(at([doc], 'spec.cluster.name')).toEqual([]);
  });

  test('a trusted (upstream) referrer is not checked', () => {
    const findings = validateManifests([{ doc: referrer('Pooler', 'nowhere'), trusted: true }]);
    expect(findings.filter(f => f.path === 'spec.cluster.name')).toEqual([]);
  });
});

describe('references to an ObjectStore', () => {
  const path = 'spec.plugins[0].parameters.barmanObjectName';

  test('an ObjectStore of the cluster\'s namespace resolves', () => {
    expect(at([credentials(), objectStore(), cluster()], path)).toEqual([]);
  });

  test('fails when the ObjectStore is in another namespace, naming the kind as CNPG spells it', () => {
    expect(at([objectStore({}, {}, 'store', { namespace: 'other' }), cluster()], path)).toEqual([
      'error Cluster: ObjectStore "store" not found in namespace "db" (one named "store" exists in "other") — put both in the same namespace: move the Cluster to "other", or the ObjectStore to "db" (metadata.namespace)',
    ]);
  });

  test.each([
    ['another plugin', { name: 'other.example.com', isWALArchiver: true, parameters: { barmanObjectName: 'nowhere' } }],
    ['a disabled barman-cloud plugin', { name: PLUGIN, enabled: false, parameters: { barmanObjectName: 'nowhere' } }],
    ['a barman-cloud plugin without barmanObjectName', { name: PLUGIN, isWALArchiver: true, parameters: {} }],
  ])('%s names no ObjectStore to resolve', (_, plugin) => {
    expect(at([cluster({ plugins: [plugin] })], path).filter(f => f.includes('not found'))).toEqual([]);
  });

  test('an enabled barman-cloud plugin that is not the WAL archiver is still resolved', () => {
    expect(at([cluster({ plugins: [{ name: PLUGIN, parameters: { barmanObjectName: 'nowhere' } }] })], path)).toHaveLength(1);
  });

  test.each([
    ['the barman-cloud plugin', PLUGIN, 1],
    ['another plugin', 'other.example.com', 0],
  ])('an externalClusters entry through %s is resolved when it is barman-cloud', (_, name, count) => {
    // GIVEN a restore whose source names an ObjectStore that is not in the set
    const docs = [restore({}, { externalClusters: [{ name: 'origin', plugin: { name, parameters: { barmanObjectName: 'old', serverName: 'pg' } } }], plugins: undefined })];
    // WHEN validated / THEN only the barman-cloud source is looked up
    expect(at(docs, 'spec.externalClusters[0].plugin.parameters.barmanObjectName')).toHaveLength(count);
  });

  test('an unresolved ObjectStore of a recovery source says what to add', () => {
    const docs = [restore({}, { plugins: undefined })];
    expect(at(docs, 'spec.externalClusters[0].plugin.parameters.barmanObjectName')).toEqual([
      'error Cluster: ObjectStore "store" not found in namespace "db" among the objects given — add the ObjectStore (apiVersion: barmancloud.cnpg.io/v1, kind: ObjectStore) in namespace "db", or declare it as existing outside the set',
    ]);
  });

  test('an externalClusters entry without a plugin or without parameters is skipped', () => {
    const docs = [restore({}, { externalClusters: [{ name: 'a', connectionParameters: { host: 'h' } }, { name: 'b', plugin: { name: PLUGIN } }], plugins: undefined })];
    expect(validate(docs).filter(f => f.message.includes('not found in namespace'))).toEqual([]);
  });
});

describe('the initdb Secret', () => {
  const path = 'spec.bootstrap.initdb.secret.name';

  test.each([
    ['stringData', secret('app', { username: 'app', password: 'p' })],
    ['data', dataSecret('app', ['username', 'password'])],
    ['one key in each', { ...dataSecret('app', ['username']), stringData: { password: 'p' } }],
  ])('a Secret with both keys in %s is accepted', (_, s) => {
    expect(at([credentials(), objectStore(), s, initdb('app')], path)).toEqual([]);
  });

  test.each<[string, Manifest, string]>([
    ['password is missing from stringData', secret('app', { username: 'app' }), 'has no "password" key (it has "username")'],
    ['username is missing from data', dataSecret('app', ['password', 'extra']), 'has no "username" key (it has "password", "extra")'],
    ['both are missing', secret('app', {}), 'has no "username" or "password" key (it has no keys)'],
    ['the Secret has neither data nor stringData', { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'app', namespace: NS } }, 'has no "username" or "password" key (it has no keys)'],
  ])('fails when %s', (_, s, problem) => {
    expect(at([s, initdb('app')], path)).toEqual([
      `error Cluster: secret "app" ${problem} — give the Secret (type kubernetes.io/basic-auth) the keys username and password, e.g. stringData: { username: "app", password: "…" }`,
    ]);
  });

  test('fails when the Secret is only in another namespace', () => {
    expect(at([secret('app', { username: 'a', password: 'b' }, { namespace: 'x' }), secret('app', { username: 'a', password: 'b' }, { namespace: 'y' }), initdb('app')], path)).toEqual([
      'error Cluster: secret "app" not found in namespace "db" (one named "app" exists in "x", "y") — put the Cluster and its Secret in the same namespace',
    ]);
  });

  test('a Secret elsewhere but declared to exist in the namespace is accepted', () => {
    expect(at([secret('app', { username: 'a' }, { namespace: 'x' }), initdb('app')], path, { externalRefs: new Set(['Secret/db/app']) })).toEqual([]);
  });

  test('a Secret not in the set at all is normal (created outside the manifests)', () => {
    expect(at([initdb('app')], path)).toEqual([]);
  });
});

describe('credential keys of an ObjectStore', () => {
  const keyPath = 'spec.configuration.s3Credentials.secretAccessKey.key';

  test.each([
    ['stringData', secret('creds', { ACCESS_KEY_ID: 'a', ACCESS_SECRET_KEY: 'b' })],
    ['data', dataSecret('creds', ['ACCESS_KEY_ID', 'ACCESS_SECRET_KEY'])],
  ])('keys given in %s are found', (_, s) => {
    expect(validate([s, objectStore()]).filter(f => f.path.endsWith('.key'))).toEqual([]);
  });

  test.each<[string, Manifest, string]>([
    ['stringData lacks the key', secret('creds', { ACCESS_KEY_ID: 'a', SECRET: 'b' }), '(it has "ACCESS_KEY_ID", "SECRET")'],
    ['data lacks the key', dataSecret('creds', ['ACCESS_KEY_ID']), '(it has "ACCESS_KEY_ID")'],
  ])('fails when %s', (_, s, has) => {
    expect(at([s, objectStore()], keyPath)).toEqual([
      `error ObjectStore: secret "creds" has no key "ACCESS_SECRET_KEY" ${has} — use one of the Secret's keys, or add "ACCESS_SECRET_KEY" to it`,
    ]);
  });

  test('fails when the Secret has no keys at all', () => {
    expect(at([secret('creds', {}), objectStore()], keyPath)).toEqual([
      'error ObjectStore: secret "creds" has no key "ACCESS_SECRET_KEY" (it has no keys) — use one of the Secret\'s keys, or add "ACCESS_SECRET_KEY" to it',
    ]);
  });

  test('references are found in lists and at any depth, with their path', () => {
    // GIVEN an endpoint CA and a list entry naming keys the Secret lacks
    const store = objectStore({ endpointCA: { name: 'creds', key: 'ca.crt' }, extra: { list: [{ name: 'creds', key: 'nope' }, 'scalar'] } });
    // WHEN validated
    const paths = validate([credentials(), store]).filter(f => f.message.includes('has no key')).map(f => f.path);
    // THEN each is reported where it is
    expect(paths).toEqual(['spec.configuration.endpointCA.key', 'spec.configuration.extra.list[0].key']);
  });

  test('an object with a name but no key is not a Secret key reference', () => {
    const store = objectStore({ endpointCA: { name: 'creds' }, other: { key: 'ACCESS_KEY_ID' } });
    expect(validate([credentials(), store]).filter(f => f.message.includes('has no key'))).toEqual([]);
  });

  test('an object with more than name and key is not a Secret reference', () => {
    const store = objectStore({ endpointCA: { name: 'creds', key: 'ca.crt', optional: true } });
    expect(validate([credentials(), store]).filter(f => f.message.includes('has no key'))).toEqual([]);
  });

  test('a Secret of another namespace or not in the set is not read', () => {
    expect(validate([secret('creds', {}, { namespace: 'x' }), objectStore()]).filter(f => f.message.includes('has no key'))).toEqual([]);
  });
});

describe('the backup method of Backups and ScheduledBackups', () => {
  const noMethod = (doc: Manifest): Manifest => ({ ...doc, spec: { ...(doc.spec as object), method: undefined } });
  const FIX = 'set method: plugin and pluginConfiguration: { name: "barman-cloud.cloudnative-pg.io" }';

  test.each([['Backup', backup()], ['ScheduledBackup', scheduledBackup()]] as const)('fails when a %s of a plugin cluster omits method', (kind, doc) => {
    expect(at([credentials(), objectStore(), cluster(), noMethod(doc)], 'spec.method')).toEqual([
      `error ${kind}: method is not set and defaults to "barmanObjectStore", but cluster "pg" backs up through the barman-cloud plugin — ${FIX}`,
    ]);
  });

  test('a missing method is no finding when the cluster is unknown (the advice could break a working in-tree backup)', () => {
    expect(at([noMethod(backup())], 'spec.method')).toEqual([]);
  });

  const inTree = cluster({ plugins: undefined, backup: { barmanObjectStore: { destinationPath: 's3://b/pg', s3Credentials: { inheritFromIAMRole: true } } } });

  test('a missing method is what an in-tree barmanObjectStore cluster expects', () => {
    expect(at([inTree, noMethod(backup())], 'spec.method')).toEqual([]);
  });

  test('a missing method on a cluster with neither plugin nor barmanObjectStore is no method finding', () => {
    expect(at([cluster({ plugins: undefined }), noMethod(backup())], 'spec.method')).toHaveLength(0);
  });

  test('a cluster with both the plugin and barmanObjectStore does not count as plugin-only', () => {
    const both = cluster({ backup: { barmanObjectStore: { destinationPath: 's3://b/pg', s3Credentials: { inheritFromIAMRole: true } } } });
    expect(at([credentials(), objectStore(), both, backup({ method: 'barmanObjectStore', pluginConfiguration: undefined })], 'spec.method')).toEqual([]);
  });

  test('method barmanObjectStore on an in-tree cluster is right', () => {
    expect(at([inTree, backup({ method: 'barmanObjectStore', pluginConfiguration: undefined })], 'spec.method')).toEqual([]);
  });

  test('fails when a ScheduledBackup of a plugin cluster uses method barmanObjectStore', () => {
    expect(at([credentials(), objectStore(), cluster(), scheduledBackup({ method: 'barmanObjectStore', pluginConfiguration: undefined })], 'spec.method')).toEqual([
      `error ScheduledBackup: method "barmanObjectStore" but cluster "pg" has no spec.backup.barmanObjectStore (it backs up through the barman-cloud plugin) — ${FIX}`,
    ]);
  });

  test.each<[string, Manifest, string]>([
    ['a plugin the cluster does not load', cluster({ plugins: [{ name: 'a.example.com' }, { name: 'b.example.com', enabled: false }] }),
      'error Backup: cluster "pg" does not load plugin "barman-cloud.cloudnative-pg.io" (it loads "a.example.com"), so every backup fails — name a plugin the cluster loads ("a.example.com")'],
    ['a plugin of a cluster without plugins', cluster({ plugins: [] }),
      'error Backup: cluster "pg" does not load plugin "barman-cloud.cloudnative-pg.io" (it has no plugins), so every backup fails — add { name: "barman-cloud.cloudnative-pg.io", isWALArchiver: true, parameters: { barmanObjectName: "…" } } to the cluster\'s spec.plugins'],
  ])('fails when a Backup names %s', (_, c, finding) => {
    expect(at([c, backup()], 'spec.pluginConfiguration.name')).toEqual([finding]);
  });

  test('a plugin Backup of a cluster that loads the plugin, or of an unknown cluster, is fine', () => {
    expect(at([credentials(), objectStore(), cluster(), backup()], 'spec.pluginConfiguration.name')).toEqual([]);
    expect(at([backup()], 'spec.pluginConfiguration.name')).toEqual([]);
  });

  test('a volumeSnapshot Backup of a plugin cluster is not asked for the plugin, even naming one', () => {
    const snapshot = backup({ method: 'volumeSnapshot', pluginConfiguration: { name: 'not-loaded.example.com' } });
    expect(validate([credentials(), objectStore(), cluster(), snapshot]).filter(f => f.path === 'spec.method' || f.path === 'spec.pluginConfiguration.name')).toEqual([]);
  });

  test('a plugin Backup without pluginConfiguration is left to the webhook rules', () => {
    const findings = validate([credentials(), objectStore(), cluster(), backup({ pluginConfiguration: undefined })]);
    expect(findings.filter(f => f.path === 'spec.pluginConfiguration.name')).toEqual([]);
  });

  test('fails when a Backup names a plugin the cluster does not load, listing every plugin it loads', () => {
    const c = cluster({ plugins: [{ name: 'a.example.com' }, { name: 'b.example.com' }] });
    expect(at([c, backup()], 'spec.pluginConfiguration.name')).toEqual([
      'error Backup: cluster "pg" does not load plugin "barman-cloud.cloudnative-pg.io" (it loads "a.example.com", "b.example.com"), so every backup fails — name a plugin the cluster loads ("a.example.com", "b.example.com")',
    ]);
  });

  test('Poolers and other referrers are not asked for a backup method', () => {
    expect(at([cluster(), referrer('Pooler', 'pg')], 'spec.method')).toEqual([]);
  });
});

describe('duplicates', () => {
  test('fails on the later copy of an object in the same namespace', () => {
    const findings = validate([cluster(), cluster({ instances: 2 })]).filter(f => f.path === 'metadata.name');
    expect(findings.map(f => [f.docIndex, f.message, f.fix])).toEqual([[1, 'Cluster "pg" is defined twice in namespace "db"; on apply this one replaces the other', 'give one of them another name, or remove the copy']]);
  });

  test.each<[string, Manifest[]]>([
    ['namespaces differ', [cluster(), cluster({}, { namespace: 'other' })]],
    ['kinds differ', [secret('pg', {}), cluster()]],
    ['API groups differ', [cluster(), { ...cluster(), apiVersion: 'example.com/v1' }]],
    ['the objects have no name', [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: {} }, { apiVersion: 'v1', kind: 'ConfigMap', metadata: {} }]],
  ])('no duplicate when %s', (_, docs) => {
    expect(validate(docs).filter(f => f.path === 'metadata.name')).toEqual([]);
  });

  test('a trusted (upstream) copy is not reported, an untrusted copy of it is', () => {
    const ns: Manifest = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'cnpg-system' } };
    expect(validateManifests([{ doc: ns }, { doc: ns, trusted: true }]).filter(f => f.path === 'metadata.name')).toEqual([]);
    expect(validateManifests([{ doc: ns, trusted: true }, { doc: ns }]).filter(f => f.path === 'metadata.name')).toHaveLength(1);
  });
});

describe('recovery from a Backup object', () => {
  const from = (name: string) => cluster({ plugins: undefined, bootstrap: { recovery: { backup: { name } } } }, {}, 'pg-restore');

  test('warns when the Backup was taken by the plugin (plugin issue #510)', () => {
    expect(at([backup(), from('now')], 'spec.bootstrap.recovery.backup')).toEqual([
      'warning Cluster: recovering from Backup "now", taken by the plugin, is reported to fail ("missing credentials", plugin issue #510) — recover through source: set bootstrap.recovery.source to an externalClusters entry with plugin: { name: "barman-cloud.cloudnative-pg.io", parameters: { barmanObjectName, serverName } }',
    ]);
  });

  test.each<[string, Manifest[]]>([
    ['the Backup used another method', [backup({ method: 'volumeSnapshot', pluginConfiguration: undefined }), from('now')]],
    ['the Backup is not in the set', [from('now')]],
    ['the Backup is in another namespace', [backup({}, { namespace: 'x' }), from('now')]],
    ['the Backup has no spec', [{ apiVersion: 'postgresql.cnpg.io/v1', kind: 'Backup', metadata: { name: 'now', namespace: NS } }, from('now')]],
  ])('says nothing when %s', (_, docs) => {
    expect(at(docs, 'spec.bootstrap.recovery.backup')).toEqual([]);
  });
});

describe('how a message lists names and namespaces', () => {
  test.each([
    ['three other namespaces are all named', ['a', 'b', 'c'], '(one named "pg" exists in "a", "b", "c")'],
    ['a fourth is counted', ['a', 'b', 'c', 'd'], '(one named "pg" exists in "a", "b", "c" and 1 more)'],
    ['five are three and 2 more', ['a', 'b', 'c', 'd', 'e'], '(one named "pg" exists in "a", "b", "c" and 2 more)'],
  ])('%s', (_, namespaces, text) => {
    const docs = [...namespaces.map(namespace => cluster({}, { namespace })), referrer('Pooler', 'pg')];
    const [finding] = at(docs, 'spec.cluster.name');
    expect(finding).toContain(text);
  });

  test('three Clusters of the namespace are all named', () => {
    expect(at([cluster({}, {}, 'pg1'), cluster({}, {}, 'pg2'), cluster({}, {}, 'pg3'), referrer('Pooler', 'pg')], 'spec.cluster.name')).toEqual([
      `error Pooler: cluster "pg" not found in namespace "db", which defines "pg1", "pg2", "pg3" — name one of them, or add the Cluster "pg" (${CLUSTER_EXAMPLE})`,
    ]);
  });

  test('more than three Clusters are counted, with the nearest names', () => {
    const docs = ['shop', 'shop-v2', 'billing', 'crm', 'analytics'].map(name => cluster({}, {}, name));
    expect(at([...docs, referrer('Pooler', 'shopp')], 'spec.cluster.name')).toEqual([
      `error Pooler: cluster "shopp" not found in namespace "db", which defines 5 cluster names, nearest "shop" — name one of them, or add the Cluster "shopp" (${CLUSTER_EXAMPLE})`,
    ]);
  });

  test('more than three Clusters, several near the name: the three nearest, in a list', () => {
    const docs = ['pg1', 'pg2', 'pg3', 'pg4'].map(name => cluster({}, {}, name));
    expect(at([...docs, referrer('Database', 'pg')], 'spec.cluster.name')[0]).toContain('which defines 4 cluster names, nearest "pg1", "pg2", "pg3" — ');
  });

  test('more than three Clusters, none close to the name', () => {
    const docs = ['a1', 'b2', 'c3', 'd4'].map(name => cluster({}, {}, name));
    expect(at([...docs, referrer('Database', 'completely-different')], 'spec.cluster.name')[0]).toContain('which defines 4 cluster names, none close to it');
  });

  test('the names offered are those of the kind and namespace asked about', () => {
    // GIVEN Clusters in "db" and ObjectStores in "db", each named by a reference that does not resolve
    const docs = [credentials(), objectStore({}, {}, 'store-a'), cluster({}, {}, 'pg-a'), referrer('Pooler', 'pg-b'),
      cluster({ plugins: [{ name: PLUGIN, isWALArchiver: true, parameters: { barmanObjectName: 'store-b' } }] }, {}, 'pg-c')];
    // THEN each message offers names of its own kind
    expect(at(docs, 'spec.cluster.name')[0]).toContain('which defines "pg-a", "pg-c"');
    expect(at(docs, 'spec.plugins[0].parameters.barmanObjectName').find(f => f.includes('store-b'))).toContain('which defines "store-a"');
  });
});

describe('credential keys of an ObjectStore without configuration', () => {
  test('an ObjectStore without spec.configuration is left to the schema, not a crash', () => {
    const store: Manifest = { apiVersion: 'barmancloud.cnpg.io/v1', kind: 'ObjectStore', metadata: { name: 'store', namespace: NS }, spec: { retentionPolicy: '30d' } };
    expect(() => validate([credentials(), store])).not.toThrow();
    expect(validate([credentials(), store]).filter(f => f.message.includes('has no key'))).toEqual([]);
  });
});
