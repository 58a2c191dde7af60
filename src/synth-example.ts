/**
 * How `npx cdk8s synth` builds the example app (cdk8s.yaml → scripts/synth-example.js → here): into a staging
 * folder, then `dist/` replaced in one step, so a failing synth leaves `dist/` as it was. Not part of the library.
 */
import * as fs from 'fs';
import * as path from 'path';
import { writeExampleApp } from './main';
import { publishDirectory } from './private/atomic-output';

/** Synthesizes into a staging folder, adds the IAM policy, then swaps it into `outdir` in one step. */
export function synthExample(outdir: string, context: Record<string, string> = {}): void {
  const staging = fs.mkdtempSync(path.join(path.dirname(path.resolve(outdir)), `.${path.basename(outdir)}-staging-`));
  fs.chmodSync(staging, 0o755);
  try {
    writeExampleApp(staging, context);
    publishDirectory(staging, outdir);
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
}

/** The command: publishes `$CDK8S_CNPG_OUTDIR` (default dist/), and gives the cdk8s CLI a copy in its own folder. */
export function runSynthExample(): void {
  const target = process.env.CDK8S_CNPG_OUTDIR ?? 'dist';
  try {
    synthExample(target);
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
    process.stdout.write(`cdk8s-cnpg: wrote ${path.join(target, path.sep)}\n`);
  } catch (e) {
    process.stderr.write(`cdk8s-cnpg: synth failed; ${target}/ was left as it was.\n${(e as Error).message}\n`);
    process.exit(1);
  }
}

if (require.main === module) runSynthExample();
