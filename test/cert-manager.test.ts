import { ApiObject, Chart, JsonPatch, Testing } from 'cdk8s';
import { CertManager, CertManagerVersion } from '../src';
import { Doc, errorOf, expectPropError, find } from './util';
import { RELEASES } from '../src/upstream/catalog';

const CLUSTER_SCOPED = ['Namespace', 'CustomResourceDefinition', 'ClusterRole', 'ClusterRoleBinding', 'MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration'];

describe('CertManager', () => {
  // GIVEN a chart with a namespace, shared by the structural tests (one synth of the install)
  const chart = new Chart(Testing.app(), 'operators', { namespace: 'some-namespace' });
  // WHEN
  const certManager = new CertManager(chart, 'CertManager');
  const docs: Doc[] = Testing.synth(chart);

  test('installs the kinds and counts of the v1.19.4 manifest', () => {
    // THEN
    const counts: Record<string, number> = {};
    for (const d of docs) counts[d.kind] = (counts[d.kind] ?? 0) + 1;
    expect(counts).toEqual({
      ClusterRole: 13,
      ClusterRoleBinding: 10,
      CustomResourceDefinition: 6,
      Deployment: 3,
      MutatingWebhookConfiguration: 1,
      Namespace: 1,
      Role: 4,
      RoleBinding: 4,
      Service: 3,
      ServiceAccount: 3,
      ValidatingWebhookConfiguration: 1,
    });
    expect(certManager.version).toBe(CertManagerVersion.V1_19_4);
    expect(certManager.external).toBe(false);
  });

  test('cluster-scoped objects carry no namespace; namespaced ones stay in cert-manager or kube-system', () => {
    // THEN
    for (const d of docs.filter(x => CLUSTER_SCOPED.includes(x.kind))) expect(d.metadata.namespace).toBeUndefined();
    const namespaces = new Set(docs.filter(x => !CLUSTER_SCOPED.includes(x.kind)).map(d => d.metadata.namespace));
    expect([...namespaces].sort()).toEqual(['cert-manager', 'kube-system']);
    expect(certManager.namespace).toBe('cert-manager');
  });

  test('images are pinned to the version', () => {
    // THEN
    const images = docs.filter(d => d.kind === 'Deployment').flatMap(d => d.spec.template.spec.containers.map((c: Doc) => c.image)).sort();
    expect(images).toEqual([
      'quay.io/jetstack/cert-manager-cainjector:v1.19.4',
      'quay.io/jetstack/cert-manager-controller:v1.19.4',
      'quay.io/jetstack/cert-manager-webhook:v1.19.4',
    ]);
  });

  test('manifestSha256 is the catalog digest', () => {
    // THEN
    const release = RELEASES.find(r => r.component === 'cert-manager' && r.version === '1.19.4')!;
    expect(certManager.manifestSha256).toBe(release.sha256[0]);
  });

  test('defaultChild is the cert-manager controller Deployment', () => {
    // THEN
    const child = ApiObject.of(certManager);
    expect(child.kind).toBe('Deployment');
    expect(child.name).toBe('cert-manager');
  });

  test('escape hatch: a JSON patch on the controller Deployment shows up in synth', () => {
    // GIVEN
    const c = Testing.chart();
    const cm = new CertManager(c, 'CertManager');
    // WHEN
    ApiObject.of(cm).addJsonPatch(JsonPatch.replace('/spec/replicas', 2));
    // THEN
    expect(find(Testing.synth(c), 'Deployment', 'cert-manager').spec.replicas).toBe(2);
  });

  test('fromExisting declares an external cert-manager at a version and adds nothing', () => {
    // GIVEN
    const scope = Testing.chart();
    // WHEN
    const existing = CertManager.fromExisting(scope, 'CertManager', { version: CertManagerVersion.V1_19_4 });
    // THEN
    expect(existing.external).toBe(true);
    expect(existing.version).toBe(CertManagerVersion.V1_19_4);
    expect(Testing.synth(scope)).toEqual([]);
  });

  test('fails when fromExisting is given no version', () => {
    // GIVEN / WHEN
    const message = errorOf(() => CertManager.fromExisting(Testing.chart(), 'CertManager', {} as any));
    // THEN
    expectPropError(message, { path: 'test/CertManager', prop: 'version', value: undefined, problem: 'is required', fix: 'CertManagerVersion.V1_19_4' });
  });

  test.each([
    ['an unknown version', '1.18.0'],
    ['an empty version', ''],
  ])('fails when version is %s', (_, version) => {
    // GIVEN
    const c = Testing.chart();
    // WHEN
    const message = errorOf(() => new CertManager(c, 'CertManager', { version: version as unknown as CertManagerVersion }));
    // THEN
    expectPropError(message, { path: 'test/CertManager', prop: 'version', value: version, problem: 'is not a supported cert-manager version', fix: 'CertManagerVersion.V1_19_4' });
  });
});

describe('CertManagerVersion', () => {
  test('carries its catalog record, and of() finds it by number', () => {
    const v = CertManagerVersion.of('v1.19.4');
    expect(v).toBe(CertManagerVersion.V1_19_4);
    const release = RELEASES.find(r => r.component === 'cert-manager')!;
    expect(v.manifestSha256).toBe(release.sha256[0]);
    expect(v.images).toContain('quay.io/jetstack/cert-manager-controller:v1.19.4');
    expect(errorOf(() => CertManagerVersion.of('1.18.0'))).toMatch(/^\[CertManagerVersion\.of\] version: is not a cert-manager version of the catalog, got "1\.18\.0"; use one of "1\.19\.4"$/);
  });
});
