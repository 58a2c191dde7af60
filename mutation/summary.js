#!/usr/bin/env node
// Summarises mutation/reports/*.json (Stryker's JSON reporter) into the table of mutation/results.md, and lists
// survivors. A mutant that crashes a test file (RuntimeError) counts as killed, as the issue asks; mutants listed in
// mutation/equivalent.json ({ "<file>:<line>:<column>:<mutatorName>": "why" }) are excluded from the score.
// Static mutants (ignoreStatic) are reported as Ignored and left out of the score.
// Usage: node mutation/summary.js [--survivors]
const fs = require('fs');
const path = require('path');

const dir = path.join(__dirname, 'reports');
const equivalentFile = path.join(__dirname, 'equivalent.json');
const equivalent = fs.existsSync(equivalentFile) ? JSON.parse(fs.readFileSync(equivalentFile, 'utf-8')) : {};
const rows = [];
const survivors = [];
for (const name of fs.readdirSync(dir).filter(f => f.endsWith('.json')).sort()) {
  const report = JSON.parse(fs.readFileSync(path.join(dir, name), 'utf-8'));
  for (const [file, { mutants, source }] of Object.entries(report.files)) {
    const lines = source.split('\n');
    const count = { Killed: 0, Timeout: 0, RuntimeError: 0, Survived: 0, NoCoverage: 0, CompileError: 0, Ignored: 0 };
    let equivalents = 0;
    for (const m of mutants) {
      const key = `${file}:${m.location.start.line}:${m.location.start.column}:${m.mutatorName}`;
      if ((m.status === 'Survived' || m.status === 'NoCoverage') && equivalent[key]) { equivalents++; continue; }
      count[m.status] = (count[m.status] ?? 0) + 1;
      if (m.status === 'Survived' || m.status === 'NoCoverage') {
        survivors.push(`${key} ${m.status} ${JSON.stringify(m.replacement ?? '')} | ${lines[m.location.start.line - 1].trim().slice(0, 140)}`);
      }
    }
    const detected = count.Killed + count.Timeout + count.RuntimeError;
    const valid = detected + count.Survived + count.NoCoverage;
    rows.push({ file, total: mutants.length, killed: count.Killed, timeout: count.Timeout, crashed: count.RuntimeError, survived: count.Survived,
      noCoverage: count.NoCoverage, ignored: count.Ignored, equivalents, score: valid ? (100 * detected / valid).toFixed(1) : 'n/a' });
  }
}
console.log('| file | mutants | killed | timeout | crashed | survived | no coverage | static (not run) | equivalent | score |');
console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
for (const r of rows) console.log(`| ${r.file} | ${r.total} | ${r.killed} | ${r.timeout} | ${r.crashed} | ${r.survived} | ${r.noCoverage} | ${r.ignored} | ${r.equivalents} | ${r.score}% |`);
if (process.argv.includes('--survivors')) for (const s of survivors) console.log(s);
