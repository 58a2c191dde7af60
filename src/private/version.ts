import { formatPropError, PropErrors } from './errors';
import { advisoriesFor, findRelease, RELEASES, UpstreamComponent, UpstreamRelease } from '../upstream/catalog';
import { VersionAdvisory } from '../version-advisory';

/** What the three version classes share: the catalog record of one release. */
export interface VersionRecord {
  readonly release: UpstreamRelease;
  readonly advisories: VersionAdvisory[];
}

/** The catalog record of a release the version classes are built from (a typo in a class is a build error). */
export function versionRecord(component: UpstreamComponent, version: string): VersionRecord {
  const release = findRelease(component, version);
  return {
    release,
    advisories: advisoriesFor(component, version).map(a => ({ id: a.id, url: a.url, summary: a.summary, fixedIn: [...a.fixedIn] })),
  };
}

/** The catalog's versions of a component, oldest first. */
export function catalogVersions(component: UpstreamComponent): string[] {
  return RELEASES.filter(r => r.component === component).map(r => r.version);
}

/**
 * Reports a `version` prop that is missing or not an instance of its class (JavaScript callers can pass a
 * string), listing the class's members.
 */
export function checkVersion(errors: PropErrors, version: unknown, isVersion: (v: unknown) => boolean, className: string,
  label: string, component: UpstreamComponent): void {
  if (version !== undefined && isVersion(version)) return;
  const members = catalogVersions(component).map(v => `${className}.V${v.replace(/\./g, '_')}`).join(', ');
  const asString = typeof version === 'string' && catalogVersions(component).includes(version.replace(/^v/, ''));
  errors.add('version', version === undefined ? `is required: the ${label} version the cluster runs` : asString ? `must be a ${className}, not a string` : `is not a supported ${label} version`,
    version, asString ? `use ${className}.of(${JSON.stringify(version)})` : `use one of ${members}`);
}

/** The one-line error of `XxxVersion.of` for a version the catalog does not have. */
export function unknownVersionError(className: string, label: string, component: UpstreamComponent, version: unknown): Error {
  return new Error(formatPropError(`${className}.of`, 'version', `is not a ${label} version of the catalog`, version,
    `use one of ${catalogVersions(component).map(v => JSON.stringify(v)).join(', ')}`));
}
