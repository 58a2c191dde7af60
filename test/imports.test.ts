import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const root = path.join(__dirname, '..');
const upstream = process.env.CDK8S_CNPG_UPSTREAM_DIR!;

test('imports/ is exactly what `cdk8s import` generates from the newest upstream CRDs', () => {
  // GIVEN a scratch folder
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'imports-'));
  try {
    // WHEN the import task's commands run again
    for (const file of ['cnpg/cnpg-1.30.0.yaml', 'plugin-barman-cloud/plugin-barman-cloud-v0.14.0.yaml']) {
      execFileSync(path.join(root, 'node_modules/.bin/cdk8s'), ['import', '--no-check-upgrade', '--no-save', '-l', 'typescript', '-o', out, path.join(upstream, file)], { cwd: out, stdio: 'pipe' });
    }
    // THEN the committed files are byte-identical
    for (const name of ['postgresql.cnpg.io.ts', 'barmancloud.cnpg.io.ts']) {
      expect(fs.readFileSync(path.join(out, name)).equals(fs.readFileSync(path.join(root, 'imports', name)))).toBe(true);
    }
  } finally {
    fs.rmSync(out, { recursive: true, force: true });
  }
}, 60_000);
