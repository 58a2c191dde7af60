#!/usr/bin/env node
// Summarises a V8 .cpuprofile (from `node --cpu-prof`): self time by file and by function.
//
//   node bench/cpuprofile-summary.js FILE.cpuprofile [--top 12]
//
// Self time of a node = the sum of the sampling intervals (timeDeltas) of the samples that landed in it.
// Files under node_modules are shown as `node_modules/<package>/<path>`, files of this repo relative to it,
// V8 pseudo-frames as `(garbage collector)`, `(program)`, `(idle)`.
'use strict';
const fs = require('fs');
const path = require('path');

const ROOT = path.resolve(__dirname, '..');

function fileOf(url, functionName) {
  if (!url) return functionName && functionName.startsWith('(') ? functionName : '(native)';
  let f = url.replace(/^file:\/\//, '');
  const nm = f.lastIndexOf('/node_modules/');
  if (nm >= 0) return 'node_modules/' + f.slice(nm + '/node_modules/'.length);
  if (f.startsWith(ROOT + '/')) return f.slice(ROOT.length + 1);
  return f;
}

/** The package (or area) a file belongs to: `cdk8s`, `js-yaml`, `lib/src/validation`, `node:internal`, ... */
function areaOf(file) {
  if (file.startsWith('node_modules/')) {
    const parts = file.slice('node_modules/'.length).split('/');
    return parts[0].startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0];
  }
  if (file.startsWith('node:')) return 'node: (core)';
  if (file.startsWith('lib/')) return file.split('/').slice(0, 3).join('/').replace(/\.js$/, '');
  return file;
}

function summarise(file) {
  const prof = JSON.parse(fs.readFileSync(file, 'utf-8'));
  const byId = new Map(prof.nodes.map(n => [n.id, n]));
  const self = new Map();
  const samples = prof.samples || [];
  const deltas = prof.timeDeltas || [];
  for (let i = 0; i < samples.length; i++) {
    // timeDeltas[i] is the time since the previous sample: attribute the interval ending at sample i to it.
    const d = Math.max(0, deltas[i] || 0);
    self.set(samples[i], (self.get(samples[i]) || 0) + d);
  }
  const files = new Map();
  const areas = new Map();
  const fns = new Map();
  let total = 0;
  for (const [id, us] of self) {
    const n = byId.get(id);
    if (!n) continue;
    const cf = n.callFrame;
    const f = fileOf(cf.url, cf.functionName);
    total += us;
    files.set(f, (files.get(f) || 0) + us);
    areas.set(areaOf(f), (areas.get(areaOf(f)) || 0) + us);
    const fn = `${cf.functionName || '(anonymous)'} ${cf.url ? `${f}:${cf.lineNumber + 1}` : ''}`.trim();
    fns.set(fn, (fns.get(fn) || 0) + us);
  }
  const sorted = m => [...m].sort((a, b) => b[1] - a[1]).map(([name, us]) => ({ name, ms: us / 1000, pct: total ? (100 * us) / total : 0 }));
  const urls = prof.nodes.map(n => n.callFrame.url || '');
  return {
    file,
    durationMs: (prof.endTime - prof.startTime) / 1000,
    sampledMs: total / 1000,
    byArea: sorted(areas),
    byFile: sorted(files),
    byFunction: sorted(fns),
    /** A guess at which process this was, from the scripts it ran. */
    process: urls.some(u => u.includes('lib/src/main.js')) ? 'app: node lib/src/main.js'
      : urls.some(u => u.includes('bench/gen-app.js')) ? 'app: node bench/gen-app.js'
        : urls.some(u => u.includes('lib/src/cli/')) ? 'validator: cdk8s-cnpg validate'
          : urls.some(u => u.includes('_loadurl.mjs')) ? 'cdk8s _loadurl.mjs child (cdk8s-cli upgrade check)'
            : urls.some(u => u.includes('/cdk8s-cli/')) ? 'cdk8s-cli (synth command)'
              : urls.some(u => u.includes('/npm/') || u.includes('/libnpmexec/')) ? 'npm exec (npx)'
                : urls.some(u => u.includes('bench/work/empty')) ? 'app: empty cdk8s app'
                  : 'node process',
  };
}

function toMarkdown(s, top = 12) {
  const row = r => `| ${r.name.replace(/\|/g, '\\|')} | ${r.ms.toFixed(1)} | ${r.pct.toFixed(1)}% |`;
  return [
    `**${s.process}** — \`${path.basename(s.file)}\`: profile ${s.durationMs.toFixed(0)} ms, ${s.sampledMs.toFixed(0)} ms sampled`,
    '',
    '| self time by package / area | ms | share |', '|---|---:|---:|',
    ...s.byArea.slice(0, 8).map(row),
    '',
    '| self time by file | ms | share |', '|---|---:|---:|',
    ...s.byFile.slice(0, top).map(row),
    '',
    '| self time by function | ms | share |', '|---|---:|---:|',
    ...s.byFunction.slice(0, top).map(row),
    '',
  ].join('\n');
}

module.exports = { summarise, toMarkdown };

if (require.main === module) {
  const args = process.argv.slice(2);
  const topAt = args.indexOf('--top');
  const top = topAt >= 0 ? Number(args.splice(topAt, 2)[1]) : 12;
  if (args.length === 0) {
    process.stderr.write('usage: node bench/cpuprofile-summary.js FILE.cpuprofile... [--top N]\n');
    process.exit(2);
  }
  for (const f of args) process.stdout.write(toMarkdown(summarise(f), top) + '\n');
}
