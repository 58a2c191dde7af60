/**
 * Runs the real CLI (`bin/cdk8s-cnpg`, the compiled package) on one hostile input in its own process, under a
 * ceiling the harness enforces: killed after CEILING_SECONDS (`timeout -s KILL`), a V8 heap of HEAP_MB (a larger
 * need aborts the process, which fails the case), and its peak resident memory measured (`process.resourceUsage`,
 * written by a preloaded script at exit) and asserted under MEMORY_CEILING_MB.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

export const ROOT = path.join(__dirname, '..', '..');
export const CLI = path.join(ROOT, 'bin', 'cdk8s-cnpg');
export const CEILING_SECONDS = 20;
export const HEAP_MB = 384;
export const MEMORY_CEILING_MB = 500;
/** The bar for every hostile file; the ceiling above is looser so that a loaded CI machine does not flake. */
export const ANSWER_WITHIN_MS = 5000;

/** What one run did. */
export interface Outcome {
  readonly code: number | null;
  readonly signal: string | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly ms: number;
  readonly maxRssMb: number;
}

/** Observed maxima over every run of this worker, reported at the end. */
export const observed = { runs: 0, maxMs: 0, maxRssMb: 0, slowest: '', hungriest: '' };

let scratch: string | undefined;
/** A world-writable scratch folder (the unprivileged runs write their memory figure there). */
export function scratchDir(): string {
  if (!scratch) {
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-cnpg-hostile-'));
    fs.chmodSync(scratch, 0o777);
  }
  return scratch;
}

/** A fresh folder for one case's files, readable by everyone. */
export function caseDir(): string {
  const dir = fs.mkdtempSync(path.join(scratchDir(), 'case-'));
  fs.chmodSync(dir, 0o755);
  return dir;
}

export function cleanup(): void {
  if (scratch) {
    spawnSync('chmod', ['-R', 'u+rwx', scratch]);
    fs.rmSync(scratch, { recursive: true, force: true });
    scratch = undefined;
  }
}

const PRELOAD = 'process.on("exit", () => { try { require("fs").writeFileSync(process.env.HOSTILE_RSS_FILE, String(process.resourceUsage().maxRSS)); } catch {} });';

/** Whether this process can drop to an unprivileged user (root can read a mode-000 file; nobody cannot). */
export const canDropPrivileges = process.getuid?.() === 0 && fs.existsSync('/usr/bin/setpriv');

export interface RunOptions {
  readonly cwd?: string;
  readonly env?: Record<string, string | undefined>;
  /** Run as the unprivileged user `nobody` (when this process is root), so that permissions apply. */
  readonly unprivileged?: boolean;
  readonly label?: string;
}

/** Runs `cdk8s-cnpg <args>` as a separate process under the ceilings. */
export function runCli(args: readonly string[], options: RunOptions = {}): Outcome {
  if (!fs.existsSync(path.join(ROOT, 'lib', 'src', 'cli', 'main.js'))) throw new Error('lib/ is missing: run `npx projen compile` first');
  const dir = scratchDir();
  const preload = path.join(dir, 'rss-preload.js');
  if (!fs.existsSync(preload)) fs.writeFileSync(preload, PRELOAD, { mode: 0o644 });
  const rssFile = path.join(dir, `rss-${process.pid}-${observed.runs}`);
  const node = [process.execPath, `--max-old-space-size=${HEAP_MB}`, '-r', preload, CLI, ...args];
  const drop = options.unprivileged && canDropPrivileges ? ['/usr/bin/setpriv', '--reuid=65534', '--regid=65534', '--clear-groups'] : [];
  const env: Record<string, string | undefined> = { ...process.env, HOSTILE_RSS_FILE: rssFile, NODE_OPTIONS: undefined, ...options.env };
  for (const k of Object.keys(env)) if (env[k] === undefined) delete env[k];
  const started = process.hrtime.bigint();
  const r = spawnSync('timeout', ['-s', 'KILL', String(CEILING_SECONDS), ...drop, ...node], {
    cwd: options.cwd ?? dir, env: env as NodeJS.ProcessEnv, encoding: 'utf-8', maxBuffer: 256 * 1024 * 1024,
  });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  let maxRssMb = NaN;
  try {
    maxRssMb = Number(fs.readFileSync(rssFile, 'utf-8')) / 1024;
    fs.rmSync(rssFile);
  } catch {
    // killed before its exit handler ran: the case fails on its exit code
  }
  observed.runs++;
  if (ms > observed.maxMs) Object.assign(observed, { maxMs: ms, slowest: options.label ?? args.join(' ') });
  if (maxRssMb > observed.maxRssMb) Object.assign(observed, { maxRssMb, hungriest: options.label ?? args.join(' ') });
  return { code: r.status, signal: r.signal, stdout: r.stdout ?? '', stderr: r.stderr ?? '', ms, maxRssMb };
}

/** No stack trace, no crash: the shapes of an unhandled error in Node. */
const CRASH = /^\s+at .+:\d+:\d+\)?$|FATAL ERROR|node:internal|Error: .*\n\s+at /m;

/**
 * Asserts what every hostile case must give: the exit code, within the ceilings, and exactly one line on stderr
 * (nothing on stdout) for an input problem, matching `message`.
 */
export function expectOneLine(o: Outcome, code: 1 | 2, message: RegExp): void {
  expect({ code: o.code, signal: o.signal }).toEqual({ code, signal: null });
  expect(o.maxRssMb).toBeLessThan(MEMORY_CEILING_MB);
  expect(o.stderr).not.toMatch(CRASH);
  const lines = code === 2 ? o.stderr : o.stdout;
  expect(lines).toMatch(/^[^\n]*\n$/);
  expect(lines).toMatch(message);
  if (code === 2) expect(o.stdout).toBe('');
  // every line a reader sees is free of raw control characters (escaped as \\u001b, \\n)
  expect(`${o.stdout}${o.stderr}`.replace(/\n/g, '')).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/);
}

/** Asserts a findings run: the exit code, within the ceilings, no crash, each finding one bounded line. */
export function expectFindings(o: Outcome, code: 0 | 1, maxLineLength = 1500): string[] {
  // stderr holds only the one-line summary (`1 file, 2 objects, 1 error, 0 warnings`)
  expect({ code: o.code, signal: o.signal }).toEqual({ code, signal: null });
  expect(o.stderr).toMatch(/^\d+ files?, \d+ objects?, \d+ errors?, \d+ warnings?\n$/);
  expect(o.maxRssMb).toBeLessThan(MEMORY_CEILING_MB);
  const lines = o.stdout.split('\n');
  expect(lines.pop()).toBe('');
  // one expect for all lines: 20,000 of them would otherwise cost more than the run itself
  const bad = lines.filter(line => line.length >= maxLineLength || /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/.test(line));
  expect(bad.slice(0, 3)).toEqual([]);
  return lines;
}

/** Prints what the runs of one test file took at most (for the CI log; never asserted beyond the ceilings). */
export function reportObserved(file: string): void {
  process.stdout.write(`hostile ${file}: ${observed.runs} runs, slowest ${Math.round(observed.maxMs)} ms (${observed.slowest}), `
    + `most memory ${Math.round(observed.maxRssMb)} MB (${observed.hungriest}); ceilings ${CEILING_SECONDS} s, ${MEMORY_CEILING_MB} MB\n`);
}
