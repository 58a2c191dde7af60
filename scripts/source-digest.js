// The digest of the TypeScript the library and the example app are compiled from (src/, imports/, tsconfig.json).
// `node scripts/source-digest.js write` records it in lib/.source-digest after jsii (compile); the synth runner
// (scripts/synth-example.js) compares, so that `npx cdk8s synth` never runs a stale lib/.
const crypto = require('crypto');
const fs = require('fs');
const path = require('path');

const ROOT = path.resolve(__dirname, '..');
const RECORD = path.join(ROOT, 'lib', '.source-digest');

function files(dir) {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap(e => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? files(p) : e.name.endsWith('.ts') ? [p] : [];
  });
}

function sourceDigest() {
  const hash = crypto.createHash('sha256');
  const all = [...files(path.join(ROOT, 'src')), ...files(path.join(ROOT, 'imports')), path.join(ROOT, 'tsconfig.json')]
    .map(f => path.relative(ROOT, f).split(path.sep).join('/')).sort();
  for (const rel of all) hash.update(`${rel}\0`).update(fs.readFileSync(path.join(ROOT, rel))).update('\0');
  return hash.digest('hex');
}

function recordedDigest() {
  try {
    return fs.readFileSync(RECORD, 'utf-8').trim();
  } catch {
    return undefined;
  }
}

module.exports = { sourceDigest, recordedDigest };

if (require.main === module && process.argv[2] === 'write') {
  fs.writeFileSync(RECORD, `${sourceDigest()}\n`);
}
