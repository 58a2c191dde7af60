/**
 * How `npx cdk8s synth` builds the example app (cdk8s.yaml → scripts/synth-example.js → here): into a staging
 * folder, then `dist/` replaced in one step, so a failing synth leaves `dist/` as it was. Not part of the library.
 */
import * as fs from 'fs';
import * as path from 'path';
import { writeExampleApp } from './main';
import { createStagingFolder, OutputMovedError, publishDirectory, removeStaleVersions, withOutputLock } from './private/atomic-output';

/**
 * Synthesizes into a new version folder, adds the IAM policy, then publishes it as `outdir` in one atomic step
 * (dist is a link to a complete version folder, swapped by one rename; see private/atomic-output.ts), holding the
 * output's lock. Returns a note when the previous version could not be removed (the new one is published anyway).
 */
export function synthExample(outdir: string, context: Record<string, string> = {}): string | undefined {
  return withOutputLock(outdir, () => {
    removeStaleVersions(outdir);
    const staging = createStagingFolder(outdir);
    let published = false;
    try {
      writeExampleApp(staging, context);
      const result = publishDirectory(staging, outdir);
      published = true;
      return result.cleanupProblem;
    } finally {
      if (!published) fs.rmSync(staging, { recursive: true, force: true });
    }
  });
}

/** The command: publishes `$CDK8S_CNPG_OUTDIR` (default dist/), and gives the cdk8s CLI a copy in its own folder. */
export function runSynthExample(): void {
  const target = process.env.CDK8S_CNPG_OUTDIR ?? 'dist';
  let published = false;
  try {
    const note = synthExample(target);
    published = true;
    if (note) process.stderr.write(`cdk8s-cnpg warning: ${note}\n`);
    // Under `cdk8s synth`, the CLI expects manifests in its own (scratch) folder: give it a copy to list.
    if (process.env.CDK8S_OUTDIR && path.resolve(process.env.CDK8S_OUTDIR) !== path.resolve(target)) {
      fs.mkdirSync(process.env.CDK8S_OUTDIR, { recursive: true });
      for (const f of fs.readdirSync(target).filter(n => n.endsWith('.k8s.yaml'))) {
        const from = path.join(target, f);
        const to = path.join(process.env.CDK8S_OUTDIR, f);
        try {
          fs.linkSync(from, to);
        } catch {
          fs.copyFileSync(from, to);
        }
      }
    }
    process.stdout.write(`cdk8s-cnpg: wrote ${path.join(target, path.sep)} (a link to ${path.relative(path.dirname(path.resolve(target)), fs.realpathSync(target))})\n`);
  } catch (e) {
    const state = published ? `${target}/ holds the new output` : e instanceof OutputMovedError ? `${target}/ was moved aside` : `${target}/ was left as it was`;
    process.stderr.write(`cdk8s-cnpg: synth failed; ${state}.\n${(e as Error).message}\n`);
    process.exit(1);
  }
}

if (require.main === module) runSynthExample();
