import { ApiObject, Chart, JsonPatch, Testing } from 'cdk8s';
import { CertManager } from '../src';
import { upstreamHeader } from '../src/private/upstream-header';

describe('upstreamHeader', () => {
  test('is undefined for a chart without installs', () => {
    expect(upstreamHeader(Testing.chart())).toBeUndefined();
  });

  test('counts the objects a reviewer must read: the app\'s own and patched upstream ones', () => {
    // GIVEN cert-manager, one of its objects patched, and an object of the app's own in the same chart
    const chart = new Chart(Testing.app(), 'operators');
    const certManager = new CertManager(chart, 'CertManager');
    ApiObject.of(certManager).addJsonPatch(JsonPatch.add('/spec/replicas', 2));
    new ApiObject(chart, 'Own', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'own' } });
    // WHEN
    const header = upstreamHeader(chart)!;
    // THEN
    const total = certManager.apiObjects.length + 1;
    expect(header.split('\n')[1]).toMatch(/^# {3}cert-manager 1\.19\.4 {2}sha256:abad4087[0-9a-f]{56} {2}https:\/\/github\.com\/cert-manager\/cert-manager\/releases\/download\/v1\.19\.4\/cert-manager\.yaml$/);
    expect(header.split('\n')[2]).toBe(`# ${total - 2} of the ${total} objects below are those documents unchanged; the other 2 are this app's own or patched: review them.`);
    expect(header.endsWith('\n')).toBe(true);
  });
});
