/**
 * Hostile YAML: alias bombs of every depth, merge-key bombs, deep nesting, a flood of documents. Each answered
 * within the harness's ceilings: exit 2 and one line when a bound is hit, findings (exit 1) when the text is just
 * an invalid object.
 */
import * as fs from 'fs';
import * as path from 'path';
import { caseDir, cleanup, expectFindings, expectOneLine, reportObserved, runCli } from './harness';

afterAll(() => {
  reportObserved('yaml');
  cleanup();
});

function file(name: string, text: string): string {
  const f = path.join(caseDir(), name);
  fs.writeFileSync(f, text);
  return f;
}

/** A Cluster whose unknown field `lol` holds a billion-laughs bomb of `depth` levels of ten aliases each. */
function aliasBomb(depth: number): string {
  const lines = ['x0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]'];
  for (let i = 1; i <= depth; i++) lines.push(`x${i}: &a${i} [${Array(10).fill(`*a${i - 1}`).join(', ')}]`);
  return 'apiVersion: postgresql.cnpg.io/v1\nkind: Cluster\nmetadata:\n  name: pg\n  namespace: db\nspec:\n  instances: 1\n  storage:\n    size: 1Gi\n'
    + `  lol:\n${lines.map(l => `    ${l}`).join('\n')}\n`;
}

describe('alias bombs, all depths', () => {
  test.each([1, 2])('depth %d (at most a few hundred values): an ordinary unknown field, exit 1', depth => {
    const lines = expectFindings(runCli(['validate', file('bomb.yaml', aliasBomb(depth))], { label: `alias bomb depth ${depth}` }), 1);
    expect(lines).toEqual([expect.stringMatching(/bomb\.yaml: Cluster db\/pg: spec\.lol: unknown field "lol"/)]);
  });

  test.each([3, 4, 5, 6, 7, 8, 9, 10, 20])('depth %d: the alias cap, exit 2 and one line', depth => {
    expectOneLine(runCli(['validate', file('bomb.yaml', aliasBomb(depth))], { label: `alias bomb depth ${depth}` }), 2,
      /bomb\.yaml: document 1: aliases expand to [\d.e+]+ more values than written \(limit 10000\)/);
  });

  test('one wide level: 100,000 aliases of a 100-item list', () => {
    const text = `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\nx: &a [${Array(100).fill('1').join(',')}]\ny: [${Array(100_000).fill('*a').join(',')}]\n`;
    expectOneLine(runCli(['validate', file('wide.yaml', text)], { label: 'wide alias bomb' }), 2, /aliases expand to \d+ more values than written/);
  });

  test('a merge-key bomb', () => {
    const levels = ['m0: &m0 {a: 1, b: 2, c: 3, d: 4, e: 5, f: 6, g: 7, h: 8, i: 9, j: 10}'];
    for (let i = 1; i <= 8; i++) levels.push(`m${i}: &m${i} {${Array.from({ length: 10 }, (_, k) => `k${k}: *m${i - 1}`).join(', ')}, <<: *m${i - 1}}`);
    const text = `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n${levels.join('\n')}\n`;
    expectOneLine(runCli(['validate', file('merge.yaml', text)], { label: 'merge-key bomb' }), 2, /merge\.yaml: /);
  });
});

describe('other bounds of the reader', () => {
  test.each<[string, () => string, RegExp]>([
    ['nesting 10,000 deep', () => `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\nx: ${'['.repeat(10_000)}${']'.repeat(10_000)}\n`, /deep\.yaml: /],
    ['200,000 empty documents and one object', () => `${'---\n'.repeat(200_000)}apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n`, /deep\.yaml: .*document/],
    ['an unterminated quoted string of 8 MB', () => `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata: {a: "${'x'.repeat(8_000_000)}\n`, /deep\.yaml: cannot parse: /],
    ['a tab-indented block (invalid YAML)', () => 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n\tname: c\n', /deep\.yaml: cannot parse: /],
    ['a document that is a 200,000-item list', () => `[${Array(200_000).fill('1').join(',')}]\n`, /deep\.yaml: document 1 is not a Kubernetes object \(got a list\)/],
  ])('%s: exit 2 and one line', (label, make, message) => {
    expectOneLine(runCli(['validate', file('deep.yaml', make())], { label }), 2, message);
  });
});
