/**
 * The structural check answers for ajv on the valid path (schema.ts skips the compiled validator when it says
 * yes), so it must never say yes where ajv says no. Held to the same answer as the compiled validator of the
 * package on every object of ../shared/corpus at every catalog version of its CRD, and on mutants of them.
 */
import * as fs from 'fs';
import * as path from 'path';
import { seededRandom } from './helpers';
import { supportedVersions, UpstreamComponent } from '../../src/upstream/catalog';
import { componentOfGroup, CrdVersion, crdVersionsOf, lookupCrd } from '../../src/validation/crds';
import { applyApiServerDefaults } from '../../src/validation/defaults';
import { jsonSchemaOf, structuralCheckFor, validatorFor } from '../../src/validation/schema';
import { structuralCheck, StructuralCheck, unmodelledKeywords } from '../../src/validation/structural-check';
import { parseYamlDocuments } from '../../src/validation/yaml-reader';

const UPSTREAM = process.env.CDK8S_CNPG_UPSTREAM_DIR ?? path.join(__dirname, '..', '..', '..', 'shared', 'upstream');
const CORPUS = path.join(UPSTREAM, '..', 'corpus');
const COMPONENTS: UpstreamComponent[] = ['cnpg', 'plugin-barman-cloud', 'cert-manager'];

type Doc = Record<string, unknown>;

function corpusDocs(): Doc[] {
  const docs: Doc[] = [];
  for (const file of fs.readdirSync(CORPUS).filter(f => f.endsWith('.yaml')).sort()) {
    let parsed: unknown[];
    try {
      parsed = parseYamlDocuments(fs.readFileSync(path.join(CORPUS, file), 'utf-8'), file);
    } catch {
      continue; // files the reader refuses are the reader's tests
    }
    for (const d of parsed) if (d && typeof d === 'object' && !Array.isArray(d)) docs.push(d as Doc);
  }
  return docs;
}

/** The CRD version of a document at a catalog release, or undefined. */
function crdOf(doc: Doc, component: UpstreamComponent, release: string): CrdVersion | undefined {
  const apiVersion = String(doc.apiVersion ?? '');
  const slash = apiVersion.lastIndexOf('/');
  const lookup = lookupCrd(component, release, apiVersion.slice(0, slash), String(doc.kind ?? ''), apiVersion.slice(slash + 1));
  return lookup.status === 'found' ? lookup.crd : undefined;
}

const checks = new Map<string, StructuralCheck>();
/** The check of the whole transformed schema at once (`jsonSchemaOf`, what ajv compiles). */
function eagerCheckFor(crd: CrdVersion): StructuralCheck {
  let check = checks.get(crd.key);
  if (!check) {
    check = structuralCheck(jsonSchemaOf(crd));
    checks.set(crd.key, check);
  }
  return check;
}

/**
 * The answers for one object (the check schema.ts uses, which transforms the schema as objects reach it, the
 * same check on the whole transformed schema, and ajv); a difference is returned as a line for the failure message.
 */
function disagreement(crd: CrdVersion, doc: unknown, label: string): string | undefined {
  const fast = structuralCheckFor(crd)(doc);
  const eager = eagerCheckFor(crd)(doc);
  if (fast !== eager) return `${label}: structural ${fast}, on the whole transformed schema ${eager}`;
  const ajv = validatorFor(crd)(doc) as boolean;
  return fast === ajv ? undefined : `${label}: structural ${fast}, ajv ${ajv}`;
}


const REPLACEMENTS: unknown[] = ['', 'x', 'on', '0', '-1', 0, -1, 1.5, 2 ** 31, -(2 ** 31) - 1, 2 ** 53, true, false, null, {}, [], { zzUnknown: 1 },
  'a'.repeat(300), '\u{1F600}'.repeat(64), '2025-12-27T20:43:00Z', '2025-12-27 20:43:00', 'not-a-date', 'AAAA', 'AA=', 'A', 'Always', 'none', 'gzip',
  '1Gi', '100m', 'postgres', 'ReadWriteOnce', 'SHOUT', 'a b', '0 0 0 * * *'];

/** Every path to a value of a document, as the list of keys and indexes from the root. */
function pathsOf(node: unknown, at: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  if (Array.isArray(node)) node.forEach((v, i) => { out.push([...at, i]); pathsOf(v, [...at, i], out); });
  else if (node && typeof node === 'object') for (const [k, v] of Object.entries(node)) { out.push([...at, k]); pathsOf(v, [...at, k], out); }
  return out;
}

/** A copy of `doc` with one change at `where`, picked by `next`. */
function mutate(doc: Doc, where: (string | number)[], next: () => number): Doc {
  const copy = JSON.parse(JSON.stringify(doc)) as Doc;
  let parent: any = copy;
  for (const step of where.slice(0, -1)) parent = parent[step];
  const key = where[where.length - 1];
  const value = parent[key];
  const op = Math.floor(next() * 6);
  if (op === 0 && !Array.isArray(parent)) delete parent[key];
  else if (op === 1 && value && typeof value === 'object' && !Array.isArray(value)) value.zzUnknown = 'x';
  else if (op === 2) parent[key] = [value];
  else if (op === 3 && typeof value === 'string') parent[key] = value.toUpperCase() + (next() < 0.5 ? ' ' : '');
  else if (op === 4 && typeof value === 'number') parent[key] = -value - 0.5;
  else parent[key] = JSON.parse(JSON.stringify(REPLACEMENTS[Math.floor(next() * REPLACEMENTS.length)]));
  return copy;
}

const haveCorpus = fs.existsSync(CORPUS);
const docs = haveCorpus ? corpusDocs() : [];

describe('structural check and the compiled validator', () => {
  test('every keyword of every CRD version of the catalog is modelled (so no valid object needs ajv)', () => {
    let n = 0;
    for (const component of COMPONENTS) {
      for (const release of supportedVersions(component)) {
        for (const crd of crdVersionsOf(component, release)) {
          expect([crd.key, unmodelledKeywords(jsonSchemaOf(crd))]).toEqual([crd.key, []]);
          n++;
        }
      }
    }
    expect(n).toBeGreaterThan(50);
  });

  (haveCorpus ? test : test.skip)('the same answer on every corpus object at every catalog release, as written and as defaulted', () => {
    const problems: string[] = [];
    let compared = 0;
    let refused = 0;
    for (const [i, doc] of docs.entries()) {
      const group = String(doc.apiVersion ?? '').split('/')[0];
      const component = componentOfGroup(group);
      if (!component) continue;
      for (const release of supportedVersions(component)) {
        const crd = crdOf(doc, component, release);
        if (!crd) continue;
        const defaulted = applyApiServerDefaults(doc as never, crd.schema, crd.key);
        for (const [form, d] of [['written', doc], ['defaulted', defaulted]] as const) {
          const problem = disagreement(crd, d, `corpus object ${i} (${String(doc.kind)}) ${form} at ${component} ${release}`);
          if (problem) problems.push(problem);
          if (!validatorFor(crd)(d)) refused++;
          compared++;
        }
      }
    }
    expect(problems).toEqual([]);
    // The corpus has valid and invalid objects of every kind: both answers were exercised.
    expect(compared).toBeGreaterThan(3000);
    expect(refused).toBeGreaterThan(20);
  });

  (haveCorpus ? test : test.skip)('the same answer on 30 mutants of every corpus object at the oldest and newest release', () => {
    const next = seededRandom(20261202);
    const problems: string[] = [];
    let compared = 0;
    let refused = 0;
    for (const [i, doc] of docs.entries()) {
      const component = componentOfGroup(String(doc.apiVersion ?? '').split('/')[0]);
      if (!component) continue;
      const versions = supportedVersions(component);
      for (const release of new Set([versions[0], versions[versions.length - 1]])) {
        const crd = crdOf(doc, component, release);
        if (!crd) continue;
        const defaulted = applyApiServerDefaults(doc as never, crd.schema, crd.key) as Doc;
        const paths = pathsOf(defaulted).filter(p => p[0] !== 'apiVersion' && p[0] !== 'kind');
        for (let m = 0; m < 30 && paths.length; m++) {
          const where = paths[Math.floor(next() * paths.length)];
          const mutant = mutate(defaulted, where, next);
          const problem = disagreement(crd, mutant, `mutant ${m} of corpus object ${i} at ${component} ${release} (${where.join('.')}): ${JSON.stringify(mutant).slice(0, 300)}`);
          if (problem) problems.push(problem);
          if (!validatorFor(crd)(mutant)) refused++;
          compared++;
        }
      }
    }
    expect(problems.slice(0, 10)).toEqual([]);
    expect(compared).toBeGreaterThan(20000);
    // Most mutations break something: the check is exercised on the refusing side, where a wrong "yes" would hide.
    expect(refused).toBeGreaterThan(compared / 4);
  });
});

describe('what the structural check does not model is left to ajv', () => {
  test.each([
    ['oneOf', { oneOf: [{ type: 'string' }, { type: 'integer' }] }, 'x'],
    ['multipleOf', { type: 'integer', multipleOf: 2 }, 4],
    ['exclusiveMinimum', { type: 'integer', exclusiveMinimum: 0 }, 1],
    ['a tuple items', { type: 'array', items: [{ type: 'string' }] }, ['a']],
    ['an object enum', { enum: [{ a: 1 }] }, { a: 1 }],
    ['an unknown format', { type: 'string', format: 'k8s-name' }, 'a'],
    ['a property named like an Object.prototype member', { type: 'object', properties: { constructor: { type: 'string' } } }, {}],
  ])('%s: refused here (so ajv decides), and listed', (_, schema, data) => {
    expect(structuralCheck(schema)(data)).toBe(false);
    expect(unmodelledKeywords(schema)).toHaveLength(1);
  });

  test('an unknown keyword deep inside refuses only the objects that reach it', () => {
    const schema = { type: 'object', properties: { a: { type: 'object', properties: { b: { type: 'array', uniqueItems: true } } }, c: { type: 'string' } } };
    const check = structuralCheck(schema);
    expect(check({ c: 'x' })).toBe(true);
    expect(check({ a: {} })).toBe(true);
    expect(check({ a: { b: [1] } })).toBe(false);
    expect(unmodelledKeywords(schema)).toEqual(['#/properties/a/properties/b: type,uniqueItems']);
  });

  test('each modelled keyword refuses what ajv refuses, and accepts what it accepts', () => {
    const cases: [unknown, unknown, boolean][] = [
      [{ type: 'integer' }, 1.5, false], [{ type: 'integer' }, 2, true], [{ type: 'number' }, 1.5, true],
      [{ type: ['string', 'null'] }, null, true], [{ type: 'string' }, null, false],
      [{ type: 'object', required: ['a'] }, {}, false], [{ type: 'object', required: ['a'] }, { a: 0 }, true],
      [{ type: 'object', properties: { a: { type: 'string' } }, additionalProperties: false }, { b: 'x' }, false],
      [{ type: 'object', additionalProperties: { type: 'string' } }, { b: true }, false],
      [{ type: 'object', additionalProperties: { type: 'string' } }, { b: 'on' }, true],
      [{ type: 'string', enum: ['a', 'b'] }, 'c', false], [{ enum: ['a', null] }, null, true],
      [{ type: 'string', pattern: '^[a-z]+$' }, 'abc', true], [{ type: 'string', pattern: '^[a-z]+$' }, 'aBc', false],
      [{ type: 'string', minLength: 2 }, '\u{1F600}', false], [{ type: 'string', maxLength: 1 }, '\u{1F600}', true],
      [{ minimum: 1, maximum: 3 }, 0, false], [{ minimum: 1, maximum: 3 }, 3, true], [{ minimum: 1 }, 'zero', true],
      [{ type: 'array', minItems: 1, items: { type: 'string' } }, [], false], [{ type: 'array', maxItems: 1 }, [1, 2], false],
      [{ type: 'array', items: { type: 'string' } }, ['a', 1], false],
      [{ anyOf: [{ type: 'integer' }, { type: 'string' }] }, '5%', true], [{ anyOf: [{ type: 'integer' }, { type: 'string' }] }, 1.5, false],
      [{ type: 'string', format: 'date-time' }, '2025-12-27T20:43:00Z', true], [{ type: 'string', format: 'date-time' }, '2025-12-27 20:43', false],
      [{ type: 'string', format: 'byte' }, 'AAAA', true], [{ type: 'string', format: 'byte' }, 'A', false],
      [{ type: 'integer', format: 'int32' }, 2 ** 31, false], [{ type: 'integer', format: 'int64' }, 2 ** 40, true],
      [{ type: 'string', format: 'int32' }, 'x', true],
    ];
    for (const [schema, data, expected] of cases) {
      expect([schema, data, structuralCheck(schema)(data)]).toEqual([schema, data, expected]);
    }
  });
});
