import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, App, Chart, ChartProps, Testing } from 'cdk8s';
import { IConstruct } from 'constructs';
import * as yaml from 'js-yaml';
import {
  BackedUpPostgres, BackedUpPostgresProps, BarmanPlugin, CertManager, CnpgOperator, ObjectStorage, S3Credentials,
} from '../src';
import { showValue } from '../src/private/text';
import { UpstreamObject } from '../src/upstream/include';

// projen's test task sets this; a plain `npx jest` in a clone with ../shared beside it works too.
if (!process.env.CDK8S_CNPG_UPSTREAM_DIR && fs.existsSync(path.resolve(__dirname, '..', '..', 'shared', 'upstream'))) {
  process.env.CDK8S_CNPG_UPSTREAM_DIR = path.resolve(__dirname, '..', '..', 'shared', 'upstream');
}

/** The upstream directory the tests read the catalog files from. */
export const UPSTREAM_DIR = process.env.CDK8S_CNPG_UPSTREAM_DIR;

/** A plain Kubernetes document. */
export type Doc = Record<string, any>;

/** A chart in a fresh test app, with an optional namespace. */
export function testChart(props: ChartProps = {}, app: App = Testing.app()): Chart {
  return new Chart(app, 'test', props);
}

/** An S3 object storage referencing an existing Secret (the common case in tests). */
export function s3Storage(bucket = 'my-backups'): ObjectStorage {
  return ObjectStorage.s3({ bucket, path: 'postgres', credentials: S3Credentials.fromSecret({ secretName: 's3-credentials' }) });
}

/** A BackedUpPostgres with the S3 storage above; props override. */
export function backedUp(scope: IConstruct, id = 'Test', props: Partial<BackedUpPostgresProps> = {}): BackedUpPostgres {
  return new BackedUpPostgres(scope as any, id, { objectStorage: s3Storage(), ...props });
}

/** Adds the operators (CNPG, cert-manager, plugin) in their own chart, as the example app does. */
export function addOperators(app: App): { operator: CnpgOperator; certManager: CertManager; plugin: BarmanPlugin } {
  const chart = new Chart(app, 'operators');
  const operator = new CnpgOperator(chart, 'Cnpg');
  const certManager = new CertManager(chart, 'CertManager');
  const plugin = new BarmanPlugin(chart, 'BarmanPlugin', { operator });
  return { operator, certManager, plugin };
}

/** Whether an API object is verbatim upstream data (operator, cert-manager, plugin installs). */
export function isUpstream(o: IConstruct): boolean {
  return UpstreamObject.isUpstreamObject(o);
}

/** The synthesized documents we author in a chart: upstream installs filtered out (never snapshot those). */
export function synthAuthored(chart: Chart): Doc[] {
  const upstream = new Set(chart.node.findAll().filter(isUpstream).map(o => keyOf((o as ApiObject).toJson())));
  return Testing.synth(chart).filter(d => !upstream.has(keyOf(d)));
}

function keyOf(d: Doc): string {
  return `${d.apiVersion}/${d.kind}/${d.metadata?.namespace ?? ''}/${d.metadata?.name ?? ''}`;
}

/** The first document of a kind (and name) in a list; fails the test when absent. */
export function find(docs: Doc[], kind: string, name?: string): Doc {
  const doc = docs.find(d => d.kind === kind && (name === undefined || d.metadata?.name === name));
  if (!doc) throw new Error(`no ${kind}${name ? ` named ${name}` : ''} in [${docs.map(d => `${d.kind}/${d.metadata?.name}`).join(', ')}]`);
  return doc;
}

/** Runs the app's validations (as `cdk8s synth` does) without writing files; returns the YAML. */
export function validateApp(app: App): string {
  return app.synthYaml();
}

/**
 * The message of the error `fn` throws; when `fn` returns a construct (prop errors are reported at synth), the
 * message of its app's synth. Fails the test when there is no error.
 */
export function errorOf(fn: () => unknown): string {
  let result: unknown;
  try {
    result = fn();
  } catch (e) {
    return (e as Error).message;
  }
  if (result && typeof result === 'object' && 'node' in result) {
    const root = (result as IConstruct).node.root;
    try {
      if (root instanceof App) {root.synthYaml();} else {
        const errors = root.node.findAll().flatMap(c => c.node.validate().map(m => `[${c.node.path}] ${m}`));
        if (errors.length) throw new Error(`Validation failed with the following errors:\n  ${errors.join('\n  ')}`);
      }
    } catch (e) {
      return (e as Error).message;
    }
  }
  throw new Error('expected an error, but none was thrown');
}

/**
 * Asserts the house error format: `[<construct path>] <prop>: <what is wrong>, got <JSON value>; <fix>`, with the
 * path, the prop, the bad value (as JSON) and a fix hint all present on one line.
 */
export interface ExpectedPropError {
  /** The construct path, e.g. `test/Test`. */
  readonly path: string;
  readonly prop: string;
  /** The bad value as given (shown as JSON in the message). */
  readonly value: unknown;
  /** A substring of (or pattern for) the fix after `;`. */
  readonly fix: string | RegExp;
  /** A substring of (or pattern for) what is wrong. */
  readonly problem?: string | RegExp;
}

export function expectPropError(message: string, expected: ExpectedPropError): void {
  // The formatter shows values as JSON; an invalid Date is spelled out; a missing value is not shown (no `got undefined`).
  const got = expected.value === undefined ? ''
    : `, got ${expected.value instanceof Date ? (isNaN(expected.value.getTime()) ? 'Invalid Date' : JSON.stringify(expected.value.toISOString())) : showValue(expected.value)}`;
  const line = message.split('\n').map(l => l.trim()).find(l => l.startsWith(`[${expected.path}] ${expected.prop}: `));
  if (!line) throw new Error(`no error for [${expected.path}] ${expected.prop} in:\n${message}`);
  expect(line).not.toContain('got undefined');
  const end = got ? line.indexOf(got) : line.indexOf('; ');
  if (got) expect(line).toContain(got);
  const fix = line.slice(end + got.length);
  expect(fix).toMatch(/^[^;]*; ./);
  if (typeof expected.fix === 'string') expect(fix).toContain(expected.fix);
  else expect(fix).toMatch(expected.fix);
  if (expected.problem !== undefined) {
    const problem = line.slice(`[${expected.path}] ${expected.prop}: `.length, end);
    if (typeof expected.problem === 'string') expect(problem).toContain(expected.problem);
    else expect(problem).toMatch(expected.problem);
  }
}

/** Sets environment variables for the duration of `fn` and restores them afterwards (also on failure). */
export function withEnv<T>(vars: Record<string, string | undefined>, fn: () => T): T {
  const saved: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(vars)) {
    saved[k] = process.env[k];
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  try {
    return fn();
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

/** A fresh temporary directory, removed by `cleanupTempDirs` (call it in afterAll). */
const tempDirs: string[] = [];
export function tempDir(prefix = 'cdk8s-cnpg-test-'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  tempDirs.push(dir);
  return dir;
}
export function cleanupTempDirs(): void {
  for (const d of tempDirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
}

/** Every file under a directory with its bytes, keyed by relative path. */
export function readTree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out[path.relative(dir, p)] = fs.readFileSync(p, 'utf-8');
    }
  };
  walk(dir);
  return out;
}

/** The YAML documents of a file. */
export function loadYamlFile(file: string): Doc[] {
  return yaml.loadAll(fs.readFileSync(file, 'utf-8')).filter(d => d && typeof d === 'object') as Doc[];
}

// Keys whose values are secrets when they hold a literal string (a `{ name, key }` reference is an object).
const SECRET_VALUE_KEY = /^(password|passwd|pgpass|secretAccessKey|accessKeyId|sessionToken|token|apiKey|privateKey|connectionString|storageKey|storageSasToken|applicationCredentials|tls\.key)$/i;
// Environment variables that carry secrets when set with a literal `value`.
const SECRET_ENV = /PASSWORD|SECRET|TOKEN|ACCESS_KEY|PRIVATE_KEY|CONNECTION_STRING|SAS/i;

/** The plugin install's Secret carries only the sidecar image name (base64); it is upstream data, not a secret. */
function isSidecarImageSecret(doc: Doc): boolean {
  const data = doc.data ?? {};
  return !doc.stringData && Object.keys(data).length === 1 && typeof data.SIDECAR_IMAGE === 'string'
    && /^ghcr\.io\/cloudnative-pg\/plugin-barman-cloud-sidecar:v[\d.]+$/.test(Buffer.from(data.SIDECAR_IMAGE, 'base64').toString().trim());
}

/**
 * Secret-looking literal values in documents: a `kind: Secret` with `data` or `stringData` (other than the plugin's
 * sidecar-image Secret), a literal string under a key that holds a secret value (`password`, `secretAccessKey`, …),
 * and a literal `value` of a secret-named environment variable.
 */
export function findPlaintextSecrets(docs: Doc[]): string[] {
  const found: string[] = [];
  docs.forEach((doc, i) => {
    const where = `${doc.kind}/${doc.metadata?.name} (#${i})`;
    if (doc.kind === 'Secret' && (doc.data || doc.stringData) && !isSidecarImageSecret(doc)) {
      found.push(`${where}: Secret with ${doc.stringData ? 'stringData' : 'data'}`);
    }
    const visit = (node: unknown, trail: string[]): void => {
      if (Array.isArray(node)) {
        node.forEach((n, j) => visit(n, [...trail, String(j)]));
      } else if (node && typeof node === 'object') {
        const o = node as Record<string, unknown>;
        if (typeof o.name === 'string' && typeof o.value === 'string' && SECRET_ENV.test(o.name) && o.value !== '') {
          found.push(`${where}: ${trail.join('.')} env ${o.name} = ${JSON.stringify(o.value)}`);
        }
        for (const [k, v] of Object.entries(o)) visit(v, [...trail, k]);
      } else if (typeof node === 'string' && node !== '') {
        const key = trail[trail.length - 1] ?? '';
        // CRD schemas describe such fields (`description`), they hold no values: only literal strings count.
        if (SECRET_VALUE_KEY.test(key)) found.push(`${where}: ${trail.join('.')} = ${JSON.stringify(node)}`);
      }
    };
    visit(doc.kind === 'Secret' ? { metadata: doc.metadata } : doc, []);
  });
  return found;
}
