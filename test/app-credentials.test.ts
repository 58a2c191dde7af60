import { Chart, Testing } from 'cdk8s';
import { AppCredentials } from '../src';
import { addOperators, backedUp, Doc, find, findPlaintextSecrets, synthAuthored, validateApp } from './util';

describe('AppCredentials', () => {
  test('generated(): the operator makes <cluster>-app; initdb references no Secret and nothing secret is synthesized', () => {
    // GIVEN
    const chart = Testing.chart();
    // WHEN
    const pg = backedUp(chart, 'Test', { credentials: AppCredentials.generated() });
    // THEN
    const docs = Testing.synth(chart);
    expect(find(docs, 'Cluster').spec.bootstrap.initdb.secret).toBeUndefined();
    expect(docs.filter((d: Doc) => d.kind === 'Secret')).toEqual([]);
    expect(pg.appSecretName).toBe('test-app');
    expect(findPlaintextSecrets(docs)).toEqual([]);
  });

  test('fromSecret(): initdb references the existing Secret by name and nothing secret is synthesized', () => {
    // GIVEN
    const chart = Testing.chart();
    // WHEN
    const pg = backedUp(chart, 'Test', { owner: 'user1', credentials: AppCredentials.fromSecret('postgres-secret') });
    // THEN
    const docs = Testing.synth(chart);
    expect(find(docs, 'Cluster').spec.bootstrap.initdb).toEqual({ database: 'app', owner: 'user1', secret: { name: 'postgres-secret' } });
    expect(docs.filter((d: Doc) => d.kind === 'Secret')).toEqual([]);
    expect(pg.appSecretName).toBe('postgres-secret');
    expect(AppCredentials.fromSecret('postgres-secret').isUnsafePlaintext).toBe(false);
  });

  describe('unsafePlaintext()', () => {
    // GIVEN a spy on stderr, and an app with the operators (so the whole app is validated as on synth)
    const writes: string[] = [];
    let spy: jest.SpyInstance;
    let docs: Doc[];
    let validation: () => string;
    beforeAll(() => {
      spy = jest.spyOn(process.stderr, 'write').mockImplementation((chunk: any) => {
        writes.push(String(chunk));
        return true;
      });
      const app = Testing.app();
      addOperators(app);
      const chart = new Chart(app, 'unsafe', { namespace: 'databases' });
      // WHEN
      backedUp(chart, 'Test', { owner: 'user1', credentials: AppCredentials.unsafePlaintext('user1', 'hunter2-plaintext') });
      docs = synthAuthored(chart);
      validation = () => validateApp(app);
    });
    afterAll(() => spy.mockRestore());

    test('is the only way a plaintext password appears, and the scan finds it', () => {
      // THEN
      const secret = find(docs, 'Secret', 'test-app-credentials');
      expect(secret.type).toBe('kubernetes.io/basic-auth');
      expect(secret.stringData).toEqual({ username: 'user1', password: 'hunter2-plaintext' });
      expect(findPlaintextSecrets(docs)).toEqual([expect.stringContaining('Secret/test-app-credentials')]);
      expect(AppCredentials.unsafePlaintext('user1', 'x').isUnsafePlaintext).toBe(true);
    });

    test('the Secret carries the warning annotation, in the cluster\'s namespace', () => {
      // THEN
      const secret = find(docs, 'Secret', 'test-app-credentials');
      expect(secret.metadata.annotations['cdk8s-cnpg.io/unsafe-plaintext']).toMatch(/plaintext password.*do not commit/);
      expect(secret.metadata.namespace).toBe('databases');
    });

    test('initdb references the synthesized Secret', () => {
      // THEN
      expect(find(docs, 'Cluster').spec.bootstrap.initdb.secret).toEqual({ name: 'test-app-credentials' });
    });

    test('a warning naming the construct and the safe alternative is printed to stderr', () => {
      // THEN
      const warning = writes.find(w => w.includes('unsafePlaintext'));
      expect(warning).toBeDefined();
      expect(warning).toContain('cdk8s-cnpg warning: [unsafe/Test] credentials:');
      expect(warning).toContain('AppCredentials.fromSecret()');
      // the password itself is never printed
      expect(writes.join('')).not.toContain('hunter2-plaintext');
    });

    test('the app still synthesizes (unsafe is allowed, not an error)', () => {
      // THEN
      expect(() => validation()).not.toThrow();
    });
  });
});
