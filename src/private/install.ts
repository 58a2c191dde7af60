import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { registerVersion } from './app-validation';
import { PropErrors } from './errors';
import { ensureMissingUpstreamReport, recordMissingUpstream } from './missing-upstream';
import { markInstall } from './upstream-header';
import { findRelease, UpstreamComponent, UpstreamRelease } from '../upstream/catalog';
import { includeUpstream } from '../upstream/include';
import { ManifestNotFoundError } from '../upstream/locate';
import { loadUpstream, UpstreamManifest } from '../upstream/manifest';

/** What the install constructs (CnpgOperator, CertManager, BarmanPlugin) share. */
export interface Installed {
  readonly release: UpstreamRelease;
  readonly manifestSha256: string;
  readonly apiObjects: ApiObject[];
}

/**
 * What every install construct does once its props are checked: with prop errors, reports them (synth lists them)
 * and installs nothing; otherwise installs the release (see `installUpstream`).
 */
export function installChecked(scope: Construct, errors: PropErrors, component: UpstreamComponent, version: { readonly version: string },
  manifestFile: string | undefined, controllerName: string): Installed | undefined {
  if (errors.report()) return undefined;
  return installUpstream(scope, component, version.version, manifestFile, controllerName);
}

/**
 * What every `fromExisting` construct does: with prop errors, reports them; otherwise records the version the
 * cluster runs, so the app's objects are validated against it. True when the version was recorded.
 */
export function declareExisting(scope: Construct, errors: PropErrors, component: UpstreamComponent,
  version: { readonly version: string } | undefined): boolean {
  if (errors.report() || version === undefined) return false;
  registerVersion(scope, component, version.version, false);
  return true;
}

/**
 * Installs an upstream release under `scope`: finds and verifies its manifest (one that is found nowhere fails the
 * synth, together with the app's other missing manifests), includes every document, makes the
 * controller Deployment the default child (the escape hatch's target, `ApiObject.of(scope)`), and registers the
 * version so the app validates against that release's CRDs.
 */
export function installUpstream(scope: Construct, component: UpstreamComponent, version: string, manifestFile: string | undefined,
  controllerName: string): Installed {
  const release = findRelease(component, version);
  ensureMissingUpstreamReport(scope);
  let manifest: UpstreamManifest;
  try {
    manifest = loadUpstream(release, manifestFile, { recordFirstUse: true });
  } catch (e) {
    if (!(e instanceof ManifestNotFoundError)) throw e;
    // Not found anywhere: keep going so synth lists every missing manifest at once (it fails before writing).
    recordMissingUpstream(scope, e);
    registerVersion(scope, component, version, true);
    return { release, manifestSha256: '', apiObjects: [] };
  }
  const apiObjects = includeUpstream(scope, manifest);
  markInstall(scope, release, manifest.sha256);
  scope.node.defaultChild = apiObjects.find(o => o.kind === 'Deployment' && o.name === controllerName);
  registerVersion(scope, component, version, true);
  return { release, manifestSha256: manifest.sha256, apiObjects };
}
