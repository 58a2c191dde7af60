import * as fs from 'fs';
import * as path from 'path';
import { ValidateFunction } from 'ajv';
import { cleanupTempDirs, tempDir, withEnv } from './util';
import { writeExampleApp } from '../src/main';
import { RELEASES } from '../src/upstream/catalog';
import { derivedDir, packageRoot, parsedPath, requireDerived, validatorIndexPath, validatorPath } from '../src/upstream/derived';
import { locateManifest } from '../src/upstream/locate';
import { parseYamlDocuments } from '../src/upstream/manifest';
import { validateManifests } from '../src/validation';
import { crdVersionsOf } from '../src/validation/crds';
import { standaloneValidator } from '../src/validation/schema';

afterAll(() => cleanupTempDirs());

/**
 * Derived data (parsed manifests, compiled CRD validators) is built at compile time into the package's derived/
 * folder (`npx projen derive-upstream`) and loaded with `require`: nothing is written to or read from the user
 * cache, and nothing is evaluated from a string.
 */
describe('derived data shipped in the package', () => {
  test('every catalog release has its parsed documents, equal to parsing the verified file', () => {
    for (const release of RELEASES) {
      // GIVEN the verified file
      const located = locateManifest(release);
      // WHEN
      const derived = requireDerived<unknown[]>(parsedPath(located.sha256));
      // THEN
      expect(derived).toEqual(parseYamlDocuments(located.text));
    }
  });

  test('every served CRD version of every release has a compiled validator, named by the digest of what it compiles', () => {
    // GIVEN the Cluster schema of CNPG 1.28.0
    const cluster = crdVersionsOf('cnpg', '1.28.0').find(c => c.kind === 'Cluster' && c.version === 'v1')!;
    const { key } = standaloneValidator(cluster);
    // WHEN the package's module is loaded
    const mod = requireDerived<ValidateFunction & { default?: ValidateFunction }>(validatorPath(key));
    const validate = mod?.default ?? mod!;
    // THEN it judges like the schema says: `instances` must be an integer, unknown fields are rejected
    const doc = { apiVersion: 'postgresql.cnpg.io/v1', kind: 'Cluster', metadata: { name: 'a' }, spec: { instances: 1, storage: { size: '1Gi' } } };
    expect(validate(doc)).toBe(true);
    expect(validate({ ...doc, spec: { ...doc.spec, enableSuperUserAccess: true } })).toBe(false);
    expect(validate.errors?.[0]).toMatchObject({ keyword: 'additionalProperties', params: { additionalProperty: 'enableSuperUserAccess' } });
    // and every CRD version of every release is there, named in the index by the digest of what it compiles
    const index = requireDerived<Record<string, string>>(validatorIndexPath())!;
    const crds = RELEASES.flatMap(r => crdVersionsOf(r.component, r.version));
    expect(Object.fromEntries(crds.map(c => [c.key, index[c.key]]))).toEqual(Object.fromEntries(crds.map(c => [c.key, standaloneValidator(c).key])));
    expect(crds.filter(c => !fs.existsSync(validatorPath(index[c.key])))).toEqual([]);
  });

  test('a synth writes nothing into the user cache, and reads nothing from it', () => {
    // GIVEN an empty user cache, and one full of garbage where the old derived cache lived
    const empty = tempDir();
    const planted = tempDir();
    fs.mkdirSync(path.join(planted, 'cdk8s-cnpg', 'derived', 'validators'), { recursive: true });
    fs.writeFileSync(path.join(planted, 'cdk8s-cnpg', 'derived', 'validators', 'x.js'), 'throw new Error("planted")');
    const doc = { apiVersion: 'postgresql.cnpg.io/v1', kind: 'Cluster', metadata: { name: 'a' }, spec: { instances: 1, storage: { size: '1Gi' }, enableSuperUserAccess: true } };
    // WHEN
    const findings = (home: string) => withEnv({ XDG_CACHE_HOME: home }, () => validateManifests([{ doc }], { cnpgVersion: '1.28.0' }));
    // THEN
    expect(findings(empty).map(f => f.path)).toEqual(['spec.enableSuperUserAccess']);
    expect(fs.readdirSync(empty)).toEqual([]);
    expect(findings(planted).map(f => f.path)).toEqual(['spec.enableSuperUserAccess']);
  });

  test('the user cache is still empty after a synth of the example app', () => {
    // GIVEN an empty user cache
    const cache = tempDir();
    // WHEN
    withEnv({ XDG_CACHE_HOME: cache }, () => writeExampleApp(path.join(tempDir(), 'dist')));
    // THEN
    expect(fs.readdirSync(cache)).toEqual([]);
  });

  test('no module of the library evaluates code from strings', () => {
    // GIVEN every source file of the library
    const files = (dir: string): string[] => fs.readdirSync(dir, { withFileTypes: true })
      .flatMap(e => e.isDirectory() ? files(path.join(dir, e.name)) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : []);
    // WHEN / THEN
    const offenders = files(path.join(packageRoot(), 'src'))
      .filter(f => /\bnew Function\s*\(|\beval\s*\(|\bvm\.(runIn|compileFunction|Script)|'-e'/.test(fs.readFileSync(f, 'utf-8')));
    expect(offenders).toEqual([]);
  });

  test('derived/ sits in the package, beside its code', () => {
    expect(derivedDir()).toBe(path.join(packageRoot(), 'derived'));
    expect(fs.existsSync(path.join(packageRoot(), 'package.json'))).toBe(true);
  });
});
