'use strict';
/**
 * The edit-synth loop of a user's own app (issue 11): the README's own-app setup, a TypeScript `main.ts` run by
 * sucrase from `cdk8s.yaml` (`app: node --require sucrase/register/ts main.ts`), synthesized with `npx cdk8s
 * synth --no-check-upgrade` right after an edit of main.ts (each run changes the file, so no compile cache is hit
 * for it). Alongside: the floor (an empty cdk8s app, same runner and command), the same run without the CLI, tsx
 * (`--require tsx/cjs` and `--import tsx`), and ts-node (cdk8s's default runner).
 *
 * The app lives in bench/work/own-app; cdk8s-cnpg, cdk8s, constructs, cdk8s-cli and the runners are linked from
 * the project's node_modules (as an install of the packed tarball would provide them).
 */
const { spawnSync } = require('child_process');
const fs = require('fs');
const path = require('path');

/** The README's "Use in your own cdk8s app" example with the operators, as a user's main.ts. */
function mainTs(edit) {
  return `// edit ${edit}
import { App, Chart, Size } from 'cdk8s';
import { BackedUpPostgres, BarmanPlugin, CertManager, CnpgOperator, ObjectStorage, S3Credentials, UpstreamHeaders } from 'cdk8s-cnpg';

const app = new App();
const operators = new Chart(app, 'operators');
const operator = new CnpgOperator(operators, 'Cnpg');
new CertManager(operators, 'CertManager');
new BarmanPlugin(operators, 'Plugin', { operator });

const db = new Chart(app, 'db', { namespace: 'databases' });
new BackedUpPostgres(db, 'Orders', {
  storageSize: Size.gibibytes(${1 + (edit % 5)}),
  objectStorage: ObjectStorage.s3({
    bucket: 'my-backups',
    path: 'postgres',
    credentials: S3Credentials.fromSecret({ secretName: 's3-credentials' }),
  }),
});
app.synth();
UpstreamHeaders.write(app);
`;
}

function link(target, at) {
  fs.mkdirSync(path.dirname(at), { recursive: true });
  fs.rmSync(at, { force: true, recursive: true });
  fs.symlinkSync(target, at);
}

/** Sets up bench/work/own-app for a runner (`app:` line of cdk8s.yaml); returns its folder. */
function setUp(root, work, name, app) {
  const dir = path.join(work, `own-app-${name}`);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: `own-app-${name}`, private: true }, null, 2));
  fs.writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: { target: 'ES2022', module: 'commonjs', strict: true, esModuleInterop: true, skipLibCheck: true } }, null, 2));
  fs.writeFileSync(path.join(dir, 'cdk8s.yaml'), `language: typescript\napp: ${app}\n`);
  const nm = path.join(dir, 'node_modules');
  // The package as an install has it, its parts linked from the project. Never a link to the project itself: that
  // would be a cycle under bench/work/ (the project would contain itself), which tools walking the tree (jsii-docgen)
  // follow until they run out of memory.
  const pkg = path.join(nm, 'cdk8s-cnpg');
  fs.mkdirSync(pkg, { recursive: true });
  for (const part of ['package.json', 'lib', 'derived', 'upstream-bundle']) {
    if (fs.existsSync(path.join(root, part))) link(path.join(root, part), path.join(pkg, part));
  }
  for (const dep of ['cdk8s', 'constructs', 'cdk8s-plus-30', 'cdk8s-cli', 'sucrase', 'tsx', 'ts-node', 'typescript', '@types/node']) {
    link(path.join(root, 'node_modules', dep), path.join(nm, dep));
  }
  link(path.join(root, 'node_modules', 'cdk8s-cli', 'bin', 'cdk8s'), path.join(nm, '.bin', 'cdk8s'));
  link(path.join(root, 'node_modules', 'tsx', 'dist', 'cli.mjs'), path.join(nm, '.bin', 'tsx'));
  link(path.join(root, 'node_modules', 'ts-node', 'dist', 'bin.js'), path.join(nm, '.bin', 'ts-node'));
  return dir;
}

/** One run under GNU time: wall, CPU (user + sys of the whole process tree) and peak RSS. */
function timed(cmd, args, cwd, env) {
  const out = path.join(cwd, '.time');
  const t0 = process.hrtime.bigint();
  const r = spawnSync('/usr/bin/time', ['-f', '%U %S %M', '-o', out, cmd, ...args], { cwd, env, encoding: 'utf-8', stdio: ['ignore', 'pipe', 'pipe'] });
  const wallMs = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} (cwd ${cwd}) exited ${r.status}:\n${(r.stderr || '').slice(-3000)}`);
  const [user, sys, rss] = fs.readFileSync(out, 'utf-8').trim().split('\n').pop().split(' ').map(Number);
  return { wallMs, cpuMs: (user + sys) * 1000, rssKb: rss };
}

const median = xs => {
  const v = [...xs].sort((a, b) => a - b);
  return v.length % 2 ? v[(v.length - 1) / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
};

/** An empty cdk8s app (one chart, no objects) as main.ts: the floor of the same runner, without this library. */
function emptyMainTs(edit) {
  return `// edit ${edit}
import { App, Chart } from 'cdk8s';

const app = new App();
new Chart(app, 'empty');
app.synth();
`;
}

/** The README's runner line for cdk8s.yaml: sucrase's CommonJS TypeScript hook (types stripped, nothing else hooked). */
const README_APP = 'node --require sucrase/register/ts main.ts';
const TSX_APP = 'node --require tsx/cjs main.ts';

/**
 * Measures `npx cdk8s synth` right after an edit of main.ts, for each runner, in alternation (A, B, C, …, A, B,
 * …) so that the machine's load affects them alike: one warm-up round, then `runs` rounds; the medians of wall
 * time, CPU time and peak RSS. On a loaded machine the wall time grows with the load; the CPU time is what the
 * loop costs. `withTsNode` adds cdk8s init's default runner (about 5 s a run).
 */
function measureOwnAppLoop({ root, work, env, runs, log = () => undefined, withTsNode = true }) {
  const synth = ['npx', ['--no-install', 'cdk8s', 'synth', '--no-check-upgrade']];
  const runners = [
    { name: 'readme', app: README_APP, run: synth, label: `Own app via \`npx cdk8s synth --no-check-upgrade\`, \`app: ${README_APP}\` (README setup)` },
    { name: 'empty', app: README_APP, run: synth, main: emptyMainTs, label: '(floor) Empty cdk8s app (one chart, no objects), the same runner and command' },
    { name: 'readme-direct', app: README_APP, run: ['node', ['--require', 'sucrase/register/ts', 'main.ts']], label: `(info) Own app, the same run without the cdk8s CLI: \`${README_APP}\`` },
    { name: 'tsx', app: TSX_APP, run: synth, label: `(info) Own app via \`npx cdk8s synth --no-check-upgrade\`, \`app: ${TSX_APP}\` (tsx, CommonJS hook only)` },
    { name: 'tsx-import', app: 'node --import tsx main.ts', run: synth, label: '(info) Own app via `npx cdk8s synth --no-check-upgrade`, `app: node --import tsx main.ts` (tsx\'s ESM and CommonJS hooks)' },
    ...(withTsNode ? [{ name: 'ts-node', app: 'npx ts-node main.ts', run: synth, label: '(info) Own app via `npx cdk8s synth --no-check-upgrade`, `app: npx ts-node main.ts` (the cdk8s init default)' }] : []),
  ];
  const dirs = runners.map(r => setUp(root, work, r.name, r.app));
  const all = runners.map(() => []);
  for (let i = 0; i < 1 + runs; i++) {
    runners.forEach((r, j) => {
      fs.writeFileSync(path.join(dirs[j], 'main.ts'), (r.main || mainTs)(i));
      const m = timed(r.run[0], r.run[1], dirs[j], { ...env, CDK8S_OUTDIR: 'dist' });
      if (i > 0) all[j].push(m);
    });
  }
  const results = {};
  runners.forEach((r, j) => {
    if (r.name !== 'empty') {
      const out = fs.readFileSync(path.join(dirs[j], 'dist', 'db.k8s.yaml'), 'utf-8');
      if (!/^kind: Cluster$/m.test(out)) throw new Error(`own app (${r.name}): no Cluster in dist/db.k8s.yaml`);
    }
    results[r.name] = {
      label: r.label,
      command: `${[r.run[0], ...r.run[1]].join(' ').replace(' --no-install', '')} (bench/work/own-app-${r.name}, cdk8s.yaml app: ${r.app}, main.ts edited before each run)`,
      wallMs: median(all[j].map(m => m.wallMs)), cpuMs: median(all[j].map(m => m.cpuMs)), rssKb: median(all[j].map(m => m.rssKb)),
      walls: all[j].map(m => m.wallMs), cpus: all[j].map(m => m.cpuMs),
    };
    log(`${r.label}: ${(results[r.name].wallMs / 1000).toFixed(3)} s wall, ${(results[r.name].cpuMs / 1000).toFixed(3)} s CPU`);
  });
  return results;
}

module.exports = { measureOwnAppLoop, mainTs, README_APP };
