import { randomBytes } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { cacheDir, sha256Of } from './locate';

/** Set to `1` to keep derived data (parsed manifests, rendered YAML) out of the user cache. */
export const NO_CACHE_ENV = 'CDK8S_CNPG_NO_CACHE';

/** The installed version of a package, resolved from `from` (a module path) or from here. */
export function packageVersion(name: string, from?: string): string {
  const file = require.resolve(`${name}/package.json`, from ? { paths: [from] } : undefined);
  return (JSON.parse(fs.readFileSync(file, 'utf-8')) as { version: string }).version;
}

/**
 * A cache of data derived from digest-verified upstream files, under the user cache. Keys must include every
 * input the data depends on (the file digest, library versions). Each entry starts with the sha256 of its data,
 * so a damaged entry is recomputed rather than trusted. Failures to read or write are never errors: the caller
 * recomputes. It is as trustworthy as the user's cache folder; `CDK8S_CNPG_NO_CACHE=1` turns it off.
 */
export function readDerived(bucket: string, key: string): string | undefined {
  if (!derivedCacheEnabled()) return undefined;
  let entry: string;
  try {
    entry = fs.readFileSync(derivedPath(bucket, key), 'utf-8');
  } catch {
    return undefined;
  }
  const newline = entry.indexOf('\n');
  const data = entry.slice(newline + 1);
  return newline === 64 && entry.slice(0, 64) === sha256Of(data) ? data : undefined;
}

/** Writes derived data atomically (temporary file, then rename), ignoring failures. */
export function writeDerived(bucket: string, key: string, data: string): void {
  if (!derivedCacheEnabled()) return;
  const file = derivedPath(bucket, key);
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(tmp, `${sha256Of(data)}\n${data}`);
    fs.renameSync(tmp, file);
  } catch {
    try {
      fs.rmSync(tmp, { force: true });
    } catch {
      // The folder itself is unusable (e.g. a file stands in its way): nothing to clean up.
    }
  }
}

/** Whether derived data may be cached on disk. */
export function derivedCacheEnabled(): boolean {
  return process.env[NO_CACHE_ENV] !== '1';
}

/** Where an entry lives: `<user cache>/derived/<bucket>/<key>`. */
export function derivedPath(bucket: string, key: string): string {
  return path.join(cacheDir(), 'derived', bucket, key);
}
