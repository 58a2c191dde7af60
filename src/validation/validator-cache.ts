/**
 * Compiled schema validators cached across processes. Compiling the CNPG Cluster schema with ajv costs ~250 ms;
 * its standalone code (`ajv/dist/standalone`) loads in a fraction of that. Each is one CommonJS module in the
 * derived-data cache (`<user cache>/derived/validators/`), named by a digest of everything the generated code
 * depends on: the CRD schema, our transform of it, the ajv options and the ajv and ajv-formats versions.
 * Failures to read or write are never errors: the caller compiles in memory. `CDK8S_CNPG_NO_CACHE=1` turns the
 * disk cache off.
 */
import type { ValidateFunction } from 'ajv';
import { derivedCacheEnabled, readDerived, writeDerived } from '../upstream/disk-cache';

const BUCKET = 'validators';

export { derivedCacheEnabled as diskCacheEnabled };
export { sha256Of as sha256 } from '../upstream/locate';

/**
 * Evaluates standalone ajv code as a CommonJS module whose `require` is this package's: `ajv/dist/runtime/*` and
 * `ajv-formats/dist/formats` resolve from our own dependencies, wherever the cache lives.
 */
export function evaluateStandalone(code: string): ValidateFunction | undefined {
  const mod: { exports: unknown } = { exports: {} };
  // eslint-disable-next-line @typescript-eslint/no-implied-eval
  new Function('require', 'module', 'exports', code)(require, mod, mod.exports);
  const exported = mod.exports as { default?: unknown };
  const validate = typeof exported.default === 'function' ? exported.default : exported;
  return typeof validate === 'function' ? validate as ValidateFunction : undefined;
}

/** A cached validator, or undefined when there is none (or it cannot be read or evaluated). */
export function loadValidator(key: string): ValidateFunction | undefined {
  const code = readDerived(BUCKET, `${key}.js`);
  if (code === undefined) return undefined;
  try {
    return evaluateStandalone(code);
  } catch {
    return undefined;
  }
}

/** Stores a validator's standalone code, ignoring failures. */
export function storeValidator(key: string, code: string): void {
  writeDerived(BUCKET, `${key}.js`, code);
}
