import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { runCli } from '../../src/cli/cli';

const FIXTURES = path.join(__dirname, '..', 'fixtures');
const SEED_POST = path.join(__dirname, '..', '..', '..', 'shared', 'seed', 'self-hosted-postgres-pitr.md');

function run(...argv: string[]): { code: number; stdout: string; stderr: string } {
  let stdout = '';
  let stderr = '';
  const code = runCli(argv, { stdout: s => { stdout += s; }, stderr: s => { stderr += s; } });
  return { code, stdout, stderr };
}

describe('cdk8s-cnpg validate on the seed', () => {
  test('the seed fixtures are the post\'s YAML blocks, unchanged but for the plugins fragment', () => {
    // GIVEN the YAML code blocks of the post, read at test time
    if (!fs.existsSync(SEED_POST)) return; // the post lives outside the repository
    const blocks = [...fs.readFileSync(SEED_POST, 'utf-8').matchAll(/```yaml\n([\s\S]*?)```/g)].map(m => m[1]);
    const fixtures = fs.readdirSync(path.join(FIXTURES, 'seed')).filter(f => f.endsWith('.yaml')).sort()
      .map(f => fs.readFileSync(path.join(FIXTURES, 'seed', f), 'utf-8')).join('\n');
    // THEN every block except the spec fragment appears verbatim, and the fragment appears indented under spec
    const [fragment] = blocks.filter(b => b.startsWith('plugins:'));
    for (const block of blocks.filter(b => b !== fragment)) expect(fixtures).toContain(block);
    expect(fixtures).toContain(fragment.split('\n').map(l => (l ? `  ${l}` : l)).join('\n'));
  });

  test('fails when given the seed as written: namespace mismatch and the ignored targetTime', () => {
    // WHEN
    const { code, stdout } = run('validate', '--cnpg-version', '1.28.0', '--plugin-version', '0.9.0', path.join(FIXTURES, 'seed'));
    // THEN
    expect(code).toBe(1);
    expect(stdout).toMatch(/01-cluster\.yaml: Cluster cpgn-system\/test: spec\.plugins\[0\]\.parameters\.barmanObjectName: ObjectStore "s3-store" not found in namespace "cpgn-system" \(one named "s3-store" exists in "cnpg-system"\) — /);
    expect(stdout).toMatch(/04-scheduled-backup\.yaml: ScheduledBackup cnpg-system\/pg-backup: spec\.cluster\.name: cluster "test" not found in namespace "cnpg-system" \(one named "test" exists in "cpgn-system"\)/);
    expect(stdout).toMatch(/05-restore\.yaml: Cluster cnpg-system\/test-restore: spec\.externalClusters\[0\]\.plugin\.parameters\.targetTime: parameter "targetTime" is ignored .* — move it to spec\.bootstrap\.recovery\.recoveryTarget\.targetTime/);
  });

  test('passes the corrected seed', () => {
    const { code, stdout, stderr } = run('validate', path.join(FIXTURES, 'seed-corrected'));
    expect({ code, stdout, stderr }).toEqual({ code: 0, stdout: '', stderr: '' });
  });

  test('resolves references across files given one by one', () => {
    const dir = path.join(FIXTURES, 'seed-corrected');
    const files = fs.readdirSync(dir).filter(f => f.endsWith('.yaml')).map(f => path.join(dir, f));
    expect(run('validate', ...files).code).toBe(0);
  });

  test('reports references outside the set as warnings and exits 0', () => {
    // GIVEN only the corrected cluster: its ObjectStore is not given
    const { code, stdout } = run('validate', path.join(FIXTURES, 'seed-corrected', '01-cluster.yaml'));
    expect(code).toBe(0);
    expect(stdout).toMatch(/^.*01-cluster\.yaml: warning: Cluster cnpg-system\/test: spec\.plugins\[0\]\.parameters\.barmanObjectName: ObjectStore "s3-store" not found/m);
  });
});

describe('cdk8s-cnpg usage', () => {
  test('--help prints the usage and exits 0', () => {
    const { code, stdout } = run('--help');
    expect(code).toBe(0);
    expect(stdout).toContain('usage: cdk8s-cnpg validate');
    expect(stdout).toContain('FILE: warning: Kind namespace/name');
  });

  let tmp: string;
  beforeAll(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-cnpg-cli-'));
    fs.writeFileSync(path.join(tmp, 'scalar.yaml'), 'just a string\n');
  });
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

  test.each([
    ['a file is missing', ['validate', 'does-not-exist.yaml'], /does-not-exist\.yaml: cannot read: no such file or directory/],
    ['the YAML is bad', ['validate', path.join(FIXTURES, 'invalid', 'bad.yaml')], /bad\.yaml: cannot parse: /],
    ['a document is not an object', () => ['validate', path.join(tmp, 'scalar.yaml')], /scalar\.yaml: document 1 is not a Kubernetes object/],
    ['a flag is unknown', ['validate', '--strict', 'x.yaml'], /unknown option "--strict"/],
    ['a version is unknown', ['validate', '--cnpg-version', '1.99.0', 'x.yaml'], /unknown cnpg version "1\.99\.0" for --cnpg-version; supported: 1\.28\.0, 1\.28\.1, 1\.28\.4, 1\.29\.1, 1\.29\.2, 1\.30\.0/],
    ['a plugin version is unknown', ['validate', '--plugin-version=0.10.0', 'x.yaml'], /supported: 0\.9\.0, 0\.14\.0/],
    ['no file is given', ['validate'], /no files given/],
    ['a folder holds no manifests', ['validate', path.join(__dirname)], /cli: no \.yaml, \.yml or \.json files found/],
    ['the command is unknown', ['check', 'x.yaml'], /unknown command "check"/],
  ] as Array<[string, string[] | (() => string[]), RegExp]>)('fails with exit code 2 when %s', (_name, argv, message) => {
    const { code, stderr, stdout } = run(...(typeof argv === 'function' ? argv() : argv));
    expect(code).toBe(2);
    expect(stderr).toMatch(message);
    expect(stdout).toBe('');
  });
});
