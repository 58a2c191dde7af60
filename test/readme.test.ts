import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { App, Chart } from 'cdk8s';
import { BackedUpPostgres, BackupSchedule, ObjectStorage, S3Credentials } from '../src';

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

test('the README\'s sample error is the real output', () => {
  // GIVEN the block after the readme-sample marker
  const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf-8');
  const sample = readme.match(/<!-- readme-sample: schedule-error -->\n```\n([\s\S]*?)\n```/)?.[1];
  expect(sample).toBeDefined();
  // WHEN the mistake it describes is made
  const app = new App({ outdir: path.join(root, 'test', '.readme-never-written') });
  const chart = new Chart(app, 'db', { namespace: 'databases' });
  new BackedUpPostgres(chart, 'Orders', {
    schedule: BackupSchedule.cron('0 * * * *'),
    objectStorage: ObjectStorage.s3({ bucket: 'my-backups', path: 'postgres', credentials: S3Credentials.fromSecret({ secretName: 's3-credentials' }) }),
  });
  // THEN synth fails with the README's message, to the character
  expect(() => app.synthYaml()).toThrow(new Error(sample));
});
