/**
 * Tampered upstream installs and lock files, met by `cdk8s-cnpg validate`: a plugin manifest that was changed,
 * renamed from another version or extended is refused (exit 2, one line), and validate never writes a lock file.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { caseDir, cleanup, expectFindings, expectOneLine, reportObserved, ROOT, runCli } from './harness';

afterAll(() => {
  reportObserved('upstream');
  cleanup();
});

const UPSTREAM = process.env.CDK8S_CNPG_UPSTREAM_DIR ?? path.resolve(ROOT, '..', 'shared', 'upstream');
const SEED = path.join(ROOT, 'test', 'fixtures', 'seed-corrected');
const PLUGIN_090 = 'plugin-barman-cloud/plugin-barman-cloud-v0.9.0.yaml';
const PLUGIN_0140 = 'plugin-barman-cloud/plugin-barman-cloud-v0.14.0.yaml';

/** An upstream folder like ../shared/upstream whose plugin 0.9.0 file is `make(original)`; and an app folder as cwd. */
function tamperedUpstream(make: (original: string, file: string) => void): { upstream: string; app: string } {
  const upstream = caseDir();
  for (const component of ['cnpg', 'cert-manager']) fs.symlinkSync(path.join(UPSTREAM, component), path.join(upstream, component));
  fs.mkdirSync(path.join(upstream, 'plugin-barman-cloud'));
  fs.copyFileSync(path.join(UPSTREAM, PLUGIN_0140), path.join(upstream, PLUGIN_0140));
  make(fs.readFileSync(path.join(UPSTREAM, PLUGIN_090), 'utf-8'), path.join(upstream, PLUGIN_090));
  const app = caseDir();
  fs.writeFileSync(path.join(app, 'cdk8s.yaml'), 'app: node main.js\n');
  return { upstream, app };
}

const ADMIN_BINDING = '---\napiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata:\n  name: barman-admin\nroleRef:\n  apiGroup: rbac.authorization.k8s.io\n  kind: ClusterRole\n  name: cluster-admin\nsubjects:\n- kind: ServiceAccount\n  name: plugin-barman-cloud\n  namespace: cnpg-system\n';

describe('tampered plugin manifests', () => {
  test.each<[string, (original: string, file: string) => void, RegExp]>([
    ['one byte changed', (t, f) => fs.writeFileSync(f, t.replace('barman-cloud', 'barman-c1oud')), /has sha256 [0-9a-f]{64}, expected 0aaafd63/],
    ['the v0.14.0 file renamed as v0.9.0', (_t, f) => fs.copyFileSync(path.join(UPSTREAM, PLUGIN_0140), f), /has sha256 8d4f1719[0-9a-f]{56}, expected 0aaafd63/],
    ['extended with a ClusterRoleBinding to cluster-admin', (t, f) => fs.writeFileSync(f, `${t}${ADMIN_BINDING}`), /the file was modified or is another version/],
    ['extended with the same objects reformatted plus one', (t, f) => fs.writeFileSync(f, `${t.replace(/\n/g, '\r\n')}${ADMIN_BINDING}`), /expected 0aaafd63.* \(or the same objects formatted differently\)/],
    ['replaced by garbage', (_t, f) => fs.writeFileSync(f, 'kind: [\u0000'), /plugin-barman-cloud@0\.9\.0: .* has sha256/],
    ['replaced by an empty file', (_t, f) => fs.writeFileSync(f, ''), /plugin-barman-cloud@0\.9\.0: .*plugin-barman-cloud-v0\.9\.0\.yaml: the file is empty/],
    ['replaced by a FIFO', (_t, f) => execFileSync('mkfifo', [f]), /plugin-barman-cloud@0\.9\.0: .* a FIFO \(named pipe\), not a regular file/],
    ['replaced by a link to /dev/zero', (_t, f) => fs.symlinkSync('/dev/zero', f), /plugin-barman-cloud@0\.9\.0: .* a character device, not a regular file/],
  ])('refused when %s: exit 2, one line, no lock file written', (label, make, message) => {
    // GIVEN
    const { upstream, app } = tamperedUpstream(make);
    // WHEN
    const o = runCli(['validate', '--plugin-version', '0.9.0', SEED], { cwd: app, env: { CDK8S_CNPG_UPSTREAM_DIR: upstream, CDK8S_CNPG_OFFLINE: '1', CDK8S_CNPG_TRUST_ON_FIRST_USE: '1' }, label });
    // THEN
    expectOneLine(o, 2, message);
    expect(fs.readdirSync(app)).toEqual(['cdk8s.yaml']);
  });

  test('the same objects formatted differently are accepted (a release asset need not be byte-identical)', () => {
    const { upstream, app } = tamperedUpstream((t, f) => fs.writeFileSync(f, t.replace(/\n/g, '\r\n')));
    const o = runCli(['validate', '--plugin-version', '0.9.0', SEED], { cwd: app, env: { CDK8S_CNPG_UPSTREAM_DIR: upstream, CDK8S_CNPG_OFFLINE: '1' }, label: 'reformatted plugin manifest' });
    expectFindings(o, 0);
    expect(fs.readdirSync(app)).toEqual(['cdk8s.yaml']);
  });
});

describe('lock files', () => {
  test.each([
    ['garbage', 'garbage{\u0000'],
    ['a JSON list', '[1]'],
    ['a wrong digest for a pinned version', JSON.stringify({ 'plugin-barman-cloud@0.9.0': 'a'.repeat(64) })],
  ])('validate neither reads nor writes the lock file (%s): pinned versions never consult it', (label, content) => {
    // GIVEN an app folder with a damaged lock file
    const app = caseDir();
    fs.writeFileSync(path.join(app, 'cdk8s.yaml'), 'app: node main.js\n');
    fs.writeFileSync(path.join(app, 'cdk8s-cnpg.lock.json'), content);
    // WHEN
    const o = runCli(['validate', SEED], { cwd: app, label: `lock file: ${label}` });
    // THEN the verdict of the files alone, the lock file untouched
    expectFindings(o, 0);
    expect(fs.readFileSync(path.join(app, 'cdk8s-cnpg.lock.json'), 'utf-8')).toBe(content);
    expect(fs.readdirSync(app).sort()).toEqual(['cdk8s-cnpg.lock.json', 'cdk8s.yaml']);
  });
});
