import * as path from 'path';
import { runCli } from '../../src/cli/cli';
import { ADVISORIES, compareVersions, supportedVersions } from '../../src/upstream/catalog';
import { advisoryWarnings } from '../../src/validation';

const CORRECTED = path.join(__dirname, '..', 'fixtures', 'seed-corrected');

describe('the advisories table', () => {
  test.each(ADVISORIES.map(a => [a.id, a]))('%s: affected versions are in the catalog and older than every fix of their line', (_id, a) => {
    const catalog = supportedVersions(a.component);
    for (const v of a.affected) {
      expect(catalog).toContain(v);
      const line = v.split('.').slice(0, 2).join('.');
      for (const fix of a.fixedIn.filter(f => f.startsWith(`${line}.`))) expect(compareVersions(v, fix)).toBeLessThan(0);
    }
    // A catalog version at or after a fix of its line is not listed as affected.
    for (const v of catalog.filter(c => !a.affected.includes(c))) {
      const fixes = a.fixedIn.filter(f => f.split('.').slice(0, 2).join('.') === v.split('.').slice(0, 2).join('.'));
      if (fixes.length) expect(compareVersions(v, fixes[0])).toBeGreaterThanOrEqual(0);
    }
  });
});

describe('advisoryWarnings', () => {
  test.each([
    [{ cnpgVersion: '1.28.0' }, ['cloudnative-pg #10818', 'cloudnative-pg #11032']],
    [{ cnpgVersion: '1.28.1' }, ['cloudnative-pg #10818', 'cloudnative-pg #11032']],
    [{ cnpgVersion: '1.29.1' }, ['cloudnative-pg #10818', 'cloudnative-pg #11032']],
    [{ cnpgVersion: '1.28.4' }, []],
    [{ cnpgVersion: '1.29.2' }, []],
    [{ pluginVersion: '0.9.0' }, ['plugin-barman-cloud #385', 'plugin-barman-cloud #711/#735']],
    [{ pluginVersion: '0.14.0' }, []],
    [{}, []],
  ])('%j has %j', (options, ids) => {
    const lines = advisoryWarnings(options);
    expect(lines.length).toBe(ids.length);
    ids.forEach((id, i) => expect(lines[i]).toContain(`has ${id}:`));
  });

  test('a line names the version, the bug and the fix', () => {
    expect(advisoryWarnings({ cnpgVersion: '1.28.0' })[0]).toMatch(/^CNPG 1\.28\.0 has cloudnative-pg #10818: a restore .* silently drops .* — fixed in 1\.28\.4, 1\.29\.2, 1\.30\.0; /);
  });
});

describe('cdk8s-cnpg validate prints the advisories of the pinned versions', () => {
  const run = (...argv: string[]) => {
    let stdout = '';
    const code = runCli(argv, { stdout: s => { stdout += s; }, stderr: () => undefined });
    return { code, stdout };
  };

  test('--cnpg-version 1.28.0 prints #10818 as a warning and still exits 0 on valid input', () => {
    const { code, stdout } = run('validate', '--cnpg-version', '1.28.0', CORRECTED);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^warning: CNPG 1\.28\.0 has cloudnative-pg #10818: /m);
  });

  test('the newest versions print no advisory', () => {
    const { stdout } = run('validate', CORRECTED);
    expect(stdout).not.toContain(' has cloudnative-pg #');
    expect(stdout).not.toContain(' has plugin-barman-cloud #');
  });
});
