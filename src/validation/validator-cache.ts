/**
 * Compiled schema validators cached across processes. Compiling the CNPG Cluster schema with ajv costs ~250 ms;
 * its standalone code (`ajv/dist/standalone`) loads in a fraction of that. The cache lives in the user cache
 * (`$XDG_CACHE_HOME/cdk8s-cnpg/validators/`), one CommonJS module per schema, named by a digest of everything the
 * generated code depends on: the CRD schema, our transform of it, the ajv options and the ajv and ajv-formats
 * versions. Failures to read or write are never errors: the caller compiles in memory. `CDK8S_CNPG_NO_CACHE=1`
 * turns the disk cache off.
 */
import { createHash, randomBytes } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import type { ValidateFunction } from 'ajv';
import { cacheDir } from '../upstream/locate';

/** Set to `1` to keep compiled validators (and other derived data) out of the user cache. */
export const NO_CACHE_ENV = 'CDK8S_CNPG_NO_CACHE';

/** The first line of every cached module: names the key, so that a misplaced or foreign file is not used. */
const HEADER = '// cdk8s-cnpg compiled validator ';

export function diskCacheEnabled(): boolean {
  return process.env[NO_CACHE_ENV] !== '1';
}

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** The directory holding cached validators. */
export function validatorCacheDir(): string {
  return path.join(cacheDir(), 'validators');
}

function fileOf(key: string): string {
  return path.join(validatorCacheDir(), `${key}.js`);
}

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
  if (!diskCacheEnabled()) return undefined;
  let code: string;
  try {
    code = fs.readFileSync(fileOf(key), 'utf-8');
  } catch {
    return undefined;
  }
  if (!code.startsWith(`${HEADER}${key}\n`)) return undefined;
  try {
    return evaluateStandalone(code);
  } catch {
    return undefined;
  }
}

/** Writes a validator's standalone code atomically (temporary file, then rename), ignoring failures. */
export function storeValidator(key: string, code: string): void {
  if (!diskCacheEnabled()) return;
  const file = fileOf(key);
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(tmp, `${HEADER}${key}\n${code}`);
    fs.renameSync(tmp, file);
  } catch {
    try {
      fs.rmSync(tmp, { force: true });
    } catch {
      // nothing to clean up
    }
  }
}
