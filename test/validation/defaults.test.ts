import { cluster, credentials, errorsOf, fromYaml, objectStore, validate } from './helpers';
import { lookupCrd } from '../../src/validation/crds';
import { applyApiServerDefaults } from '../../src/validation/defaults';

function clusterSchema() {
  const lookup = lookupCrd('cnpg', '1.30.0', 'postgresql.cnpg.io', 'Cluster', 'v1');
  if (lookup.status !== 'found') throw new Error('no Cluster CRD');
  return lookup.crd;
}

describe('applyApiServerDefaults', () => {
  test('a missing field gets the CRD default, at the top and inside objects that exist', () => {
    // GIVEN a Cluster without instances, with a plugin entry without enabled/isWALArchiver
    const crd = clusterSchema();
    const doc = { apiVersion: 'postgresql.cnpg.io/v1', kind: 'Cluster', metadata: { name: 'pg' }, spec: { storage: { size: '1Gi' }, plugins: [{ name: 'x' }] } };
    // WHEN defaulted as the API server does
    const out = applyApiServerDefaults(doc, crd.schema, crd.key) as typeof doc & { spec: Record<string, unknown> };
    // THEN instances is 1 and the list item got its defaults; the input is untouched
    expect(out.spec.instances).toBe(1);
    expect(out.spec.plugins).toEqual([{ name: 'x', enabled: true, isWALArchiver: false }]);
    expect(doc.spec).not.toHaveProperty('instances');
    expect(doc.spec.plugins[0]).toEqual({ name: 'x' });
  });

  test('a null of a non-nullable field without default is pruned; a defaulted one gets its default', () => {
    const crd = clusterSchema();
    const doc = { apiVersion: 'postgresql.cnpg.io/v1', kind: 'Cluster', metadata: { name: 'pg' }, spec: { instances: null, storage: { size: '1Gi' }, backup: null } };
    const out = applyApiServerDefaults(doc, crd.schema, crd.key) as unknown as { spec: Record<string, unknown> };
    expect(out.spec.instances).toBe(1);
    expect(out.spec).not.toHaveProperty('backup');
  });

  test('an object that needs nothing is returned as is', () => {
    const crd = clusterSchema();
    const doc = cluster({ instances: 2, enablePDB: false });
    const once = applyApiServerDefaults(doc, crd.schema, crd.key);
    expect(applyApiServerDefaults(once, crd.schema, crd.key)).toBe(once);
  });
});

describe('validation sees what the API server stores', () => {
  test('a Cluster without instances is valid (the CRD defaults it to 1)', () => {
    // GIVEN CNPG's cluster-example without instances
    const docs = fromYaml('apiVersion: postgresql.cnpg.io/v1\nkind: Cluster\nmetadata:\n  name: cluster-example\nspec:\n  storage:\n    size: 1Gi\n');
    // WHEN validated at every CNPG version THEN nothing is wrong
    for (const cnpgVersion of ['1.28.0', '1.28.4', '1.30.0']) expect(errorsOf(validate(docs, { cnpgVersion }))).toEqual([]);
  });

  test('an empty s3Credentials key is pruned, not an error', () => {
    const docs = fromYaml('apiVersion: barmancloud.cnpg.io/v1\nkind: ObjectStore\nmetadata:\n  name: s\nspec:\n  configuration:\n    destinationPath: "s3://b/"\n    s3Credentials:\n');
    expect(errorsOf(validate(docs))).toEqual([]);
  });

  test.each([
    ['on', 'on'], ['yes', 'on'], ['off', 'off'],
  ])('fails when a PostgreSQL parameter is an unquoted %s (a YAML 1.1 boolean in a string map)', (word, fix) => {
    const docs = fromYaml(`apiVersion: postgresql.cnpg.io/v1\nkind: Cluster\nmetadata:\n  name: pg\nspec:\n  storage:\n    size: 1Gi\n  postgresql:\n    parameters:\n      log_checkpoints: ${word}\n`);
    const [error] = errorsOf(validate(docs));
    expect(error.path).toBe('spec.postgresql.parameters.log_checkpoints');
    expect(error.message).toMatch(/must be of type string, got (true|false)/);
    expect(error.fix).toContain(`quote it: "${fix}"`);
  });

  test('a YAML 1.1 boolean in a boolean field is accepted (reusePVC: on)', () => {
    const docs = [credentials(), objectStore(), ...fromYaml('apiVersion: postgresql.cnpg.io/v1\nkind: Cluster\nmetadata:\n  name: pg\nspec:\n  storage:\n    size: 1Gi\n  nodeMaintenanceWindow:\n    reusePVC: on\n    inProgress: off\n')];
    expect(errorsOf(validate(docs))).toEqual([]);
  });
});
