/**
 * The package-time build of derived data (`npx projen derive-upstream`, run by `compile`): for every release of the
 * catalog found in `$CDK8S_CNPG_UPSTREAM_DIR` (verified by sha256), its parsed documents and the ajv standalone code
 * of every served CRD version, written into the package's `derived/` folder. Never committed (it is derived from
 * upstream CRDs); shipped in the npm package; loaded at synth with `require` (`../upstream/derived`).
 */
import * as fs from 'fs';
import * as path from 'path';
import { crdVersionsOf } from './crds';
import { standaloneValidator } from './schema';
import { RELEASES } from '../upstream/catalog';
import { derivedDir, parsedPath, validatorIndexPath, validatorPath } from '../upstream/derived';
import { locateManifest, UPSTREAM_DIR_ENV } from '../upstream/locate';
import { parseYamlDocuments } from '../upstream/manifest';

/** Builds `derived/` from scratch; returns what it wrote. Releases whose manifest is not at hand are skipped. */
export function writeDerivedData(): { releases: string[]; validators: number; skipped: string[] } {
  if (!process.env[UPSTREAM_DIR_ENV]) throw new Error(`${UPSTREAM_DIR_ENV} is not set: point it at the upstream install manifests`);
  const dir = derivedDir();
  // Start empty: nothing stale survives, and what the build reads below is parsed here, not taken from a previous build.
  fs.rmSync(dir, { recursive: true, force: true });
  const releases: string[] = [];
  const skipped: string[] = [];
  const validators = new Set<string>();
  const index: Record<string, string> = {};
  const write = (file: string, text: string) => {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
  };
  const staged: Array<[string, string]> = [];
  for (const release of RELEASES) {
    const name = `${release.component}@${release.version}`;
    if (!fs.existsSync(path.join(process.env[UPSTREAM_DIR_ENV]!, release.relativePath))) {
      skipped.push(name);
      continue;
    }
    const located = locateManifest(release, undefined, { parse: parseYamlDocuments });
    staged.push([parsedPath(located.sha256), JSON.stringify(parseYamlDocuments(located.text))]);
    for (const crd of crdVersionsOf(release.component, release.version)) {
      const { key, code } = standaloneValidator(crd);
      index[crd.key] = key;
      if (validators.has(key)) continue;
      validators.add(key);
      staged.push([validatorPath(key), code]);
    }
    releases.push(name);
  }
  staged.push([validatorIndexPath(), JSON.stringify(index, null, 1)]);
  for (const [file, text] of staged) write(file, text);
  return { releases, validators: validators.size, skipped };
}
