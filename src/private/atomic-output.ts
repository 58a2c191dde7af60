/**
 * Crash-safe publishing of an output folder (the example app's `dist/`).
 *
 * `dist` is a symbolic link to a complete, versioned folder beside it, `.dist.cdk8s-cnpg/v-<pid>-<random>`. A synth
 * writes a new version folder, then points a fresh link at it and renames that link over `dist`: rename(2) replaces
 * it in one atomic step, so a reader, or a synth killed at any instant, sees the complete old set or the complete
 * new one, never a mix and never nothing. Synths of the same output are serialized by a lock file; a lock left by
 * a process that no longer runs is taken over. Version folders no longer linked and left by processes that no
 * longer run (a killed synth) are removed by the next synth. The folder holds a `.gitignore` of `*`, so git never
 * shows it.
 *
 * Readers: `kubectl apply -f dist/` and globs such as `dist/*.yaml` follow the link; `kubectl apply -f dist`
 * without the slash does not descend into a link (Go's filepath.Walk), so write the slash.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/** The hidden folder beside `target` that holds its versions and its lock. */
export function versionsDirOf(target: string): string {
  const abs = path.resolve(target);
  return path.join(path.dirname(abs), `.${path.basename(abs)}.cdk8s-cnpg`);
}

const VERSION = /^v-(\d+)-[A-Za-z0-9]+$/;
const LINK = /^link-(\d+)$/;

function isAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** What a lock file says: who holds it, on which host, since when. */
interface LockOwner {
  readonly pid: number;
  readonly host: string;
  readonly since: number;
}

function readOwner(file: string): LockOwner | undefined {
  try {
    const [pid, host, since] = fs.readFileSync(file, 'utf-8').split('\n');
    return { pid: Number(pid), host: host ?? '', since: Number(since) };
  } catch {
    return undefined;
  }
}

/** A lock held by a process of this host that no longer runs, or unreadable for a minute (a writer died mid-write). */
function isStale(owner: LockOwner | undefined, file: string): boolean {
  if (!owner || !Number.isInteger(owner.pid) || owner.pid <= 0) {
    try {
      return Date.now() - fs.statSync(file).mtimeMs > 60_000;
    } catch {
      return false;
    }
  }
  return owner.host === os.hostname() && owner.pid !== process.pid && !isAlive(owner.pid);
}

/** Options of `withOutputLock`. */
export interface OutputLockOptions {
  /** How long to wait for another synth of the same output, in milliseconds. @default 300000 */
  readonly timeoutMs?: number;
}

/**
 * Runs `fn` holding the output's lock: one synth of an output folder at a time. Waits for a running one; takes
 * over a lock whose process is gone (a synth killed with `kill -9`).
 */
export function withOutputLock<T>(target: string, fn: () => T, options: OutputLockOptions = {}): T {
  const dir = versionsDirOf(target);
  fs.mkdirSync(dir, { recursive: true });
  const ignore = path.join(dir, '.gitignore');
  if (!fs.existsSync(ignore)) fs.writeFileSync(ignore, '# cdk8s-cnpg: versions of the output folder beside this one; never commit them\n*\n');
  const lock = path.join(dir, 'lock');
  const mine = `${process.pid}\n${os.hostname()}\n${Date.now()}\n`;
  const deadline = Date.now() + (options.timeoutMs ?? 300_000);
  for (;;) {
    // The lock appears with its content in one step (a link of a written file): a synth killed while taking it
    // never leaves an empty lock that others could only judge by its age.
    const pending = `${lock}.pending-${process.pid}`;
    fs.writeFileSync(pending, mine);
    try {
      fs.linkSync(pending, lock);
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    } finally {
      fs.rmSync(pending, { force: true });
    }
    const owner = readOwner(lock);
    if (isStale(owner, lock)) {
      // Take it over by renaming it aside, then check that what was renamed is the stale lock judged above: a
      // racing synth may have replaced it in between, and its lock is then put back.
      const aside = `${lock}.stale-${process.pid}`;
      try {
        fs.renameSync(lock, aside);
        const taken = readOwner(aside);
        if (taken && owner && (taken.pid !== owner.pid || taken.since !== owner.since)) {
          try {
            fs.linkSync(aside, lock);
          } catch {
            // another synth took the lock meanwhile: it holds it now
          }
        }
        fs.rmSync(aside, { force: true });
      } catch {
        // someone else took it over first: try again
      }
      continue;
    }
    if (Date.now() > deadline) {
      const who = owner ? `process ${owner.pid} on ${owner.host}, since ${new Date(owner.since).toISOString()}` : 'another process';
      throw new Error(`another synth of ${target} is running (${who}; lock ${lock}); wait for it, or delete the lock file if no synth is running`);
    }
    sleep(100);
  }
  try {
    return fn();
  } finally {
    if (readOwner(lock)?.pid === process.pid) fs.rmSync(lock, { force: true });
  }
}

/** The version folder `target` links to now (its name), or undefined. */
function currentVersion(target: string): string | undefined {
  try {
    return path.basename(fs.readlinkSync(target));
  } catch {
    return undefined;
  }
}

/**
 * Removes what killed or failed synths left: version folders and temporary links of processes that no longer run,
 * except the version `target` links to. Call it holding the lock.
 */
export function removeStaleVersions(target: string): void {
  const dir = versionsDirOf(target);
  const current = currentVersion(target);
  for (const name of fs.existsSync(dir) ? fs.readdirSync(dir) : []) {
    const owner = VERSION.exec(name)?.[1] ?? LINK.exec(name)?.[1] ?? /^lock\.(?:stale|pending)-(\d+)$/.exec(name)?.[1];
    if (owner === undefined || name === current || isAlive(Number(owner))) continue;
    fs.rmSync(path.join(dir, name), { recursive: true, force: true });
  }
}

/** Creates an empty version folder to synthesize into (world-readable, as an output folder is). Hold the lock. */
export function createStagingFolder(target: string): string {
  const dir = versionsDirOf(target);
  fs.mkdirSync(dir, { recursive: true });
  const staging = fs.mkdtempSync(path.join(dir, `v-${process.pid}-`));
  fs.chmodSync(staging, 0o755);
  return staging;
}

/** Publishing failed after the previous output folder was moved aside: the output folder does not exist now. */
export class OutputMovedError extends Error {}

/** What `publishDirectory` did. */
export interface PublishResult {
  /** A problem removing the previous version after the new one was published: `target` is the new set anyway. */
  readonly cleanupProblem?: string;
}

/**
 * Makes `target` the fully written `staging` folder (made by `createStagingFolder`) in one atomic rename of a
 * symbolic link. Package artifacts under `target/js` are carried over. The first time, when `target` is still a
 * plain folder, it is moved into the versions folder first: the only moment `target` does not exist.
 */
export function publishDirectory(staging: string, target: string): PublishResult {
  const dir = versionsDirOf(target);
  if (path.dirname(path.resolve(staging)) !== dir) throw new Error(`${staging} is not a version folder of ${target}`);
  const keep = path.join(target, 'js');
  if (fs.existsSync(keep) && !fs.existsSync(path.join(staging, 'js'))) fs.cpSync(keep, path.join(staging, 'js'), { recursive: true });

  let stat: fs.Stats | undefined;
  try {
    stat = fs.lstatSync(target);
  } catch {
    stat = undefined;
  }
  let previous: string | undefined;
  if (stat?.isSymbolicLink()) {
    previous = currentVersion(target);
  } else if (stat?.isDirectory()) {
    previous = path.basename(fs.mkdtempSync(path.join(dir, `v-${process.pid}-`)));
    fs.rmdirSync(path.join(dir, previous));
    fs.renameSync(target, path.join(dir, previous));
  } else if (stat) {
    throw new Error(`${target} exists and is neither a folder nor a link; move it away`);
  }

  const link = path.join(dir, `link-${process.pid}`);
  try {
    fs.rmSync(link, { force: true });
    fs.symlinkSync(path.join(path.basename(dir), path.basename(staging)), link);
    fs.renameSync(link, target);
  } catch (e) {
    if (stat?.isDirectory() && previous) {
      // The plain folder was moved aside for the first link: put it back, so that the caller's "left as it was" holds.
      try {
        fs.renameSync(path.join(dir, previous), target);
      } catch {
        throw new OutputMovedError(`${(e as Error).message}; the previous ${target} is now ${path.join(dir, previous)}`);
      }
    }
    throw e;
  }

  if (!previous || previous === path.basename(staging)) return {};
  try {
    fs.rmSync(path.join(dir, previous), { recursive: true, force: true });
    return {};
  } catch (e) {
    return { cleanupProblem: `could not remove the previous version ${path.join(dir, previous)} (${(e as Error).message}); the next synth removes it` };
  }
}
