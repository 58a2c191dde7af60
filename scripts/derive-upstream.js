// Builds the package's derived/ folder (parsed upstream manifests, compiled CRD schema validators) from the
// compiled library in lib/. Run by `npx projen compile` after jsii; see src/validation/derive-package-data.ts.
const { UPSTREAM_DIR_ENV } = require('../lib/src/upstream/locate');

if (!process.env[UPSTREAM_DIR_ENV]) {
  console.error(`derive-upstream: ${UPSTREAM_DIR_ENV} is not set; the package will parse and compile at synth`);
  process.exit(0);
}
const { writeDerivedData } = require('../lib/src/validation/derive-package-data');
const started = Date.now();
const { releases, validators, skipped } = writeDerivedData();
console.log(`derive-upstream: ${releases.length} releases, ${validators} validators in derived/ (${Date.now() - started} ms)`
  + (skipped.length ? `; not found, left to synth: ${skipped.join(', ')}` : ''));

// The upstream documents as cdk8s writes them (derived/rendered), so a synth writes unchanged ones as they are.
const { writePrerendered } = require('../lib/src/upstream/prerendered');
const t1 = Date.now();
console.log(`derive-upstream: ${writePrerendered().length} releases pre-rendered in derived/rendered/ (${Date.now() - t1} ms)`);
