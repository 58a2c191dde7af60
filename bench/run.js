#!/usr/bin/env node
/**
 * The synth/validation benchmark (issue 5). Plain Node, no dependencies beyond the project's own node_modules.
 *
 *   npm run bench                 # full: every figure the median of 5 runs after 1 warm-up → bench/results.md
 *   npm run bench -- --quick      # smoke (CI): N ≤ 10, 1 run, no warm-up, no profiles → bench/results-quick.md
 *   node bench/run.js --runs 9    # more runs per figure
 *
 * Every figure is a whole process: wall time measured by this script around the process (hrtime), and peak RSS
 * from GNU `/usr/bin/time -f %M` (the largest max-RSS of the process and any of its descendants; for `npx cdk8s
 * synth` that is the largest single process of the npx → cdk8s-cli → app chain, not their sum). Without
 * /usr/bin/time, bench/peak-rss.js polls VmHWM in /proc/<pid>/status of the process tree instead (says so).
 *
 * Needs `lib/` compiled (`npx projen compile`). Scratch output goes to bench/work/ (gitignored); dist/ is untouched.
 */
'use strict';
const { spawnSync, execFileSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { summarise, toMarkdown } = require('./cpuprofile-summary');
const { writeValidatorInput } = require('./gen-validate-input');
const { measureOwnAppLoop, README_APP } = require('./own-app-loop');

const ROOT = path.resolve(__dirname, '..');
const WORK = path.join(__dirname, 'work');

// ---------------------------------------------------------------------------------------------------------------
// Options
const argv = process.argv.slice(2);
const QUICK = argv.includes('--quick');
const NO_PROFILE = argv.includes('--no-profile') || (QUICK && !argv.includes('--profile-all'));
const PROFILE_ALL = argv.includes('--profile-all');
const runsAt = argv.indexOf('--runs');
const RUNS = runsAt >= 0 ? Number(argv[runsAt + 1]) : QUICK ? 1 : 5;
const WARMUP = QUICK ? 0 : 1;
const SIZES = QUICK ? [1, 10] : [1, 10, 100, 1000];
// The per-DB signal at N ≤ 100 is a few tens of ms on a ~0.9 s process: more runs for the scale figures.
const SCALE_RUNS = QUICK ? RUNS : Math.max(RUNS, 7);
const VALIDATOR_OBJECTS = 10000;
const RESULTS = path.join(__dirname, QUICK ? 'results-quick.md' : 'results.md');
if (!Number.isInteger(RUNS) || RUNS < 1) throw new Error('--runs needs a positive integer');

const ENV = {
  ...process.env,
  CDK8S_CNPG_UPSTREAM_DIR: process.env.CDK8S_CNPG_UPSTREAM_DIR || path.resolve(ROOT, '..', 'shared', 'upstream'),
  // First-use digests (unpinned releases) would be recorded in the cwd; keep any such file in the scratch folder.
  CDK8S_CNPG_LOCK_FILE: process.env.CDK8S_CNPG_LOCK_FILE || path.join(WORK, 'cdk8s-cnpg.lock.json'),
  CDK8S_CNPG_OFFLINE: '1',
  // The library keeps nothing in the user cache (derived data ships in the package's derived/, built at compile
  // time); the bench points it at its own folder and checks that no synth writes into it.
  XDG_CACHE_HOME: path.join(WORK, 'cache'),
  NO_COLOR: '1',
};
delete ENV.CDK8S_OUTDIR;
delete ENV.CDK8S_CNPG_OUTDIR;
delete ENV.NODE_OPTIONS;

const LOAD_START = os.loadavg()[0];
const log = s => process.stderr.write(`[bench] ${s}\n`);

// ---------------------------------------------------------------------------------------------------------------
// Measuring one process

const GNU_TIME = ['/usr/bin/time', '/bin/time'].find(t => {
  try {
    return spawnSync(t, ['-f', '%M', 'true'], { encoding: 'utf-8' }).status === 0;
  } catch {
    return false;
  }
});
const RSS_METHOD = GNU_TIME
  ? `GNU time (\`${GNU_TIME} -f %M\`): max RSS of the process and its descendants (the largest single process)`
  : 'bench/peak-rss.js: peak VmHWM polled every 5 ms in /proc/<pid>/status over the process tree (no /usr/bin/time)';

/** Runs a command once: { wallMs, rssKb, stdout, stderr }. Throws on a non-zero exit. */
function runOnce(cmd, args, { cwd = ROOT, env = {}, stdout = 'pipe', coldCache = false } = {}) {
  const rssFile = path.join(WORK, `.rss-${process.pid}`);
  fs.rmSync(rssFile, { force: true });
  const [bin, binArgs] = GNU_TIME
    ? [GNU_TIME, ['-f', '%M %U %S', '-o', rssFile, cmd, ...args]]
    : [process.execPath, [path.join(__dirname, 'peak-rss.js'), rssFile, cmd, ...args]];
  const t0 = process.hrtime.bigint();
  const r = spawnSync(bin, binArgs, {
    cwd, env: { ...ENV, ...(coldCache ? { XDG_CACHE_HOME: ENV.XDG_CACHE_HOME_COLD } : {}), ...env }, encoding: 'utf-8', maxBuffer: 512 * 1024 * 1024,
    stdio: ['ignore', stdout, 'pipe'],
  });
  const wallMs = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.error) throw r.error;
  if (r.status !== 0) {
    throw new Error(`${cmd} ${args.join(' ')} (cwd ${path.relative(ROOT, cwd) || '.'}) exited ${r.status}:\n${(r.stderr || '').slice(-3000)}\n${(r.stdout || '').slice(-2000)}`);
  }
  const rssText = fs.existsSync(rssFile) ? fs.readFileSync(rssFile, 'utf-8').trim().split('\n').pop() : '';
  fs.rmSync(rssFile, { force: true });
  // GNU time also gives the CPU time (user + system) of the process and its children: far less sensitive than wall
  // time to other work on a shared machine.
  const [rss, user, sys] = rssText.split(/\s+/).map(Number);
  return { wallMs, rssKb: rss || NaN, cpuMs: Number.isFinite(user + sys) ? (user + sys) * 1000 : NaN, stdout: r.stdout || '', stderr: r.stderr || '' };
}

const median = xs => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** Warm-up, then RUNS measured runs: medians of wall time and peak RSS. `before` runs untimed before each run. */
function measure(label, cmd, args, opts = {}) {
  return measureInterleaved([{ label, cmd, args, opts }], opts.runs || RUNS)[0];
}

/**
 * Measures commands in alternation (A, B, A, B, …), so that drift in the machine's load affects them alike: used
 * for the pairs whose ratio is a target.
 */
function measureInterleaved(specs, runsWanted = RUNS) {
  const all = specs.map(() => []);
  for (let i = 0; i < WARMUP + runsWanted; i++) {
    specs.forEach(({ cmd, args, opts = {} }, j) => {
      if (opts.before) opts.before();
      const r = runOnce(cmd, args, opts);
      if (i >= WARMUP) all[j].push(r);
    });
  }
  return specs.map(({ label, cmd, args, opts = {} }, j) => summariseRuns(label, cmd, args, opts, all[j]));
}

function summariseRuns(label, cmd, args, opts, runs) {
  const m = {
    label, command: opts.display || [cmd, ...args].join(' '),
    wallMs: median(runs.map(r => r.wallMs)), rssKb: median(runs.map(r => r.rssKb)), cpuMs: median(runs.map(r => r.cpuMs)),
    walls: runs.map(r => r.wallMs), last: runs[runs.length - 1], runs,
  };
  log(`${label}: ${fmtS(m.wallMs)} s (${m.walls.map(w => fmtS(w)).join(' / ')}), ${fmtMb(m.rssKb)} MB`);
  return m;
}

const fmtS = ms => (ms / 1000).toFixed(3);
const fmtMb = kb => (kb / 1024).toFixed(0);
const fmtX = x => `${x.toFixed(2)}x`;

// ---------------------------------------------------------------------------------------------------------------
// Scratch layout

function fresh(dir) {
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

function k8sYamlFiles(dir) {
  return fs.readdirSync(dir).filter(f => f.endsWith('.k8s.yaml')).sort();
}

function countDocs(file) {
  return fs.readFileSync(file, 'utf-8').split(/^---$/m).filter(d => /\S/.test(d)).length;
}

function sameYaml(dirA, dirB) {
  const a = k8sYamlFiles(dirA);
  const b = k8sYamlFiles(dirB);
  return a.join() === b.join() && a.every(f => fs.readFileSync(path.join(dirA, f)).equals(fs.readFileSync(path.join(dirB, f))));
}

/**
 * The README's synth command, `npx cdk8s synth --no-check-upgrade` (`npx` finds cdk8s-cli in the repo's
 * node_modules/.bin, as for a user in their project); `checkUpgrade: true` drops the flag.
 */
function npxCdk8sSynth({ checkUpgrade = false } = {}) {
  return ['npx', ['--no-install', 'cdk8s', 'synth', ...(checkUpgrade ? [] : ['--no-check-upgrade'])]];
}

// ---------------------------------------------------------------------------------------------------------------
// Profiles

/**
 * Runs a command once with every node process of it under `node --cpu-prof` (Node 20 refuses --cpu-prof in
 * NODE_OPTIONS, so a `node` shim that adds the flags goes first on PATH: npx, cdk8s-cli and the app all start
 * through `#!/usr/bin/env node` or `node ...`).
 */
function profile(name, cmd, args, opts = {}) {
  const dir = fresh(path.join(WORK, 'prof', name));
  const shimDir = fresh(path.join(WORK, 'prof', `${name}-bin`));
  const shim = path.join(shimDir, 'node');
  fs.writeFileSync(shim, `#!/bin/sh\nexec ${JSON.stringify(process.execPath)} --cpu-prof --cpu-prof-dir=${JSON.stringify(dir)} "$@"\n`, { mode: 0o755 });
  if (opts.before) opts.before();
  runOnce(cmd === 'node' ? shim : cmd, args, { ...opts, env: { ...(opts.env || {}), PATH: `${shimDir}${path.delimiter}${ENV.PATH}` } });
  return fs.readdirSync(dir).filter(f => f.endsWith('.cpuprofile')).sort().map(f => summarise(path.join(dir, f)));
}

// ---------------------------------------------------------------------------------------------------------------
// The benchmark

function main() {
  if (!fs.existsSync(path.join(ROOT, 'lib', 'src', 'main.js')) || !fs.existsSync(path.join(ROOT, 'lib', 'src', 'index.js'))) {
    throw new Error('lib/ is not compiled: run `npx projen compile` first');
  }
  fs.mkdirSync(WORK, { recursive: true });
  const started = Date.now();
  const results = {};

  // 1. The example app, validated, side by side with kubectl kustomize over its output ---------------------------
  const exNodeDir = path.join(WORK, 'example-node');
  const exNodeOut = path.join(exNodeDir, 'out');
  fresh(exNodeDir);
  fresh(ENV.XDG_CACHE_HOME);
  // One untimed run writes the output kustomize re-renders and the cdk8s floor re-synthesizes.
  runOnce('node', ['lib/src/main.js'], { env: { CDK8S_CNPG_OUTDIR: exNodeOut } });
  const outputFiles = k8sYamlFiles(exNodeOut);
  const outputBytes = outputFiles.reduce((n, f) => n + fs.statSync(path.join(exNodeOut, f)).size, 0);
  const outputDocs = outputFiles.reduce((n, f) => n + countDocs(path.join(exNodeOut, f)), 0);
  let kubectl;
  try {
    kubectl = execFileSync('kubectl', ['version', '--client'], { encoding: 'utf-8', stdio: ['ignore', 'pipe', 'ignore'] }).trim().replace(/\n/g, ', ');
  } catch {
    kubectl = undefined;
  }
  const kDir = fresh(path.join(WORK, 'kustomize'));
  for (const f of outputFiles) fs.copyFileSync(path.join(exNodeOut, f), path.join(kDir, f));
  fs.writeFileSync(path.join(kDir, 'kustomization.yaml'),
    ['apiVersion: kustomize.config.k8s.io/v1beta1', 'kind: Kustomization', 'resources:', ...outputFiles.map(f => `- ${f}`), ''].join('\n'));
  const kOut = path.join(WORK, 'kustomize-out.yaml');
  // The cdk8s floor: the same documents as plain ApiObjects in a bare cdk8s app (JSON in, YAML out, no validation):
  // what any cdk8s app pays to write this output (module loading, resolve, cdk8s's YAML serialization).
  const floorDir = fresh(path.join(WORK, 'cdk8s-floor'));
  const yamlLib = require(path.join(ROOT, 'node_modules', 'js-yaml'));
  fs.writeFileSync(path.join(floorDir, 'docs.json'), JSON.stringify(Object.fromEntries(outputFiles.map(f =>
    [f.replace(/\.k8s\.yaml$/, ''), yamlLib.loadAll(fs.readFileSync(path.join(exNodeOut, f), 'utf-8'), undefined, { schema: yamlLib.CORE_SCHEMA }).filter(Boolean)]))));
  fs.writeFileSync(path.join(floorDir, 'app.js'), [
    '// The same documents as plain ApiObjects in a bare cdk8s app (written by bench/run.js).',
    `const { ApiObject, App, Chart } = require(${JSON.stringify(path.join(ROOT, 'node_modules', 'cdk8s'))});`,
    "const charts = JSON.parse(require('fs').readFileSync(require('path').join(__dirname, 'docs.json'), 'utf-8'));",
    'const app = new App();',
    'for (const [name, docs] of Object.entries(charts)) {',
    '  const chart = new Chart(app, name);',
    '  docs.forEach((d, i) => new ApiObject(chart, `o${i}`, d));',
    '}',
    'app.synth();',
    '',
  ].join('\n'));
  let firstRun = 0;
  [results.exampleNode, results.exampleNodeFirst, results.kustomize, results.cdk8sFloor] = measureInterleaved([
    {
      label: 'example app: node lib/src/main.js', cmd: 'node', args: ['lib/src/main.js'],
      opts: { env: { CDK8S_CNPG_OUTDIR: exNodeOut }, display: 'CDK8S_CNPG_OUTDIR=bench/work/example-node/out node lib/src/main.js' },
    },
    {
      // The first synth after an install: a user cache that has never seen the library (a fresh one every run).
      label: 'example app: node lib/src/main.js, empty user cache', cmd: 'node', args: ['lib/src/main.js'],
      opts: {
        env: { CDK8S_CNPG_OUTDIR: exNodeOut }, coldCache: true,
        before: () => { ENV.XDG_CACHE_HOME_COLD = fresh(path.join(WORK, `cache-first-${firstRun++ % 2}`)); },
        display: 'XDG_CACHE_HOME=<new empty folder> node lib/src/main.js',
      },
    },
    ...(kubectl ? [{
      label: 'kubectl kustomize (same YAML)', cmd: 'kubectl', args: ['kustomize', kDir, '-o', kOut],
      opts: { display: `kubectl kustomize bench/work/kustomize -o bench/work/kustomize-out.yaml (${outputFiles.join(', ')})` },
    }] : []),
    {
      label: 'cdk8s floor: the same documents as plain ApiObjects', cmd: 'node', args: ['app.js'],
      opts: { cwd: floorDir, env: { CDK8S_OUTDIR: path.join(floorDir, 'out'), CDK8S_DISABLE_SORT: '1' }, display: 'CDK8S_DISABLE_SORT=1 node app.js (cwd bench/work/cdk8s-floor)' },
    },
  ], QUICK ? RUNS : Math.max(RUNS, 7));
  if (!kubectl) {
    results.cdk8sFloor = results.kustomize;
    results.kustomize = undefined;
    log('kubectl not found: no kustomize floor');
  } else {
    results.kustomizeBytes = fs.statSync(kOut).size;
  }
  const userCacheWrites = fs.readdirSync(ENV.XDG_CACHE_HOME).length + [0, 1].reduce((n, i) => {
    const d = path.join(WORK, `cache-first-${i}`);
    return n + (fs.existsSync(d) ? fs.readdirSync(d).length : 0);
  }, 0);
  results.userCacheWrites = userCacheWrites;

  // A scratch project folder with the repo's cdk8s.yaml (app: node lib/src/main.js) and lib/ linked in.
  const exSynthDir = fresh(path.join(WORK, 'example-synth'));
  fs.copyFileSync(path.join(ROOT, 'cdk8s.yaml'), path.join(exSynthDir, 'cdk8s.yaml'));
  fs.symlinkSync(path.join(ROOT, 'lib'), path.join(exSynthDir, 'lib'));
  // cdk8s.yaml runs scripts/synth-example.js, which checks lib/ against the sources (resolved from its real path).
  fs.symlinkSync(path.join(ROOT, 'scripts'), path.join(exSynthDir, 'scripts'));
  const exSynthOut = path.join(exSynthDir, 'out');
  const [npx, synthArgs] = npxCdk8sSynth();
  // The floor of the user-facing command: an empty cdk8s app (one chart, no objects), measured in alternation with
  // the example so that the machine's load affects both alike.
  const emptyDir = fresh(path.join(WORK, 'empty'));
  fs.writeFileSync(path.join(emptyDir, 'app.js'), [
    '// An empty cdk8s app: one chart, no objects (written by bench/run.js).',
    `const { App, Chart } = require(${JSON.stringify(path.join(ROOT, 'node_modules', 'cdk8s'))});`,
    'const app = new App();',
    "new Chart(app, 'empty');",
    'app.synth();',
    '',
  ].join('\n'));
  fs.writeFileSync(path.join(emptyDir, 'cdk8s.yaml'), "language: typescript\napp: node app.js\noutput: .cdk8s-cnpg/synth\n");
  [results.exampleSynth, results.emptySynth] = measureInterleaved([
    {
      label: 'example app: npx cdk8s synth --no-check-upgrade', cmd: npx, args: synthArgs,
      opts: { cwd: exSynthDir, env: { CDK8S_CNPG_OUTDIR: exSynthOut }, display: 'npx cdk8s synth --no-check-upgrade (cwd: copy of cdk8s.yaml + lib/, CDK8S_CNPG_OUTDIR=out)' },
    },
    {
      label: 'empty app: npx cdk8s synth --no-check-upgrade', cmd: npx, args: synthArgs,
      opts: { cwd: emptyDir, display: 'npx cdk8s synth --no-check-upgrade (cwd bench/work/empty, app: node app.js)' },
    },
  ], QUICK ? RUNS : Math.max(RUNS, 9));
  const identical = sameYaml(exNodeOut, exSynthOut);

  // 2. Floors ----------------------------------------------------------------------------------------------------
  results.emptyNode = measure('empty app: node app.js', 'node', ['app.js'], {
    cwd: emptyDir, env: { CDK8S_OUTDIR: path.join(emptyDir, 'out-node') },
    display: 'CDK8S_OUTDIR=out-node node app.js (cwd bench/work/empty)',
  });
  if (!QUICK) {
    // Informational: the same two synth commands with cdk8s-cli's upgrade check (a network round trip, in a child process).
    const [, withUpgrade] = npxCdk8sSynth({ checkUpgrade: true });
    [results.exampleSynthNoUpgrade, results.emptySynthNoUpgrade] = measureInterleaved([
      {
        label: 'example app: npx cdk8s synth (upgrade check on)', cmd: npx, args: withUpgrade,
        opts: { cwd: exSynthDir, env: { CDK8S_CNPG_OUTDIR: exSynthOut }, display: 'npx cdk8s synth (example, upgrade check on)' },
      },
      {
        label: 'empty app: npx cdk8s synth (upgrade check on)', cmd: npx, args: withUpgrade,
        opts: { cwd: emptyDir, display: 'npx cdk8s synth (empty app, upgrade check on)' },
      },
    ]);
  }

  // 3. Scale --------------------------------------------------------------------------------------------------
  results.scale = [];
  for (const n of SIZES) {
    const out = path.join(WORK, `scale-${n}`);
    const m = measure(`scale N=${n}`, 'node', [path.join(__dirname, 'gen-app.js'), String(n)], {
      env: { CDK8S_CNPG_OUTDIR: out, BENCH_PHASES: '1' }, before: () => fresh(out), runs: SCALE_RUNS,
      display: `node bench/gen-app.js ${n}`,
    });
    // In-process construct + synth time (hrtime inside gen-app.js): free of process start-up and module-load noise.
    const phases = m.runs.map(x => JSON.parse(x.stderr.trim().split('\n').pop()));
    m.inProcessMs = median(phases.map(p => p.constructMs + p.synthMs));
    const dbYaml = fs.readFileSync(path.join(out, 'databases.k8s.yaml'), 'utf-8');
    const clusters = (dbYaml.match(/^kind: Cluster$/gm) || []).length;
    if (clusters !== 2 * n) throw new Error(`scale N=${n}: expected ${2 * n} Clusters, found ${clusters}`);
    results.scale.push({ n, ...m, docs: countDocs(path.join(out, 'databases.k8s.yaml')) });
  }

  // 4. The validator alone --------------------------------------------------------------------------------------
  const vFile = path.join(WORK, `validate-${VALIDATOR_OBJECTS}.yaml`);
  const template = path.join(exNodeOut, 'database.k8s.yaml');
  const vInfo = writeValidatorInput(template, vFile, VALIDATOR_OBJECTS);
  results.validator = measure(`validator: ${VALIDATOR_OBJECTS} objects`, 'node', ['bin/cdk8s-cnpg', 'validate', vFile], {
    display: `node bin/cdk8s-cnpg validate bench/work/${path.basename(vFile)}`,
  });
  results.validator.objects = vInfo.objects;
  results.validator.kinds = vInfo.kinds;
  results.validator.findingLines = results.validator.last.stdout.split('\n').filter(Boolean).length;
  results.validator.warnings = results.validator.last.stdout.split('\n').filter(l => l.includes(': warning: ')).length;

  // 5. A user's own app: synth right after an edit (bench/own-app-loop.js) ---------------------------------------
  results.ownApp = measureOwnAppLoop({ root: ROOT, work: WORK, env: ENV, runs: RUNS, log, withTsNode: !QUICK });

  // Targets ---------------------------------------------------------------------------------------------------
  const targets = [];
  const target = (name, value, limit, shown, pass, miss) => targets.push({ name, value, limit, shown, pass, miss });
  // Wall time on this shared machine grows with its load: the target is judged on both, each shown.
  for (const [key, what] of [['readme', `\`npx cdk8s synth --no-check-upgrade\`, \`app: ${README_APP}\``], ['readme-direct', `\`${README_APP}\` (no CLI)`]]) {
    const m = results.ownApp[key];
    const floor = results.ownApp.empty;
    const over = key === 'readme' ? `; the empty cdk8s app through the same runner and command takes ${fmtS(floor.wallMs)} s wall, ${fmtS(floor.cpuMs)} s CPU: this library adds ${fmtS(m.wallMs - floor.wallMs)} s wall, ${fmtS(m.cpuMs - floor.cpuMs)} s CPU` : '';
    target(`Own app (README setup), ${what}: synth after an edit < 2 s wall`, m.wallMs / 1000, 2, `${fmtS(m.wallMs)} s wall, ${fmtS(m.cpuMs)} s CPU`, m.wallMs < 2000,
      `${fmtS(m.wallMs - 2000)} s over at load ${os.loadavg()[0].toFixed(1)} on ${os.cpus().length} cores; CPU time ${fmtS(m.cpuMs)} s${m.cpuMs < 2000 ? ' (under 2 s)' : ''}${over}`);
  }
  if (results.kustomize) {
    const first = results.exampleNodeFirst.wallMs / results.kustomize.wallMs;
    target('Example app via node, first synth after install (empty user cache) ≤ 1.0x kubectl kustomize (same output)', first, 1.0, fmtX(first), first <= 1.0,
      `${fmtX(first)} the floor: ${fmtS(results.exampleNodeFirst.wallMs - results.kustomize.wallMs)} s (${((first - 1) * 100).toFixed(0)}%) slower than kustomize on the same output`);
    const r = results.exampleNode.wallMs / results.kustomize.wallMs;
    target('Example app via node, warm ≤ 0.6x kubectl kustomize (same output)', r, 0.6, fmtX(r), r <= 0.6,
      `${fmtX(r / 0.6)} the allowed 0.6x: ${fmtS(results.exampleNode.wallMs - 0.6 * results.kustomize.wallMs)} s over`);
  } else {
    target('Example app via node ≤ 1.0x kubectl kustomize (same output)', NaN, 1.0, 'n/a (kubectl absent)', undefined, '');
  }
  if (results.kustomize && Number.isFinite(results.kustomize.cpuMs)) {
    const first = results.exampleNodeFirst.cpuMs / results.kustomize.cpuMs;
    const warm = results.exampleNode.cpuMs / results.kustomize.cpuMs;
    target('(same, CPU time: less sensitive to other work on the machine) first synth ≤ 1.0x kustomize', first, 1.0, fmtX(first), first <= 1.0, `${fmtX(first)} kustomize's CPU time`);
    target('(same, CPU time) warm ≤ 0.6x kustomize', warm, 0.6, fmtX(warm), warm <= 0.6, `${fmtX(warm / 0.6)} the allowed 0.6x`);
  }
  target('No synth writes into the user cache', results.userCacheWrites, 0, `${results.userCacheWrites} entries`, results.userCacheWrites === 0, 'the library wrote into the user cache');
  {
    const r = results.exampleSynth.wallMs / results.emptySynth.wallMs;
    target('Example app via `npx cdk8s synth --no-check-upgrade` ≤ 1.2x empty app via the same command', r, 1.2, fmtX(r), r <= 1.2,
      `${fmtX(r / 1.2)} the allowed 1.2x: ${fmtS(results.exampleSynth.wallMs - 1.2 * results.emptySynth.wallMs)} s over 1.2x the empty app (${fmtS(results.exampleSynth.wallMs - results.emptySynth.wallMs)} s over the empty app)`);
  }
  const big = results.scale.find(s => s.n === 1000);
  const at = n => results.scale.find(s => s.n === n);
  const marginal = (a, b) => (b.wallMs - a.wallMs) / (b.n - a.n);
  if (big) {
    target('N=1000 under 5 s', big.wallMs / 1000, 5, `${fmtS(big.wallMs)} s`, big.wallMs < 5000, `${fmtS(big.wallMs - 5000)} s over`);
    target('N=1000 under 1 GiB peak RSS', big.rssKb, 1048576, `${fmtMb(big.rssKb)} MB`, big.rssKb < 1048576, `${fmtMb(big.rssKb - 1048576)} MB over`);
    const m100 = marginal(at(10), at(100));
    const m1000 = marginal(at(100), big);
    const r = m1000 / m100;
    target('Marginal cost per DB at N=1000 (100→1000) ≤ 1.5x at N=100 (10→100), whole-process medians', r, 1.5,
      `${fmtX(r)} (${m1000.toFixed(2)} vs ${m100.toFixed(2)} ms/DB)`, r <= 1.5, `${fmtX(r / 1.5)} the allowed ratio`);
    const ip = (a, b) => (b.inProcessMs - a.inProcessMs) / (b.n - a.n);
    const ri = ip(at(100), big) / ip(at(10), at(100));
    target('(same, in-process construct + synth time, without start-up and module loading: cross-check)', ri, 1.5,
      `${fmtX(ri)} (${ip(at(100), big).toFixed(2)} vs ${ip(at(10), at(100)).toFixed(2)} ms/DB)`, ri <= 1.5, `${fmtX(ri / 1.5)} the allowed ratio`);
  } else {
    target('N=1000 under 5 s / 1 GiB; marginal cost linear', NaN, 0, 'n/a (--quick: N ≤ 10)', undefined, '');
  }
  const objPerS = results.validator.objects / (results.validator.wallMs / 1000);
  target('Validator ≥ 20,000 objects/s', objPerS, 20000, `${Math.round(objPerS).toLocaleString('en-US')} objects/s`, objPerS >= 20000,
    `${fmtX(20000 / objPerS)} too slow: needs ≤ ${fmtS(results.validator.objects / 20)} s for ${results.validator.objects} objects`);

  // Profiles of missed targets (full mode) ---------------------------------------------------------------------
  const profiles = [];
  if (!NO_PROFILE) {
    const missed = new Set(targets.filter(t => t.pass === false).map(t => t.name));
    const has = s => PROFILE_ALL || [...missed].some(n => n.includes(s));
    if (has('via node')) {
      profiles.push({ title: 'Example app via node (`node --cpu-prof lib/src/main.js`)', summaries: profile('example-node', 'node', ['lib/src/main.js'], { env: { CDK8S_CNPG_OUTDIR: path.join(WORK, 'prof-out') } }) });
    }
    if (has('npx cdk8s synth')) {
      profiles.push({ title: 'Example app via `npx cdk8s synth` (every node process of the chain, through a `node --cpu-prof` shim on PATH)', summaries: profile('example-synth', npx, synthArgs, { cwd: exSynthDir, env: { CDK8S_CNPG_OUTDIR: exSynthOut } }) });
      profiles.push({ title: 'Empty app via `npx cdk8s synth` (same)', summaries: profile('empty-synth', npx, synthArgs, { cwd: emptyDir }) });
    }
    if (has('Own app')) {
      profiles.push({ title: `Own app via \`npx cdk8s synth --no-check-upgrade\`, \`app: ${README_APP}\` (every node process of the chain)`, summaries: profile('own-app', npx, synthArgs, { cwd: path.join(WORK, 'own-app-readme'), env: { CDK8S_OUTDIR: 'dist' } }) });
      profiles.push({ title: 'Empty cdk8s app, the same runner and command (floor)', summaries: profile('own-app-empty', npx, synthArgs, { cwd: path.join(WORK, 'own-app-empty'), env: { CDK8S_OUTDIR: 'dist' } }) });
    }
    if (has('N=1000') || has('Marginal') || has('in-process')) {
      const out = path.join(WORK, 'prof-scale');
      profiles.push({ title: 'Scale N=1000 (`node --cpu-prof bench/gen-app.js 1000`)', summaries: profile('scale-1000', 'node', [path.join(__dirname, 'gen-app.js'), '1000'], { env: { CDK8S_CNPG_OUTDIR: out }, before: () => fresh(out) }) });
    }
    if (has('Validator')) {
      profiles.push({ title: 'Validator (`node --cpu-prof bin/cdk8s-cnpg validate`)', summaries: profile('validator', 'node', ['bin/cdk8s-cnpg', 'validate', vFile]) });
    }
  }

  // Report ----------------------------------------------------------------------------------------------------
  const md = report({ results, targets, profiles, outputFiles, outputBytes, outputDocs, identical, kubectl, vInfo, started });
  fs.writeFileSync(RESULTS, md);
  process.stdout.write(md);
  log(`wrote ${path.relative(ROOT, RESULTS)} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

function gitDescribe() {
  try {
    const head = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf-8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--', 'src'], { cwd: ROOT, encoding: 'utf-8' }).trim();
    return `${head}${dirty ? ' + uncommitted changes in src/' : ''}`;
  } catch {
    return 'unknown';
  }
}

function report({ results, targets, profiles, outputFiles, outputBytes, outputDocs, identical, kubectl, vInfo, started }) {
  const r = results;
  const row = (what, m, ratio) => `| ${what} | \`${m.command}\` | ${fmtS(m.wallMs)} | ${Number.isFinite(m.cpuMs) ? fmtS(m.cpuMs) : 'n/a'} | ${fmtMb(m.rssKb)} | ${ratio ?? ''} |`;
  const lines = [];
  lines.push(`# Benchmark results${QUICK ? ' (quick smoke run: 1 run, no warm-up, N ≤ 10 — timings are indicative only)' : ''}`, '');
  lines.push(`Generated by \`npm run bench${QUICK ? ' -- --quick' : ''}\` (bench/run.js) on ${new Date().toISOString().slice(0, 10)}.`, '');
  lines.push(`- Machine: ${os.cpus()[0]?.model ?? 'unknown CPU'}, ${os.cpus().length} cores, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB; ${process.platform} ${os.release()}; node ${process.version}`);
  lines.push(`- Load average (1 min) at start/end: ${LOAD_START.toFixed(2)} / ${os.loadavg()[0].toFixed(2)} — other work on this machine inflates wall times; compare ratios measured side by side.`);
  lines.push(`- Code: git ${gitDescribe()} (lib/ as compiled before the run)`);
  lines.push(`- Method: each figure is the median of ${RUNS} run${RUNS > 1 ? 's' : ''}${WARMUP ? ` after ${WARMUP} warm-up run` : ', no warm-up'}; whole process; wall time = hrtime around the process; peak RSS = ${RSS_METHOD}.`);
  lines.push('- The example and the empty app through `npx cdk8s synth` are measured in alternation'
    + `${QUICK ? '' : ` (median of ${Math.max(RUNS, 9)} runs each)`}, so that the machine's load affects both alike.`);
  lines.push(`- Upstream: CDK8S_CNPG_UPSTREAM_DIR=${path.relative(ROOT, ENV.CDK8S_CNPG_UPSTREAM_DIR) || ENV.CDK8S_CNPG_UPSTREAM_DIR}; CDK8S_CNPG_OFFLINE=1.`);
  lines.push('- Derived data: parsed upstream manifests and compiled CRD validators ship in the package (derived/, built by'
    + ' `npx projen compile`) and load with `require`; nothing is kept in the user cache. "Warm" is a repeated run (OS file cache'
    + ' warm); "first synth after install" runs with a new, empty user cache every time. The example, its first-synth run, kustomize'
    + ` and the cdk8s floor are measured in alternation (median of ${QUICK ? RUNS : Math.max(RUNS, 7)} runs each).`);
  lines.push(`- Example output: ${outputFiles.join(', ')} — ${outputDocs} documents, ${outputBytes.toLocaleString('en-US')} bytes; node and \`npx cdk8s synth\` outputs byte-identical: ${identical ? 'yes' : '**NO**'}.`);
  lines.push(`- kubectl: ${kubectl ? `${kubectl}; kustomize re-rendered ${r.kustomizeBytes.toLocaleString('en-US')} bytes` : '**absent** — the kustomize floor and its target are not measured'}.`);
  lines.push('- Scale apps (bench/gen-app.js): an `operators` chart (CNPG 1.28.0 + cert-manager + Barman Cloud plugin 0.9.0, so the app validates against the versions it installs, as the example does) and one `databases` chart (namespace `databases`) with N `BackedUpPostgres` (S3, hourly schedule, app secret declared) each with a `PitrRestore`; all validated at synth.');
  lines.push(`- Validator input (bench/gen-validate-input.js): ${vInfo.objects.toLocaleString('en-US')} CNPG objects (${Object.entries(vInfo.kinds).map(([k, n]) => `${n} ${k}`).join(', ')}) cloned and renamed from the example's database.k8s.yaml, ${(vInfo.bytes / 1e6).toFixed(1)} MB; exit 0 with ${r.validator.findingLines} finding line(s) (${r.validator.warnings} warnings).`);
  lines.push('');

  lines.push('## Synth of the example app and floors', '');
  lines.push('| what | command | wall s | CPU s (user+sys) | peak RSS MB | ratio (wall) |', '|---|---|---:|---:|---:|---|');
  lines.push(row('Example app, validated, via node', r.exampleNode, r.kustomize ? `${fmtX(r.exampleNode.wallMs / r.kustomize.wallMs)} kustomize` : ''));
  if (r.kustomize) lines.push(row('Floor: kubectl kustomize over the same YAML', r.kustomize, '1.00x'));
  if (r.exampleNodeFirst) lines.push(row('Example app via node, first synth after install (empty user cache)', r.exampleNodeFirst, r.kustomize ? `${fmtX(r.exampleNodeFirst.wallMs / r.kustomize.wallMs)} kustomize` : ''));
  if (r.cdk8sFloor) lines.push(row('Floor: the same documents as plain ApiObjects in a bare cdk8s app (no validation)', r.cdk8sFloor, r.kustomize ? `${fmtX(r.cdk8sFloor.wallMs / r.kustomize.wallMs)} kustomize; example = ${fmtX(r.exampleNode.wallMs / r.cdk8sFloor.wallMs)}` : ''));
  lines.push(row('Floor: empty cdk8s app via node', r.emptyNode, `example = ${fmtX(r.exampleNode.wallMs / r.emptyNode.wallMs)}`));
  lines.push(row('Example app via `npx cdk8s synth --no-check-upgrade` (the README\'s command)', r.exampleSynth, `${fmtX(r.exampleSynth.wallMs / r.emptySynth.wallMs)} empty app`));
  lines.push(row('Floor: empty cdk8s app via `npx cdk8s synth --no-check-upgrade`', r.emptySynth, '1.00x'));
  if (r.exampleSynthNoUpgrade) {
    lines.push(row('(info) Example app via `npx cdk8s synth`, upgrade check on', r.exampleSynthNoUpgrade, `${fmtX(r.exampleSynthNoUpgrade.wallMs / r.emptySynthNoUpgrade.wallMs)} empty app (same command)`));
    lines.push(row('(info) Empty app via `npx cdk8s synth`, upgrade check on', r.emptySynthNoUpgrade, '1.00x'));
  }
  lines.push('');
  lines.push(`Per-run wall times (s): ${['exampleNode', 'exampleNodeFirst', 'kustomize', 'cdk8sFloor', 'emptyNode', 'exampleSynth', 'emptySynth'].filter(k => r[k]).map(k => `${k} ${r[k].walls.map(fmtS).join('/')}`).join('; ')}.`, '');

  lines.push('## Scale: N BackedUpPostgres + PitrRestore, validated', '');
  lines.push(`Median of ${SCALE_RUNS} runs per N. In-process = construct + app.synth() time measured inside gen-app.js (excludes node start-up and module loading).`, '');
  lines.push('| N | documents in databases chart | wall s | peak RSS MB | marginal ms/DB (from previous N) | marginal KB RSS/DB | in-process ms | in-process marginal ms/DB |', '|---:|---:|---:|---:|---:|---:|---:|---:|');
  r.scale.forEach((s, i) => {
    const p = r.scale[i - 1];
    const mw = p ? ((s.wallMs - p.wallMs) / (s.n - p.n)).toFixed(2) : '—';
    const mr = p ? ((s.rssKb - p.rssKb) / (s.n - p.n)).toFixed(0) : '—';
    const mi = p ? ((s.inProcessMs - p.inProcessMs) / (s.n - p.n)).toFixed(2) : '—';
    lines.push(`| ${s.n} | ${s.docs} | ${fmtS(s.wallMs)} | ${fmtMb(s.rssKb)} | ${mw} | ${mr} | ${s.inProcessMs.toFixed(0)} | ${mi} |`);
  });
  lines.push('', `Per-run wall times (s): ${r.scale.map(s => `N=${s.n} ${s.walls.map(fmtS).join('/')}`).join('; ')}.`, '');

  lines.push('## Validator alone', '');
  lines.push('| input | command | wall s | peak RSS MB | objects/s |', '|---|---|---:|---:|---:|');
  lines.push(`| ${r.validator.objects.toLocaleString('en-US')} objects | \`${r.validator.command}\` | ${fmtS(r.validator.wallMs)} | ${fmtMb(r.validator.rssKb)} | ${Math.round(r.validator.objects / (r.validator.wallMs / 1000)).toLocaleString('en-US')} |`);
  lines.push('', 'Whole process, nothing subtracted (node start-up, module loading, YAML parsing and schema compilation included).', '');

  lines.push('## A user\'s own app: synth after an edit', '');
  lines.push(`The README's own-app setup (bench/own-app-loop.js): operators and one BackedUpPostgres in \`main.ts\` (with \`UpstreamHeaders.write(app)\`), run by \`app: ${README_APP}\` in \`cdk8s.yaml\`; main.ts is edited before every run. The runners are measured in alternation (median of ${RUNS} run${RUNS > 1 ? 's' : ''} each after one warm-up round). The floor is an empty cdk8s app through the same runner and command: what npx, the cdk8s CLI and the runner cost without this library.`, '');
  lines.push('| what | command | wall s | CPU s (user+sys, process tree) | peak RSS MB | over the floor (wall / CPU s) |', '|---|---|---:|---:|---:|---|');
  const ownFloor = r.ownApp.empty;
  for (const m of Object.values(r.ownApp)) {
    lines.push(row(m.label, m, m === ownFloor ? '—' : `${fmtS(m.wallMs - ownFloor.wallMs)} / ${fmtS(m.cpuMs - ownFloor.cpuMs)}`));
  }
  lines.push('', `Per-run wall / CPU times (s): ${Object.entries(r.ownApp).map(([k, m]) => `${k} ${m.walls.map(fmtS).join('/')} / ${m.cpus.map(fmtS).join('/')}`).join('; ')}.`, '');

  lines.push('## Targets', '');
  lines.push('| target | measured | result |', '|---|---|---|');
  for (const t of targets) {
    const res = t.pass === undefined ? 'not measured' : t.pass ? 'PASS' : `**MISS** — ${t.miss}`;
    lines.push(`| ${t.name} | ${t.shown} | ${res} |`);
  }
  lines.push('');

  if (targets.some(t => t.pass === false)) {
    lines.push('Why, and the plan to close each gap: bench/ANALYSIS.md (hand-written from these profiles and `node bench/phases.js`).', '');
  } else {
    lines.push('Every target is met. What was done to meet them, and what is left: bench/ANALYSIS.md.', '');
  }
  if (profiles.length) {
    lines.push('## Profiles of the missed targets', '');
    lines.push('One extra run each under `node --cpu-prof` (1 ms sampling; profiling slows the process, so read shares, not absolute times). Self time, summarised by bench/cpuprofile-summary.js; raw profiles in bench/work/prof/.', '');
    for (const p of profiles) {
      lines.push(`### ${p.title}`, '');
      if (p.summaries.length > 1) {
        lines.push('| process (in start order) | profile duration ms | sampled ms | top self-time areas |', '|---|---:|---:|---|');
        for (const s of p.summaries) {
          lines.push(`| ${s.process} | ${s.durationMs.toFixed(0)} | ${s.sampledMs.toFixed(0)} | ${s.byArea.slice(0, 4).map(a => `${a.name} ${a.pct.toFixed(0)}%`).join(', ')} |`);
        }
        lines.push('');
      }
      for (const s of p.summaries) lines.push(toMarkdown(s, p.summaries.length > 1 ? 6 : 10));
    }
  } else if (NO_PROFILE) {
    lines.push(`Profiles: not taken (${QUICK ? '--quick' : '--no-profile'}).`, '');
  }
  lines.push(`Total benchmark time: ${((Date.now() - started) / 1000).toFixed(0)} s.`, '');
  return lines.join('\n');
}

try {
  main();
} catch (e) {
  process.stderr.write(`[bench] failed: ${e.stack || e.message}\n`);
  process.exit(1);
}
