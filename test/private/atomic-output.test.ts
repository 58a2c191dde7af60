import { ChildProcess, spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as ts from 'typescript';
import { publishDirectory, versionsDirOf, withOutputLock, createStagingFolder, removeStaleVersions } from '../../src/private/atomic-output';
import { cleanupTempDirs, tempDir } from '../util';

afterAll(() => cleanupTempDirs());

const ROOT = path.join(__dirname, '..', '..');
const FILES = ['a.k8s.yaml', 'b.k8s.yaml', 'c.k8s.yaml', 'd.k8s.yaml', 'e.k8s.yaml', 'f.k8s.yaml'];

/** The module under test compiled to plain JavaScript for child processes (they cannot load TypeScript). */
function compiledModule(): string {
  const source = fs.readFileSync(path.join(ROOT, 'src', 'private', 'atomic-output.ts'), 'utf-8');
  const out = path.join(tempDir(), 'atomic-output.js');
  const compilerOptions = { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2020 };
  fs.writeFileSync(out, ts.transpileModule(source, { compilerOptions }).outputText);
  return out;
}

/**
 * A child that publishes generation after generation of six files (each ~64 KiB, written one by one), the way a
 * synth does: lock, clean up, stage, write, publish. `count` 0 runs until killed.
 */
const PUBLISHER = `
const fs = require('fs'); const path = require('path');
const [mod, target, count] = process.argv.slice(1);
const { withOutputLock, removeStaleVersions, createStagingFolder, publishDirectory } = require(mod);
const files = ${JSON.stringify(FILES)};
const generationOf = () => { try { return Number(fs.readFileSync(path.join(target, files[0]), 'utf-8').split('\\n')[0]); } catch { return 0; } };
for (let i = 0; Number(count) === 0 || i < Number(count); i++) {
  withOutputLock(target, () => {
    removeStaleVersions(target);
    const staging = createStagingFolder(target);
    const g = generationOf() + 1;
    for (const f of files) fs.writeFileSync(path.join(staging, f), g + '\\n' + 'x'.repeat(64 * 1024));
    publishDirectory(staging, target);
  });
}`;

/** The generation of a published set, failing unless the set is complete and of one generation. */
function completeGeneration(target: string): number {
  expect(fs.readdirSync(target).sort()).toEqual(FILES);
  const generations = new Set(FILES.map(f => fs.readFileSync(path.join(target, f), 'utf-8')).map(t => (t.endsWith('x') && t.length > 64 * 1024 ? t.split('\n')[0] : 'partial')));
  expect(generations.size).toBe(1);
  const [g] = generations;
  expect(g).toMatch(/^\d+$/);
  return Number(g);
}

function exited(child: ChildProcess): Promise<void> {
  return new Promise(resolve => (child.exitCode !== null || child.signalCode !== null ? resolve() : child.once('exit', () => resolve())));
}

/** A fixed pseudo-random sequence, so a failure can be replayed. */
function* delays(seed: number, min: number, max: number): Generator<number> {
  let x = seed;
  for (;;) {
    x = (x * 1103515245 + 12345) % 2 ** 31;
    yield min + (x % (max - min));
  }
}

describe('publishing dist/ atomically', () => {
  test('kill -9 at 20 random moments of a publishing loop: dist is always one complete generation, never missing, never older', async () => {
    // GIVEN a published first generation
    const mod = compiledModule();
    const target = path.join(tempDir(), 'dist');
    expect(spawnSync(process.execPath, ['-e', PUBLISHER, mod, target, '1']).status).toBe(0);
    let last = completeGeneration(target);
    const delay = delays(20260, 5, 400);
    // WHEN killed 20 times, each time at another moment (the lock, cleanup, staging, writing, the swap)
    for (let i = 0; i < 20; i++) {
      const child = spawn(process.execPath, ['-e', PUBLISHER, mod, target, '0'], { stdio: 'ignore' });
      await new Promise(resolve => setTimeout(resolve, delay.next().value as number));
      child.kill('SIGKILL');
      await exited(child);
      // THEN the complete old or new set
      expect(fs.lstatSync(target).isSymbolicLink()).toBe(true);
      const g = completeGeneration(target);
      expect(g).toBeGreaterThanOrEqual(last);
      last = g;
    }
    // AND the next run takes over the dead lock and removes every leftover
    const next = spawnSync(process.execPath, ['-e', PUBLISHER, mod, target, '1'], { timeout: 30_000 });
    expect(next.status).toBe(0);
    expect(completeGeneration(target)).toBe(last + 1);
    expect(fs.readdirSync(versionsDirOf(target)).sort()).toEqual(['.gitignore', path.basename(fs.readlinkSync(target))]);
  }, 60_000);

  test('three concurrent synths of one output are serialized: all succeed, each publishes a complete set', async () => {
    // GIVEN
    const mod = compiledModule();
    const target = path.join(tempDir(), 'dist');
    // WHEN three publishers of 5 generations each run at once
    const children = [0, 1, 2].map(() => spawn(process.execPath, ['-e', PUBLISHER, mod, target, '5'], { stdio: ['ignore', 'ignore', 'pipe'] }));
    const stderr = children.map(c => {
      let s = '';
      c.stderr!.on('data', d => { s += d; });
      return () => s;
    });
    await Promise.all(children.map(exited));
    // THEN 15 generations in turn (no two read the same generation), nothing left over, no lock
    expect(children.map(c => c.exitCode)).toEqual([0, 0, 0]);
    expect(stderr.map(s => s())).toEqual(['', '', '']);
    expect(completeGeneration(target)).toBe(15);
    expect(fs.readdirSync(versionsDirOf(target)).sort()).toEqual(['.gitignore', path.basename(fs.readlinkSync(target))]);
  }, 60_000);

  test('a plain dist folder (from before) becomes the first version; package artifacts in dist/js are carried over', () => {
    // GIVEN
    const target = path.join(tempDir(), 'dist');
    fs.mkdirSync(path.join(target, 'js'), { recursive: true });
    fs.writeFileSync(path.join(target, 'js', 'pkg.tgz'), 'tgz');
    fs.writeFileSync(path.join(target, 'old.k8s.yaml'), 'old');
    // WHEN
    withOutputLock(target, () => {
      removeStaleVersions(target);
      const staging = createStagingFolder(target);
      fs.writeFileSync(path.join(staging, 'new.k8s.yaml'), 'new');
      expect(publishDirectory(staging, target)).toEqual({});
    });
    // THEN
    expect(fs.lstatSync(target).isSymbolicLink()).toBe(true);
    expect(fs.readdirSync(target).sort()).toEqual(['js', 'new.k8s.yaml']);
    expect(fs.readFileSync(path.join(target, 'js', 'pkg.tgz'), 'utf-8')).toBe('tgz');
    expect(fs.readdirSync(versionsDirOf(target)).sort()).toEqual(['.gitignore', path.basename(fs.readlinkSync(target))]);
  });

  test('fails when another synth holds the lock past the timeout, naming the process and the lock file', () => {
    // GIVEN a lock held by this very process (alive), taken by a nested call
    const target = path.join(tempDir(), 'dist');
    let message = '';
    withOutputLock(target, () => {
      const lockFile = path.join(versionsDirOf(target), 'lock');
      fs.writeFileSync(lockFile, `${process.ppid}\n${os.hostname()}\n0\n`);
      try {
        withOutputLock(target, () => undefined, { timeoutMs: 200 });
      } catch (e) {
        message = (e as Error).message;
      }
    });
    // THEN
    expect(message).toMatch(new RegExp(`^another synth of .*dist is running \\(process ${process.ppid} on .*; lock .*lock\\); wait for it, or delete the lock file if no synth is running$`));
  });
});

describe('kill -9 during the real synth of the example app', () => {
  const main = path.join(ROOT, 'lib', 'src', 'synth-example.js');

  test('dist is the complete old or the complete new set after every kill, and the next synth cleans up', async () => {
    if (!fs.existsSync(main)) throw new Error(`${main} is missing: run \`npx projen compile\` first`);
    // GIVEN the two sets the synths alternate between (another bucket each time), so old and new differ
    const target = path.join(tempDir(), 'dist');
    const env = (bucket: string) => ({ ...process.env, CDK8S_CNPG_OUTDIR: target, CDK8S_OUTDIR: '', CDK8S_CNPG_BUCKET: bucket });
    const snapshot = () => Object.fromEntries(['database.k8s.yaml', 'operators.k8s.yaml', 'restore.k8s.yaml', 'iam/test.policy.json']
      .map(f => [f, fs.readFileSync(path.join(target, f), 'utf-8')]));
    const synth = (bucket: string) => spawnSync(process.execPath, [main], { env: env(bucket), timeout: 60_000, encoding: 'utf-8' });
    const a = synth('bucket-a');
    expect(a.status).toBe(0);
    expect(a.stderr).toMatch(/^cdk8s-cnpg: wrote \d+ files to /);
    expect(a.stderr).not.toMatch(/warning|error/i);
    const setA = snapshot();
    const started = Date.now();
    expect(synth('bucket-b').status).toBe(0);
    const duration = Date.now() - started;
    const setB = snapshot();
    expect(setB).not.toEqual(setA);
    // WHEN killed at 8 moments spread over a synth's duration, alternating the bucket
    for (let i = 0; i < 8; i++) {
      const child = spawn(process.execPath, [main], { env: env(i % 2 ? 'bucket-b' : 'bucket-a'), stdio: 'ignore' });
      await new Promise(resolve => setTimeout(resolve, Math.round((duration * (i + 0.5)) / 8)));
      child.kill('SIGKILL');
      await exited(child);
      // THEN one complete set, byte for byte
      expect(fs.readdirSync(target).sort()).toEqual(['database.k8s.yaml', 'iam', 'operators.k8s.yaml', 'restore.k8s.yaml']);
      const now = snapshot();
      expect([setA, setB]).toContainEqual(now);
    }
    // AND the next synth succeeds and leaves nothing behind
    expect(synth('bucket-a').status).toBe(0);
    expect(snapshot()).toEqual(setA);
    expect(fs.readdirSync(versionsDirOf(target)).sort()).toEqual(['.gitignore', path.basename(fs.readlinkSync(target))]);
  }, 120_000);
});
