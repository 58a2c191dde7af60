import { celEnv, parse, plan } from '@bufbuild/cel';
import { cluster, credentials, objectStore, validate } from './helpers';
import { supportedVersions, UpstreamComponent } from '../../src/upstream/catalog';
import { crdsOf, loadUpstreamVersion } from '../../src/upstream/manifest';
import { selfFields } from '../../src/validation/cel';
import { evaluateLite, parseLite, UNSUPPORTED } from '../../src/validation/cel-lite';

/** Every CEL rule of every CRD of every release in the catalog. */
function allRules(): string[] {
  const rules = new Set<string>();
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (typeof node !== 'object' || node === null) return;
    const o = node as Record<string, unknown>;
    if (Array.isArray(o['x-kubernetes-validations'])) {
      for (const v of o['x-kubernetes-validations'] as Array<{ rule?: unknown }>) if (typeof v.rule === 'string') rules.add(v.rule);
    }
    Object.values(o).forEach(visit);
  };
  for (const component of ['cnpg', 'plugin-barman-cloud', 'cert-manager'] as UpstreamComponent[]) {
    for (const version of supportedVersions(component)) crdsOf(loadUpstreamVersion(component, version)).forEach(visit);
  }
  return [...rules].sort();
}

describe('selfFields: which rules read self only through its fields', () => {
  test.each([
    ['!has(self.serverName)', ['serverName']],
    ['!(has(self.imageCatalogRef) && has(self.imageName))', ['imageCatalogRef', 'imageName']],
    ["!has(self.icuLocale) || self.localeProvider == 'icu'", ['icuLocale', 'localeProvider']],
    ['self.a.b > 0 && self.a.c < 2', ['a']],
    ['self.items.all(x, x.size > 0)', ['items']],
  ])('%s reads %j', (rule, fields) => {
    expect(selfFields(parse(rule).expr)).toEqual(fields);
  });

  test.each([
    'self > 0',
    'size(self) <= 3',
    'self == oldSelf',
    'self.all(k, k != "")',
    'has(self.a) || self == {}',
    '[1, 2].exists(self, self > 1) && has(self.a)',
  ])('%s uses self whole', rule => {
    expect(selfFields(parse(rule).expr)).toBeUndefined();
  });
});

test('memoised verdicts of field rules still report every failing object, and only those', () => {
  const docs = [credentials(), objectStore()];
  for (let i = 0; i < 6; i++) {
    const both = i % 2 === 0;
    docs.push(cluster({ imageName: 'ghcr.io/cloudnative-pg/postgresql:18.1', ...(both ? { imageCatalogRef: { apiGroup: 'postgresql.cnpg.io', kind: 'ImageCatalog', name: 'c', major: 18 } } : {}) }, {}, `pg${i}`));
  }
  const ruleFindings = validate(docs).filter(f => f.message.includes('mutually exclusive'));
  expect(ruleFindings.map(f => f.name)).toEqual(['pg0', 'pg2', 'pg4']);
  expect(ruleFindings.every(f => f.path === 'spec')).toBe(true);
});

describe('cel-lite: the small evaluator agrees with @bufbuild/cel', () => {
  const rules = allRules();
  const lite = rules.filter(r => parseLite(r) && !/\boldSelf\b/.test(r));

  test('covers the has()-style rules of the CRDs and declines the rest', () => {
    expect(lite).toEqual(expect.arrayContaining([
      '!has(self.serverName)',
      '!(has(self.imageCatalogRef) && has(self.imageName))',
      "!has(self.icuLocale) || self.localeProvider == 'icu'",
    ]));
    for (const r of ['self > 0', 'self == oldSelf', "self.kind == 'ImageCatalog' && self.apiGroup == 'x'.lowerAscii()", 'size(self) > 0', "self.a == r'x'", 'self.a.b == "x"']) {
      expect(parseLite(r)).toBeUndefined();
    }
  });

  test.each([
    "!has(self.a) || self.b == 'x'",
    '(has(self.a) && !has(self.b)) || self.c != "y"',
    '!!has(self.a) && self.b == true',
    "self.a == 'x' || self.b == 'y' && has(self.c)",
    "!(self.a == 'x') || false",
  ])('agrees on %s', rule => expectSameVerdicts(rule));

  test('agrees on every catalog rule it accepts, for absent, string, boolean, list and map values', () => {
    expect(lite.length).toBeGreaterThan(3);
    for (const rule of lite) expectSameVerdicts(rule);
  });
});

const env = celEnv();
const VALUES: readonly unknown[] = [undefined, 'x', 'y', '', 'icu', 'builtin', 'libc', true, false, ['a'], { k: 'v' }];

/** Every combination of VALUES for the rule's fields: the lite verdict (when it gives one) equals CEL's. */
function expectSameVerdicts(rule: string): void {
  const parsed = parseLite(rule)!;
  expect(parsed).toBeDefined();
  const real = plan(env, parse(rule));
  expect(parsed.fields).toEqual(selfFields(parse(rule).expr));
  let decided = 0;
  const combos = (i: number, self: Record<string, unknown>): void => {
    if (i === parsed.fields.length) {
      const mine = evaluateLite(parsed, self);
      if (mine === UNSUPPORTED) return;
      decided++;
      const theirs = real({ self } as never);
      // Only a clean false is a verdict; true and errors both pass.
      expect({ rule, self, fails: mine === false }).toEqual({ rule, self, fails: theirs === false });
      return;
    }
    for (const v of VALUES) {
      const next = { ...self };
      if (v !== undefined) next[parsed.fields[i]] = v;
      combos(i + 1, next);
    }
  };
  combos(0, {});
  expect(decided).toBeGreaterThan(0);
}
