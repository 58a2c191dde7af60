import * as fs from 'fs';
import * as path from 'path';
import { App, Chart, IResolver, ResolutionContext, Yaml, YamlOutputType } from 'cdk8s';
import * as YAML from 'yaml';
import { BarmanPlugin, CertManager, CnpgOperator } from '../src';
import { cleanupTempDirs, tempDir } from './util';
import { RELEASES } from '../src/upstream/catalog';
import { includeUpstream, UpstreamObject } from '../src/upstream/include';
import { loadUpstream } from '../src/upstream/manifest';
import { loadPrerendered, prerenderedPath } from '../src/upstream/prerendered';

afterAll(() => cleanupTempDirs());

/** A resolver of the app's own that changes nothing: it makes every upstream object take cdk8s's regular path. */
const noop: IResolver = { resolve: (_ctx: ResolutionContext) => undefined };

/** Every .k8s.yaml file under `dir`, relative path → content. */
function filesOf(dir: string): Record<string, string> {
  return Object.fromEntries(fs.readdirSync(dir, { recursive: true, encoding: 'utf-8' }).filter(f => f.endsWith('.k8s.yaml')).sort()
    .map(f => [f, fs.readFileSync(path.join(dir, f), 'utf-8')]));
}

function operatorsApp(outdir: string, props: { resolvers?: IResolver[]; yamlOutputType?: YamlOutputType } = {}): App {
  const app = new App({ outdir, ...props });
  const chart = new Chart(app, 'operators');
  const operator = new CnpgOperator(chart, 'Cnpg');
  new CertManager(chart, 'CertManager');
  new BarmanPlugin(chart, 'Plugin', { operator });
  return app;
}

const upstreamObjects = (app: App) => app.node.findAll().filter((c): c is UpstreamObject => UpstreamObject.isUpstreamObject(c));

describe('pre-rendered upstream documents (derived/rendered)', () => {
  test('the package holds them for every release it holds parsed documents for', () => {
    // GIVEN the derived data built by `npx projen compile`
    const parsed = fs.readdirSync(path.join(__dirname, '..', 'derived', 'parsed'));
    // THEN each parsed file has its rendering, and it fits the documents
    expect(parsed.length).toBeGreaterThan(0);
    for (const f of parsed) expect(fs.existsSync(prerenderedPath(f.replace(/\.json$/, '')))).toBe(true);
    for (const release of RELEASES) {
      const m = loadUpstream(release);
      expect(loadPrerendered(m.sha256, m.docs)?.length).toBe(m.docs.length);
    }
  });

  test.each([YamlOutputType.FILE_PER_CHART, YamlOutputType.FOLDER_PER_CHART_FILE_PER_RESOURCE, YamlOutputType.FILE_PER_APP])(
    'a synth writes exactly the bytes cdk8s writes when it serializes the documents itself (%s)', (yamlOutputType) => {
      // GIVEN the same app twice: as is, and with a resolver of its own (every upstream object serialized by cdk8s)
      const fast = operatorsApp(tempDir(), { yamlOutputType });
      const regular = operatorsApp(tempDir(), { yamlOutputType, resolvers: [noop] });
      // WHEN both synthesize
      fast.synth();
      regular.synth();
      // THEN the fast one used the pre-rendered text, the other did not, and the files are byte-identical
      expect(upstreamObjects(fast).every(o => YAML.isDocument(o.toJson()))).toBe(true);
      expect(upstreamObjects(regular).some(o => YAML.isDocument(o.toJson()))).toBe(false);
      const a = filesOf(fast.outdir);
      expect(Object.keys(a).length).toBeGreaterThan(0);
      expect(a).toEqual(filesOf(regular.outdir));
    });

  test('the object toJson returns is the plain document to any other reader', () => {
    // GIVEN an unchanged upstream object
    const app = operatorsApp(tempDir());
    const deployment = upstreamObjects(app).find(o => o.kind === 'Deployment')!;
    // WHEN read as data
    const json = deployment.toJson();
    // THEN it has the document's keys and values, and a copy is plain data again
    expect(Object.keys(json)).toEqual(Object.keys(deployment.document));
    expect(JSON.stringify(json)).toBe(JSON.stringify(deployment.document));
    expect(json).toEqual(deployment.document);
    expect(YAML.isDocument({ ...json })).toBe(false);
    // AND yaml with other options, or a new yaml Document of it, serializes the data itself
    expect(YAML.stringify(json, { indent: 4 })).toBe(YAML.stringify(deployment.document, { indent: 4 }));
    expect(new YAML.Document(json).toString()).toBe(new YAML.Document(deployment.document).toString());
    // AND cdk8s writes it as it writes the plain document
    expect(Yaml.stringify(json)).toBe(Yaml.stringify({ ...deployment.document }));
  });

  test('a patched object is written from its data, with the patch', () => {
    // GIVEN an upstream object changed by an escape hatch
    const dir = tempDir();
    const app = operatorsApp(dir);
    const deployment = upstreamObjects(app).find(o => o.kind === 'Deployment' && o.name === 'cnpg-controller-manager')!;
    deployment.metadata.addLabel('team', 'platform');
    // WHEN the app synthesizes
    app.synth();
    // THEN it is not written from the pre-rendered text, and the label is in the file
    expect(YAML.isDocument(deployment.toJson())).toBe(false);
    const written = YAML.parseAllDocuments(fs.readFileSync(path.join(dir, 'operators.k8s.yaml'), 'utf-8')).map(d => d.toJS())
      .find(d => d.kind === 'Deployment' && d.metadata.name === 'cnpg-controller-manager');
    expect(written.metadata.labels).toEqual({ 'app.kubernetes.io/name': 'cloudnative-pg', 'team': 'platform' });
  });

  test('a resolver of the app still rewrites upstream values (no pre-rendered text is used)', () => {
    // GIVEN a resolver that mirrors images
    const dir = tempDir();
    const mirror: IResolver = {
      resolve: (ctx: ResolutionContext) => {
        if (ctx.key[ctx.key.length - 1] === 'image' && typeof ctx.value === 'string' && ctx.value.startsWith('ghcr.io/')) ctx.replaceValue(ctx.value.replace(/^ghcr\.io\//, 'mirror.example/'));
      },
    };
    const app = operatorsApp(dir, { resolvers: [mirror] });
    // WHEN it synthesizes
    app.synth();
    // THEN the operator's image is mirrored
    const out = fs.readFileSync(path.join(dir, 'operators.k8s.yaml'), 'utf-8');
    expect(out).toContain('image: mirror.example/cloudnative-pg/cloudnative-pg:');
    expect(out).not.toMatch(/image: ghcr\.io\/cloudnative-pg\/cloudnative-pg:/);
  });

  test('a rendering that does not fit the documents is not used', () => {
    // GIVEN the documents of one release, one of them left out
    const m = loadUpstream(RELEASES[0]);
    // THEN no pre-rendered text is offered for them
    expect(loadPrerendered(m.sha256, m.docs.slice(1))).toBeUndefined();
    expect(loadPrerendered(m.sha256, [...m.docs.slice(1), m.docs[0]])).toBeUndefined();
    // AND includeUpstream of a different digest falls back to cdk8s's own writer
    const app = new App({ outdir: tempDir() });
    const objects = includeUpstream(new Chart(app, 'c'), { ...m, sha256: '0'.repeat(64) });
    expect(objects.some(o => YAML.isDocument(o.toJson()))).toBe(false);
  });
});
