/**
 * Bounded child processes for the archive lab: every command has a deadline, and its output is kept for the error.
 *
 * PostgreSQL refuses to run as root, so when the tests run as root (CI does) the PostgreSQL binaries and the
 * barman-cloud tools that read or write a data directory run as the `postgres` system user (Debian's
 * postgresql-common creates it), through `runuser`. As any other user they run as that user.
 */
import { ChildProcess, execFileSync, spawn } from 'child_process';
import * as fs from 'fs';

/** The system user PostgreSQL runs as when the tests run as root. */
export const PG_SYSTEM_USER = 'postgres';

/** Whether the PostgreSQL processes must drop root privileges. */
export function runningAsRoot(): boolean {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

/** The uid and gid of the user PostgreSQL runs as (the current user unless root). */
export function pgOwner(): { uid: number; gid: number } {
  if (!runningAsRoot()) return { uid: process.getuid!(), gid: process.getgid!() };
  const line = fs.readFileSync('/etc/passwd', 'utf-8').split('\n').find(l => l.startsWith(`${PG_SYSTEM_USER}:`));
  if (!line) throw new Error(`running as root, but there is no "${PG_SYSTEM_USER}" user to run PostgreSQL as; install postgresql-15 (bash .ci/run does)`);
  const [, , uid, gid] = line.split(':');
  return { uid: Number(uid), gid: Number(gid) };
}

/** Creates a directory (and parents) owned by the PostgreSQL user, mode 0700. */
export function makePgDir(dir: string): string {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const { uid, gid } = pgOwner();
  fs.chownSync(dir, uid, gid);
  fs.chmodSync(dir, 0o700);
  return dir;
}

/** Writes a file owned by the PostgreSQL user. */
export function writePgFile(file: string, content: string, mode = 0o600): void {
  fs.writeFileSync(file, content, { mode });
  const { uid, gid } = pgOwner();
  fs.chownSync(file, uid, gid);
  fs.chmodSync(file, mode);
}

export interface RunOptions {
  /** Extra environment variables (added to a minimal environment, never the whole test environment). */
  readonly env?: Record<string, string>;
  /** Deadline in milliseconds. */
  readonly timeoutMs?: number;
  /** Run as the PostgreSQL user (only changes anything when running as root). */
  readonly asPgUser?: boolean;
  /** Resolve instead of reject on a non-zero exit. */
  readonly allowFailure?: boolean;
  /** Text written to standard input. */
  readonly input?: string;
}

export interface RunResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

const DEFAULT_TIMEOUT_MS = 120_000;

/** The environment every lab command starts from: a fixed PATH and zone, no proxies, no user AWS settings. */
export function baseEnv(): Record<string, string> {
  return {
    PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
    LANG: 'C.UTF-8',
    LC_ALL: 'C.UTF-8',
    TZ: 'UTC',
    HOME: runningAsRoot() ? '/var/lib/postgresql' : (process.env.HOME ?? '/tmp'),
    // boto3 must not pick up a developer's profile or config; the lab passes its credentials explicitly.
    AWS_CONFIG_FILE: '/dev/null',
    AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
    NO_PROXY: '127.0.0.1,localhost',
  };
}

/** Argument vector that runs `file` as the PostgreSQL user (runuser keeps the environment but HOME/SHELL/USER). */
export function pgUserCommand(file: string, args: readonly string[]): [string, string[]] {
  if (runningAsRoot()) return ['runuser', ['-u', PG_SYSTEM_USER, '--', file, ...args]];
  return [file, [...args]];
}

/** Runs a command to completion within its deadline; rejects with the command and its output on failure. */
export function run(file: string, args: readonly string[], options: RunOptions = {}): Promise<RunResult> {
  const env = { ...baseEnv(), ...options.env };
  const [cmd, argv] = options.asPgUser ? pgUserCommand(file, args) : [file, [...args]];
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  return new Promise((resolve, reject) => {
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    const child = spawn(cmd, argv, { env, stdio: ['pipe', 'pipe', 'pipe'], detached: true });
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup(child, 'SIGKILL');
    }, timeoutMs);
    child.stdout!.on('data', d => { stdout = capped(stdout + d); });
    child.stderr!.on('data', d => { stderr = capped(stderr + d); });
    child.stdin!.on('error', () => undefined);
    child.stdin!.end(options.input ?? '');
    child.on('error', err => {
      clearTimeout(timer);
      reject(new Error(`cannot run ${file}: ${err.message}`));
    });
    child.on('close', code => {
      clearTimeout(timer);
      const result = { code, stdout, stderr };
      if (timedOut) return reject(new Error(`${describe(file, args)} did not finish within ${timeoutMs} ms\n${tail(stderr || stdout)}`));
      if (code !== 0 && !options.allowFailure) return reject(new Error(`${describe(file, args)} exited ${code}\n${tail(stderr || stdout)}`));
      resolve(result);
    });
  });
}

/** Runs a command synchronously, for the exit handler that stops what a crashed test left running. */
export function runSyncQuietly(file: string, args: readonly string[], asPgUser: boolean): void {
  const env = baseEnv();
  const [cmd, argv] = asPgUser ? pgUserCommand(file, args) : [file, [...args]];
  try {
    execFileSync(cmd, argv, { env, stdio: 'ignore', timeout: 30_000 });
  } catch {
    // best effort on exit
  }
}

/** Kills a detached child and everything it started. */
export function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    try { child.kill(signal); } catch { /* already gone */ }
  }
}

/** Resolves after `ms` milliseconds. */
export function sleep(ms: number): Promise<void> {
  return new Promise(resolve => setTimeout(resolve, ms));
}

/** Polls `check` until it returns a value, or rejects after the deadline with `what`. */
export async function waitFor<T>(what: string, check: () => Promise<T | undefined>, timeoutMs: number, intervalMs = 200): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (err) {
      lastError = err;
    }
    await sleep(intervalMs);
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${lastError ? `: ${(lastError as Error).message}` : ''}`);
}

function capped(s: string): string {
  return s.length > 1_000_000 ? s.slice(-1_000_000) : s;
}

function tail(s: string, lines = 25): string {
  return s.trim().split('\n').slice(-lines).join('\n');
}

function describe(file: string, args: readonly string[]): string {
  return [file, ...args].map(a => (/^[\w@%+=:,./-]+$/.test(a) ? a : JSON.stringify(a))).join(' ');
}
