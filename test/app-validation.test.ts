import { ApiObject, App, Chart, JsonPatch, Testing } from 'cdk8s';
import { AppValidation } from '../src';
import { addOperators, backedUp, errorOf } from './util';

/** A cert-manager Certificate written by another team, with a field cert-manager does not know. */
function foreignCertificate(app: App): ApiObject {
  const chart = new Chart(app, 'other-team', { namespace: 'web' });
  return new ApiObject(chart, 'Cert', {
    apiVersion: 'cert-manager.io/v1',
    kind: 'Certificate',
    metadata: { name: 'web-tls' },
    spec: { secretName: 'web-tls', issuerRef: { name: 'letsencrypt', kind: 'ClusterIssuer' }, dnsNames: ['example.com'], renewBeforeDays: 3 },
  });
}

describe('AppValidation', () => {
  test("another chart's object is not ours to judge: a Certificate with an unknown field synthesizes", () => {
    // GIVEN an app with our constructs and another team's chart
    const app = Testing.app();
    addOperators(app);
    backedUp(new Chart(app, 'db', { namespace: 'db' }), 'Postgres');
    foreignCertificate(app);
    // WHEN / THEN
    expect(() => app.synthYaml()).not.toThrow();
    expect(AppValidation.of(app).validatesAll).toBe(false);
  });

  test('validateAll() checks every object of the app, under its own path', () => {
    // GIVEN the same app, asking for app-wide checking
    const app = Testing.app();
    AppValidation.of(app).validateAll();
    addOperators(app);
    backedUp(new Chart(app, 'db', { namespace: 'db' }), 'Postgres');
    foreignCertificate(app);
    // WHEN
    const message = errorOf(() => app.synthYaml());
    // THEN
    expect(message).toContain('[other-team/Cert] Certificate "web-tls" spec.renewBeforeDays: unknown field "renewBeforeDays"');
    expect(AppValidation.of(app).validatesAll).toBe(true);
  });

  test('a patch made after a first synth is judged on the next synth', () => {
    // GIVEN an app that synthesizes
    const app = Testing.app();
    addOperators(app);
    const pg = backedUp(new Chart(app, 'db', { namespace: 'db' }), 'Postgres');
    expect(() => app.synthYaml()).not.toThrow();
    // WHEN an escape hatch sets what CNPG rejects
    ApiObject.of(pg).addJsonPatch(JsonPatch.replace('/spec/instances', 0));
    // THEN
    expect(errorOf(() => app.synthYaml())).toMatch(/\[db\/Postgres\] Cluster "postgres" spec\.instances: must be >= 1, got 0/);
  });

  test('findings of several constructs are reported together, each under its owner, in the prop-error shape', () => {
    // GIVEN two databases, each patched into a broken state
    const app = Testing.app();
    addOperators(app);
    const chart = new Chart(app, 'db', { namespace: 'db' });
    const a = backedUp(chart, 'A', { clusterName: 'a' });
    const b = backedUp(chart, 'B', { clusterName: 'b' });
    ApiObject.of(a).addJsonPatch(JsonPatch.replace('/spec/instances', 0));
    b.objectStore.addJsonPatch(JsonPatch.add('/spec/retentionPolicy', '7 days'));
    // WHEN
    const message = errorOf(() => app.synthYaml());
    // THEN
    const lines = message.split('\n').slice(1).map(l => l.trim());
    expect(lines.some(l => l.startsWith('[db/A] Cluster "a" spec.instances: '))).toBe(true);
    expect(lines.some(l => l.startsWith('[db/B] ObjectStore "b-store" spec.retentionPolicy: '))).toBe(true);
    for (const line of lines) {
      expect(line).toMatch(/^\[[^\]]+\] \S+ "[^"]+" \S+: .+; .+$/);
      expect(line).not.toContain('got undefined');
      expect(line).not.toMatch(/^\[\]/);
    }
  });

  test('an app that installs nothing is checked against the newest catalog version, and says so', () => {
    // GIVEN a database, and no operator in the app
    const app = Testing.app();
    backedUp(new Chart(app, 'db', { namespace: 'db' }), 'Postgres');
    const stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      // WHEN
      app.synthYaml();
      // THEN
      const warnings = stderr.mock.calls.map(c => String(c[0])).join('');
      expect(warnings).toMatch(/cdk8s-cnpg warning: the app neither installs nor declares CNPG: its objects were checked against CNPG \d+\.\d+\.\d+, the newest in the catalog; declare the version your cluster runs with CnpgOperator\.fromExisting/);
    } finally {
      stderr.mockRestore();
    }
  });
});
