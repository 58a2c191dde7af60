import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

const root = path.join(__dirname, '..');

/**
 * A ceiling on the packed size, so growth is a decision: the bundled deps, the upstream installs (upstream-bundle/)
 * and the data derived from them at package time (derived/: parsed manifests, compiled schema validators) dominate.
 */
const MAX_PACKED_BYTES = 8 * 1024 * 1024;

interface PackResult {
  readonly size: number;
  readonly unpackedSize: number;
  readonly files: ReadonlyArray<{ readonly path: string; readonly size: number }>;
}

describe('the npm package', () => {
  let pack: PackResult;
  beforeAll(() => {
    // GIVEN a compiled library (lib/ is what the tarball ships: `npx projen compile` first)
    if (!fs.existsSync(path.join(root, 'lib', 'src', 'index.js'))) throw new Error('lib/ is missing: run `npx projen compile` before this test');
    // WHEN npm lists what it would pack
    const out = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: root, encoding: 'utf-8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 * 1024 * 1024 });
    pack = JSON.parse(out)[0];
    process.stdout.write(`npm package: ${pack.size.toLocaleString('en-US')} bytes packed, ${pack.unpackedSize.toLocaleString('en-US')} unpacked, ${pack.files.length} files\n`);
  }, 120_000);

  test('ships the library, the CLI and the bundled upstream data', () => {
    const files = new Set(pack.files.map(f => f.path));
    for (const f of ['package.json', 'README.md', 'LICENSE', '.jsii', 'bin/cdk8s-cnpg', 'lib/src/index.js', 'lib/src/index.d.ts', 'lib/src/cli/main.js', 'lib/src/cli/cli.js']) {
      expect(files).toContain(f);
    }
    expect(pack.files.some(f => f.path.startsWith('lib/imports/'))).toBe(true);
    if (fs.existsSync(path.join(root, 'upstream-bundle'))) {
      expect(pack.files.some(f => /^upstream-bundle\/cnpg\/cnpg-[\d.]+\.yaml$/.test(f.path))).toBe(true);
    }
  });

  test('ships no synthesized YAML, no example app and no project files', () => {
    const unwanted = pack.files.map(f => f.path).filter(p =>
      /\.k8s\.yaml$/.test(p) || /^(dist|\.cdk8s-cnpg|src|test|bench|imports|scripts|\.ci|\.projen)\//.test(p)
      || ['lib/src/main.js', 'lib/src/main.d.ts', 'cdk8s.yaml', '.projenrc.ts', 'tsconfig.json'].includes(p));
    expect(unwanted).toEqual([]);
  });

  test(`is at most ${MAX_PACKED_BYTES.toLocaleString('en-US')} bytes packed`, () => {
    expect(pack.size).toBeLessThanOrEqual(MAX_PACKED_BYTES);
  });

  test('names the real repository', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf-8'));
    expect(pkg.repository.url).toBe('https://github.com/cdk8s-cnpg/cdk8s-cnpg.git');
    expect(pkg.bin['cdk8s-cnpg']).toBe('bin/cdk8s-cnpg');
  });
});
