import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { App, Chart, YamlOutputType } from 'cdk8s';
import * as YAML from 'yaml';
import { BackedUpPostgres, BarmanPlugin, CertManager, CnpgOperator, ObjectStorage, S3Credentials, UpstreamHeaders } from '../src';
import { cleanupTempDirs, tempDir, UPSTREAM_DIR } from './util';
import { findRelease } from '../src/upstream/catalog';

afterAll(() => cleanupTempDirs());

/** The README's own-app setup: the operators in a chart of their own, a database in another. */
function ownApp(props: { yamlOutputType?: YamlOutputType } = {}): App {
  const app = new App({ outdir: tempDir(), ...props });
  const operators = new Chart(app, 'operators');
  const operator = new CnpgOperator(operators, 'Cnpg');
  new CertManager(operators, 'CertManager');
  new BarmanPlugin(operators, 'Plugin', { operator });
  const db = new Chart(app, 'db', { namespace: 'databases' });
  new BackedUpPostgres(db, 'Orders', {
    objectStorage: ObjectStorage.s3({ bucket: 'my-backups', path: 'postgres', credentials: S3Credentials.fromSecret({ secretName: 's3-credentials' }) }),
  });
  return app;
}

/** The sha256 of a release's install manifest, as the upstream folder holds it. */
function digestOf(component: 'cnpg' | 'cert-manager' | 'plugin-barman-cloud', version: string): string {
  return crypto.createHash('sha256').update(fs.readFileSync(path.join(UPSTREAM_DIR!, findRelease(component, version).relativePath))).digest('hex');
}

const read = (file: string) => fs.readFileSync(file, 'utf-8');

describe('UpstreamHeaders.write: review headers in an own app', () => {
  test('the operators file opens with each release, its digest and URL; the database file is left as it is', () => {
    // GIVEN a synthesized own app
    const app = ownApp();
    app.synth();
    const operatorsFile = path.join(app.outdir, 'operators.k8s.yaml');
    const dbFile = path.join(app.outdir, 'db.k8s.yaml');
    const [opsBefore, dbBefore] = [read(operatorsFile), read(dbFile)];
    // WHEN
    const changed = UpstreamHeaders.write(app);
    // THEN only the operators file changed, by the header alone
    expect(changed).toEqual([operatorsFile]);
    expect(read(dbFile)).toBe(dbBefore);
    const text = read(operatorsFile);
    const lines = text.split('\n');
    expect(lines[0]).toBe('# cdk8s-cnpg: upstream installs, included document by document from these release files (sha256 checked at synth):');
    const releases = lines.slice(1, 4).map(l => /^# {3}(\S+) (\S+) +sha256:([0-9a-f]{64}) {2}(\S+)$/.exec(l)!.slice(1));
    expect(releases.map(([component]) => component)).toEqual(['cnpg', 'cert-manager', 'plugin-barman-cloud']);
    for (const [component, version, sha256, url] of releases) {
      expect(sha256).toBe(digestOf(component as 'cnpg', version));
      expect(url).toBe(findRelease(component as 'cnpg', version).url);
    }
    const docs = YAML.parseAllDocuments(opsBefore).length;
    expect(lines[4]).toBe(`# ${docs} of the ${docs} objects below are those documents unchanged: review the lines above, not the objects.`);
    expect(text.slice(text.indexOf('\n', text.indexOf('# ' + docs + ' of the')) + 1)).toBe(opsBefore);
    // AND a second call changes nothing
    expect(UpstreamHeaders.write(app)).toEqual([]);
    expect(read(operatorsFile)).toBe(text);
  });

  test('folder per chart, file per resource: every file of the operators folder is headed', () => {
    // GIVEN
    const app = ownApp({ yamlOutputType: YamlOutputType.FOLDER_PER_CHART_FILE_PER_RESOURCE });
    app.synth();
    // WHEN
    const changed = UpstreamHeaders.write(app);
    // THEN
    const opsFiles = fs.readdirSync(path.join(app.outdir, 'operators')).map(f => path.join(app.outdir, 'operators', f)).sort();
    expect(opsFiles.length).toBeGreaterThan(50);
    expect(changed.sort()).toEqual(opsFiles);
    for (const f of fs.readdirSync(path.join(app.outdir, 'db'))) expect(read(path.join(app.outdir, 'db', f))).not.toMatch(/^#/);
  });

  test('one file per app: one header for the app file, counting the database objects as to review', () => {
    // GIVEN
    const app = ownApp({ yamlOutputType: YamlOutputType.FILE_PER_APP });
    app.synth();
    const before = read(path.join(app.outdir, 'app.k8s.yaml'));
    // WHEN
    UpstreamHeaders.write(app);
    // THEN
    const text = read(path.join(app.outdir, 'app.k8s.yaml'));
    const total = YAML.parseAllDocuments(before).length;
    expect(text.split('\n')[4]).toMatch(new RegExp(`^# \\d+ of the ${total} objects below are those documents unchanged; the other [1-9]\\d* are this app's own or patched: review them\\.$`));
    expect(text.endsWith(before)).toBe(true);
  });

  test('one file per resource is refused with what to use instead', () => {
    // GIVEN
    const app = ownApp({ yamlOutputType: YamlOutputType.FILE_PER_RESOURCE });
    app.synth();
    // THEN
    expect(() => UpstreamHeaders.write(app)).toThrow(/FILE_PER_RESOURCE names files by object.*use FOLDER_PER_CHART_FILE_PER_RESOURCE/);
  });
});
