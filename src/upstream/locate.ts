import { spawnSync } from 'child_process';
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { UpstreamRelease } from './catalog';

/** Environment variable naming a directory laid out as `../shared/upstream` is. */
export const UPSTREAM_DIR_ENV = 'CDK8S_CNPG_UPSTREAM_DIR';
/** Set to `1` to never download (air-gapped use, tests). */
export const OFFLINE_ENV = 'CDK8S_CNPG_OFFLINE';
/** Overrides where the lock file of first-use digests lives. */
export const LOCK_FILE_ENV = 'CDK8S_CNPG_LOCK_FILE';
/** The lock file's default name, in the working directory; commit it. */
export const LOCK_FILE_NAME = 'cdk8s-cnpg.lock.json';

/** Where a manifest was found. */
export type ManifestSource = 'file' | 'env' | 'bundle' | 'cache' | 'download';

/** A located, verified upstream manifest. */
export interface LocatedManifest {
  readonly release: UpstreamRelease;
  readonly source: ManifestSource;
  readonly path: string;
  readonly text: string;
  readonly sha256: string;
}

/** The package root, found from this file in src/upstream (ts-jest) or lib/src/upstream (compiled). */
function packageRoot(): string {
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) return __dirname;
    dir = parent;
  }
  return dir;
}

/** The user cache: `$XDG_CACHE_HOME/cdk8s-cnpg` or `~/.cache/cdk8s-cnpg`. */
export function cacheDir(): string {
  const base = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  return path.join(base, 'cdk8s-cnpg');
}

export function sha256Of(text: string | Buffer): string {
  return createHash('sha256').update(text).digest('hex');
}

function lockFilePath(): string {
  return process.env[LOCK_FILE_ENV] || path.join(process.cwd(), LOCK_FILE_NAME);
}

function readLock(): Record<string, string> {
  const file = lockFilePath();
  if (!fs.existsSync(file)) return {};
  try {
    return JSON.parse(fs.readFileSync(file, 'utf-8'));
  } catch (e) {
    throw new Error(`cannot read the lock file ${file}: ${(e as Error).message}; fix or delete it`);
  }
}

/**
 * Checks a file's digest against the catalog, or for a release whose digest is not pinned, against the digest
 * recorded on first use in the lock file (recording it when there is none).
 */
function verify(release: UpstreamRelease, file: string, text: string): string {
  const digest = sha256Of(text);
  if (release.sha256.includes(digest)) return digest;
  const key = `${release.component}@${release.version}`;
  const how = `use the official release asset (${release.url}) unmodified`;
  if (release.pinned) {
    throw new Error(`${key}: ${file} has sha256 ${digest}, expected ${release.sha256.join(' or ')}; the file was modified or is another version: ${how}`);
  }
  const lock = readLock();
  if (lock[key] !== undefined) {
    if (lock[key] !== digest) {
      throw new Error(`${key}: ${file} has sha256 ${digest}, but ${lockFilePath()} recorded ${lock[key]} on first use; ${how}, or delete the entry if the change is intended`);
    }
    return digest;
  }
  const sorted = Object.fromEntries(Object.entries({ ...lock, [key]: digest }).sort(([a], [b]) => a.localeCompare(b)));
  fs.writeFileSync(lockFilePath(), JSON.stringify(sorted, null, 2) + '\n');
  process.stderr.write(`cdk8s-cnpg: recorded sha256 ${digest} of ${key} in ${lockFilePath()}; commit it\n`);
  return digest;
}

/** A download's text, or why there is none (one line: `HTTP 404`, `getaddrinfo ENOTFOUND github.com`). */
type Download = { readonly text: string } | { readonly failure: string };

function download(url: string): Download {
  // Constructs are synchronous, so the download runs in a child process (as cdk8s Include does).
  const script = `
    const https = require('https');
    const get = (u, n) => https.get(u, { timeout: 30000 }, res => {
      if (res.statusCode >= 300 && res.statusCode < 400 && res.headers.location && n < 5) { res.resume(); return get(new URL(res.headers.location, u).toString(), n + 1); }
      if (res.statusCode !== 200) { console.error('HTTP ' + res.statusCode); process.exit(1); }
      res.pipe(process.stdout);
    }).on('error', e => { console.error(e.message); process.exit(1); }).on('timeout', function () { this.destroy(new Error('timeout after 30 s')); });
    get(process.argv[1], 0);`;
  const result = spawnSync(process.execPath, ['-e', script, url], { maxBuffer: 64 * 1024 * 1024, encoding: 'utf-8', timeout: 120_000 });
  if (result.status === 0 && result.stdout) return { text: result.stdout };
  const why = result.error?.message ?? (result.stderr ?? '').trim().split('\n').pop();
  return { failure: why || (result.status === 0 ? 'empty response' : `exit status ${result.status}`) };
}

/** Where a release's manifest was looked for, in order, as a reader should see it. */
interface Place {
  readonly source: ManifestSource;
  readonly label: string;
  readonly file: string;
}

/**
 * A release's manifest found nowhere: names every place looked in, the URL, and why the download did not help.
 * Synth collects these, so a fresh machine learns all missing manifests at once.
 */
export class ManifestNotFoundError extends Error {
  constructor(public readonly release: UpstreamRelease, public readonly lookedIn: readonly string[], public readonly downloadFailure: string) {
    super(`${release.component} ${release.version}: no install manifest found; looked in ${lookedIn.join(', ')}; `
      + `download of ${release.url} failed: ${downloadFailure}. Download it and either pass it as the construct's manifestFile, `
      + `put it at $${UPSTREAM_DIR_ENV}/${release.relativePath}, or at ${path.join(cacheDir(), release.relativePath)}`);
    this.name = 'ManifestNotFoundError';
  }
}

/** `$CDK8S_CNPG_UPSTREAM_DIR` when set: it must be a directory (a typo must not fall back silently). */
function upstreamDir(): string | undefined {
  const dir = process.env[UPSTREAM_DIR_ENV];
  if (!dir) return undefined;
  let isDir = false;
  try {
    isDir = fs.statSync(dir).isDirectory();
  } catch {
    isDir = false;
  }
  if (!isDir) {
    throw new Error(`$${UPSTREAM_DIR_ENV} is ${JSON.stringify(dir)}, which ${fs.existsSync(dir) ? 'is not a directory' : 'does not exist'}; `
      + 'point it at a folder laid out as cnpg/cnpg-<v>.yaml, plugin-barman-cloud/plugin-barman-cloud-v<v>.yaml, cert-manager/cert-manager-v<v>.yaml, or unset it');
  }
  return dir;
}

/**
 * Finds a release's manifest, in order: an explicit file, `$CDK8S_CNPG_UPSTREAM_DIR`, the copy bundled into
 * the npm package, the user cache, a download from the release URL (then cached). Every file is verified.
 */
export function locateManifest(release: UpstreamRelease, explicitFile?: string): LocatedManifest {
  const places: Place[] = [];
  if (explicitFile) {
    if (!fs.existsSync(explicitFile)) {
      throw new Error(`${release.component}@${release.version}: manifest file ${JSON.stringify(explicitFile)} does not exist; pass the path of the downloaded ${release.url}`);
    }
    places.push({ source: 'file', label: 'manifestFile', file: explicitFile });
  }
  const envDir = upstreamDir();
  if (envDir) places.push({ source: 'env', label: `$${UPSTREAM_DIR_ENV}`, file: path.join(envDir, release.relativePath) });
  places.push({ source: 'bundle', label: 'the copy bundled into the package', file: path.join(packageRoot(), 'upstream-bundle', release.relativePath) });
  places.push({ source: 'cache', label: 'the user cache', file: path.join(cacheDir(), release.relativePath) });

  for (const { source, file } of places) {
    if (!fs.existsSync(file)) continue;
    const text = fs.readFileSync(file, 'utf-8');
    return { release, source, path: file, text, sha256: verify(release, file, text) };
  }

  const offline = process.env[OFFLINE_ENV] === '1';
  const fetched: Download = offline ? { failure: `downloads are off (${OFFLINE_ENV}=1)` } : download(release.url);
  if (!('text' in fetched)) {
    throw new ManifestNotFoundError(release, places.map(p => `${p.label} (${p.file})`), fetched.failure);
  }
  const text = fetched.text;
  const cached = path.join(cacheDir(), release.relativePath);
  const digest = verify(release, release.url, text);
  fs.mkdirSync(path.dirname(cached), { recursive: true });
  fs.writeFileSync(cached, text);
  return { release, source: 'download', path: cached, text, sha256: digest };
}
