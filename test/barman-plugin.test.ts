import { ApiObject, Chart, JsonPatch, Testing } from 'cdk8s';
import { Construct } from 'constructs';
import { BarmanPlugin, BarmanPluginFeature, BarmanPluginVersion, CertManager, CertManagerVersion, CnpgOperator, CnpgVersion } from '../src';
import { backedUp, Doc, errorOf, expectPropError, find, validateApp } from './util';
import { RELEASES } from '../src/upstream/catalog';

/** A cert-manager installed elsewhere, declared in the chart. */
const existingCertManager = (chart: Construct) => CertManager.fromExisting(chart, 'CertManager', { version: CertManagerVersion.V1_19_4 });

const CLUSTER_SCOPED = ['Namespace', 'CustomResourceDefinition', 'ClusterRole', 'ClusterRoleBinding', 'MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration'];

describe.each(BarmanPluginVersion.all())('BarmanPlugin %s', (version) => {
  // GIVEN
  const chart = new Chart(Testing.app(), 'operators', { namespace: 'some-namespace' });
  // WHEN
  const plugin = new BarmanPlugin(chart, 'BarmanPlugin', { version, certManager: existingCertManager(chart) });
  const docs: Doc[] = Testing.synth(chart);
  const release = RELEASES.find(r => r.component === 'plugin-barman-cloud' && r.version === version.version)!;

  test('installs the kinds and counts of the release manifest', () => {
    // THEN
    const counts: Record<string, number> = {};
    for (const d of docs) counts[d.kind] = (counts[d.kind] ?? 0) + 1;
    expect(counts).toEqual({
      Certificate: 2,
      ClusterRole: 5,
      ClusterRoleBinding: 2,
      CustomResourceDefinition: 1,
      Deployment: 1,
      Issuer: 1,
      Role: 1,
      RoleBinding: 1,
      Secret: 1,
      Service: 1,
      ServiceAccount: 1,
    });
    expect(find(docs, 'CustomResourceDefinition').metadata.name).toBe('objectstores.barmancloud.cnpg.io');
  });

  test('runs in cnpg-system; cluster-scoped objects carry no namespace', () => {
    // THEN
    expect(plugin.namespace).toBe('cnpg-system');
    for (const d of docs) {
      expect(d.metadata.namespace).toBe(CLUSTER_SCOPED.includes(d.kind) ? undefined : 'cnpg-system');
    }
  });

  test('the plugin image and the SIDECAR_IMAGE are pinned to the version', () => {
    // THEN
    const deployment = find(docs, 'Deployment', 'barman-cloud');
    const container = deployment.spec.template.spec.containers[0];
    expect(container.image).toBe(`ghcr.io/cloudnative-pg/plugin-barman-cloud:v${version}`);
    const secret = find(docs, 'Secret');
    const sidecar = Buffer.from(secret.data.SIDECAR_IMAGE, 'base64').toString().trim();
    expect(sidecar).toBe(`ghcr.io/cloudnative-pg/plugin-barman-cloud-sidecar:v${version}`);
    // the Deployment reads SIDECAR_IMAGE from that Secret
    const env = container.env.find((e: Doc) => e.name === 'SIDECAR_IMAGE');
    expect(env.valueFrom.secretKeyRef).toEqual({ name: secret.metadata.name, key: 'SIDECAR_IMAGE' });
    expect(plugin.images).toEqual([
      `ghcr.io/cloudnative-pg/plugin-barman-cloud:v${version}`,
      `ghcr.io/cloudnative-pg/plugin-barman-cloud-sidecar:v${version}`,
    ]);
  });

  test('manifestSha256 is the catalog digest', () => {
    // THEN
    expect(plugin.manifestSha256).toBe(release.sha256[0]);
  });
});

describe('BarmanPlugin', () => {
  test('defaults to the newest version in the operator namespace', () => {
    // GIVEN
    const chart = Testing.chart();
    // WHEN
    const plugin = new BarmanPlugin(chart, 'BarmanPlugin', { certManager: existingCertManager(chart) });
    // THEN
    expect(plugin.version).toBe(BarmanPluginVersion.V0_14_0);
    expect(plugin.namespace).toBe('cnpg-system');
    expect(BarmanPlugin.PLUGIN_NAME).toBe('barman-cloud.cloudnative-pg.io');
  });

  test('defaultChild is the plugin Deployment', () => {
    // GIVEN
    const chart = Testing.chart();
    // WHEN
    const plugin = new BarmanPlugin(chart, 'BarmanPlugin', { certManager: existingCertManager(chart) });
    // THEN
    expect(ApiObject.of(plugin).kind).toBe('Deployment');
    expect(ApiObject.of(plugin).name).toBe('barman-cloud');
  });

  test('escape hatch: a JSON patch on the Deployment shows up in synth', () => {
    // GIVEN
    const chart = Testing.chart();
    const plugin = new BarmanPlugin(chart, 'BarmanPlugin', { certManager: existingCertManager(chart) });
    // WHEN
    ApiObject.of(plugin).addJsonPatch(JsonPatch.add('/spec/template/spec/nodeSelector', { 'kubernetes.io/arch': 'arm64' }));
    // THEN
    expect(find(Testing.synth(chart), 'Deployment').spec.template.spec.nodeSelector).toEqual({ 'kubernetes.io/arch': 'arm64' });
  });

  test('the namespace may be given when it equals the operator\'s', () => {
    // GIVEN
    const chart = Testing.chart();
    const operator = new CnpgOperator(chart, 'Cnpg', { version: CnpgVersion.V1_28_0 });
    // WHEN
    const plugin = new BarmanPlugin(chart, 'BarmanPlugin', { operator, namespace: 'cnpg-system', certManager: existingCertManager(chart) });
    // THEN
    expect(plugin.namespace).toBe(operator.namespace);
  });

  test('synth passes with a CertManager in the same app (another chart)', () => {
    // GIVEN
    const app = Testing.app();
    new CertManager(new Chart(app, 'cert-manager'), 'CertManager');
    // WHEN
    new BarmanPlugin(new Chart(app, 'plugin'), 'BarmanPlugin', { version: BarmanPluginVersion.V0_9_0 });
    // THEN
    expect(() => validateApp(app)).not.toThrow();
  });

  test('synth passes without a CertManager when it is declared external', () => {
    // GIVEN
    const app = Testing.app();
    // WHEN
    const chart = new Chart(app, 'plugin');
    new BarmanPlugin(chart, 'BarmanPlugin', { certManager: existingCertManager(chart) });
    // THEN
    expect(() => validateApp(app)).not.toThrow();
  });

  test('fails when there is no CertManager in the app and none is declared external', () => {
    // GIVEN
    const app = Testing.app();
    new BarmanPlugin(new Chart(app, 'plugin'), 'BarmanPlugin');
    // WHEN
    const message = errorOf(() => validateApp(app));
    // THEN
    expectPropError(message, {
      path: 'plugin/BarmanPlugin',
      prop: 'certManager',
      value: undefined,
      problem: 'the plugin needs cert-manager',
      fix: 'CertManager.fromExisting(chart, "CertManager", { version: CertManagerVersion.V1_19_4 })',
    });
  });

  test.each([
    ['the namespace is another namespace', { namespace: 'databases' }, 'namespace', 'databases', 'must be the operator\'s namespace "cnpg-system"', 'use "cnpg-system"'],
    ['the namespace is empty', { namespace: '' }, 'namespace', '', 'must be the operator\'s namespace', 'remove namespace'],
    ['the namespace is whitespace', { namespace: ' cnpg-system ' }, 'namespace', ' cnpg-system ', 'must be the operator\'s namespace', 'use "cnpg-system"'],
    ['the version is unknown', { version: 'nope' }, 'version', 'nope', 'is not a supported plugin version', 'BarmanPluginVersion.V0_14_0'],
    ['the version is a catalog version as a string', { version: '0.14.0' }, 'version', '0.14.0', 'must be a BarmanPluginVersion, not a string', 'BarmanPluginVersion.of("0.14.0")'],
    ['the version is empty', { version: '' }, 'version', '', 'is not a supported plugin version', 'BarmanPluginVersion.V0_9_0'],
  ])('fails when %s', (_, props, prop, value, problem, fix) => {
    // GIVEN
    const chart = Testing.chart();
    // WHEN
    const message = errorOf(() => new BarmanPlugin(chart, 'BarmanPlugin', { certManager: existingCertManager(chart), ...(props as any) }));
    // THEN
    expectPropError(message, { path: 'test/BarmanPlugin', prop, value, problem, fix });
  });

  test('fails when both namespace and version are wrong, with both errors in one message', () => {
    // GIVEN
    const chart = Testing.chart();
    // WHEN
    const message = errorOf(() => new BarmanPlugin(chart, 'BarmanPlugin', { namespace: 'other', version: 'nope' as any }));
    // THEN
    expect(message.split('\n').filter(l => l.startsWith('  [test/BarmanPlugin] '))).toHaveLength(2);
    expectPropError(message, { path: 'test/BarmanPlugin', prop: 'namespace', value: 'other', fix: 'use "cnpg-system"' });
    expectPropError(message, { path: 'test/BarmanPlugin', prop: 'version', value: 'nope', fix: 'BarmanPluginVersion' });
  });
});

describe('BarmanPlugin composed by reference', () => {
  test('fails when certManager is an object literal that claims to be one: it must be a cert-manager of this app', () => {
    // GIVEN a plugin given `{ external: false }` (what a JavaScript user can write), and no cert-manager at all
    const app = Testing.app();
    new BarmanPlugin(new Chart(app, 'plugin'), 'BarmanPlugin', { certManager: { external: false } as any });
    // WHEN
    const message = errorOf(() => validateApp(app));
    // THEN
    expectPropError(message, { path: 'plugin/BarmanPlugin', prop: 'certManager', value: { external: false }, problem: 'is not a cert-manager of this app', fix: 'CertManager.fromExisting' });
  });

  test('fails when certManager is a CertManager of another app', () => {
    // GIVEN
    const other = new CertManager(Testing.chart(), 'CertManager');
    const app = Testing.app();
    new BarmanPlugin(new Chart(app, 'plugin'), 'BarmanPlugin', { certManager: other });
    // WHEN / THEN
    expect(errorOf(() => validateApp(app))).toContain('[plugin/BarmanPlugin] certManager: is not a cert-manager of this app, got "construct test/CertManager"');
  });

  test('fromExisting declares a plugin installed elsewhere: no objects, and ObjectStores are judged by its version', () => {
    // GIVEN an app whose plugin was installed by Helm at v0.9.0
    const app = Testing.app();
    const ops = new Chart(app, 'operators');
    const plugin = BarmanPlugin.fromExisting(ops, 'BarmanPlugin', { version: BarmanPluginVersion.V0_9_0 });
    CnpgOperator.fromExisting(ops, 'Cnpg', { version: CnpgVersion.V1_28_0 });
    // WHEN a database asks for what v0.9.0 lacks (lz4 base backups arrived in v0.13.0)
    const db = backedUp(new Chart(app, 'db', { namespace: 'db' }), 'Postgres');
    db.objectStore.addJsonPatch(JsonPatch.replace('/spec/configuration/data/compression', 'lz4'));
    // THEN
    expect(plugin.version).toBe(BarmanPluginVersion.V0_9_0);
    expect(plugin.namespace).toBe('cnpg-system');
    expect(ops.node.findAll().filter(c => c instanceof ApiObject)).toEqual([]);
    expect(errorOf(() => validateApp(app))).toContain('[db/Postgres] ObjectStore "postgres-store" spec.configuration.data.compression: "lz4" is not allowed by barmancloud.cnpg.io ObjectStore of plugin 0.9.0');
  });

  test('fails when the operator declared with fromExisting runs outside the namespace the plugin manifest installs into', () => {
    // GIVEN
    const chart = Testing.chart();
    const operator = CnpgOperator.fromExisting(chart, 'Cnpg', { version: CnpgVersion.V1_28_0, namespace: 'postgres-operator' });
    // WHEN
    const message = errorOf(() => new BarmanPlugin(chart, 'BarmanPlugin', { operator, certManager: existingCertManager(chart) }));
    // THEN
    expectPropError(message, { path: 'test/BarmanPlugin', prop: 'operator', value: 'postgres-operator', problem: 'installs into "cnpg-system"', fix: 'BarmanPlugin.fromExisting' });
  });
});

describe('BarmanPluginVersion', () => {
  test('each version carries its catalog record: manifest URL, pinned digest, images, advisories', () => {
    for (const v of BarmanPluginVersion.all()) {
      const release = RELEASES.find(r => r.component === 'plugin-barman-cloud' && r.version === v.version)!;
      expect(v.manifestUrl).toBe(release.url);
      expect(v.manifestSha256).toBe(release.sha256[0]);
      expect(v.images).toEqual([`ghcr.io/cloudnative-pg/plugin-barman-cloud:v${v.version}`, `ghcr.io/cloudnative-pg/plugin-barman-cloud-sidecar:v${v.version}`]);
    }
    expect(BarmanPluginVersion.V0_9_0.advisories.map(a => a.id)).toEqual(['plugin-barman-cloud #385', 'plugin-barman-cloud #711/#735']);
    expect(BarmanPluginVersion.V0_14_0.advisories).toEqual([]);
  });

  test('of() takes the tag\'s spelling too, and refuses a version the catalog does not have', () => {
    expect(BarmanPluginVersion.of('v0.14.0')).toBe(BarmanPluginVersion.V0_14_0);
    expect(errorOf(() => BarmanPluginVersion.of('0.10.0'))).toBe('[BarmanPluginVersion.of] version: is not a plugin version of the catalog, got "0.10.0"; use one of "0.9.0", "0.14.0"');
  });

  test.each([
    [BarmanPluginFeature.LZ4_BASE_BACKUPS, false, true],
    [BarmanPluginFeature.AZURE_DEFAULT_CREDENTIALS, false, true],
    [BarmanPluginFeature.ZONELESS_TARGET_TIME_AS_UTC, false, true],
  ])('supports(%s): v0.9.0 %s, v0.14.0 %s', (feature, old, current) => {
    expect(BarmanPluginVersion.V0_9_0.supports(feature)).toBe(old);
    expect(BarmanPluginVersion.V0_14_0.supports(feature)).toBe(current);
  });
});
