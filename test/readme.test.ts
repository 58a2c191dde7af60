import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

const root = path.join(__dirname, '..');

test('every complete TypeScript example in the README compiles against the library', () => {
  // GIVEN the README's ```ts blocks that are whole programs (they import what they use)
  const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf-8');
  const blocks = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map(m => m[1]).filter(code => /^import /m.test(code));
  expect(blocks.length).toBeGreaterThanOrEqual(2);
  const dir = fs.mkdtempSync(path.join(root, 'test', '.readme-'));
  try {
    const files = blocks.map((code, i) => {
      const file = path.join(dir, `example${i}.ts`);
      fs.writeFileSync(file, code.replace(/from 'cdk8s-cnpg'/g, `from '${path.relative(dir, path.join(root, 'src')).split(path.sep).join('/')}'`));
      return file;
    });
    // WHEN they are type-checked strictly
    // THEN tsc reports nothing (it throws with the diagnostics otherwise)
    try {
      execFileSync(path.join(root, 'node_modules/.bin/tsc'),
        ['--ignoreConfig', '--noEmit', '--strict', '--skipLibCheck', '--module', 'node16', '--moduleResolution', 'node16', '--target', 'ES2022', '--types', 'node', ...files],
        { cwd: root, stdio: 'pipe', encoding: 'utf-8' });
    } catch (e) {
      throw new Error(`README examples do not compile:\n${(e as { stdout?: string }).stdout}`);
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}, 120_000);
