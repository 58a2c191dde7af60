/**
 * Data derived from the upstream installs of the catalog (parsed documents, compiled schema validators), built at
 * package time by `npx projen derive-upstream` into the package's own `derived/` folder and loaded with `require`.
 * It is part of the package like its code: nothing is written at run time, nothing is read from a user-writable
 * place, and nothing is evaluated from a string. When an entry is missing (a manifest the catalog does not pin, a
 * checkout that was not built), the caller computes it in memory for this process only.
 */
import * as fs from 'fs';
import * as path from 'path';

/** The package root, found from this file in src/upstream (ts-jest) or lib/src/upstream (compiled). */
export function packageRoot(): string {
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) return __dirname;
    dir = parent;
  }
  return dir;
}

/** The folder the derived data lives in: `<package>/derived`. */
export function derivedDir(): string {
  return path.join(packageRoot(), 'derived');
}

/** `derived/parsed/<sha256>.json`: the documents of the verified manifest with that digest. */
export function parsedPath(sha256: string): string {
  return path.join(derivedDir(), 'parsed', `${sha256}.json`);
}

/** `derived/validators/<key>.js`: ajv standalone code of one transformed CRD schema. */
export function validatorPath(key: string): string {
  return path.join(derivedDir(), 'validators', `${key}.js`);
}

/**
 * `derived/validators/index.json`: the validator of each CRD version of each catalog file, by
 * `<manifest sha256>/<group>/<kind>/<version>` (a test holds it to the digest of what each one compiles).
 */
export function validatorIndexPath(): string {
  return path.join(derivedDir(), 'validators', 'index.json');
}

/** Loads a derived module or JSON file of the package, or undefined when the package has none. */
export function requireDerived<T>(file: string): T | undefined {
  if (!/^([0-9a-f]{64}|index)\.(js|json)$/.test(path.basename(file)) || !fs.existsSync(file)) return undefined;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(file) as T;
}

/** The installed version of a package, as this package resolves it. */
export function packageVersion(name: string): string {
  const file = require.resolve(`${name}/package.json`);
  return (JSON.parse(fs.readFileSync(file, 'utf-8')) as { version: string }).version;
}
