import type * as ChildProcess from 'child_process';
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { UpstreamRelease } from './catalog';
import { packageRoot } from './derived';
import type { Manifest } from './manifest';
import { InputError, readJsonFile, readTextFile } from '../private/input-files';

/** Environment variable naming a directory laid out as `../shared/upstream` is. */
export const UPSTREAM_DIR_ENV = 'CDK8S_CNPG_UPSTREAM_DIR';
/** Set to `1` to never download (air-gapped use, tests). */
export const OFFLINE_ENV = 'CDK8S_CNPG_OFFLINE';
/** Overrides where the lock file of first-use digests lives. */
export const LOCK_FILE_ENV = 'CDK8S_CNPG_LOCK_FILE';
/** The lock file's name, next to the app's `cdk8s.yaml`; commit it. */
export const LOCK_FILE_NAME = 'cdk8s-cnpg.lock.json';
/** Set to `1` to record the digest of a downloaded release that the catalog does not pin (trust on first use). */
export const TRUST_ON_FIRST_USE_ENV = 'CDK8S_CNPG_TRUST_ON_FIRST_USE';

/** Largest upstream install we read: CNPG's is ~1.3 MB. */
const MAX_MANIFEST_BYTES = 16 * 1024 * 1024;

/** How a located file is checked. */
export interface LocateOptions {
  /**
   * Parses a file into its objects: used to accept a pinned release formatted differently (`objectsSha256`) and
   * to check a first-use download against the release it claims to be.
   */
  readonly parse: (text: string, source: string) => Manifest[];
  /**
   * Whether a first-use digest may be written to the lock file: only synthesizing an app records, never the
   * `validate` command. @default false
   */
  readonly recordFirstUse?: boolean;
}

/** Where a manifest was found. */
export type ManifestSource = 'file' | 'env' | 'bundle' | 'cache' | 'download';

/** A located, verified upstream manifest. */
export interface LocatedManifest {
  readonly release: UpstreamRelease;
  readonly source: ManifestSource;
  readonly path: string;
  readonly text: string;
  readonly sha256: string;
  /** The objects, when verifying needed them (a pinned release formatted differently, a first use). */
  readonly verifiedDocs?: Manifest[];
}

/** The user cache: `$XDG_CACHE_HOME/cdk8s-cnpg` or `~/.cache/cdk8s-cnpg`. */
export function cacheDir(): string {
  const base = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  return path.join(base, 'cdk8s-cnpg');
}

export function sha256Of(text: string | Buffer): string {
  return createHash('sha256').update(text).digest('hex');
}

/**
 * The lock file: `$CDK8S_CNPG_LOCK_FILE`, or `cdk8s-cnpg.lock.json` next to the `cdk8s.yaml` of the app being
 * synthesized (found from the working directory up); undefined when there is no app.
 */
export function lockFilePath(): string | undefined {
  if (process.env[LOCK_FILE_ENV]) return process.env[LOCK_FILE_ENV];
  for (let dir = process.cwd(); ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'cdk8s.yaml'))) return path.join(dir, LOCK_FILE_NAME);
    if (path.dirname(dir) === dir) return undefined;
  }
}

const LOCK_KEY = /^[a-z0-9-]+@[0-9][0-9A-Za-z.+-]*$/;
const SHA256 = /^[0-9a-f]{64}$/;

/** Reads the lock file: an object of `component@version` to sha256, or an error naming what is wrong. */
export function readLock(file: string): Record<string, string> {
  const fix = 'fix or delete it (it holds only first-use digests; a fresh download records them again)';
  let lock: unknown;
  try {
    lock = readJsonFile(file);
  } catch (e) {
    throw new Error(`the lock file ${(e as Error).message}; ${fix}`);
  }
  if (lock === undefined) return {};
  if (typeof lock !== 'object' || lock === null || Array.isArray(lock)) throw new Error(`the lock file ${file} is not a JSON object; ${fix}`);
  for (const [key, value] of Object.entries(lock)) {
    if (!LOCK_KEY.test(key) || typeof value !== 'string' || !SHA256.test(value)) {
      throw new Error(`the lock file ${file} has an entry that is not "component@version": "<sha256>", got ${JSON.stringify(key).slice(0, 80)}; ${fix}`);
    }
  }
  return lock as Record<string, string>;
}

/** The objects of a file as canonical JSON (keys sorted, documents in file order), hashed. */
export function objectsDigest(docs: readonly unknown[]): string {
  const canonical = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(canonical);
    if (node && typeof node === 'object') {
      return Object.fromEntries(Object.keys(node).sort().map(k => [k, canonical((node as Record<string, unknown>)[k])]));
    }
    return node;
  };
  return sha256Of(JSON.stringify(docs.map(canonical)));
}

/** Every image a file names: containers of its Deployments, and `*_IMAGE` settings (the plugin's sidecar). */
function imagesNamed(docs: readonly Manifest[]): string[] {
  const images = new Set<string>();
  const visit = (node: unknown, key?: string): void => {
    if (typeof node === 'string') {
      if (key === 'image' || (key !== undefined && /_IMAGE$/.test(key))) images.add(node.trim());
    } else if (Array.isArray(node)) {
      node.forEach(n => visit(n));
    } else if (node && typeof node === 'object') {
      for (const [k, v] of Object.entries(node)) visit(v, k);
    }
  };
  for (const doc of docs) {
    if (doc.kind === 'Deployment') visit((doc.spec as any)?.template?.spec);
    if (doc.kind === 'ConfigMap') visit((doc as any).data);
    if (doc.kind === 'Secret') {
      visit((doc as any).stringData);
      const data = (doc as any).data;
      if (data && typeof data === 'object') {
        for (const [k, v] of Object.entries(data)) visit(typeof v === 'string' ? Buffer.from(v.replace(/\s+/g, ''), 'base64').toString('utf-8') : v, k);
      }
    }
  }
  return [...images].sort();
}

/**
 * Whether a file's objects are what the release claims to hold: only its kinds, only its images (and at least
 * one), and no binding to a role the file does not define (an added ClusterRoleBinding to cluster-admin).
 */
function claimProblems(release: UpstreamRelease, docs: readonly Manifest[]): string[] {
  const problems: string[] = [];
  const kinds = [...new Set(docs.map(d => d.kind))].filter(k => !release.kinds.includes(k));
  if (kinds.length) problems.push(`kinds ${kinds.map(k => JSON.stringify(k)).join(', ')} that ${release.component} ${release.version} does not hold`);
  const images = imagesNamed(docs);
  const foreign = images.filter(i => !release.images.includes(i));
  if (foreign.length) problems.push(`images ${foreign.map(i => JSON.stringify(i)).join(', ')} (${release.version} runs ${release.images.join(', ')})`);
  if (!images.length) problems.push('no Deployment image');
  const roles = new Set(docs.filter(d => d.kind === 'Role' || d.kind === 'ClusterRole').map(d => `${d.kind}/${d.metadata?.name}`));
  for (const b of docs.filter(d => d.kind === 'RoleBinding' || d.kind === 'ClusterRoleBinding')) {
    const ref = (b as any).roleRef;
    if (!roles.has(`${ref?.kind}/${ref?.name}`)) problems.push(`${b.kind} ${JSON.stringify(b.metadata?.name)} binding ${ref?.kind} ${JSON.stringify(ref?.name)}, which the install does not define`);
  }
  return problems;
}

function parseOrThrow(key: string, file: string, text: string, options: LocateOptions): Manifest[] {
  try {
    return options.parse(text, file);
  } catch (e) {
    throw new Error(`${key}: ${file} cannot be parsed: ${(e as Error).message.split('\n')[0]}`);
  }
}

/**
 * Checks a file against the catalog: its digest, or for a pinned release its objects' digest (a copy formatted
 * differently). A release the catalog does not pin is checked against the lock file; a digest is recorded there
 * only for a real download, only when `CDK8S_CNPG_TRUST_ON_FIRST_USE=1` and the caller records (synth, never
 * `validate`), and only for a file that parses into the objects the release claims (kinds, images, bindings).
 */
function verify(release: UpstreamRelease, source: ManifestSource, file: string, text: string,
  options: LocateOptions): { digest: string; docs?: Manifest[] } {
  const digest = sha256Of(text);
  if (release.sha256.includes(digest)) return { digest };
  const key = `${release.component}@${release.version}`;
  const how = `use the official release asset (${release.url}) unmodified`;
  if (release.pinned) {
    if (release.objectsSha256) {
      let docs: Manifest[] | undefined;
      try {
        docs = options.parse(text, file);
      } catch {
        docs = undefined;
      }
      if (docs && objectsDigest(docs) === release.objectsSha256) return { digest, docs };
    }
    throw new Error(`${key}: ${file} has sha256 ${digest}, expected ${release.sha256.join(' or ')}${release.objectsSha256 ? ' (or the same objects formatted differently)' : ''}; the file was modified or is another version: ${how}`);
  }
  const lockFile = lockFilePath();
  const lock = lockFile ? readLock(lockFile) : {};
  if (lock[key] !== undefined) {
    if (lock[key] !== digest) {
      throw new Error(`${key}: ${file} has sha256 ${digest}, but ${lockFile} recorded ${lock[key]} on first use; ${how}, or delete the entry if the change is intended`);
    }
    return { digest };
  }
  const refuse = (why: string): never => {
    throw new Error(`${key}: the catalog pins no digest for this version and ${lockFile ?? 'the app'} records none, and ${why}; `
      + `download ${release.url} and synthesize with ${TRUST_ON_FIRST_USE_ENV}=1 to record its digest, or use a version the catalog pins`);
  };
  if (source !== 'download') refuse(`${file} is a local file, not a download (trust on first use is for downloads only)`);
  if (!options.recordFirstUse) refuse('the validate command never records first-use digests');
  if (process.env[TRUST_ON_FIRST_USE_ENV] !== '1') refuse(`${TRUST_ON_FIRST_USE_ENV} is not set to 1`);
  if (!lockFile) refuse(`there is no cdk8s.yaml in or above ${process.cwd()} to keep the lock file next to (or set ${LOCK_FILE_ENV})`);
  const docs = parseOrThrow(key, release.url, text, options);
  const problems = claimProblems(release, docs);
  if (problems.length) throw new Error(`${key}: ${release.url} is not ${release.component} ${release.version}: it has ${problems.join('; ')}; nothing was recorded`);
  const sorted = Object.fromEntries(Object.entries({ ...lock, [key]: digest }).sort(([a], [b]) => a.localeCompare(b)));
  const tmp = `${lockFile}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(sorted, null, 2) + '\n');
  fs.renameSync(tmp, lockFile!);
  process.stderr.write(`cdk8s-cnpg: recorded sha256 ${digest} of ${key} in ${lockFile}; commit it\n`);
  return { digest, docs };
}

/** The compiled download worker beside this module (under ts-jest, the compiled copy in lib/). */
function downloadWorker(): string {
  const here = path.join(__dirname, 'download-worker.js');
  return fs.existsSync(here) ? here : path.join(packageRoot(), 'lib', 'src', 'upstream', 'download-worker.js');
}

/** A download's text, or why there is none (one line: `HTTP 404`, `getaddrinfo ENOTFOUND github.com`). */
type Download = { readonly text: string } | { readonly failure: string };

function download(url: string): Download {
  // Constructs are synchronous, so the download runs in a child process (as cdk8s Include does).
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { spawnSync } = require('child_process') as typeof ChildProcess; // loaded only to download
  const result = spawnSync(process.execPath, [downloadWorker(), url], { maxBuffer: MAX_MANIFEST_BYTES, timeout: 120_000 });
  if (result.status === 0 && result.stdout?.length) {
    try {
      return { text: new TextDecoder('utf-8', { fatal: true }).decode(result.stdout) };
    } catch {
      throw new Error(`${url}: the download is not valid UTF-8; it is not a release manifest`);
    }
  }
  const why = result.error?.message ?? (result.stderr?.toString('utf-8') ?? '').trim().split('\n').pop();
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
export function locateManifest(release: UpstreamRelease, explicitFile: string | undefined, options: LocateOptions): LocatedManifest {
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
    let text: string;
    try {
      text = readTextFile(file, MAX_MANIFEST_BYTES);
    } catch (e) {
      if (!(e instanceof InputError)) throw e;
      throw new Error(`${release.component}@${release.version}: ${e.message}`);
    }
    const { digest, docs } = verify(release, source, file, text, options);
    return { release, source, path: file, text, sha256: digest, verifiedDocs: docs };
  }

  const offline = process.env[OFFLINE_ENV] === '1';
  const fetched: Download = offline ? { failure: `downloads are off (${OFFLINE_ENV}=1)` } : download(release.url);
  if (!('text' in fetched)) {
    throw new ManifestNotFoundError(release, places.map(p => `${p.label} (${p.file})`), fetched.failure);
  }
  const text = fetched.text;
  const cached = path.join(cacheDir(), release.relativePath);
  const { digest, docs } = verify(release, 'download', release.url, text, options);
  fs.mkdirSync(path.dirname(cached), { recursive: true });
  fs.writeFileSync(cached, text);
  return { release, source: 'download', path: cached, text, sha256: digest, verifiedDocs: docs };
}
