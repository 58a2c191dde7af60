// The digest of the TypeScript the library and the example app are compiled from (src/, imports/, tsconfig.json).
// `node scripts/source-digest.js write` records it in lib/.source-digest after jsii (compile); the synth runner
// (scripts/synth-example.js) compares, so that `npx cdk8s synth` never runs a stale lib/.
//
// The record also lists each file with its size, mtime and ctime (nanoseconds): when every file of the sources is
// still exactly that, none was written since (any write sets ctime, which no tool can set back), and `isFresh`
// answers without reading them. Otherwise it hashes the contents: a file touched but unchanged is still fresh.
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

/** The source files, relative to the project with `/`, sorted. */
function sourceFiles() {
  return [...files(path.join(ROOT, 'src')), ...files(path.join(ROOT, 'imports')), path.join(ROOT, 'tsconfig.json')]
    .map(f => path.relative(ROOT, f).split(path.sep).join('/')).sort();
}

function sourceDigest() {
  // Loaded here: the common path (stats unchanged) needs no hashing.
  const hash = require('crypto').createHash('sha256');
  for (const rel of sourceFiles()) hash.update(`${rel}\0`).update(fs.readFileSync(path.join(ROOT, rel))).update('\0');
  return hash.digest('hex');
}

/** One line per source file: path, size, mtime and ctime in nanoseconds. */
function statLines() {
  return sourceFiles().map(rel => {
    const s = fs.statSync(path.join(ROOT, rel), { bigint: true });
    return `${rel}\t${s.size}\t${s.mtimeNs}\t${s.ctimeNs}`;
  });
}

function readRecord() {
  try {
    const [digest, ...stats] = fs.readFileSync(RECORD, 'utf-8').trim().split('\n');
    return { digest: digest.trim(), stats };
  } catch {
    return undefined;
  }
}

function recordedDigest() {
  return readRecord()?.digest;
}

/** Whether lib/ was compiled from the current sources: by file stats when none changed, else by content. */
function isFresh() {
  const record = readRecord();
  if (!record) return false;
  if (record.stats.length && record.stats.join('\n') === statLines().join('\n')) return true;
  return record.digest === sourceDigest();
}

module.exports = { sourceDigest, recordedDigest, isFresh };

if (require.main === module && process.argv[2] === 'write') {
  // Stats first: a file written while hashing then has a newer ctime than recorded, so it is hashed at synth.
  const stats = statLines();
  fs.writeFileSync(RECORD, [sourceDigest(), ...stats, ''].join('\n'));
}
