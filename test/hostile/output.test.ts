/**
 * Inputs built to flood or forge the output: 20,000 unresolved references, control characters in names, huge
 * values. Every finding stays one bounded line, nothing raw reaches the terminal.
 */
import * as fs from 'fs';
import * as path from 'path';
import { caseDir, cleanup, expectFindings, reportObserved, runCli } from './harness';

afterAll(() => {
  reportObserved('output');
  cleanup();
});

function file(name: string, text: string): string {
  const f = path.join(caseDir(), name);
  fs.writeFileSync(f, text);
  return f;
}

const backup = (name: string, cluster: string) =>
  `---\napiVersion: postgresql.cnpg.io/v1\nkind: ScheduledBackup\nmetadata: {name: ${name}, namespace: db}\nspec: {cluster: {name: ${cluster}}, schedule: "0 0 3 * * *", immediate: true, method: plugin, pluginConfiguration: {name: barman-cloud.cloudnative-pg.io}}\n`;
const cluster = (name: string) =>
  `---\napiVersion: postgresql.cnpg.io/v1\nkind: Cluster\nmetadata: {name: ${name}, namespace: db}\nspec: {instances: 1, storage: {size: 1Gi}}\n`;

describe('bounded output', () => {
  test('20,000 references to clusters that do not exist, next to 2,000 that do: 20,000 short lines naming the nearest', () => {
    // GIVEN a 7 MB file
    const text = Array.from({ length: 2000 }, (_, i) => cluster(`pg-${i}`)).join('') + Array.from({ length: 20_000 }, (_, i) => backup(`b-${i}`, `pg-x${i}`)).join('');
    // WHEN
    const o = runCli(['validate', file('refs.yaml', text)], { label: '20,000 unresolved references' });
    // THEN one error per reference, each naming at most three candidates
    const lines = expectFindings(o, 1, 600);
    expect(lines).toHaveLength(20_000);
    expect(lines[5]).toMatch(/refs\.yaml: ScheduledBackup db\/b-5: spec\.cluster\.name: cluster "pg-x5" not found in namespace "db", which defines 2000 cluster names, nearest "pg-15", "pg-25", "pg-35" — /);
    expect(o.stdout.length).toBeLessThan(20_000 * 600);
  });

  test('control characters in names and values are escaped: a name cannot forge a finding line', () => {
    // GIVEN a ScheduledBackup whose cluster name carries a newline, a fake finding, ANSI escapes and a bidi override
    const forged = 'pg\\nfake.yaml: Cluster db/ok: all good\\r\\u001b[2K\\u202e';
    const o = runCli(['validate', file('forge.yaml', backup('b', `"${forged}"`))], { label: 'control characters in names' });
    // THEN exactly one line (a warning: the cluster is not in the set), the characters escaped
    const lines = expectFindings(o, 0);
    expect(lines).toEqual([expect.stringContaining('cluster "pg\\nfake.yaml: Cluster db/ok: all good\\r\\u001b[2K\\u202e" not found')]);
  });

  test('a file name with control characters is escaped in every finding', () => {
    const dir = caseDir();
    const name = path.join(dir, 'a\u001b[31m\nb.yaml');
    fs.writeFileSync(name, backup('b', 'pg'));
    const lines = expectFindings(runCli(['validate', name], { label: 'control characters in a file name' }), 0);
    expect(lines).toEqual([expect.stringContaining('a\\u001b[31m\\nb.yaml: warning: ScheduledBackup db/b: spec.cluster.name')]);
  });

  test('a 10 MB value is cut in the message, which says how long it was', () => {
    const text = `apiVersion: postgresql.cnpg.io/v1\nkind: Cluster\nmetadata: {name: pg, namespace: db}\nspec: {instances: "${'9'.repeat(10_000_000)}", storage: {size: 1Gi}}\n`;
    const lines = expectFindings(runCli(['validate', file('huge-value.yaml', text)], { label: 'a 10 MB value' }), 1);
    expect(lines.join('\n')).toContain('…" (10000000 characters)');
  });

  test('a 1 MB object name is cut', () => {
    const text = `apiVersion: postgresql.cnpg.io/v1\nkind: Cluster\nmetadata: {name: ${'n'.repeat(1_000_000)}, namespace: db}\nspec: {instances: 1, storage: {size: 1Gi}}\n`;
    const lines = expectFindings(runCli(['validate', file('huge-name.yaml', text)], { label: 'a 1 MB name' }), 1);
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.join('\n')).toContain('… (1000003 characters)');
  });
});
