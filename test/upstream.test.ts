import * as fs from 'fs';
import * as path from 'path';
import { ApiObject, Chart, JsonPatch, Testing } from 'cdk8s';
import { BarmanPlugin, BarmanPluginVersion, CertManager, CnpgOperator, CnpgVersion } from '../src';
import { cleanupTempDirs, errorOf, tempDir, UPSTREAM_DIR, withEnv } from './util';
import { findRelease, RELEASES, supportedVersions, compareVersions, newestRelease } from '../src/upstream/catalog';
import { includeUpstream, UpstreamObject } from '../src/upstream/include';
import { locateManifest, sha256Of } from '../src/upstream/locate';
import { crdsOf, imagesOf, loadUpstream, loadUpstreamVersion } from '../src/upstream/manifest';

afterAll(() => cleanupTempDirs());

const CNPG_1_28_0 = findRelease('cnpg', '1.28.0');
const PLUGIN_0_9_0 = findRelease('plugin-barman-cloud', '0.9.0');

/** Copies a catalog file into a fresh directory laid out as the upstream directory, changing one byte. */
function tamperedDir(relativePath: string): { dir: string; file: string } {
  const dir = tempDir();
  const file = path.join(dir, relativePath);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const bytes = fs.readFileSync(path.join(UPSTREAM_DIR!, relativePath));
  // flip one byte in a comment-safe place: a letter in the middle of the file
  const i = bytes.indexOf('description', Math.floor(bytes.length / 2));
  bytes[i] = bytes[i] === 0x64 ? 0x44 : 0x64;
  fs.writeFileSync(file, bytes);
  return { dir, file };
}

/** Hides the package's bundled copy (upstream-bundle/, made at package time) so only the given sources exist. */
function withoutBundle<T>(fn: () => T): T {
  // spy on the module object itself: `import * as fs` gives a read-only namespace wrapper
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const nodeFs: typeof fs = require('fs');
  const real = nodeFs.existsSync;
  const spy = jest.spyOn(nodeFs, 'existsSync').mockImplementation((p: fs.PathLike) => !String(p).includes(`${path.sep}upstream-bundle${path.sep}`) && real(p));
  try {
    return fn();
  } finally {
    spy.mockRestore();
  }
}

describe('catalog', () => {
  test('every release has a sha256, an official URL and images pinned to its version', () => {
    // GIVEN / WHEN / THEN
    for (const r of RELEASES) {
      expect(r.sha256.every(d => /^[0-9a-f]{64}$/.test(d))).toBe(true);
      expect(r.url).toMatch(/^https:\/\/github\.com\/[\w-]+\/[\w-]+\/releases\/download\/v[\d.]+\//);
      for (const image of r.images) expect(image).toMatch(new RegExp(`:v?${r.version.replace(/\./g, '\\.')}$`));
    }
  });

  test('the catalog digests match the files in the upstream directory', () => {
    // GIVEN / WHEN / THEN
    for (const r of RELEASES) {
      expect({ release: `${r.component}@${r.version}`, sha256: sha256Of(fs.readFileSync(path.join(UPSTREAM_DIR!, r.relativePath))) })
        .toEqual({ release: `${r.component}@${r.version}`, sha256: r.sha256[0] });
    }
  });

  test('supported versions: the six CNPG releases, both plugin releases, cert-manager v1.19.4', () => {
    // GIVEN / WHEN / THEN
    expect(supportedVersions('cnpg')).toEqual(['1.28.0', '1.28.1', '1.28.4', '1.29.1', '1.29.2', '1.30.0']);
    expect(supportedVersions('plugin-barman-cloud')).toEqual(['0.9.0', '0.14.0']);
    expect(supportedVersions('cert-manager')).toEqual(['1.19.4']);
    expect(newestRelease('cnpg').version).toBe('1.30.0');
    expect(Object.values(CnpgVersion)).toEqual(supportedVersions('cnpg'));
    expect(Object.values(BarmanPluginVersion)).toEqual(supportedVersions('plugin-barman-cloud'));
  });

  test('versions compare numerically', () => {
    // GIVEN / WHEN / THEN
    expect(compareVersions('0.9.0', '0.14.0')).toBeLessThan(0);
    expect(compareVersions('v1.30.0', '1.29.1')).toBeGreaterThan(0);
    expect(compareVersions('1.28.0', '1.28')).toBe(0);
  });

  test('fails when a version is not in the catalog, listing the supported ones', () => {
    // GIVEN / WHEN
    const message = errorOf(() => findRelease('cnpg', '1.27.0'));
    // THEN
    expect(message).toBe('unknown cnpg version "1.27.0"; supported: 1.28.0, 1.28.1, 1.28.4, 1.29.1, 1.29.2, 1.30.0');
  });
});

describe('locate and verify', () => {
  test('finds a release in $CDK8S_CNPG_UPSTREAM_DIR and verifies it', () => {
    // GIVEN / WHEN
    const located = locateManifest(CNPG_1_28_0);
    // THEN
    expect(located.source).toBe('env');
    expect(located.path).toBe(path.join(UPSTREAM_DIR!, 'cnpg', 'cnpg-1.28.0.yaml'));
    expect(located.sha256).toBe(CNPG_1_28_0.sha256[0]);
  });

  test('an explicit file comes first', () => {
    // GIVEN
    const file = path.join(UPSTREAM_DIR!, CNPG_1_28_0.relativePath);
    // WHEN
    const located = locateManifest(CNPG_1_28_0, file);
    // THEN
    expect(located.source).toBe('file');
    expect(located.path).toBe(file);
  });

  test('the user cache is used when nothing else has the file', () => {
    // GIVEN a cache holding the release, and no other source
    const cache = tempDir();
    const cached = path.join(cache, 'cdk8s-cnpg', CNPG_1_28_0.relativePath);
    fs.mkdirSync(path.dirname(cached), { recursive: true });
    fs.copyFileSync(path.join(UPSTREAM_DIR!, CNPG_1_28_0.relativePath), cached);
    // WHEN
    const located = withoutBundle(() => withEnv({ CDK8S_CNPG_UPSTREAM_DIR: tempDir(), XDG_CACHE_HOME: cache, CDK8S_CNPG_OFFLINE: '1' }, () => locateManifest(CNPG_1_28_0)));
    // THEN
    expect(located.source).toBe('cache');
    expect(located.path).toBe(cached);
  });

  test('fails when the explicit file does not exist, naming the file and the release URL', () => {
    // GIVEN / WHEN
    const message = errorOf(() => new CnpgOperator(Testing.chart(), 'Cnpg', { version: CnpgVersion.V1_28_0, manifestFile: '/nonexistent/cnpg.yaml' }));
    // THEN
    expect(message).toContain('"/nonexistent/cnpg.yaml" does not exist');
    expect(message).toContain(CNPG_1_28_0.url);
  });

  test.each([
    ['an explicit manifestFile', (file: string, _dir: string) => () => new CnpgOperator(Testing.chart(), 'Cnpg', { version: CnpgVersion.V1_28_0, manifestFile: file })],
    ['$CDK8S_CNPG_UPSTREAM_DIR', (_file: string, dir: string) => () => withEnv({ CDK8S_CNPG_UPSTREAM_DIR: dir }, () => new CnpgOperator(Testing.chart(), 'Cnpg', { version: CnpgVersion.V1_28_0 }))],
  ])('fails when the CNPG manifest from %s was tampered with (one byte changed)', (_, make) => {
    // GIVEN
    const { dir, file } = tamperedDir(CNPG_1_28_0.relativePath);
    // WHEN
    const message = errorOf(make(file, dir));
    // THEN
    expect(message).toContain('cnpg@1.28.0');
    expect(message).toContain(file);
    expect(message).toContain(`has sha256 ${sha256Of(fs.readFileSync(file))}`);
    expect(message).toContain(`expected ${CNPG_1_28_0.sha256[0]}`);
    expect(message).toContain(`use the official release asset (${CNPG_1_28_0.url}) unmodified`);
  });

  test('fails when the cert-manager manifest was tampered with', () => {
    // GIVEN
    const { file } = tamperedDir(findRelease('cert-manager', '1.19.4').relativePath);
    // WHEN
    const message = errorOf(() => new CertManager(Testing.chart(), 'CertManager', { manifestFile: file }));
    // THEN
    expect(message).toMatch(/cert-manager@1\.19\.4: .* has sha256 [0-9a-f]{64}, expected abad4087/);
  });

  describe('plugin manifests (digest recorded on first use in the lock file)', () => {
    let writes: string[];
    let spy: jest.SpyInstance;
    beforeEach(() => {
      writes = [];
      spy = jest.spyOn(process.stderr, 'write').mockImplementation((chunk: any) => {
        writes.push(String(chunk));
        return true;
      });
    });
    afterEach(() => spy.mockRestore());

    test('an unknown digest is recorded in the lock file on first use, and accepted again after', () => {
      // GIVEN a modified plugin file and an empty lock file location
      const { file } = tamperedDir(PLUGIN_0_9_0.relativePath);
      const lock = path.join(tempDir(), 'cdk8s-cnpg.lock.json');
      withEnv({ CDK8S_CNPG_LOCK_FILE: lock }, () => {
        // WHEN
        const first = locateManifest(PLUGIN_0_9_0, file);
        const second = locateManifest(PLUGIN_0_9_0, file);
        // THEN
        expect(JSON.parse(fs.readFileSync(lock, 'utf-8'))).toEqual({ 'plugin-barman-cloud@0.9.0': first.sha256 });
        expect(second.sha256).toBe(first.sha256);
        expect(writes.join('')).toContain(`recorded sha256 ${first.sha256} of plugin-barman-cloud@0.9.0 in ${lock}; commit it`);
      });
    });

    test('fails when a plugin file differs from the digest recorded in the lock file', () => {
      // GIVEN a lock file that recorded another digest
      const { file } = tamperedDir(PLUGIN_0_9_0.relativePath);
      const lock = path.join(tempDir(), 'cdk8s-cnpg.lock.json');
      fs.writeFileSync(lock, JSON.stringify({ 'plugin-barman-cloud@0.9.0': 'a'.repeat(64) }));
      // WHEN
      const message = withEnv({ CDK8S_CNPG_LOCK_FILE: lock }, () => errorOf(() =>
        new BarmanPlugin(Testing.chart(), 'BarmanPlugin', { version: BarmanPluginVersion.V0_9_0, manifestFile: file, certManager: CertManager.fromExisting() })));
      // THEN
      expect(message).toContain('plugin-barman-cloud@0.9.0');
      expect(message).toContain(`has sha256 ${sha256Of(fs.readFileSync(file))}`);
      expect(message).toContain(`${lock} recorded ${'a'.repeat(64)} on first use`);
    });
  });

  test('fails offline with no source, naming the version, the URL and how to provide the file', () => {
    // GIVEN no upstream directory content, an empty cache, downloads off, and no bundled copy
    const env = { CDK8S_CNPG_OFFLINE: '1', CDK8S_CNPG_UPSTREAM_DIR: tempDir(), XDG_CACHE_HOME: tempDir() };
    const before = { ...process.env };
    // WHEN
    const message = withoutBundle(() => withEnv(env, () => errorOf(() => new CnpgOperator(Testing.chart(), 'Cnpg', { version: CnpgVersion.V1_28_1 }))));
    // THEN
    expect(message).toContain('cnpg 1.28.1: no install manifest found');
    expect(message).toContain('downloads are off (CDK8S_CNPG_OFFLINE=1)');
    expect(message).toContain('Download https://github.com/cloudnative-pg/cloudnative-pg/releases/download/v1.28.1/cnpg-1.28.1.yaml');
    expect(message).toContain('manifestFile');
    expect(message).toContain('$CDK8S_CNPG_UPSTREAM_DIR/cnpg/cnpg-1.28.1.yaml');
    expect(message).toContain(path.join(env.XDG_CACHE_HOME, 'cdk8s-cnpg', 'cnpg', 'cnpg-1.28.1.yaml'));
    // and the environment is restored
    expect(process.env).toEqual(before);
  });
});

describe('include', () => {
  test('documents are parsed once per process (same digest, same array)', () => {
    // GIVEN / WHEN
    const a = loadUpstreamVersion('cnpg', '1.28.0');
    const b = loadUpstream(CNPG_1_28_0);
    // THEN
    expect(a.docs).toBe(b.docs);
    expect(Object.isFrozen(a.docs)).toBe(true);
  });

  test('crdsOf and imagesOf read the install', () => {
    // GIVEN
    const m = loadUpstreamVersion('plugin-barman-cloud', '0.14.0');
    // WHEN / THEN
    expect(crdsOf(m).map(c => c.metadata!.name)).toEqual(['objectstores.barmancloud.cnpg.io']);
    expect(imagesOf(m)).toEqual(['ghcr.io/cloudnative-pg/plugin-barman-cloud:v0.14.0']);
    expect(imagesOf(loadUpstreamVersion('cnpg', '1.28.0'))).toEqual(['ghcr.io/cloudnative-pg/cloudnative-pg:1.28.0']);
  });

  test('an unpatched upstream object synthesizes to the upstream document itself', () => {
    // GIVEN
    const chart = new Chart(Testing.app(), 'ops', { namespace: 'elsewhere' });
    const m = loadUpstreamVersion('cert-manager', '1.19.4');
    // WHEN
    const objects = includeUpstream(chart, m);
    // THEN
    expect(objects).toHaveLength(m.docs.length);
    objects.forEach((o, i) => expect(o.toJson()).toBe(m.docs[i]));
    expect(objects.every(o => UpstreamObject.isUpstreamObject(o))).toBe(true);
    expect(UpstreamObject.isUpstreamObject(new ApiObject(chart, 'Mine', { apiVersion: 'v1', kind: 'ConfigMap' }))).toBe(false);
  });

  test('construct ids are stable and readable: <kind>-<namespace>-<name>', () => {
    // GIVEN
    const chart = Testing.chart();
    // WHEN
    const objects = includeUpstream(chart, loadUpstreamVersion('cnpg', '1.28.0'));
    // THEN
    const ids = objects.map(o => o.node.id);
    expect(ids).toContain('Namespace-cnpg-system');
    expect(ids).toContain('Deployment-cnpg-system-cnpg-controller-manager');
    expect(ids).toContain('CustomResourceDefinition-poolers.postgresql.cnpg.io');
    expect(new Set(ids).size).toBe(ids.length);
  });

  test('a patch applies without stamping the chart namespace on cluster-scoped objects, and leaves the parsed document alone', () => {
    // GIVEN
    const chart = new Chart(Testing.app(), 'ops', { namespace: 'elsewhere' });
    const m = loadUpstreamVersion('cnpg', '1.28.0');
    const objects = includeUpstream(chart, m);
    const webhook = objects.find(o => o.kind === 'ValidatingWebhookConfiguration')!;
    // WHEN
    webhook.addJsonPatch(JsonPatch.add('/metadata/labels', { patched: 'yes' }));
    // THEN
    const json = webhook.toJson();
    expect(json.metadata.labels).toEqual({ patched: 'yes' });
    expect(json.metadata.namespace).toBeUndefined();
    expect((m.docs.find(d => d.kind === 'ValidatingWebhookConfiguration')!.metadata as any).labels).toBeUndefined();
  });
});
