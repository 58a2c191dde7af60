/**
 * How `npx cdk8s synth` builds the example app (cdk8s.yaml → scripts/synth-example.js → here): into a staging
 * folder, then `dist/` replaced in one step, so a failing synth leaves `dist/` as it was. Not part of the library.
 */
import * as fs from 'fs';
import * as path from 'path';
import { writeExampleApp } from './main';
import { createStagingFolder, OutputMovedError, publishDirectory, removeStaleVersions, withOutputLock } from './private/atomic-output';

/**
 * Synthesizes into a new version folder (the YAML with its review headers, and the IAM policy), then publishes it
 * as `outdir` in one atomic step (dist is a link to a complete version folder, swapped by one rename; see
 * private/atomic-output.ts), holding the output's lock. Returns a note when the previous version could not be removed (the new one is published anyway).
 */
export function synthExample(outdir: string, context: Record<string, string> = {}): string | undefined {
  return withOutputLock(outdir, () => {
    removeStaleVersions(outdir);
    const staging = createStagingFolder(outdir);
    let published = false;
    try {
      // The example writes its files with the upstream installs' review headers (UpstreamHeaders.write).
      writeExampleApp(staging, context);
      const result = publishDirectory(staging, outdir);
      published = true;
      return result.cleanupProblem;
    } finally {
      if (!published) fs.rmSync(staging, { recursive: true, force: true });
    }
  });
}

/** Every file under `dir`, relative and sorted (`database.k8s.yaml`, `iam/test.policy.json`); `.gitignore` left out. */
function filesUnder(dir: string): string[] {
  return fs.readdirSync(dir, { recursive: true, encoding: 'utf-8' })
    .filter(f => f !== '.gitignore' && fs.statSync(path.join(dir, f)).isFile()).sort();
}

/** The command: publishes `$CDK8S_CNPG_OUTDIR` (default dist/), and gives the cdk8s CLI a copy in its own folder. */
export function runSynthExample(): void {
  const target = process.env.CDK8S_CNPG_OUTDIR ?? 'dist';
  let published = false;
  try {
    const note = synthExample(target);
    published = true;
    if (note) process.stderr.write(`cdk8s-cnpg warning: ${note}\n`);
    const written = filesUnder(target);
    // Under `cdk8s synth`, the CLI expects manifests in its own (scratch) folder: give it a copy to list.
    if (process.env.CDK8S_OUTDIR && path.resolve(process.env.CDK8S_OUTDIR) !== path.resolve(target)) {
      for (const f of written.filter(n => n.endsWith('.k8s.yaml'))) {
        const from = path.join(target, f);
        const to = path.join(process.env.CDK8S_OUTDIR, f);
        fs.mkdirSync(path.dirname(to), { recursive: true });
        try {
          fs.linkSync(from, to);
        } catch {
          fs.copyFileSync(from, to);
        }
      }
    }
    // The files to review and apply are in dist/. On stderr: `cdk8s synth` swallows an app's stdout, and then
    // lists its own scratch copies. A folder per chart can hold a hundred files: name a large folder and its count.
    const folderOf = (f: string) => (f.includes(path.sep) ? f.slice(0, f.indexOf(path.sep) + 1) : undefined);
    const large = (dir: string | undefined) => dir !== undefined && written.filter(f => f.startsWith(dir)).length > 5;
    const entries = [...new Set(written.map(f => (large(folderOf(f)) ? folderOf(f)! : f)))];
    const line = (e: string) => (e.endsWith(path.sep) ? `${path.join(target, e)} (${written.filter(f => f.startsWith(e)).length} files)` : path.join(target, e));
    const link = path.relative(path.dirname(path.resolve(target)), fs.realpathSync(target));
    process.stderr.write(`cdk8s-cnpg: wrote ${written.length} files to ${path.join(target, path.sep)} (a link to ${link}; review and apply these; below, cdk8s lists its scratch copies)\n${entries.map(e => `  - ${line(e)}\n`).join('')}`);
  } catch (e) {
    const state = published ? `${target}/ holds the new output` : e instanceof OutputMovedError ? `${target}/ was moved aside` : `${target}/ was left as it was`;
    process.stderr.write(`cdk8s-cnpg: synth failed; ${state}.\n${(e as Error).message}\n`);
    process.exit(1);
  }
}

if (require.main === module) runSynthExample();
