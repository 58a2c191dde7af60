import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { baseSet, cluster, objectStore, scheduledBackup } from './helpers';
import { sha256Of } from '../../src/upstream/locate';
import { Manifest } from '../../src/upstream/manifest';
import type * as validation from '../../src/validation';

/** A set with schema findings of every kind the messages depend on, formats (int32) included. */
function invalidSet(): Manifest[] {
  return [
    ...baseSet(),
    cluster({ failoverDelay: 5_000_000_000, unknownField: 1, primaryUpdateStrategy: 'sometimes', storage: { size: 5 } }, {}, 'pg-bad'),
    objectStore({ data: { compression: 'lz4' } }, {}, 'store-old'),
    scheduledBackup({ schedule: '0 0 * * *', extra: true }, {}),
  ];
}

const ENV_KEYS = ['XDG_CACHE_HOME', 'CDK8S_CNPG_NO_CACHE'] as const;

describe('compiled validators cached on disk', () => {
  let tmp: string;
  const saved: Partial<Record<string, string>> = {};

  beforeEach(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-cnpg-validators-'));
    for (const k of ENV_KEYS) saved[k] = process.env[k];
    process.env.XDG_CACHE_HOME = tmp;
    delete process.env.CDK8S_CNPG_NO_CACHE;
  });

  afterEach(() => {
    for (const k of ENV_KEYS) {
      if (saved[k] === undefined) delete process.env[k];
      else process.env[k] = saved[k];
    }
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  /** Validates in a fresh module registry, i.e. as a new process would (no in-memory validators). */
  function freshValidate(docs: Manifest[], options?: validation.ValidationOptions): validation.Finding[] {
    let findings: validation.Finding[] = [];
    jest.isolateModules(() => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const v = require('../../src/validation') as typeof validation;
      findings = v.validateManifests(docs.map(doc => ({ doc })), options);
    });
    return findings;
  }

  const cached = () => {
    const dir = path.join(tmp, 'cdk8s-cnpg', 'derived', 'validators');
    return fs.existsSync(dir) ? fs.readdirSync(dir).sort() : [];
  };

  test('a cold cache writes one module per schema; a warm cache loads them and finds the same', () => {
    const cold = freshValidate(invalidSet());
    expect(cold.filter(f => f.severity === 'error').length).toBeGreaterThan(4);
    expect(cold.some(f => f.message.includes('int32'))).toBe(true);
    const files = cached();
    expect(files.length).toBeGreaterThanOrEqual(3);
    for (const f of files) expect(f).toMatch(/^[0-9a-f]{64}-ajv\d+\.\d+\.\d+-t\d+-[0-9a-f]{16}\.js$/);
    const mtimes = files.map(f => fs.statSync(path.join(tmp, 'cdk8s-cnpg', 'derived', 'validators', f)).mtimeMs);

    const warm = freshValidate(invalidSet());
    expect(warm).toEqual(cold);
    expect(cached()).toEqual(files);
    expect(files.map(f => fs.statSync(path.join(tmp, 'cdk8s-cnpg', 'derived', 'validators', f)).mtimeMs)).toEqual(mtimes);
  });

  test('the warm path really runs the cached module', () => {
    freshValidate(invalidSet());
    const dir = path.join(tmp, 'cdk8s-cnpg', 'derived', 'validators');
    // Replace every cached module by one that rejects everything with a recognisable error.
    for (const f of cached()) {
      const code = '"use strict";module.exports = function v(data) { v.errors = [{ instancePath: "", schemaPath: "#/x", '
        + 'keyword: "x-cached", params: {}, message: "from the cache", data, parentSchema: {}, schema: 1 }]; return false; };\n';
      fs.writeFileSync(path.join(dir, f), `${sha256Of(code)}\n${code}`);
    }
    const warm = freshValidate(baseSet());
    expect(warm.some(f => f.message.startsWith('from the cache'))).toBe(true);
  });

  test('a corrupt or foreign cache file is recompiled and replaced', () => {
    const cold = freshValidate(invalidSet());
    const dir = path.join(tmp, 'cdk8s-cnpg', 'derived', 'validators');
    const files = cached();
    fs.writeFileSync(path.join(dir, files[0]), `${fs.readFileSync(path.join(dir, files[0]), 'utf-8').split('\n')[0]}\nthis is not javascript {`);
    fs.writeFileSync(path.join(dir, files[1]), '"use strict";module.exports = () => true;\n');
    expect(freshValidate(invalidSet())).toEqual(cold);
    expect(freshValidate(invalidSet())).toEqual(cold);
  });

  test('CDK8S_CNPG_NO_CACHE=1 compiles in memory and writes nothing', () => {
    const cold = freshValidate(invalidSet());
    fs.rmSync(path.join(tmp, 'cdk8s-cnpg', 'derived', 'validators'), { recursive: true, force: true });
    process.env.CDK8S_CNPG_NO_CACHE = '1';
    expect(freshValidate(invalidSet())).toEqual(cold);
    expect(cached()).toEqual([]);
  });

  test('an unwritable cache directory falls back to compiling in memory, silently', () => {
    const expected = freshValidate(invalidSet());
    // The validators' directory cannot be created: a file stands in its way.
    fs.rmSync(path.join(tmp, 'cdk8s-cnpg', 'derived', 'validators'), { recursive: true, force: true });
    fs.writeFileSync(path.join(tmp, 'cdk8s-cnpg', 'derived', 'validators'), '');
    expect(freshValidate(invalidSet())).toEqual(expected);
    expect(fs.statSync(path.join(tmp, 'cdk8s-cnpg', 'derived', 'validators')).isFile()).toBe(true);
  });

  test('other releases reuse an identical schema, and their findings match a cold compile', () => {
    const options = { cnpgVersion: '1.28.0', pluginVersion: '0.9.0' };
    const cold = freshValidate(invalidSet(), options);
    expect(cold.some(f => f.message.includes('available from plugin'))).toBe(true);
    expect(freshValidate(invalidSet(), options)).toEqual(cold);
  });
});
