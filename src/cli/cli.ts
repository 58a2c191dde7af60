/**
 * `cdk8s-cnpg validate`: the validator's second door, for YAML written by anyone. Every file given is one set,
 * so references resolve across files; references to objects outside the set are warnings.
 */
import * as fs from 'fs';
import * as path from 'path';
import { supportedVersions, UpstreamComponent } from '../upstream/catalog';
import { Manifest } from '../upstream/manifest';
import { advisoryWarnings, formatFinding, validateManifests, ValidationInput } from '../validation';
import { parseYamlDocuments, YamlInputError } from '../validation/yaml-reader';

export interface CliIo {
  readonly stdout: (s: string) => void;
  readonly stderr: (s: string) => void;
}

/** Exit codes: valid (warnings allowed), error findings, usage or input problems. */
export const EXIT_OK = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_USAGE = 2;

const USAGE = `usage: cdk8s-cnpg validate [--cnpg-version V] [--plugin-version V] [--cert-manager-version V] FILE|DIR...

Validates Kubernetes manifests for CloudNativePG and the Barman Cloud plugin: the exact upstream CRD schemas
and CEL rules, CNPG's admission webhook rules, the plugin's parameters, backup schedules, references between
objects (across all files given), archive safety and recovery target times.

Reads .yaml, .yml and .json files (multi-document YAML); directories are read recursively, in sorted order.
Objects of other API groups pass through unless referenced.

Options:
  --cnpg-version V          CNPG operator version (supported: ${supportedVersions('cnpg').join(', ')}; default: newest)
  --plugin-version V        barman-cloud plugin version (supported: ${supportedVersions('plugin-barman-cloud').join(', ')}; default: newest)
  --cert-manager-version V  cert-manager version (supported: ${supportedVersions('cert-manager').join(', ')}; default: newest)
  -h, --help                show this help

Output: one finding per line on stdout,
  FILE: Kind namespace/name: field.path: what is wrong — how to fix          (an error)
  FILE: warning: Kind namespace/name: field.path: what is wrong — how to fix (a warning)
References to objects not among the files given are warnings.

Exit status: 0 valid (warnings alone still 0), 1 error findings, 2 usage error or unreadable/unparseable input.
`;

const VERSION_FLAGS: Readonly<Record<string, UpstreamComponent>> = {
  '--cnpg-version': 'cnpg',
  '--plugin-version': 'plugin-barman-cloud',
  '--cert-manager-version': 'cert-manager',
};

class UsageError extends Error {}

interface Arguments {
  readonly versions: Partial<Record<UpstreamComponent, string>>;
  readonly paths: string[];
  readonly help: boolean;
}

function parseArguments(argv: readonly string[]): Arguments {
  const args = [...argv];
  if (args[0] === 'validate') args.shift();
  else if (args[0] !== undefined && !args[0].startsWith('-')) throw new UsageError(`unknown command ${JSON.stringify(args[0])}; the command is "validate"`);
  const versions: Partial<Record<UpstreamComponent, string>> = {};
  const paths: string[] = [];
  let help = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    if (flag === '-h' || flag === '--help') {
      help = true;
    } else if (VERSION_FLAGS[flag]) {
      const value = inline ?? args[++i];
      if (value === undefined || value === '') throw new UsageError(`${flag} needs a version`);
      const component = VERSION_FLAGS[flag];
      const supported = supportedVersions(component);
      if (!supported.includes(value.replace(/^v/, ''))) {
        throw new UsageError(`unknown ${component} version ${JSON.stringify(value)} for ${flag}; supported: ${supported.join(', ')}`);
      }
      versions[component] = value.replace(/^v/, '');
    } else if (arg === '--') {
      paths.push(...args.slice(i + 1));
      break;
    } else if (arg.startsWith('-')) {
      throw new UsageError(`unknown option ${JSON.stringify(arg)}`);
    } else {
      paths.push(arg);
    }
  }
  return { versions, paths, help };
}

class InputError extends Error {}

const MANIFEST_FILE = /\.(ya?ml|json)$/i;

/** The files a path names: itself, or for a directory every manifest file below it, sorted. */
function filesOf(p: string): string[] {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(p);
  } catch (e) {
    throw new InputError(`${p}: cannot read: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file or directory' : (e as Error).message}`);
  }
  if (!stat.isDirectory()) return [p];
  return fs.readdirSync(p).sort().flatMap(name => {
    const child = path.join(p, name);
    const isDir = fs.statSync(child).isDirectory();
    return isDir ? filesOf(child) : MANIFEST_FILE.test(name) ? [child] : [];
  });
}

/** Reads a file's objects as Kubernetes does (YAML 1.1 scalars, merge keys, timestamps stay strings; bounded). */
function readManifests(file: string): Manifest[] {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf-8');
  } catch (e) {
    throw new InputError(`${file}: cannot read: ${(e as Error).message}`);
  }
  let docs: unknown[];
  try {
    docs = parseYamlDocuments(text, file);
  } catch (e) {
    throw e instanceof YamlInputError ? new InputError(e.message) : e;
  }
  const manifests: Manifest[] = [];
  docs.forEach((doc, i) => {
    if (doc === null || doc === undefined) return;
    if (typeof doc !== 'object' || Array.isArray(doc)) {
      throw new InputError(`${file}: document ${i + 1} is not a Kubernetes object (got ${Array.isArray(doc) ? 'a list' : JSON.stringify(doc)})`);
    }
    const m = doc as Manifest;
    if (m.kind === 'List' && Array.isArray(m.items)) {
      manifests.push(...(m.items as unknown[]).filter((d): d is Manifest => typeof d === 'object' && d !== null && !Array.isArray(d)));
    } else {
      manifests.push(m);
    }
  });
  return manifests;
}

/** Runs the CLI; returns the exit code. */
export function runCli(argv: string[], io: CliIo): number {
  let args: Arguments;
  try {
    args = parseArguments(argv);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    io.stderr(`cdk8s-cnpg: ${e.message}\n\n${USAGE}`);
    return EXIT_USAGE;
  }
  if (args.help) {
    io.stdout(USAGE);
    return EXIT_OK;
  }
  if (!args.paths.length) {
    io.stderr(`cdk8s-cnpg: no files given\n\n${USAGE}`);
    return EXIT_USAGE;
  }

  const inputs: ValidationInput[] = [];
  try {
    for (const p of args.paths) {
      const files = filesOf(p);
      // A folder without manifests is almost always a mistyped path: never report it as valid.
      if (!files.length) throw new InputError(`${p}: no .yaml, .yml or .json files found`);
      for (const file of files) {
        for (const doc of readManifests(file)) inputs.push({ doc, source: file });
      }
    }
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    io.stderr(`cdk8s-cnpg: ${e.message}\n`);
    return EXIT_USAGE;
  }

  let findings;
  try {
    findings = validateManifests(inputs, {
      cnpgVersion: args.versions.cnpg,
      pluginVersion: args.versions['plugin-barman-cloud'],
      certManagerVersion: args.versions['cert-manager'],
      unresolvedReferences: 'warning',
    });
  } catch (e) {
    // The upstream CRDs could not be found or verified: not a verdict on the input.
    io.stderr(`cdk8s-cnpg: ${(e as Error).message}\n`);
    return EXIT_USAGE;
  }
  // One write for all findings: a write per line costs a system call each on a large set.
  if (findings.length) io.stdout(findings.map(f => `${formatFinding(f, inputs[f.docIndex].source)}\n`).join(''));
  // Known backup/restore bugs of the versions validated against (warnings: they do not change the exit code).
  const advisories = advisoryWarnings({ cnpgVersion: args.versions.cnpg, pluginVersion: args.versions['plugin-barman-cloud'], certManagerVersion: args.versions['cert-manager'] });
  if (advisories.length) io.stdout(advisories.map(a => `warning: ${a}\n`).join(''));
  return findings.some(f => f.severity === 'error') ? EXIT_FINDINGS : EXIT_OK;
}
