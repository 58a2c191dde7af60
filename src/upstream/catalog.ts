/**
 * The catalog of upstream installs this library knows: where each release is published, the sha256 of the
 * file we accept, and the images it runs. Plain data: it knows nothing of the constructs.
 */

/** An upstream component whose install manifest we include. */
export type UpstreamComponent = 'cnpg' | 'plugin-barman-cloud' | 'cert-manager';

/** One release of one upstream component. */
export interface UpstreamRelease {
  readonly component: UpstreamComponent;
  /** The version as the catalog names it, e.g. `1.28.0` or `0.9.0`. */
  readonly version: string;
  /** Path relative to an upstream directory laid out as `../shared/upstream` is. */
  readonly relativePath: string;
  /** The official release asset. */
  readonly url: string;
  /**
   * sha256 digests we accept for this file. `pinned` releases accept nothing else (but see `objectsSha256`);
   * for a release that is not pinned, a downloaded file's digest may be recorded on first use in the lock file
   * (only with `CDK8S_CNPG_TRUST_ON_FIRST_USE=1`).
   */
  readonly sha256: readonly string[];
  readonly pinned: boolean;
  /**
   * sha256 of the file's objects as canonical JSON (see `objectsDigest`): a copy of the release that differs
   * from ours in formatting only, with exactly the same objects, is accepted too.
   */
  readonly objectsSha256?: string;
  /** Container images the install runs, pinned to the version. */
  readonly images: readonly string[];
  /** The kinds of object the install holds: a file with any other kind is not this release. */
  readonly kinds: readonly string[];
}

const WORKLOAD_KINDS = ['ClusterRole', 'ClusterRoleBinding', 'CustomResourceDefinition', 'Deployment', 'Service', 'ServiceAccount'];

const cnpg = (version: string, sha256: string): UpstreamRelease => ({
  component: 'cnpg',
  version,
  relativePath: `cnpg/cnpg-${version}.yaml`,
  url: `https://github.com/cloudnative-pg/cloudnative-pg/releases/download/v${version}/cnpg-${version}.yaml`,
  sha256: [sha256],
  pinned: true,
  images: [`ghcr.io/cloudnative-pg/cloudnative-pg:${version}`],
  kinds: [...WORKLOAD_KINDS, 'ConfigMap', 'MutatingWebhookConfiguration', 'Namespace', 'ValidatingWebhookConfiguration'],
});

// The plugin files were built with the release recipe (`kustomize build kubernetes/` with the release images; see
// shared/upstream PROVENANCE.md). Pinned like the others; since the release asset may be formatted differently,
// a file with exactly the same objects is accepted too (`objectsSha256`).
const plugin = (version: string, sha256: string, objectsSha256: string): UpstreamRelease => ({
  component: 'plugin-barman-cloud',
  version,
  relativePath: `plugin-barman-cloud/plugin-barman-cloud-v${version}.yaml`,
  url: `https://github.com/cloudnative-pg/plugin-barman-cloud/releases/download/v${version}/manifest.yaml`,
  sha256: [sha256],
  pinned: true,
  objectsSha256,
  kinds: [...WORKLOAD_KINDS, 'Certificate', 'Issuer', 'Role', 'RoleBinding', 'Secret'],
  images: [
    `ghcr.io/cloudnative-pg/plugin-barman-cloud:v${version}`,
    `ghcr.io/cloudnative-pg/plugin-barman-cloud-sidecar:v${version}`,
  ],
});

const certManager = (version: string, sha256: string): UpstreamRelease => ({
  component: 'cert-manager',
  version,
  relativePath: `cert-manager/cert-manager-v${version}.yaml`,
  url: `https://github.com/cert-manager/cert-manager/releases/download/v${version}/cert-manager.yaml`,
  sha256: [sha256],
  pinned: true,
  kinds: [...WORKLOAD_KINDS, 'MutatingWebhookConfiguration', 'Namespace', 'Role', 'RoleBinding', 'ValidatingWebhookConfiguration'],
  images: ['controller', 'cainjector', 'webhook', 'acmesolver'].map(c => `quay.io/jetstack/cert-manager-${c}:v${version}`),
});

/** Every release in the catalog, oldest first within a component. */
export const RELEASES: readonly UpstreamRelease[] = [
  cnpg('1.28.0', 'b7f53dd5353ef2e0d8c67006645ab632d68f961053c220449337c8ea5751735e'),
  cnpg('1.28.1', '25e0c33c234aef3b7c3e05c9959b183a3dff31871ad52b703d766f0a4f406f92'),
  cnpg('1.28.4', '8f24b9163df8ff771fc398de885e6c4052f31a1289f921f9d23024eff5e8ebbe'),
  cnpg('1.29.1', 'e0c5ff41bf5b01c0775bf225929b8423d543cd23e9742e4274fe7de8499cf93a'),
  cnpg('1.29.2', '856312bb13e64c5b03861092eac9045e45f7b7d601aafe75a9016260a762ac8a'),
  cnpg('1.30.0', 'f8bede43fe4ee0d478c2355b204a36876b2ae4faac60f2a9452280b293da3b88'),
  plugin('0.9.0', '0aaafd639ffc02e197276e525d0910dac3d8e44e1767860d28817044b33efb83', '6616c0fa917f73a3dda3832e279d92d0b9c416f129cfaea73d7760859f4f3c59'),
  plugin('0.14.0', '8d4f1719cc54891ddffd7633279ec93b5d2cc547df8684c3b84f3b156a615e7c', '10765c5924ccaaf5d3d7f6017ea58a0cd45ea467180171ce654d3eac8968a0d7'),
  certManager('1.19.4', 'abad40873bd9c63105bf1fc7c41354fe8ad716f01657762b5acb82977e707ef1'),
];

/** The namespace the operator and the plugin run in (the plugin must share the operator's). */
export const OPERATOR_NAMESPACE = 'cnpg-system';

/** The plugin's name as clusters reference it. */
export const BARMAN_PLUGIN_NAME = 'barman-cloud.cloudnative-pg.io';

/**
 * The PostgreSQL image used when none is given: CNPG 1.28.0's own default, pinned so that an operator upgrade
 * does not change the major version under a cluster or a restore ([O] pkg/versions/versions.go @v1.28.0).
 */
export const DEFAULT_POSTGRES_IMAGE = 'ghcr.io/cloudnative-pg/postgresql:18.1-system-trixie';

/** Finds a release, or throws listing the versions the catalog has. */
export function findRelease(component: UpstreamComponent, version: string): UpstreamRelease {
  const v = version.replace(/^v/, '');
  const release = RELEASES.find(r => r.component === component && r.version === v);
  if (!release) {
    throw new Error(`unknown ${component} version ${JSON.stringify(version)}; supported: ${supportedVersions(component).join(', ')}`);
  }
  return release;
}

/** The versions the catalog has for a component, oldest first. */
export function supportedVersions(component: UpstreamComponent): string[] {
  return RELEASES.filter(r => r.component === component).map(r => r.version);
}

/** The newest release of a component. */
export function newestRelease(component: UpstreamComponent): UpstreamRelease {
  const all = RELEASES.filter(r => r.component === component);
  return all[all.length - 1];
}

/** Compares two dotted versions numerically (`0.9.0` < `0.14.0`). */
export function compareVersions(a: string, b: string): number {
  const pa = a.replace(/^v/, '').split('.').map(Number);
  const pb = b.replace(/^v/, '').split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/**
 * A known bug of a release that affects backups or restores, with the releases that fix it. Plain data, checked
 * against upstream's git history and changelogs: cloudnative-pg `git log v1.28.1..v1.28.4`, plugin-barman-cloud
 * CHANGELOG.md.
 */
export interface UpstreamAdvisory {
  readonly component: UpstreamComponent;
  /** The upstream issue or pull request, e.g. `cloudnative-pg #10818`. */
  readonly id: string;
  readonly url: string;
  /** What goes wrong, in a user's words. */
  readonly summary: string;
  /** The catalog versions that have the bug. */
  readonly affected: readonly string[];
  /** The releases that fix it (the first fixed patch of each line). */
  readonly fixedIn: readonly string[];
}

export const ADVISORIES: readonly UpstreamAdvisory[] = [
  {
    component: 'cnpg',
    id: 'cloudnative-pg #10818',
    url: 'https://github.com/cloudnative-pg/cloudnative-pg/pull/10818',
    summary: 'a restore from an object store stops on the base backup\'s timeline and silently drops the transactions of later timelines (WAL restore refused timeline history files while the cluster timeline was unset)',
    affected: ['1.28.0', '1.28.1', '1.29.1'],
    fixedIn: ['1.28.4', '1.29.2', '1.30.0'],
  },
  {
    component: 'cnpg',
    id: 'cloudnative-pg #11032',
    url: 'https://github.com/cloudnative-pg/cloudnative-pg/pull/11032',
    summary: 'adding a WAL-archiver plugin to a running cluster with primaryUpdateMethod: switchover deadlocks it: the primary has no sidecar to archive with, cannot be demoted, and drops out of the -rw service (with #11059)',
    affected: ['1.28.0', '1.28.1', '1.29.1'],
    fixedIn: ['1.28.4', '1.29.2', '1.30.0'],
  },
  {
    component: 'plugin-barman-cloud',
    id: 'plugin-barman-cloud #385',
    url: 'https://github.com/cloudnative-pg/plugin-barman-cloud/issues/385',
    summary: 'the sidecar\'s memory grows without bound while it archives WAL (fixed by #659, which drops archived WAL from its cache)',
    affected: ['0.9.0'],
    fixedIn: ['0.10.0'],
  },
  {
    component: 'plugin-barman-cloud',
    id: 'plugin-barman-cloud #711/#735',
    url: 'https://github.com/cloudnative-pg/plugin-barman-cloud/issues/735',
    summary: 'WAL archiving is slow and costs high CPU and memory: Python recompiles its bytecode on every call in the read-only sidecar (fixed by #746)',
    affected: ['0.9.0'],
    fixedIn: ['0.11.0'],
  },
];

/** The advisories that affect a release, in table order. */
export function advisoriesFor(component: UpstreamComponent, version: string): UpstreamAdvisory[] {
  const v = version.replace(/^v/, '');
  return ADVISORIES.filter(a => a.component === component && a.affected.includes(v));
}

/**
 * A capability that depends on the release: what a version can do, asked through the version classes
 * (`version.supports(feature)`), so no construct compares version strings. `since` is the first release of the
 * newest line that has it; `backports` the first patch of older lines that have it too.
 */
export interface UpstreamFeature {
  readonly component: UpstreamComponent;
  /** The feature's id; the public enums (`CnpgFeature`, `BarmanPluginFeature`) use the same values. */
  readonly id: string;
  readonly since: string;
  readonly backports?: readonly string[];
}

export const FEATURES: readonly UpstreamFeature[] = [
  // machinery v0.3.3 (CNPG 1.28.1) writes a UTC RFC 3339 time with +00:00, which PostgreSQL accepts (#10819).
  { component: 'cnpg', id: 'utc-target-time', since: '1.28.1' },
  // CNPG #8937 (1.28.1): a recovery target time without a zone is read as UTC.
  { component: 'cnpg', id: 'zoneless-target-time-as-utc', since: '1.28.1' },
  // cloudnative-pg #10818: a restore follows the archive's later timelines (git log v1.28.1..v1.28.4).
  { component: 'cnpg', id: 'restore-follows-timelines', since: '1.29.2', backports: ['1.28.4'] },
  // The webhook accepts `useDefaultAzureCredentials` (api/v1 validateAzureCredentials, 1.28.1).
  { component: 'cnpg', id: 'azure-default-credentials', since: '1.28.1' },
  // The webhook refuses a targetXID that is no 32-bit transaction id (1.29.1, backported to 1.28.4).
  { component: 'cnpg', id: 'target-xid-checked', since: '1.29.1', backports: ['1.28.4'] },
  // The webhook checks targetName (under 64 bytes, no control characters) with targetXID (1.29.1, backported to 1.28.4).
  { component: 'cnpg', id: 'target-name-checked', since: '1.29.1', backports: ['1.28.4'] },
  // api/v1 BuildPostgresOptions escapes recovery target values (configfile.RenderPostgresConfiguration) from
  // 1.28.3 and 1.29.1; before, `recovery_target_name = '%v'` was written as given.
  { component: 'cnpg', id: 'recovery-target-escaped', since: '1.29.1', backports: ['1.28.3'] },
  // The webhook accepts a recovery source with connectionParameters alone (1.29.1, backported to 1.28.4).
  { component: 'cnpg', id: 'recovery-from-connection-parameters', since: '1.29.1', backports: ['1.28.4'] },
  // The webhook refuses external cluster names and ssl secret names/keys that are path components
  // (isUnsafePathComponent, 1.29.2, backported to 1.28.4).
  { component: 'cnpg', id: 'external-cluster-paths-checked', since: '1.29.2', backports: ['1.28.4'] },
  // The webhook refuses a postgresql.parameters key that is no GUC name (1.29.2, backported to 1.28.4).
  { component: 'cnpg', id: 'parameter-names-checked', since: '1.29.2', backports: ['1.28.4'] },
  // plugin #700 (v0.10.0): a recovery target time without a zone is read as UTC.
  { component: 'plugin-barman-cloud', id: 'zoneless-target-time-as-utc', since: '0.10.0' },
  // The ObjectStore CRD allows lz4 for base backups from v0.13.0.
  { component: 'plugin-barman-cloud', id: 'lz4-base-backups', since: '0.13.0' },
  // `azureCredentials.useDefaultAzureCredentials` from v0.11.0.
  { component: 'plugin-barman-cloud', id: 'azure-default-credentials', since: '0.11.0' },
];

/** The first releases with a feature, oldest line first: `1.28.4/1.29.1` for one released in 1.29.1 and backported. */
export function firstReleasesWith(component: UpstreamComponent, featureId: string): string {
  const f = FEATURES.find(x => x.component === component && x.id === featureId);
  if (!f) throw new Error(`unknown ${component} feature ${featureId}`);
  return [...(f.backports ?? []), f.since].join('/');
}

/** Whether a release has a feature (unknown features: no). */
export function releaseHas(component: UpstreamComponent, version: string, featureId: string): boolean {
  const f = FEATURES.find(x => x.component === component && x.id === featureId);
  if (!f) return false;
  const minor = (x: string) => x.replace(/^v/, '').split('.').slice(0, 2).join('.');
  return compareVersions(version, f.since) >= 0 || (f.backports ?? []).some(b => minor(b) === minor(version) && compareVersions(version, b) >= 0);
}
