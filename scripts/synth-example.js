// The example app's `app:` in cdk8s.yaml. Runs the compiled app (lib/) when it was compiled from the current
// sources, else the TypeScript itself through tsx: editing src/main.ts and running `npx cdk8s synth` can never
// write the YAML of an older version. See src/synth-example.ts for what it writes.
const path = require('path');
const { isFresh } = require('./source-digest');

if (isFresh()) {
  require('../lib/src/synth-example').runSynthExample();
} else {
  process.stderr.write('cdk8s-cnpg: src/ changed since the last `npx projen compile`: running the TypeScript directly\n');
  // Transpiled code is kept in memory only, never in a cache folder.
  process.env.TSX_DISABLE_CACHE = '1';
  require('tsx/cjs');
  require(path.join(__dirname, '..', 'src', 'synth-example.ts')).runSynthExample();
}
