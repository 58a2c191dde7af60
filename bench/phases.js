#!/usr/bin/env node
// In-process phase breakdown of the example app (wall ms, hrtime): module loading, construction (upstream read,
// sha256, js-yaml parse), validation (ajv schema compile per kind, CEL, rules), YAML serialization per chart.
//   CDK8S_CNPG_UPSTREAM_DIR=../shared/upstream node bench/phases.js
'use strict';
const path = require('path');
const ROOT = path.resolve(__dirname, '..');
const t0 = process.hrtime.bigint();
const now = () => Number(process.hrtime.bigint() - t0) / 1e6;
const lap = (() => { let last = 0; return label => { const t = now(); console.log(`${label.padEnd(58)} ${(t - last).toFixed(0).padStart(5)} ms`); last = t; }; })();
const cdk8s = require(path.join(ROOT, 'node_modules', 'cdk8s')); lap('require cdk8s');
require(path.join(ROOT, 'node_modules', 'cdk8s-plus-30')); lap('require cdk8s-plus-30');
require(path.join(ROOT, 'lib', 'imports', 'postgresql.cnpg.io.js')); lap('require lib/imports/postgresql.cnpg.io.js');
const main = require(path.join(ROOT, 'lib', 'src', 'main.js')); lap('require the rest of lib/src (main.js)');
const v = require(path.join(ROOT, 'lib', 'src', 'validation', 'index.js'));
const { app } = main.buildExampleApp(path.join(__dirname, 'work', 'phases-out')); lap('construct the example (upstream read + sha256 + parse)');
const objs = app.node.findAll().filter(c => c instanceof cdk8s.ApiObject);
const inputs = objs.map(o => ({ doc: o.toJson(), source: o.node.path, trusted: o.constructor.name === 'UpstreamObject' })); lap(`toJson of ${objs.length} objects`);
const opts = { cnpgVersion: '1.28.0', pluginVersion: '0.9.0', externalRefs: new Set(), unresolvedReferences: 'warning' };
for (const kind of ['ObjectStore', 'Cluster', 'ScheduledBackup']) {
  v.validateManifests(inputs.filter(i => i.doc.kind === kind), opts); lap(`validate the ${kind}(s) alone (first: CRD lookup + ajv compile)`);
}
v.validateManifests(inputs, opts); lap('validate all objects again (compiled validators cached)');
for (const c of app.charts) { cdk8s.Yaml.stringify(...c.toJson()); lap(`Yaml.stringify chart ${c.node.id}`); }
for (const c of app.charts) JSON.stringify(c.toJson()); lap('(for scale) JSON.stringify of all charts');
