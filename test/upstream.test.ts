import * as fs from 'fs';
import * as path from 'path';
import { ApiObject, App, Chart, IResolver, JsonPatch, ResolutionContext, Testing } from 'cdk8s';
import { BarmanPlugin, BarmanPluginVersion, CertManager, CertManagerVersion, CnpgOperator, CnpgVersion } from '../src';
import { backedUp, cleanupTempDirs, errorOf, tempDir, UPSTREAM_DIR, withEnv } from './util';
import { findRelease, RELEASES, supportedVersions, compareVersions, newestRelease } from '../src/upstream/catalog';
import { includeUpstream, UpstreamObject } from '../src/upstream/include';
import { locateManifest, LocateOptions, objectsDigest, sha256Of, TRUST_ON_FIRST_USE_ENV } from '../src/upstream/locate';
import { crdsOf, deepFreeze, imagesOf, loadUpstream, loadUpstreamVersion, parseYamlDocuments } from '../src/upstream/manifest';

afterAll(() => cleanupTempDirs());

const CNPG_1_28_0 = findRelease('cnpg', '1.28.0');
const PLUGIN_0_9_0 = findRelease('plugin-barman-cloud', '0.9.0');
const PLUGIN_0_14_0 = findRelease('plugin-barman-cloud', '0.14.0');
const VERIFY: LocateOptions = { parse: (text: string) => parseYamlDocuments(text) };

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
    expect(CnpgVersion.all().map(v => v.version)).toEqual(supportedVersions('cnpg'));
    expect(BarmanPluginVersion.all().map(v => v.version)).toEqual(supportedVersions('plugin-barman-cloud'));
    expect(CertManagerVersion.all().map(v => v.version)).toEqual(supportedVersions('cert-manager'));
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
    const located = locateManifest(CNPG_1_28_0, undefined, VERIFY);
    // THEN
    expect(located.source).toBe('env');
    expect(located.path).toBe(path.join(UPSTREAM_DIR!, 'cnpg', 'cnpg-1.28.0.yaml'));
    expect(located.sha256).toBe(CNPG_1_28_0.sha256[0]);
  });

  test('an explicit file comes first', () => {
    // GIVEN
    const file = path.join(UPSTREAM_DIR!, CNPG_1_28_0.relativePath);
    // WHEN
    const located = locateManifest(CNPG_1_28_0, file, VERIFY);
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
    const located = withoutBundle(() => withEnv({ CDK8S_CNPG_UPSTREAM_DIR: tempDir(), XDG_CACHE_HOME: cache, CDK8S_CNPG_OFFLINE: '1' }, () => locateManifest(CNPG_1_28_0, undefined, VERIFY)));
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

  describe('plugin manifests (pinned like the others)', () => {
    test('every release is pinned, the plugin with the digest of its objects too, matching the upstream files', () => {
      // GIVEN / WHEN / THEN
      expect(RELEASES.filter(r => !r.pinned).map(r => `${r.component}@${r.version}`)).toEqual([]);
      for (const r of [PLUGIN_0_9_0, PLUGIN_0_14_0]) {
        const text = fs.readFileSync(path.join(UPSTREAM_DIR!, r.relativePath), 'utf-8');
        expect(objectsDigest(parseYamlDocuments(text))).toBe(r.objectsSha256);
      }
    });

    test('the same objects formatted differently are accepted (a release asset need not be byte-identical)', () => {
      // GIVEN the 0.9.0 file re-emitted as JSON documents: other bytes, same objects
      const docs = parseYamlDocuments(fs.readFileSync(path.join(UPSTREAM_DIR!, PLUGIN_0_9_0.relativePath), 'utf-8'));
      const file = path.join(tempDir(), 'manifest.yaml');
      fs.writeFileSync(file, docs.map(d => `---\n${JSON.stringify(d)}\n`).join(''));
      // WHEN
      const located = locateManifest(PLUGIN_0_9_0, file, VERIFY);
      // THEN
      expect(located.sha256).not.toBe(PLUGIN_0_9_0.sha256[0]);
      expect(located.verifiedDocs).toEqual(docs);
    });

    const lockDir = () => {
      const dir = tempDir();
      fs.writeFileSync(path.join(dir, 'cdk8s.yaml'), 'app: node main.js\n');
      return dir;
    };
    const withAddedBinding = (text: string) => `${text}\n---\napiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata:\n  name: plugin-admin\nroleRef:\n  apiGroup: rbac.authorization.k8s.io\n  kind: ClusterRole\n  name: cluster-admin\nsubjects:\n- kind: ServiceAccount\n  name: plugin-barman-cloud\n  namespace: cnpg-system\n`;

    test.each([
      ['one byte changed', (_t: string) => fs.readFileSync(tamperedDir(PLUGIN_0_9_0.relativePath).file, 'utf-8')],
      ['an added ClusterRoleBinding to cluster-admin', withAddedBinding],
      ['the v0.14.0 file renamed as v0.9.0', (_t: string) => fs.readFileSync(path.join(UPSTREAM_DIR!, PLUGIN_0_14_0.relativePath), 'utf-8')],
      ['garbage', (_t: string) => 'kind: [unclosed\n\u0000'],
    ])('fails when a plugin manifest is tampered with (%s), writing no lock file', (_, tamper) => {
      // GIVEN an app folder and the tampered file, trust on first use switched on
      const app = lockDir();
      const file = path.join(tempDir(), 'plugin-barman-cloud-v0.9.0.yaml');
      fs.writeFileSync(file, tamper(fs.readFileSync(path.join(UPSTREAM_DIR!, PLUGIN_0_9_0.relativePath), 'utf-8')));
      // WHEN
      const message = withEnv({ CDK8S_CNPG_LOCK_FILE: undefined, [TRUST_ON_FIRST_USE_ENV]: '1' }, () => {
        const cwd = process.cwd();
        process.chdir(app);
        try {
          return errorOf(() => {
            const chart = Testing.chart();
            return new BarmanPlugin(chart, 'BarmanPlugin', { version: BarmanPluginVersion.V0_9_0, manifestFile: file, certManager: CertManager.fromExisting(chart, 'CertManager', { version: CertManagerVersion.V1_19_4 }) });
          });
        } finally {
          process.chdir(cwd);
        }
      });
      // THEN
      expect(message).toMatch(/^plugin-barman-cloud@0\.9\.0: .* has sha256 [0-9a-f]{64}, expected 0aaafd63.* \(or the same objects formatted differently\); the file was modified or is another version/);
      expect(fs.readdirSync(app)).toEqual(['cdk8s.yaml']);
    });
  });

  describe('trust on first use (a version the catalog does not pin)', () => {
    // A release the catalog does not pin, served by a loopback HTTP server in another process (the download runs
    // synchronously in a child process, so a server in this one could not answer): a real download.
    let server: import('child_process').ChildProcess;
    let servedFile: string;
    let base: string;
    const setServed = (text: string) => fs.writeFileSync(servedFile, text);
    beforeAll(async () => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { spawn }: typeof import('child_process') = require('child_process');
      servedFile = path.join(tempDir(), 'served.yaml');
      const script = `require('http').createServer((q, r) => { r.writeHead(200); r.end(require('fs').readFileSync(process.argv[1])); })
        .listen(0, '127.0.0.1', function () { process.stdout.write(String(this.address().port) + '\\n'); });`;
      server = spawn(process.execPath, ['-e', script, servedFile], { stdio: ['ignore', 'pipe', 'inherit'] });
      const port = await new Promise<string>(resolve => server.stdout!.once('data', d => resolve(String(d).trim())));
      base = `http://127.0.0.1:${port}`;
    });
    afterAll(() => {
      server.kill();
    });

    const unpinned = (): typeof PLUGIN_0_14_0 => ({ ...PLUGIN_0_14_0, pinned: false, sha256: [], objectsSha256: undefined, url: `${base}/manifest.yaml` });
    const original = () => fs.readFileSync(path.join(UPSTREAM_DIR!, PLUGIN_0_14_0.relativePath), 'utf-8');

    /** Locates the unpinned release in a fresh app folder with nothing local: only the download is left. */
    function locate(env: Record<string, string | undefined>, options: Partial<LocateOptions> = {}) {
      const app = tempDir();
      fs.writeFileSync(path.join(app, 'cdk8s.yaml'), 'app: node main.js\n');
      // a fresh cache each run: only the download is left
      const isolated = () => ({ CDK8S_CNPG_UPSTREAM_DIR: tempDir(), XDG_CACHE_HOME: tempDir(), CDK8S_CNPG_LOCK_FILE: undefined, ...env });
      const run = () => withoutBundle(() => withEnv(isolated(), () => {
        const cwd = process.cwd();
        process.chdir(app);
        try {
          return locateManifest(unpinned(), undefined, { ...VERIFY, recordFirstUse: true, ...options });
        } finally {
          process.chdir(cwd);
        }
      }));
      return { app, lock: path.join(app, 'cdk8s-cnpg.lock.json'), run };
    }

    test('a download is recorded in the lock file next to cdk8s.yaml with the explicit flag, and checked after', () => {
      // GIVEN the real file served
      setServed(original());
      const spy = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
      try {
        const { lock, run } = locate({ [TRUST_ON_FIRST_USE_ENV]: '1' });
        // WHEN
        const located = run();
        // THEN
        expect(located.source).toBe('download');
        expect(JSON.parse(fs.readFileSync(lock, 'utf-8'))).toEqual({ 'plugin-barman-cloud@0.14.0': sha256Of(original()) });
        // AND a changed download no longer matches the recorded digest
        setServed(`${original()}\n# changed\n`);
        expect(errorOf(run)).toContain(`recorded ${sha256Of(original())} on first use`);
      } finally {
        spy.mockRestore();
      }
    });

    test.each([
      ['the explicit flag is not set', {}, {}, () => original(), /CDK8S_CNPG_TRUST_ON_FIRST_USE is not set to 1/],
      ['the caller is the validate command', { [TRUST_ON_FIRST_USE_ENV]: '1' }, { recordFirstUse: false }, () => original(), /the validate command never records/],
      ['the download does not parse', { [TRUST_ON_FIRST_USE_ENV]: '1' }, {}, () => 'a: [unclosed', /cannot be parsed/],
      ['the download is another version', { [TRUST_ON_FIRST_USE_ENV]: '1' }, {}, () => fs.readFileSync(path.join(UPSTREAM_DIR!, PLUGIN_0_9_0.relativePath), 'utf-8'),
        /is not plugin-barman-cloud 0\.14\.0: it has images "ghcr\.io\/cloudnative-pg\/plugin-barman-cloud-sidecar:v0\.9\.0", "ghcr\.io\/cloudnative-pg\/plugin-barman-cloud:v0\.9\.0"/],
      ['the download binds cluster-admin', { [TRUST_ON_FIRST_USE_ENV]: '1' }, {}, () => `${original()}\n---\napiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata: {name: x}\nroleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cluster-admin}\n`,
        /ClusterRoleBinding "x" binding ClusterRole "cluster-admin", which the install does not define; nothing was recorded/],
      ['the download holds another kind', { [TRUST_ON_FIRST_USE_ENV]: '1' }, {}, () => `${original()}\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: x}\n`, /kinds "Pod" that plugin-barman-cloud 0\.14\.0 does not hold/],
    ])('fails and records nothing when %s', (_, env, options, body, expected) => {
      // GIVEN
      setServed(body());
      const { app, run } = locate(env, options);
      // WHEN
      const message = errorOf(run);
      // THEN
      expect(message).toMatch(expected);
      expect(fs.readdirSync(app)).toEqual(['cdk8s.yaml']);
    });

    test.each([
      ['not JSON', 'garbage{', /not valid JSON/],
      ['not an object', '[1, 2]', /is not a JSON object/],
      ['an entry that is not a digest', '{"plugin-barman-cloud@0.14.0": "abc"}', /has an entry that is not "component@version": "<sha256>"/],
      ['invalid UTF-8', Buffer.from([0x7b, 0xff, 0x7d]), /not valid UTF-8/],
    ])('fails when the lock file is %s, in one line naming how to fix it', (_, content, expected) => {
      // GIVEN
      setServed(original());
      const { lock, run } = locate({ [TRUST_ON_FIRST_USE_ENV]: '1' });
      fs.writeFileSync(lock, content);
      // WHEN
      const message = errorOf(run);
      // THEN
      expect(message).toMatch(expected);
      expect(message).toContain('fix or delete it');
      expect(message).not.toContain('\n');
    });

    test('a local file of an unpinned version is never trusted on first use', () => {
      // GIVEN
      const file = path.join(tempDir(), 'manifest.yaml');
      fs.writeFileSync(file, original());
      // WHEN
      const message = withEnv({ [TRUST_ON_FIRST_USE_ENV]: '1', CDK8S_CNPG_LOCK_FILE: path.join(tempDir(), 'lock.json') }, () =>
        errorOf(() => locateManifest(unpinned(), file, { ...VERIFY, recordFirstUse: true })));
      // THEN
      expect(message).toContain('is a local file, not a download (trust on first use is for downloads only)');
    });
  });

  test('fails offline with no source, naming the version, every place looked in, the URL and how to provide the file', () => {
    // GIVEN no upstream directory content, an empty cache, downloads off, and no bundled copy
    const env = { CDK8S_CNPG_OFFLINE: '1', CDK8S_CNPG_UPSTREAM_DIR: tempDir(), XDG_CACHE_HOME: tempDir() };
    const before = { ...process.env };
    // WHEN the app is synthesized
    const message = withoutBundle(() => withEnv(env, () => errorOf(() => {
      const app = Testing.app();
      new CnpgOperator(new Chart(app, 'operators'), 'Cnpg', { version: CnpgVersion.V1_28_1 });
      app.synthYaml();
    })));
    // THEN
    expect(message).toContain('[operators/Cnpg] cnpg 1.28.1: no install manifest found');
    expect(message).toContain(`looked in $CDK8S_CNPG_UPSTREAM_DIR (${path.join(env.CDK8S_CNPG_UPSTREAM_DIR, 'cnpg', 'cnpg-1.28.1.yaml')})`);
    expect(message).toContain('the copy bundled into the package (');
    expect(message).toContain(`the user cache (${path.join(env.XDG_CACHE_HOME, 'cdk8s-cnpg', 'cnpg', 'cnpg-1.28.1.yaml')})`);
    expect(message).toContain('download of https://github.com/cloudnative-pg/cloudnative-pg/releases/download/v1.28.1/cnpg-1.28.1.yaml failed: downloads are off (CDK8S_CNPG_OFFLINE=1)');
    expect(message).toContain('manifestFile');
    expect(message).toContain('$CDK8S_CNPG_UPSTREAM_DIR/cnpg/cnpg-1.28.1.yaml');
    // and the environment is restored
    expect(process.env).toEqual(before);
  });

  test('fails listing every missing manifest of the app at once', () => {
    // GIVEN a fresh machine: nothing anywhere, downloads off
    const env = { CDK8S_CNPG_OFFLINE: '1', CDK8S_CNPG_UPSTREAM_DIR: undefined, XDG_CACHE_HOME: tempDir() };
    // WHEN an app with all three installs and a database is synthesized
    const message = withoutBundle(() => withEnv(env, () => errorOf(() => {
      const app = Testing.app();
      const operators = new Chart(app, 'operators');
      const operator = new CnpgOperator(operators, 'Cnpg');
      new CertManager(operators, 'CertManager');
      new BarmanPlugin(operators, 'Plugin', { operator });
      backedUp(new Chart(app, 'db', { namespace: 'db' }), 'Pg');
      app.synth();
    })));
    // THEN one error names all three, each with where it looked and why the download did not help
    const lines = message.split('\n');
    expect(lines[0]).toBe('3 upstream install manifests are missing:');
    expect(lines.slice(1).map(l => l.replace(/:.*/, ''))).toEqual([
      '  [operators/Cnpg] cnpg 1.30.0', '  [operators/CertManager] cert-manager 1.19.4', '  [operators/Plugin] plugin-barman-cloud 0.14.0',
    ]);
    for (const line of lines.slice(1)) expect(line).toMatch(/looked in the copy bundled into the package \(.*\), the user cache \(.*\); download of https:\/\/github\.com\/\S+ failed: downloads are off/);
  });

  test('names the reason a download failed', () => {
    // GIVEN a release whose URL refuses connections (a loopback port nobody listens on)
    const release = { ...CNPG_1_28_0, url: 'https://127.0.0.1:1/cnpg-1.28.0.yaml' };
    // WHEN
    const message = withoutBundle(() => withEnv({ CDK8S_CNPG_OFFLINE: undefined, CDK8S_CNPG_UPSTREAM_DIR: undefined, XDG_CACHE_HOME: tempDir() },
      () => errorOf(() => locateManifest(release))));
    // THEN
    expect(message).toContain('download of https://127.0.0.1:1/cnpg-1.28.0.yaml failed: connect ECONNREFUSED 127.0.0.1:1.');
  });

  test.each([
    ['does not exist', () => path.join(tempDir(), 'no-such-dir'), 'which does not exist'],
    ['is a file', () => path.join(UPSTREAM_DIR!, CNPG_1_28_0.relativePath), 'which is not a directory'],
  ])('fails when $CDK8S_CNPG_UPSTREAM_DIR %s, instead of falling back to another copy', (_name, dir, problem) => {
    // GIVEN a mistyped upstream directory
    const value = dir();
    // WHEN
    const message = withEnv({ CDK8S_CNPG_UPSTREAM_DIR: value }, () => errorOf(() => new CnpgOperator(Testing.chart(), 'Cnpg')));
    // THEN
    expect(message).toBe(`$CDK8S_CNPG_UPSTREAM_DIR is ${JSON.stringify(value)}, ${problem}; point it at a folder laid out as cnpg/cnpg-<v>.yaml, `
      + 'plugin-barman-cloud/plugin-barman-cloud-v<v>.yaml, cert-manager/cert-manager-v<v>.yaml, or unset it');
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
    // AND frozen all the way down, arrays and their items included
    const versions = (crdsOf(a)[0].spec as { versions: Array<{ schema: object }> }).versions;
    expect([versions, versions[0], versions[0].schema].map(n => Object.isFrozen(n))).toEqual([true, true, true]);
  });

  test('crdsOf and imagesOf read the install', () => {
    // GIVEN
    const m = loadUpstreamVersion('plugin-barman-cloud', '0.14.0');
    // WHEN / THEN
    expect(crdsOf(m).map(c => c.metadata!.name)).toEqual(['objectstores.barmancloud.cnpg.io']);
    expect(imagesOf(m)).toEqual(['ghcr.io/cloudnative-pg/plugin-barman-cloud:v0.14.0']);
    expect(imagesOf(loadUpstreamVersion('cnpg', '1.28.0'))).toEqual(['ghcr.io/cloudnative-pg/cloudnative-pg:1.28.0']);
  });

  test('an unpatched upstream object synthesizes to the upstream document, in its key order', () => {
    // GIVEN
    const chart = new Chart(Testing.app(), 'ops', { namespace: 'elsewhere' });
    const m = loadUpstreamVersion('cert-manager', '1.19.4');
    // WHEN
    const objects = includeUpstream(chart, m);
    // THEN
    expect(objects).toHaveLength(m.docs.length);
    objects.forEach((o, i) => expect(JSON.stringify(o.toJson())).toBe(JSON.stringify(m.docs[i])));
    expect(objects.every(o => UpstreamObject.isUpstreamObject(o))).toBe(true);
    expect(UpstreamObject.isUpstreamObject(new ApiObject(chart, 'Mine', { apiVersion: 'v1', kind: 'ConfigMap' }))).toBe(false);
  });

  test("upstream objects go through the App's resolvers: an image-mirroring resolver rewrites the operator image too", () => {
    // GIVEN an app whose resolver mirrors every ghcr.io image
    const mirror: IResolver = {
      resolve(context: ResolutionContext) {
        if (context.key[context.key.length - 1] === 'image' && typeof context.value === 'string' && context.value.startsWith('ghcr.io/')) {
          context.replaceValue(context.value.replace('ghcr.io/', 'mirror.example.com/'));
        }
      },
    };
    const app = new App({ resolvers: [mirror] });
    const chart = new Chart(app, 'ops');
    // WHEN
    new CnpgOperator(chart, 'Cnpg', { version: CnpgVersion.V1_28_0 });
    const images = Testing.synth(chart).filter(d => d.kind === 'Deployment')
      .flatMap(d => d.spec.template.spec.containers.map((c: { image: string }) => c.image));
    // THEN
    expect(images).toEqual(['mirror.example.com/cloudnative-pg/cloudnative-pg:1.28.0']);
  });

  test('importing the library leaves cdk8s Yaml.stringify as it was', () => {
    // GIVEN cdk8s's own function, before the library is loaded in a fresh module registry
    jest.isolateModules(() => {
      /* eslint-disable @typescript-eslint/no-require-imports */
      const cdk8s = require('cdk8s') as typeof import('cdk8s');
      const before = cdk8s.Yaml.stringify;
      // WHEN
      const lib = require('../src') as typeof import('../src');
      new lib.CertManager(new cdk8s.Chart(new cdk8s.App(), 'c'), 'CertManager');
      /* eslint-enable @typescript-eslint/no-require-imports */
      // THEN
      expect(cdk8s.Yaml.stringify).toBe(before);
    });
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

describe('deepFreeze', () => {
  test('freezes objects and arrays all the way down, and returns the same tree', () => {
    // GIVEN a tree with objects inside arrays inside objects
    const tree = { a: [{ b: { c: 1 } }, 'x'], d: { e: [] as unknown[] } };
    // WHEN frozen
    const result = deepFreeze(tree);
    // THEN it is the same tree, and every object and array in it is frozen
    expect(result).toBe(tree);
    const nodes = [tree, tree.a, tree.a[0], (tree.a[0] as { b: object }).b, tree.d, tree.d.e];
    expect(nodes.filter(n => !Object.isFrozen(n))).toEqual([]);
  });

  test('leaves scalars and null as they are', () => {
    expect([deepFreeze(1), deepFreeze('s'), deepFreeze(null), deepFreeze(undefined)]).toEqual([1, 's', null, undefined]);
  });
});
