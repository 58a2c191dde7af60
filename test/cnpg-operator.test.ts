import { ApiObject, App, Chart, JsonPatch, Testing } from 'cdk8s';
import { CnpgFeature, CnpgOperator, CnpgVersion, ICnpgOperator } from '../src';
import { backedUp, Doc, errorOf, expectPropError, find, validateApp } from './util';
import { RELEASES } from '../src/upstream/catalog';
import { CLUSTER_SCOPED_KINDS } from '../src/upstream/manifest';

const CLUSTER_SCOPED = ['Namespace', 'CustomResourceDefinition', 'ClusterRole', 'ClusterRoleBinding', 'MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration'];

// Kinds and counts of each release's install manifest (the 1.30.0 release adds one CRD).
const KINDS_1_28 = {
  ClusterRole: 7,
  ClusterRoleBinding: 1,
  ConfigMap: 1,
  CustomResourceDefinition: 10,
  Deployment: 1,
  MutatingWebhookConfiguration: 1,
  Namespace: 1,
  Service: 1,
  ServiceAccount: 1,
  ValidatingWebhookConfiguration: 1,
};
const EXPECTED_KINDS: Record<string, Record<string, number>> = {
  '1.28.0': KINDS_1_28,
  '1.28.1': KINDS_1_28,
  '1.28.4': KINDS_1_28,
  '1.29.1': KINDS_1_28,
  '1.29.2': KINDS_1_28,
  '1.30.0': { ...KINDS_1_28, CustomResourceDefinition: 11 },
};

function kindCounts(docs: Doc[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const d of docs) counts[d.kind] = (counts[d.kind] ?? 0) + 1;
  return counts;
}

describe.each(CnpgVersion.all())('CnpgOperator %s', (version) => {
  // GIVEN a chart WITH a namespace (cdk8s Include would stamp it onto cluster-scoped objects)
  const chart = new Chart(Testing.app(), 'operators', { namespace: 'some-namespace' });
  // WHEN
  const operator = new CnpgOperator(chart, 'Cnpg', { version });
  const docs: Doc[] = Testing.synth(chart);
  const release = RELEASES.find(r => r.component === 'cnpg' && r.version === version.version)!;

  test('installs the kinds and counts of the release manifest', () => {
    // THEN
    expect(kindCounts(docs)).toEqual(EXPECTED_KINDS[version.version]);
    expect(operator.apiObjects).toHaveLength(docs.length);
  });

  test('cluster-scoped objects carry no namespace, even in a chart with one', () => {
    // THEN
    const clusterScoped = docs.filter(d => CLUSTER_SCOPED.includes(d.kind));
    expect(clusterScoped.length).toBeGreaterThan(15);
    for (const d of clusterScoped) {
      expect(CLUSTER_SCOPED_KINDS.has(d.kind)).toBe(true);
      const where = `${d.kind}/${d.metadata.name}`;
      expect({ where, namespace: d.metadata.namespace }).toEqual({ where, namespace: undefined });
    }
  });

  test('namespaced objects stay in cnpg-system (the chart namespace does not move them)', () => {
    // THEN
    const namespaced = docs.filter(d => !CLUSTER_SCOPED.includes(d.kind));
    expect(namespaced.map(d => d.metadata.namespace)).toEqual(namespaced.map(() => 'cnpg-system'));
    expect(operator.namespace).toBe('cnpg-system');
    expect(find(docs, 'Namespace').metadata.name).toBe('cnpg-system');
  });

  test('the controller image is pinned to the version', () => {
    // THEN
    const deployment = find(docs, 'Deployment');
    const images = deployment.spec.template.spec.containers.map((c: Doc) => c.image);
    expect(images).toEqual([`ghcr.io/cloudnative-pg/cloudnative-pg:${version}`]);
    expect(operator.image).toBe(`ghcr.io/cloudnative-pg/cloudnative-pg:${version}`);
    expect(operator.version).toBe(version);
  });

  test('manifestSha256 is the catalog digest', () => {
    // THEN
    expect(release.pinned).toBe(true);
    expect(operator.manifestSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(operator.manifestSha256).toBe(release.sha256[0]);
  });

  test('the Poolers CRD is over the 262144-byte client-side apply annotation limit (why server-side apply)', () => {
    // THEN
    const poolers = find(docs, 'CustomResourceDefinition', 'poolers.postgresql.cnpg.io');
    expect(Buffer.byteLength(JSON.stringify(poolers))).toBeGreaterThan(262144);
  });
});

describe('CnpgOperator', () => {
  test('defaults to the newest catalog version', () => {
    // GIVEN
    const chart = Testing.chart();
    // WHEN
    const operator = new CnpgOperator(chart, 'Cnpg');
    // THEN
    expect(operator.version).toBe(CnpgVersion.V1_30_0);
    expect(operator.image).toBe('ghcr.io/cloudnative-pg/cloudnative-pg:1.30.0');
  });

  test('defaultChild is the controller Deployment', () => {
    // GIVEN
    const chart = Testing.chart();
    // WHEN
    const operator = new CnpgOperator(chart, 'Cnpg', { version: CnpgVersion.V1_28_0 });
    // THEN
    const child = ApiObject.of(operator);
    expect(child.kind).toBe('Deployment');
    expect(child.name).toBe('cnpg-controller-manager');
  });

  test('escape hatch: a JSON patch on the Deployment shows up in synth', () => {
    // GIVEN
    const chart = Testing.chart();
    const operator = new CnpgOperator(chart, 'Cnpg', { version: CnpgVersion.V1_28_0 });
    // WHEN
    ApiObject.of(operator).addJsonPatch(JsonPatch.add('/spec/template/spec/priorityClassName', 'system-cluster-critical'));
    // THEN
    const deployment = find(Testing.synth(chart), 'Deployment');
    expect(deployment.spec.template.spec.priorityClassName).toBe('system-cluster-critical');
    expect(deployment.metadata.namespace).toBe('cnpg-system');
  });

  test('a patched cluster-scoped object in a namespaced chart with labels still has no namespace', () => {
    // GIVEN a chart with a namespace and labels (this takes the regular ApiObject path)
    const chart = new Chart(Testing.app(), 'ops', { namespace: 'elsewhere', labels: { team: 'db' } });
    const operator = new CnpgOperator(chart, 'Cnpg', { version: CnpgVersion.V1_28_0 });
    const crd = operator.apiObjects.find(o => o.kind === 'CustomResourceDefinition')!;
    // WHEN
    crd.addJsonPatch(JsonPatch.add('/metadata/annotations', { reviewed: 'yes' }));
    // THEN
    const docs: Doc[] = Testing.synth(chart);
    for (const d of docs.filter(x => CLUSTER_SCOPED.includes(x.kind))) expect(d.metadata.namespace).toBeUndefined();
    const patched = docs.find(d => d.kind === 'CustomResourceDefinition' && d.metadata.name === crd.name)!;
    expect(patched.metadata.annotations).toEqual({ reviewed: 'yes' });
    expect(patched.metadata.labels).toMatchObject({ team: 'db' });
  });

  test.each([
    ['an unknown version', '1.27.0', 'is not a supported CNPG version', 'CnpgVersion.V1_30_0'],
    ['an empty version', '', 'is not a supported CNPG version', 'CnpgVersion.V1_30_0'],
    ['a catalog version as a string (JavaScript)', '1.28.4', 'must be a CnpgVersion, not a string', 'use CnpgVersion.of("1.28.4")'],
    ['a catalog version with a v prefix as a string', 'v1.28.0', 'must be a CnpgVersion, not a string', 'use CnpgVersion.of("v1.28.0")'],
  ])('fails when version is %s', (_, version, problem, fix) => {
    // GIVEN
    const chart = Testing.chart();
    // WHEN
    const message = errorOf(() => new CnpgOperator(chart, 'Cnpg', { version: version as unknown as CnpgVersion }));
    // THEN
    expectPropError(message, { path: 'test/Cnpg', prop: 'version', value: version, problem, fix });
  });
});

describe('CnpgOperator.fromExisting', () => {
  /** An app whose database sets `serviceAccountName`, a Cluster field CNPG 1.28.0 does not have (1.30.0 does). */
  function appWithNewerField(declare?: (chart: Chart) => void): App {
    const app = Testing.app();
    const ops = new Chart(app, 'operators');
    declare?.(ops);
    const db = backedUp(new Chart(app, 'db', { namespace: 'db' }), 'Postgres');
    ApiObject.of(db).addJsonPatch(JsonPatch.add('/spec/serviceAccountName', 'postgres'));
    return app;
  }

  test('an operator installed elsewhere adds no object, and the app is validated against its version', () => {
    // GIVEN an app whose operator was installed by Helm at 1.28.0
    let operator: ICnpgOperator | undefined;
    const app = appWithNewerField(ops => {
      operator = CnpgOperator.fromExisting(ops, 'Cnpg', { version: CnpgVersion.V1_28_0 });
    });
    // WHEN
    const message = errorOf(() => validateApp(app));
    // THEN
    expect(operator!.version).toBe(CnpgVersion.V1_28_0);
    expect(operator!.namespace).toBe('cnpg-system');
    expect(app.node.findChild('operators').node.findAll().filter(c => c instanceof ApiObject)).toEqual([]);
    expect(message).toContain('[db/Postgres] Cluster "postgres" spec.serviceAccountName: unknown field "serviceAccountName": not in postgresql.cnpg.io Cluster of CNPG 1.28.0');
  });

  test('an app that installs and declares nothing is checked against the newest CNPG, and says which', () => {
    // GIVEN
    const app = appWithNewerField();
    const stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      // WHEN / THEN the newest release has the field
      expect(() => validateApp(app)).not.toThrow();
      expect(stderr.mock.calls.map(c => String(c[0])).join('')).toContain(`its objects were checked against CNPG ${CnpgVersion.all().slice(-1)[0].version}, the newest in the catalog`);
    } finally {
      stderr.mockRestore();
    }
  });

  test('fails when the app runs two versions of the operator', () => {
    // GIVEN
    const app = Testing.app();
    const ops = new Chart(app, 'operators');
    new CnpgOperator(ops, 'Cnpg', { version: CnpgVersion.V1_30_0 });
    CnpgOperator.fromExisting(ops, 'Helm', { version: CnpgVersion.V1_28_0 });
    // WHEN / THEN
    expect(errorOf(() => validateApp(app))).toContain('[operators/Helm] version: the app runs CNPG 1.30.0 (operators/Cnpg) and 1.28.0 here, got "1.28.0"; use one version of CNPG per app');
  });

  test.each([
    ['no version', {}, undefined, 'is required'],
    ['an unknown version', { version: '1.27.9' }, '1.27.9', 'is not a supported CNPG version'],
  ])('fails when fromExisting is given %s', (_, options, value, problem) => {
    // GIVEN / WHEN
    const message = errorOf(() => CnpgOperator.fromExisting(Testing.chart(), 'Cnpg', options as any));
    // THEN
    expectPropError(message, { path: 'test/Cnpg', prop: 'version', value, problem, fix: 'CnpgVersion.V1_28_0' });
  });
});

describe('CnpgVersion', () => {
  test('each version carries its catalog record: manifest URL, pinned digest and image', () => {
    // GIVEN / WHEN / THEN
    for (const v of CnpgVersion.all()) {
      const release = RELEASES.find(r => r.component === 'cnpg' && r.version === v.version)!;
      expect(v.manifestUrl).toBe(release.url);
      expect(v.manifestSha256).toBe(release.sha256[0]);
      expect(v.image).toBe(`ghcr.io/cloudnative-pg/cloudnative-pg:${v.version}`);
      expect(String(v)).toBe(v.version);
    }
    expect(CnpgVersion.all().map(v => v.version)).toEqual(['1.28.0', '1.28.1', '1.28.4', '1.29.1', '1.29.2', '1.30.0']);
  });

  test('of() gives the same member for a catalog version, with or without the tag\'s v', () => {
    expect(CnpgVersion.of('1.28.4')).toBe(CnpgVersion.V1_28_4);
    expect(CnpgVersion.of('v1.30.0')).toBe(CnpgVersion.V1_30_0);
  });

  test.each([['1.27.0'], [''], ['latest']])('fails when of() is given %j, listing the catalog', (version) => {
    expect(errorOf(() => CnpgVersion.of(version))).toBe(
      `[CnpgVersion.of] version: is not a CNPG version of the catalog, got ${JSON.stringify(version)}; use one of "1.28.0", "1.28.1", "1.28.4", "1.29.1", "1.29.2", "1.30.0"`);
  });

  test('advisories: the restore-timeline bug on 1.28.0, 1.28.1 and 1.29.1, none on the fixed patches', () => {
    const ids = (v: CnpgVersion) => v.advisories.map(a => a.id);
    for (const v of [CnpgVersion.V1_28_0, CnpgVersion.V1_28_1, CnpgVersion.V1_29_1]) expect(ids(v)).toContain('cloudnative-pg #10818');
    for (const v of [CnpgVersion.V1_28_4, CnpgVersion.V1_29_2, CnpgVersion.V1_30_0]) expect(ids(v)).toEqual([]);
    expect(CnpgVersion.V1_28_0.advisories[0].fixedIn).toEqual(['1.28.4', '1.29.2', '1.30.0']);
  });

  test.each([
    [CnpgFeature.RESTORE_FOLLOWS_TIMELINES, ['1.28.4', '1.29.2', '1.30.0']],
    [CnpgFeature.TARGET_XID_CHECKED, ['1.28.4', '1.29.1', '1.29.2', '1.30.0']],
    [CnpgFeature.UTC_TARGET_TIME, ['1.28.1', '1.28.4', '1.29.1', '1.29.2', '1.30.0']],
    [CnpgFeature.AZURE_DEFAULT_CREDENTIALS, ['1.28.1', '1.28.4', '1.29.1', '1.29.2', '1.30.0']],
  ])('supports(%s): the releases that have it, backports included', (feature, versions) => {
    expect(CnpgVersion.all().filter(v => v.supports(feature)).map(v => v.version)).toEqual(versions);
  });
});
