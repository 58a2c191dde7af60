import * as fs from 'fs';
import * as path from 'path';
import { backup, baseSet, cluster, credentials, errorsOf, fromYaml, objectStore, restore, scheduledBackup, secret, validate } from './helpers';
import { Manifest } from '../../src/upstream/manifest';
import { validateManifests } from '../../src/validation';

const validSets: Record<string, Manifest[]> = {
  'typical S3': baseSet(),
  'S3-compatible with endpointURL and endpointCA': [
    credentials(),
    secret('minio-ca', { 'ca.crt': '-----BEGIN CERTIFICATE-----' }),
    objectStore({ endpointURL: 'https://minio.local:9000', endpointCA: { name: 'minio-ca', key: 'ca.crt' }, data: { compression: 'snappy', jobs: 2 } }),
    cluster(),
    scheduledBackup(),
  ],
  'GCS': [
    secret('gcs', { 'credentials.json': '{}' }),
    objectStore({ destinationPath: 'gs://backups/pg', s3Credentials: undefined, googleCredentials: { applicationCredentials: { name: 'gcs', key: 'credentials.json' } } }),
    cluster(),
    scheduledBackup(),
  ],
  'Azure': [
    secret('azure', { AZURE_STORAGE_ACCOUNT: 'a', AZURE_STORAGE_KEY: 'k' }),
    objectStore({
      destinationPath: 'https://acct.blob.core.windows.net/backups/pg',
      s3Credentials: undefined,
      azureCredentials: { storageAccount: { name: 'azure', key: 'AZURE_STORAGE_ACCOUNT' }, storageKey: { name: 'azure', key: 'AZURE_STORAGE_KEY' } },
    }),
    cluster(),
    scheduledBackup({ schedule: '@daily' }),
  ],
  'a PITR restore to a time, archiving to a new folder': [...baseSet(), restore({ recoveryTarget: { targetTime: '2025-12-27 20:43:00.000000+00:00' } })],
  'a restore to a backup with targetImmediate and backupID': [...baseSet(), restore({ recoveryTarget: { targetImmediate: true, backupID: '20251227T030000' } })],
  'a restore to an LSN on the latest timeline': [...baseSet(), restore({ recoveryTarget: { targetLSN: '0/3000060', targetTLI: 'latest' } })],
  'a restore with an RFC 3339 time in another zone': [...baseSet(), restore({ recoveryTarget: { targetTime: '2025-12-27T21:43:00+01:00' } })],
  'a restore without archiving': [...baseSet(), restore({}, { plugins: undefined })],
  'another CNPG-I plugin next to the Barman Cloud plugin': [credentials(), objectStore(), cluster({
    plugins: [
      { name: 'barman-cloud.cloudnative-pg.io', isWALArchiver: true, parameters: { barmanObjectName: 'store' } },
      { name: 'cnpg-i-hello-world.cloudnative-pg.io', parameters: { greeting: 'hi' } },
    ],
  }), scheduledBackup()],
  'an on-demand Backup': [...baseSet(), backup()],
  'the initdb Secret with username and password': [...baseSet().map(d => d.kind === 'Cluster' ? cluster({ bootstrap: { initdb: { database: 'app', owner: 'app', secret: { name: 'app' } } } }) : d), secret('app', { username: 'app', password: 'x' })],
  'non-CNPG objects pass through': [...baseSet(), ...fromYaml('apiVersion: apps/v1\nkind: Deployment\nmetadata: { name: web, namespace: db }\nspec: { whatever: true }\n---\napiVersion: example.com/v1\nkind: Widget\nmetadata: { name: w }\nspec: { anything: 1 }\n')],
  'a cert-manager Issuer and Certificate': fromYaml('apiVersion: cert-manager.io/v1\nkind: Issuer\nmetadata: { name: selfsigned, namespace: db }\nspec: { selfSigned: {} }\n---\napiVersion: cert-manager.io/v1\nkind: Certificate\nmetadata: { name: c, namespace: db }\nspec: { secretName: c-tls, issuerRef: { name: selfsigned }, dnsNames: [a.example] }\n'),
  'all objects without a namespace (a chart without namespace)': [
    { ...credentials(), metadata: { name: 'creds' } },
    { ...objectStore(), metadata: { name: 'store' } },
    { ...cluster(), metadata: { name: 'pg' } },
    { ...scheduledBackup(), metadata: { name: 'daily' } },
  ],
};

describe('valid inputs', () => {
  test.each(Object.entries(validSets))('%s produce no error', (_name, docs) => {
    // WHEN
    const findings = validate(docs);
    // THEN
    expect(errorsOf(findings)).toEqual([]);
  });

  test('a schedule without method on a cluster with the in-tree barmanObjectStore produces no finding', () => {
    // GIVEN a cluster that backs up the deprecated in-tree way, which is what the omitted method defaults to
    const inTree = cluster({
      plugins: undefined,
      backup: { barmanObjectStore: { destinationPath: 's3://backups/pg', s3Credentials: { inheritFromIAMRole: true } } },
    });
    const schedule = scheduledBackup({ method: undefined, pluginConfiguration: undefined });
    // WHEN / THEN
    expect(validate([inTree, schedule])).toEqual([]);
  });

  test('the typical set produces no finding at all', () => {
    expect(validate(baseSet())).toEqual([]);
  });

  test('older catalog versions accept the typical set', () => {
    expect(validate(baseSet(), { cnpgVersion: '1.28.0', pluginVersion: '0.9.0' })).toEqual([]);
  });

  test('the corrected seed produces no finding', () => {
    // GIVEN the fixtures of the corrected seed
    const dir = path.join(__dirname, '..', 'fixtures', 'seed-corrected');
    const docs = fs.readdirSync(dir).filter(f => f.endsWith('.yaml')).sort().flatMap(f => fromYaml(fs.readFileSync(path.join(dir, f), 'utf-8')));
    // THEN
    expect(validate(docs, { cnpgVersion: '1.28.0', pluginVersion: '0.9.0' })).toEqual([]);
  });
});

describe('options and inputs', () => {
  test('a reference declared external is not reported', () => {
    // GIVEN a cluster whose ObjectStore is applied elsewhere
    const findings = validate([cluster()], { externalRefs: new Set(['ObjectStore/db/store']) });
    // THEN
    expect(findings).toEqual([]);
  });

  test('unresolved references are errors by default and warnings on request', () => {
    expect(validate([cluster()]).map(f => f.severity)).toEqual(['error']);
    expect(validate([cluster()], { unresolvedReferences: 'warning' }).map(f => f.severity)).toEqual(['warning']);
  });

  test('trusted objects are indexed for references but not checked', () => {
    // GIVEN an upstream object that would fail our schema, marked trusted, and a cluster referencing it
    const store = { ...objectStore(), spec: { unknown: true } } as Manifest;
    const findings = validateManifests([{ doc: store, trusted: true }, { doc: cluster() }]);
    // THEN nothing is reported
    expect(findings).toEqual([]);
  });

  test('an unknown version throws with the supported ones', () => {
    expect(() => validate([], { cnpgVersion: '1.2.3' })).toThrow(/supported: 1.28.0, 1.28.1, 1.28.4, 1.29.1, 1.29.2, 1.30.0/);
  });

  test('findings carry kind, namespace, name and the input index', () => {
    // GIVEN an invalid object at index 1
    const findings = validate([credentials(), objectStore({ destinationPth: 'x' })]);
    // THEN
    expect(findings).toContainEqual(expect.objectContaining({ kind: 'ObjectStore', namespace: 'db', name: 'store', docIndex: 1, severity: 'error' }));
  });

  test('a schema is compiled once: validating many objects stays fast', () => {
    // GIVEN a warm validator
    validate(baseSet());
    const docs = Array.from({ length: 250 }, (_, i) => [cluster({}, {}, `pg-${i}`), scheduledBackup({ cluster: { name: `pg-${i}` } }, { name: `b-${i}` })]).flat();
    // WHEN / THEN (generous bound: a per-object compile would take seconds)
    const start = Date.now();
    validate([credentials(), objectStore(), ...docs], { unresolvedReferences: 'warning' });
    expect(Date.now() - start).toBeLessThan(2000);
  });

  test('plugin parameters of other plugins are left alone', () => {
    const findings = validate([...baseSet(), cluster({ plugins: [{ name: 'other.example.com', parameters: { anything: 'x' } }] }, {}, 'pg2')]);
    expect(errorsOf(findings)).toEqual([]);
  });
});
