/**
 * The upstream documents as cdk8s writes them, rendered at package time (`derived/rendered/<sha256>.json`, built by
 * `npx projen derive-upstream` from the same verified files as `derived/parsed`), so a synth does not serialize
 * megabytes of unchanged upstream YAML again. Used only for a document that synthesizes unchanged (no patch, no
 * metadata change, no resolver of the app's own: see `UpstreamObject.toJson`), and only when the cdk8s and `yaml`
 * that write the file are the versions the text was rendered with, called with the same options: then the text
 * is, byte for byte, what cdk8s would write. In any other case cdk8s serializes the data as usual.
 *
 * How the text reaches the file without touching cdk8s: `Yaml.stringify` hands each document to the `yaml`
 * library's `stringify`, which writes a value that is a YAML `Document` with that document's own `toString`. The
 * object returned by `toJson` is the plain document (the same own keys and values, for every other reader) that
 * also answers to `yaml`'s document check, through non-enumerable properties only; a copy (`{ ...json }`) is
 * plain data again.
 */
import * as fs from 'fs';
import * as path from 'path';
import { isDeepStrictEqual } from 'util';
import { Yaml } from 'cdk8s';
import { RELEASES } from './catalog';
import { derivedDir, requireDerived } from './derived';
import { locateManifest, UPSTREAM_DIR_ENV } from './locate';
import { Manifest, parseYamlDocuments } from './manifest';

/** `yaml`'s node-type marker and its value for a document (yaml/dist/nodes/identity.js, shared via Symbol.for). */
const NODE_TYPE = Symbol.for('yaml.node.type');
const YAML_DOCUMENT = Symbol.for('yaml.document');

/** `derived/rendered/<sha256>.json`. */
interface PrerenderedFile {
  /** The cdk8s and `yaml` versions that rendered the text. */
  readonly cdk8s: string;
  readonly yaml: string;
  /** The options cdk8s's `Yaml.stringify` passes to `yaml` for each document. */
  readonly options: unknown;
  /** Per document, in file order: kind, name, namespace (a check that the text belongs to it) and its YAML. */
  readonly docs: ReadonlyArray<readonly [string, string, string, string]>;
}

/** `derived/rendered/<sha256>.json`: the documents of the verified manifest with that digest, as cdk8s writes them. */
export function prerenderedPath(sha256: string): string {
  return path.join(derivedDir(), 'rendered', `${sha256}.json`);
}

function identityOf(doc: Manifest): [string, string, string] {
  return [doc.kind, String(doc.metadata?.name ?? ''), String(doc.metadata?.namespace ?? '')];
}

/** The versions of cdk8s and of the `yaml` cdk8s loads, as installed beside this package. */
function writerVersions(): { cdk8s: string; yaml: string } {
  const cdk8sPkg = require.resolve('cdk8s/package.json');
  const yamlPkg = require.resolve('yaml/package.json', { paths: [path.dirname(cdk8sPkg)] });
  const version = (file: string) => (JSON.parse(fs.readFileSync(file, 'utf-8')) as { version: string }).version;
  return { cdk8s: version(cdk8sPkg), yaml: version(yamlPkg) };
}

/**
 * The options cdk8s's `Yaml.stringify` passes to `yaml` for a document, seen through a probe document; undefined
 * when this cdk8s does not go through `yaml`'s document path (then nothing is pre-rendered).
 */
function cdk8sYamlOptions(): unknown {
  let seen: unknown;
  const probe = Object.defineProperties({}, {
    [NODE_TYPE]: { value: YAML_DOCUMENT },
    toString: { value: (options: unknown) => { seen = options; return ''; } },
  });
  Yaml.stringify(probe);
  return seen;
}

/**
 * Build time: renders every release of the catalog found in `$CDK8S_CNPG_UPSTREAM_DIR` with cdk8s's own
 * `Yaml.stringify`. A file whose documents do not survive a JSON round trip unchanged (so that `derived/parsed`
 * would hold other data) is left out. Returns the releases rendered.
 */
export function writePrerendered(): string[] {
  if (!process.env[UPSTREAM_DIR_ENV]) throw new Error(`${UPSTREAM_DIR_ENV} is not set: point it at the upstream install manifests`);
  const options = cdk8sYamlOptions();
  if (options === undefined) return [];
  const dir = path.join(derivedDir(), 'rendered');
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const done: string[] = [];
  for (const release of RELEASES) {
    if (!fs.existsSync(path.join(process.env[UPSTREAM_DIR_ENV]!, release.relativePath))) continue;
    const located = locateManifest(release, undefined, { parse: parseYamlDocuments });
    const docs = parseYamlDocuments(located.text);
    if (!isDeepStrictEqual(JSON.parse(JSON.stringify(docs)), docs)) continue;
    const file: PrerenderedFile = {
      ...writerVersions(),
      options,
      docs: docs.map(d => [...identityOf(d), Yaml.stringify(d)] as const),
    };
    fs.writeFileSync(prerenderedPath(located.sha256), JSON.stringify(file));
    done.push(`${release.component}@${release.version}`);
  }
  return done;
}

/**
 * Synth time: the pre-rendered text of each document of a verified manifest, or undefined when the package has
 * none for it, or when the cdk8s or `yaml` installed beside it are not the versions that rendered it.
 */
export function loadPrerendered(sha256: string, docs: readonly Manifest[]): PrerenderedText[] | undefined {
  const file = requireDerived<PrerenderedFile>(prerenderedPath(sha256));
  if (!file || file.docs.length !== docs.length) return undefined;
  const versions = writerVersions();
  if (file.cdk8s !== versions.cdk8s || file.yaml !== versions.yaml) return undefined;
  const texts: PrerenderedText[] = [];
  for (let i = 0; i < docs.length; i++) {
    const [kind, name, namespace, text] = file.docs[i];
    if (!isDeepStrictEqual([kind, name, namespace], identityOf(docs[i]))) return undefined;
    texts.push({ text, options: file.options });
  }
  return texts;
}

/** One document's pre-rendered YAML and the `yaml` options it was rendered with. */
export interface PrerenderedText {
  readonly text: string;
  readonly options: unknown;
}

/**
 * The document as `toJson` returns it: a shallow copy of the plain data (same own keys and values) that `yaml`
 * writes as `rendering.text` when called with the options it was rendered with; with any other options it
 * serializes the data itself, as for any object.
 */
export function withPrerendered(doc: Manifest, rendering: PrerenderedText): Record<string, unknown> {
  const json: Record<string, unknown> = { ...doc };
  return Object.defineProperties(json, {
    [NODE_TYPE]: { value: YAML_DOCUMENT },
    // `yaml.stringify(value, options)` of a document: `value.toString(options)`.
    toString: {
      value: (options?: unknown) => (isDeepStrictEqual(options, rendering.options) ? rendering.text : yamlOfCdk8s().stringify({ ...json }, options)),
    },
    // `new yaml.Document(value)` of a document takes its `contents`: the plain data.
    contents: { get: () => ({ ...json }) },
  });
}

/** The `yaml` module cdk8s writes with. */
function yamlOfCdk8s(): { stringify(value: unknown, options?: unknown): string } {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(require.resolve('yaml', { paths: [path.dirname(require.resolve('cdk8s/package.json'))] }));
}
