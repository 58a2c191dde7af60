#!/usr/bin/env bash
# Installs the packed package (dist/js/*.tgz, from `npx projen package`) into a scratch cdk8s app outside the
# repository, type-checks the app with tsc --strict and synthesizes it offline from the bundled upstream copy.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
tgz=$(ls "$root"/dist/js/cdk8s-cnpg@*.tgz 2>/dev/null | head -n 1 || true)
[ -n "$tgz" ] || { echo "consumer: no package in dist/js; run 'npx projen package' first" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
cdk8s_version=$(node -p "require('$root/node_modules/cdk8s/package.json').version")
constructs_version=$(node -p "require('$root/node_modules/constructs/package.json').version")
plus_version=$(node -p "require('$root/node_modules/cdk8s-plus-30/package.json').version")
npm init -y >/dev/null
npm install --no-audit --no-fund --loglevel=error "$tgz" "cdk8s@$cdk8s_version" "constructs@$constructs_version" "cdk8s-plus-30@$plus_version" >/dev/null
cp "$root/test/consumer/app.ts" .
"$root/node_modules/.bin/tsc" --strict --module node16 --moduleResolution node16 --target ES2022 --skipLibCheck app.ts
# Only the copy bundled into the package may be used: no upstream dir, no downloads.
env -u CDK8S_CNPG_UPSTREAM_DIR CDK8S_CNPG_OFFLINE=1 XDG_CACHE_HOME="$work/cache" node app.js
grep -q '^kind: Cluster' dist/db.k8s.yaml
grep -q 'name: orders-restore' dist/db.k8s.yaml
grep -q 'AWS_REQUEST_CHECKSUM_CALCULATION' dist/db.k8s.yaml
grep -q 'ghcr.io/cloudnative-pg/cloudnative-pg:1.30.0' dist/operators.k8s.yaml
head -n 1 dist/operators.k8s.yaml | grep -q '^# cdk8s-cnpg: upstream installs'
grep -q '^#   cnpg 1.30.0 ' dist/operators.k8s.yaml
if head -n 1 dist/db.k8s.yaml | grep -q '^#'; then echo 'consumer: db.k8s.yaml got a header' >&2; exit 1; fi
echo "consumer: packed package installed, type-checked and synthesized ($(ls dist | tr '\n' ' '))"
