// Copies the upstream install manifests (never committed) into upstream-bundle/ so the npm package works
// offline. Source: $CDK8S_CNPG_UPSTREAM_DIR. Skipped with a note when it is not set or missing.
const fs = require('fs');
const path = require('path');

const src = process.env.CDK8S_CNPG_UPSTREAM_DIR;
const dest = path.join(__dirname, '..', 'upstream-bundle');
if (!src || !fs.existsSync(src)) {
  const why = src ? `CDK8S_CNPG_UPSTREAM_DIR=${JSON.stringify(src)} does not exist` : 'no ../shared/upstream and CDK8S_CNPG_UPSTREAM_DIR is not set';
  console.error(`bundle-upstream: ${why}; the package bundles no upstream manifests and finds them at run time (README, "Offline use")`);
  process.exit(0);
}
fs.rmSync(dest, { recursive: true, force: true });
for (const component of ['cnpg', 'plugin-barman-cloud', 'cert-manager']) {
  const dir = path.join(src, component);
  if (!fs.existsSync(dir)) continue;
  fs.mkdirSync(path.join(dest, component), { recursive: true });
  for (const f of fs.readdirSync(dir).filter(n => n.endsWith('.yaml')).sort()) {
    fs.copyFileSync(path.join(dir, f), path.join(dest, component, f));
  }
}
console.log(`bundle-upstream: copied ${src} into upstream-bundle/`);
