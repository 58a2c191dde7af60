import { parse } from '@bufbuild/cel';
import { cluster, credentials, objectStore, validate } from './helpers';
import { selfFields } from '../../src/validation/cel';

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
