import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/**
 * Parsed and rendered upstream documents are cached in the user cache; the output must stay byte-identical
 * whether the cache is off, cold or warm. Each synth runs in a fresh module registry, as a new process would.
 */
function synthInFreshProcessState(outdir: string): Record<string, string> {
  jest.isolateModules(() => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { synthExample } = require('../src/main');
    synthExample(outdir);
  });
  return Object.fromEntries(fs.readdirSync(outdir).filter(f => f.endsWith('.yaml')).sort()
    .map(f => [f, fs.readFileSync(path.join(outdir, f), 'utf-8')]));
}

describe('derived upstream data in the user cache', () => {
  const saved = { ...process.env };
  let tmp: string;
  beforeEach(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cache-test-'));
    process.env.XDG_CACHE_HOME = path.join(tmp, 'cache');
  });
  afterEach(() => {
    process.env = { ...saved };
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  test('output is byte-identical with the cache off, cold and warm', () => {
    // GIVEN no cache
    process.env.CDK8S_CNPG_NO_CACHE = '1';
    const off = synthInFreshProcessState(path.join(tmp, 'off'));
    expect(fs.existsSync(path.join(tmp, 'cache', 'cdk8s-cnpg', 'derived'))).toBe(false);

    // WHEN the cache is on: a cold run fills it, a warm run reads it
    delete process.env.CDK8S_CNPG_NO_CACHE;
    const cold = synthInFreshProcessState(path.join(tmp, 'cold'));
    const derived = path.join(tmp, 'cache', 'cdk8s-cnpg', 'derived');
    expect(fs.readdirSync(path.join(derived, 'parsed'))).toHaveLength(3);
    expect(fs.readdirSync(path.join(derived, 'rendered'))).toHaveLength(3);
    const warm = synthInFreshProcessState(path.join(tmp, 'warm'));

    // THEN all three are the same bytes
    expect(Object.keys(off)).toEqual(['database.k8s.yaml', 'operators.k8s.yaml', 'restore.k8s.yaml']);
    expect(cold).toEqual(off);
    expect(warm).toEqual(off);
  });

  test('an unusable cache folder is no error: synth works and gives the same bytes', () => {
    // GIVEN a cache path that runs through a file
    const blocker = path.join(tmp, 'cache');
    fs.writeFileSync(blocker, 'not a folder');
    // WHEN / THEN
    const blocked = synthInFreshProcessState(path.join(tmp, 'blocked'));
    process.env.CDK8S_CNPG_NO_CACHE = '1';
    expect(blocked).toEqual(synthInFreshProcessState(path.join(tmp, 'off')));
    expect(fs.statSync(blocker).isFile()).toBe(true);
  });

  test('an upstream object changed through an escape hatch is rendered afresh, not from the cache', () => {
    // GIVEN a warm cache, and an app that patches the operator's Deployment
    synthInFreshProcessState(path.join(tmp, 'warm-up'));
    let text = '';
    jest.isolateModules(() => {
      /* eslint-disable @typescript-eslint/no-require-imports */
      const { App, Chart, ApiObject, JsonPatch } = require('cdk8s');
      const { CnpgOperator } = require('../src');
      /* eslint-enable @typescript-eslint/no-require-imports */
      const app = new App({ outdir: path.join(tmp, 'patched') });
      const operator = new CnpgOperator(new Chart(app, 'operators'), 'Cnpg', { version: '1.28.0' });
      ApiObject.of(operator).addJsonPatch(JsonPatch.add('/spec/template/spec/priorityClassName', 'system-cluster-critical'));
      operator.apiObjects.find((o: any) => o.kind === 'Namespace').metadata.addLabel('team', 'db');
      // WHEN the app writes its files
      app.synth();
      text = fs.readFileSync(path.join(tmp, 'patched', 'operators.k8s.yaml'), 'utf-8');
    });
    // THEN the patch and the label are in the written YAML
    expect(text).toContain('priorityClassName: system-cluster-critical');
    expect(text).toMatch(/kind: Namespace\nmetadata:\n  labels:\n(.*\n)*?    team: db/);
  });

  test('a damaged cache entry is recomputed, not trusted', () => {
    // GIVEN a filled cache whose entries are then damaged
    synthInFreshProcessState(path.join(tmp, 'first'));
    const derived = path.join(tmp, 'cache', 'cdk8s-cnpg', 'derived');
    const damage = [
      (text: string) => text.replace('cnpg-system', 'Tampered'), // still valid JSON
      () => '{"not": "what it was"',
    ];
    for (const bucket of ['parsed', 'rendered']) {
      fs.readdirSync(path.join(derived, bucket)).forEach((f, i) => {
        const file = path.join(derived, bucket, f);
        fs.writeFileSync(file, damage[i % 2](fs.readFileSync(file, 'utf-8')));
      });
    }
    // WHEN synthesizing again
    const again = synthInFreshProcessState(path.join(tmp, 'again'));
    // THEN the output equals an uncached synth
    process.env.CDK8S_CNPG_NO_CACHE = '1';
    expect(again).toEqual(synthInFreshProcessState(path.join(tmp, 'off')));
    expect(again['operators.k8s.yaml']).not.toContain('Tampered');
  });
});
