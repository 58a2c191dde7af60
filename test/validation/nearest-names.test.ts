import { cluster, scheduledBackup, validate } from './helpers';
import { editDistance, NameIndex } from '../../src/validation/nearest-names';

describe('nearest names', () => {
  test.each([
    ['kitten', 'sitting', 3],
    ['pg', 'pg', 0],
    ['pg-main', 'pg-mian', 2],
    ['', 'abc', 3],
  ])('editDistance(%j, %j) is %d', (a, b, d) => {
    expect(editDistance(a, b, 10)).toBe(d);
  });

  test('editDistance gives up past the limit', () => {
    expect(editDistance('aaaaaaaa', 'bbbbbbbb', 2)).toBe(3);
  });

  test('finds names within two edits, nearest first, at most the number asked for', () => {
    // GIVEN
    const index = new NameIndex(['pg-main', 'pg-mains', 'pg-maim', 'pg-other', 'orders', 'pg-main-2']);
    // WHEN / THEN
    expect(index.nearest('pg-mian')).toEqual(['pg-main']); // a transposition: two edits
    expect(index.nearest('pg-main', 2)).toEqual(['pg-maim', 'pg-mains']);
    expect(index.nearest('zzz')).toEqual([]);
  });
});

describe('reference messages stay short however large the set', () => {
  test('a typo among thousands of clusters names the nearest few, not all of them', () => {
    // GIVEN 3,000 clusters and a ScheduledBackup naming a misspelt one
    const clusters = Array.from({ length: 3000 }, (_, i) => cluster({}, {}, `cluster-${String(i).padStart(4, '0')}`));
    const docs = [...clusters, scheduledBackup({ cluster: { name: 'clustr-0042' } })];
    // WHEN
    const finding = validate(docs).find(f => f.kind === 'ScheduledBackup' && f.path === 'spec.cluster.name')!;
    // THEN
    expect(finding.message).toBe('cluster "clustr-0042" not found in namespace "db", which defines 3000 cluster names, nearest "cluster-0042"');
  });

  test('5,000 unresolved references to 5,000 defined names (the CLI suite runs 20,000): every message is one short line', () => {
    // GIVEN as many backups as clusters, each naming a cluster that is not there
    const clusters = Array.from({ length: 5_000 }, (_, i) => ({ apiVersion: 'postgresql.cnpg.io/v1', kind: 'Cluster', metadata: { name: `c${i}`, namespace: 'db' } }));
    const backups = Array.from({ length: 5_000 }, (_, i) => scheduledBackup({ cluster: { name: `missing-${i}` } }, { name: `b${i}` }));
    // WHEN
    const findings = validate([...clusters, ...backups] as any).filter(f => f.path === 'spec.cluster.name');
    // THEN
    expect(findings).toHaveLength(5_000);
    expect(Math.max(...findings.map(f => f.message.length + f.fix.length))).toBeLessThan(400);
  });
});
