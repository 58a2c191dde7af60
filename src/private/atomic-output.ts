import * as fs from 'fs';
import * as path from 'path';

/**
 * Replaces `target` with the fully written `staging` directory in two renames, so a reader (or a failed synth)
 * never sees a half-written output. Package artifacts under `target/js` are carried over.
 */
export function publishDirectory(staging: string, target: string): void {
  const keep = path.join(target, 'js');
  if (fs.existsSync(keep) && !fs.existsSync(path.join(staging, 'js'))) fs.cpSync(keep, path.join(staging, 'js'), { recursive: true });
  const old = `${target}.old-${process.pid}`;
  const hadTarget = fs.existsSync(target);
  if (hadTarget) fs.renameSync(target, old);
  try {
    fs.renameSync(staging, target);
  } catch (e) {
    if (hadTarget) fs.renameSync(old, target);
    throw e;
  }
  if (hadTarget) fs.rmSync(old, { recursive: true, force: true });
}
