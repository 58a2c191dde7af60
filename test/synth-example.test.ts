import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { cleanupTempDirs, tempDir, UPSTREAM_DIR } from './util';

afterAll(() => cleanupTempDirs());

const ROOT = path.join(__dirname, '..');

/** A copy of the project's sources, with lib/ and node_modules/ linked in, and lib/ recorded as built from them. */
function projectCopy(): string {
  const dir = tempDir('synth-example-');
  for (const d of ['src', 'imports', 'scripts']) fs.cpSync(path.join(ROOT, d), path.join(dir, d), { recursive: true });
  for (const f of ['tsconfig.json', 'package.json']) fs.copyFileSync(path.join(ROOT, f), path.join(dir, f));
  fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'));
  fs.mkdirSync(path.join(dir, 'lib'));
  for (const d of ['src', 'imports']) fs.symlinkSync(path.join(ROOT, 'lib', d), path.join(dir, 'lib', d));
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { sourceDigest } = require(path.join(dir, 'scripts', 'source-digest.js'));
  fs.writeFileSync(path.join(dir, 'lib', '.source-digest'), `${sourceDigest()}\n`);
  return dir;
}

function synth(dir: string): { status: number | null; stderr: string; restore: string } {
  const r = spawnSync(process.execPath, [path.join(dir, 'scripts', 'synth-example.js')], {
    cwd: dir,
    encoding: 'utf-8',
    timeout: 240_000,
    env: { ...process.env, CDK8S_CNPG_UPSTREAM_DIR: UPSTREAM_DIR, CDK8S_CNPG_OFFLINE: '1', CDK8S_OUTDIR: '', CDK8S_CNPG_OUTDIR: path.join(dir, 'dist') },
  });
  const file = path.join(dir, 'dist', 'restore.k8s.yaml');
  return { status: r.status, stderr: r.stderr, restore: fs.existsSync(file) ? fs.readFileSync(file, 'utf-8') : '' };
}

describe('the example app as `npx cdk8s synth` runs it (scripts/synth-example.js)', () => {
  test('runs the compiled app when lib/ was built from the sources, and the TypeScript itself after an edit', () => {
    if (!fs.existsSync(path.join(ROOT, 'lib', 'src', 'synth-example.js'))) throw new Error('lib/ is not compiled: run `npx projen compile`');
    // GIVEN a project whose lib/ matches its sources
    const dir = projectCopy();
    // WHEN
    const built = synth(dir);
    // THEN the compiled app ran
    expect(built.status).toBe(0);
    expect(built.stderr).not.toContain('running the TypeScript directly');
    expect(built.restore).toContain('targetTime: "2025-12-27 20:43:00.000000+00:00"');

    // WHEN the example is edited and synthesized without compiling
    const main = path.join(dir, 'src', 'main.ts');
    fs.writeFileSync(main, fs.readFileSync(main, 'utf-8').replace('2025-12-27T20:43:00Z', '2025-12-27T20:44:00Z'));
    const edited = synth(dir);
    // THEN the YAML is that of the edited code, never the stale lib/'s
    expect(edited.stderr).toContain('src/ changed since the last `npx projen compile`: running the TypeScript directly');
    expect(edited.status).toBe(0);
    expect(edited.restore).toContain('targetTime: "2025-12-27 20:44:00.000000+00:00"');
  }, 300_000);
});

describe('lib/.source-digest: whether lib/ was compiled from the current sources', () => {
  /* eslint-disable @typescript-eslint/no-require-imports */
  function recorded(): { dir: string; isFresh: () => boolean } {
    const dir = projectCopy();
    // a whole-second mtime on the example, so a test can put it back exactly
    fs.utimesSync(path.join(dir, 'src', 'main.ts'), 1_700_000_000, 1_700_000_000);
    const r = spawnSync(process.execPath, [path.join(dir, 'scripts', 'source-digest.js'), 'write'], { cwd: dir, encoding: 'utf-8' });
    expect(r.status).toBe(0);
    return { dir, isFresh: require(path.join(dir, 'scripts', 'source-digest.js')).isFresh };
  }

  test('fresh as recorded; a file touched but unchanged is still fresh', () => {
    // GIVEN sources recorded with their stats
    const { dir, isFresh } = recorded();
    expect(fs.readFileSync(path.join(dir, 'lib', '.source-digest'), 'utf-8')).toMatch(/^[0-9a-f]{64}\nimports\/\S+\t\d+\t\d+\t\d+\n/);
    expect(isFresh()).toBe(true);
    // WHEN a file is touched
    const main = path.join(dir, 'src', 'main.ts');
    const later = new Date(Date.now() + 60_000);
    fs.utimesSync(main, later, later);
    // THEN its content decides
    expect(isFresh()).toBe(true);
  });

  test('an edit of the same size with the mtime set back is seen', () => {
    // GIVEN sources recorded with their stats
    const { dir, isFresh } = recorded();
    const main = path.join(dir, 'src', 'main.ts');
    const before = fs.statSync(main, { bigint: true });
    // WHEN the example is edited without changing its size, and its times are put back
    const text = fs.readFileSync(main, 'utf-8');
    const edited = text.replace('2025-12-27T20:43:00Z', '2025-12-27T20:44:00Z');
    expect(edited).not.toBe(text);
    fs.writeFileSync(main, edited);
    fs.utimesSync(main, 1_700_000_000, 1_700_000_000);
    const after = fs.statSync(main, { bigint: true });
    expect([after.size, after.mtimeNs]).toEqual([before.size, before.mtimeNs]);
    // THEN lib/ is not taken as current
    expect(isFresh()).toBe(false);
    // AND a new file under src/ is seen too
    fs.writeFileSync(main, text);
    expect(isFresh()).toBe(true);
    fs.writeFileSync(path.join(dir, 'src', 'extra.ts'), 'export const x = 1;\n');
    expect(isFresh()).toBe(false);
  });
});
