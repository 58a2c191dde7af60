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
  repositoryUrl: 'https://example.com/cdk8s-cnpg.git',
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
  bundledDeps: ['js-yaml@^4.3.2', 'ajv@^8.17.1', 'ajv-formats@^3.0.1', '@bufbuild/cel@^0.6.1', '@bufbuild/protobuf@^2.6.2', 'cronstrue@^3.3.0'],
  devDeps: ['cdk8s-cli@^2.207.60', 'yaml@^2.9.1', 'cdk8s-plus-30@2.4.10', '@types/js-yaml@^4.0.9', 'secretlint@^11.7.1', '@secretlint/secretlint-rule-preset-recommend@^11.3.0'],

  // The design keeps generated CRD classes in a top-level imports/ folder.
  tsconfig: {
    compilerOptions: { rootDir: '.' },
    include: ['src/**/*.ts', 'imports/**/*.ts'],
  },
  entrypoint: 'lib/src/index.js',

  jestOptions: {
    // Snapshots must be able to fail in CI; `npx projen test:update` writes them.
    updateSnapshot: javascript.UpdateSnapshot.NEVER,
    jestConfig: {
      coveragePathIgnorePatterns: ['/node_modules/', '/imports/'],
      testPathIgnorePatterns: ['/node_modules/', '/lib/', '/test/fixtures/', '/test/consumer/'],
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
project.npmignore?.include('/upstream-bundle/');

// dist/ holds synthesized YAML that includes the upstream installs: never commit it.
// upstream-bundle/ is the copy of the upstream installs made at package time.
project.gitignore.addPatterns('/upstream-bundle/', '/bench/work/', '/bench/results-quick.md', '/.cdk8s-cnpg/');

// The example app, synthesized by `npx cdk8s synth` into dist/.
new YamlFile(project, 'cdk8s.yaml', {
  obj: {
    language: 'typescript',
    app: 'node lib/src/main.js',
    // `cdk8s synth` deletes this folder before running the app; the app publishes dist/ itself, atomically.
    output: '.cdk8s-cnpg/synth',
  },
});

const upstreamEnv = { CDK8S_CNPG_UPSTREAM_DIR: '$(node -e "process.stdout.write(process.env.CDK8S_CNPG_UPSTREAM_DIR || require(\'path\').resolve(\'../shared/upstream\'))")' };

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

project.testTask.env('CDK8S_CNPG_UPSTREAM_DIR', upstreamEnv.CDK8S_CNPG_UPSTREAM_DIR);
project.testTask.env('JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION', '20');
project.compileTask.env('JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION', '20');

project.synth();
