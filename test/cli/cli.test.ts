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

  test('passes the corrected seed, flagging the Secrets that carry values in the YAML', () => {
    const { code, stdout, stderr } = run('validate', path.join(FIXTURES, 'seed-corrected'));
    const files = fs.readdirSync(path.join(FIXTURES, 'seed-corrected')).filter(f => f.endsWith('.yaml')).length;
    // THEN two warnings (plain-text Secrets), and one summary line on stderr
    expect(code).toBe(0);
    expect(stderr).toMatch(new RegExp(`^${files} files, \\d+ objects, 0 errors, 2 warnings\n$`));
    expect(stdout.split('\n').filter(Boolean)).toEqual([
      expect.stringMatching(/01-cluster\.yaml: warning: Secret cnpg-system\/postgres-secret: stringData: carries values in plain text \("stringData\.username", "stringData\.password"\), and Cluster "test" uses it/),
      expect.stringMatching(/02-s3-credentials\.yaml: warning: Secret cnpg-system\/s3-credentials: stringData: carries values in plain text \("stringData\.access-key-id", "stringData\.secret-key-id"\), and ObjectStore "s3-store" uses it: base64 is an encoding, not encryption — create the Secret outside the YAML/),
    ]);
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
  test('--help lists the commands and exits 0', () => {
    const { code, stdout } = run('--help');
    expect(code).toBe(0);
    expect(stdout).toMatch(/^usage: cdk8s-cnpg <command>/);
    expect(stdout).toMatch(/^ {2}validate {2}check Kubernetes manifests/m);
    expect(stdout).toContain('--version');
  });

  test.each([[['validate', '--help']], [['validate', '-h']], [['help', 'validate']]])('%j prints the usage of validate and exits 0', (argv) => {
    const { code, stdout } = run(...argv);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^usage: cdk8s-cnpg validate /);
    expect(stdout).toContain('FILE: warning: Kind namespace/name');
  });

  test.each([['--version'], ['-V']])('%s prints the package version', (flag) => {
    const { code, stdout } = run(flag);
    expect(code).toBe(0);
    expect(stdout).toBe(`${JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf-8')).version}\n`);
  });

  test('counts files, objects, errors and warnings in the summary', () => {
    // GIVEN the seed as written: errors and warnings
    const { stderr, stdout } = run('validate', '--cnpg-version', '1.28.0', '--plugin-version', '0.9.0', path.join(FIXTURES, 'seed'));
    const errors = stdout.split('\n').filter(l => l && !/(^|: )warning: /.test(l)).length;
    const warnings = stdout.split('\n').filter(l => /(^|: )warning: /.test(l)).length;
    expect(stderr).toMatch(new RegExp(`^\\d+ files, \\d+ objects, ${errors} errors?, ${warnings} warnings?\n$`));
  });

  let tmp: string;
  beforeAll(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-cnpg-cli-'));
    fs.writeFileSync(path.join(tmp, 'scalar.yaml'), 'just a string\n');
    fs.writeFileSync(path.join(tmp, 'empty.yaml'), '# nothing here\n---\n');
    fs.writeFileSync(path.join(tmp, 'values.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: a }\n---\nreplicas: 3\nimage: postgres\n');
    fs.writeFileSync(path.join(tmp, 'nokind.yaml'), 'apiVersion: postgresql.cnpg.io/v1\nmetadata: { name: a }\n');
  });
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

  test.each([
    ['a file is missing', ['validate', 'does-not-exist.yaml'], /does-not-exist\.yaml: cannot read: no such file or directory/],
    ['the YAML is bad', ['validate', path.join(FIXTURES, 'invalid', 'bad.yaml')], /bad\.yaml: cannot parse: /],
    ['a document is not an object', () => ['validate', path.join(tmp, 'scalar.yaml')], /scalar\.yaml: document 1 is not a Kubernetes object/],
    ['a flag is unknown', ['validate', '--strict', 'x.yaml'], /^cdk8s-cnpg: unknown option "--strict"; see `cdk8s-cnpg validate --help`\n$/],
    ['a top-level flag is unknown', ['--strict'], /^cdk8s-cnpg: unknown option "--strict"; commands: validate/],
    ['no command is given', [], /^usage: cdk8s-cnpg <command>/],
    ['the input holds no Kubernetes object', () => ['validate', path.join(tmp, 'empty.yaml')], /empty\.yaml: no Kubernetes objects in the file/],
    ['a document has no apiVersion and kind', () => ['validate', path.join(tmp, 'values.yaml')], /values\.yaml: document 2 is not a Kubernetes object \(no apiVersion and kind\); give each document apiVersion and kind/],
    ['a document has no kind', () => ['validate', path.join(tmp, 'nokind.yaml')], /nokind\.yaml: document 1 is not a Kubernetes object \(no kind\)/],
    ['a version is unknown', ['validate', '--cnpg-version', '1.99.0', 'x.yaml'], /unknown cnpg version "1\.99\.0" for --cnpg-version; supported: 1\.28\.0, 1\.28\.1, 1\.28\.4, 1\.29\.1, 1\.29\.2, 1\.30\.0/],
    ['a plugin version is unknown', ['validate', '--plugin-version=0.10.0', 'x.yaml'], /supported: 0\.9\.0, 0\.14\.0/],
    ['no file is given', ['validate'], /^cdk8s-cnpg: no files given; usage: cdk8s-cnpg validate \[options\] FILE\|DIR\.\.\. \(see --help\)\n$/],
    ['a folder holds no manifests', ['validate', path.join(__dirname)], /cli: no \.yaml, \.yml or \.json files found/],
    ['the command is unknown', ['check', 'x.yaml'], /unknown command "check"/],
  ] as Array<[string, string[] | (() => string[]), RegExp]>)('fails with exit code 2 when %s', (_name, argv, message) => {
    const { code, stderr, stdout } = run(...(typeof argv === 'function' ? argv() : argv));
    expect(code).toBe(2);
    expect(stderr).toMatch(message);
    expect(stdout).toBe('');
  });
});
