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

/** The compiled download worker beside this module (under ts-jest, the compiled copy in lib/). */
function downloadWorker(): string {
  const here = path.join(__dirname, 'download-worker.js');
  return fs.existsSync(here) ? here : path.join(packageRoot(), 'lib', 'src', 'upstream', 'download-worker.js');
}

function download(url: string): string | undefined {
  // Constructs are synchronous, so the download runs in a child process (as cdk8s Include does).
  const result = spawnSync(process.execPath, [downloadWorker(), url], { maxBuffer: 64 * 1024 * 1024, encoding: 'utf-8', timeout: 120_000 });
  return result.status === 0 && result.stdout ? result.stdout : undefined;
}

/**
 * Finds a release's manifest, in order: an explicit file, `$CDK8S_CNPG_UPSTREAM_DIR`, the copy bundled into
 * the npm package, the user cache, a download from the release URL (then cached). Every file is verified.
 */
export function locateManifest(release: UpstreamRelease, explicitFile?: string): LocatedManifest {
  const candidates: Array<[ManifestSource, string]> = [];
  if (explicitFile) {
    if (!fs.existsSync(explicitFile)) {
      throw new Error(`${release.component}@${release.version}: manifest file ${JSON.stringify(explicitFile)} does not exist; pass the path of the downloaded ${release.url}`);
    }
    candidates.push(['file', explicitFile]);
  }
  const envDir = process.env[UPSTREAM_DIR_ENV];
  if (envDir) candidates.push(['env', path.join(envDir, release.relativePath)]);
  candidates.push(['bundle', path.join(packageRoot(), 'upstream-bundle', release.relativePath)]);
  candidates.push(['cache', path.join(cacheDir(), release.relativePath)]);

  for (const [source, file] of candidates) {
    if (!fs.existsSync(file)) continue;
    const text = fs.readFileSync(file, 'utf-8');
    return { release, source, path: file, text, sha256: verify(release, file, text) };
  }

  const offline = process.env[OFFLINE_ENV] === '1';
  const text = offline ? undefined : download(release.url);
  if (text === undefined) {
    throw new Error(
      `${release.component} ${release.version}: no install manifest found and ${offline ? `downloads are off (${OFFLINE_ENV}=1)` : 'the download failed'}. `
      + `Download ${release.url} and either pass it as the construct's manifestFile, put it at $${UPSTREAM_DIR_ENV}/${release.relativePath}, `
      + `or at ${path.join(cacheDir(), release.relativePath)}`);
  }
  const cached = path.join(cacheDir(), release.relativePath);
  const digest = verify(release, release.url, text);
  fs.mkdirSync(path.dirname(cached), { recursive: true });
  fs.writeFileSync(cached, text);
  return { release, source: 'download', path: cached, text, sha256: digest };
}
