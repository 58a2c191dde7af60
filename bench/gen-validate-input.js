#!/usr/bin/env node
// Writes the validator's benchmark input: COUNT CNPG objects as ObjectStore/Cluster/ScheduledBackup triples,
// cloned from a synthesized database.k8s.yaml (the example app's) and renamed so every triple is self-consistent.
// The last triple is cut short when COUNT is not a multiple of 3 (an ObjectStore + Cluster alone is still valid).
//
//   node bench/gen-validate-input.js TEMPLATE.k8s.yaml OUT.yaml [COUNT=10000]
'use strict';
const fs = require('fs');
const path = require('path');
const yaml = require(path.join(__dirname, '..', 'node_modules', 'js-yaml'));

function writeValidatorInput(templateFile, outFile, count = 10000) {
  const docs = yaml.loadAll(fs.readFileSync(templateFile, 'utf-8')).filter(Boolean);
  const find = kind => {
    const d = docs.find(x => x.kind === kind);
    if (!d) throw new Error(`${templateFile}: no ${kind} to clone`);
    return d;
  };
  const store = find('ObjectStore');
  const cluster = find('Cluster');
  const backup = find('ScheduledBackup');
  const plugin = (cluster.spec.plugins || []).find(p => p.parameters && p.parameters.barmanObjectName);
  if (!plugin) throw new Error(`${templateFile}: the Cluster has no barman plugin with barmanObjectName`);

  const out = [];
  const kinds = {};
  const push = d => {
    if (out.length >= count) return;
    kinds[d.kind] = (kinds[d.kind] || 0) + 1;
    out.push(yaml.dump(d, { lineWidth: -1, noRefs: true }));
  };
  for (let i = 0; out.length < count; i++) {
    const name = `pg-${i}`;
    const s = structuredClone(store);
    s.metadata.name = `${name}-store`;
    push(s);
    const c = structuredClone(cluster);
    c.metadata.name = name;
    const p = c.spec.plugins.find(x => x.parameters && x.parameters.barmanObjectName);
    p.parameters.barmanObjectName = `${name}-store`;
    p.parameters.serverName = name;
    push(c);
    const b = structuredClone(backup);
    b.metadata.name = `${name}-backup`;
    b.spec.cluster.name = name;
    push(b);
  }
  const text = out.join('---\n');
  fs.mkdirSync(path.dirname(outFile), { recursive: true });
  fs.writeFileSync(outFile, text);
  return { objects: out.length, kinds, bytes: Buffer.byteLength(text) };
}

module.exports = { writeValidatorInput };

if (require.main === module) {
  const [template, out, count] = process.argv.slice(2);
  if (!template || !out) {
    process.stderr.write('usage: node bench/gen-validate-input.js TEMPLATE.k8s.yaml OUT.yaml [COUNT]\n');
    process.exit(2);
  }
  process.stdout.write(JSON.stringify(writeValidatorInput(template, out, count ? Number(count) : 10000)) + '\n');
}
