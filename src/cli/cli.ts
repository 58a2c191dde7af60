/**
 * `cdk8s-cnpg validate`: the validator's second door, for YAML written by anyone. Every file given is one set,
 * so references resolve across files; references to objects outside the set are warnings.
 */
import * as fs from 'fs';
import * as path from 'path';
import { InputError, readInputPaths, showPath } from '../private/input-files';
import { oneLine, showValue as show } from '../private/text';
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

const VALIDATE_USAGE = `usage: cdk8s-cnpg validate [--cnpg-version V] [--plugin-version V] [--cert-manager-version V] FILE|DIR...

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
then one summary line on stderr: "3 files, 12 objects, 0 errors, 1 warning".
References to objects not among the files given are warnings. Every document must be a Kubernetes object
(apiVersion and kind), and the input must hold at least one.

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
      throw new UsageError(`unknown option ${JSON.stringify(arg)}; see \`cdk8s-cnpg validate --help\``);
    } else {
      paths.push(arg);
    }
  }
  return { versions, paths, help };
}

/** Parses a file's objects as Kubernetes does (YAML 1.1 scalars, merge keys, timestamps stay strings; bounded). */
function readManifests(file: string, text: string): Manifest[] {
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
      throw new InputError(`${showPath(file)}: document ${i + 1} is not a Kubernetes object (got ${Array.isArray(doc) ? 'a list' : show(doc)})`);
    }
    const m = doc as Manifest;
    // The API server refuses an object without both (kubectl: "apiVersion not set, kind not set"): a fragment.
    if (typeof m.apiVersion !== 'string' || typeof m.kind !== 'string' || !m.apiVersion || !m.kind) {
      const missing = ['apiVersion', 'kind'].filter(k => typeof (m as Record<string, unknown>)[k] !== 'string' || !(m as Record<string, unknown>)[k]);
      throw new InputError(`${showPath(file)}: document ${i + 1} is not a Kubernetes object (no ${missing.join(' and ')}); give each document apiVersion and kind`);
    }
    if (m.kind === 'List' && Array.isArray(m.items)) {
      manifests.push(...(m.items as unknown[]).filter((d): d is Manifest => typeof d === 'object' && d !== null && !Array.isArray(d)));
    } else {
      manifests.push(m);
    }
  });
  return manifests;
}

/** A subcommand: `cdk8s-cnpg <name> [args]`. */
export interface CliCommand {
  /** The word that selects it. */
  readonly name: string;
  /** One line for `cdk8s-cnpg --help`. */
  readonly summary: string;
  /** Its full `--help` text. */
  readonly usage: string;
  /** Runs it with the arguments after its name; returns the exit code. */
  run(args: string[], io: CliIo): number;
}

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

/** `cdk8s-cnpg validate`. */
function runValidate(argv: string[], io: CliIo): number {
  let args: Arguments;
  try {
    args = parseArguments(argv);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    io.stderr(`cdk8s-cnpg: ${e.message}\n`);
    return EXIT_USAGE;
  }
  if (args.help) {
    io.stdout(VALIDATE_USAGE);
    return EXIT_OK;
  }
  if (!args.paths.length) {
    io.stderr('cdk8s-cnpg: no files given; usage: cdk8s-cnpg validate [options] FILE|DIR... (see --help)\n');
    return EXIT_USAGE;
  }

  const inputs: ValidationInput[] = [];
  let fileCount = 0;
  try {
    // Regular files only, bounded, UTF-8, not empty; a folder without manifests is an error (a mistyped path).
    for (const { path: file, text } of readInputPaths(args.paths)) {
      fileCount++;
      const docs = readManifests(file, text);
      if (!docs.length) throw new InputError(`${showPath(file)}: no Kubernetes objects in the file (only comments or empty documents)`);
      for (const doc of docs) inputs.push({ doc, source: file });
    }
    if (!inputs.length) throw new InputError(`${args.paths.join(', ')}: no Kubernetes objects found (only empty documents)`);
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    io.stderr(`cdk8s-cnpg: ${oneLine(e.message)}\n`);
    return EXIT_USAGE;
  }

  let findings;
  try {
    findings = validateManifests(inputs, {
      cnpgVersion: args.versions.cnpg,
      pluginVersion: args.versions['plugin-barman-cloud'],
      certManagerVersion: args.versions['cert-manager'],
      unresolvedReferences: 'warning',
      plaintextSecrets: 'warning',
    });
  } catch (e) {
    // The upstream CRDs could not be found or verified: not a verdict on the input.
    io.stderr(`cdk8s-cnpg: ${oneLine((e as Error).message)}\n`);
    return EXIT_USAGE;
  }
  // One write for all findings: a write per line costs a system call each on a large set.
  if (findings.length) io.stdout(findings.map(f => `${formatFinding(f, inputs[f.docIndex].source)}\n`).join(''));
  // Known backup/restore bugs of the versions validated against (warnings: they do not change the exit code).
  const advisories = advisoryWarnings({ cnpgVersion: args.versions.cnpg, pluginVersion: args.versions['plugin-barman-cloud'], certManagerVersion: args.versions['cert-manager'] });
  if (advisories.length) io.stdout(advisories.map(a => `warning: ${a}\n`).join(''));
  const errors = findings.filter(f => f.severity === 'error').length;
  io.stderr(`${plural(fileCount, 'file')}, ${plural(inputs.length, 'object')}, ${plural(errors, 'error')}, ${plural(findings.length - errors + advisories.length, 'warning')}\n`);
  return errors ? EXIT_FINDINGS : EXIT_OK;
}

/** The subcommands, in the order `--help` lists them. Add one by appending its `CliCommand`. */
export const COMMANDS: CliCommand[] = [
  { name: 'validate', summary: 'check Kubernetes manifests as the API server, CNPG and the plugin would', usage: VALIDATE_USAGE, run: runValidate },
];

/** This package's version, from its package.json (found upwards from this file: src/cli or lib/src/cli). */
export function cliVersion(): string {
  let dir = __dirname;
  for (let i = 0; i < 5; i++) {
    const file = path.join(dir, 'package.json');
    if (fs.existsSync(file)) return JSON.parse(fs.readFileSync(file, 'utf-8')).version;
    dir = path.dirname(dir);
  }
  return 'unknown';
}

function mainUsage(): string {
  const width = Math.max(...COMMANDS.map(c => c.name.length));
  return 'usage: cdk8s-cnpg <command> [options]\n\nCommands:\n'
    + COMMANDS.map(c => `  ${c.name.padEnd(width)}  ${c.summary}\n`).join('')
    + '\nOptions:\n  -h, --help     show this help (`cdk8s-cnpg <command> --help` for a command\'s)\n  -V, --version  print the version\n';
}

/** Runs the CLI; returns the exit code. */
export function runCli(argv: string[], io: CliIo): number {
  const [first, ...rest] = argv;
  if (first === undefined || first === '-h' || first === '--help') {
    (first === undefined ? io.stderr : io.stdout)(mainUsage());
    return first === undefined ? EXIT_USAGE : EXIT_OK;
  }
  if (first === '-V' || first === '--version') {
    io.stdout(`${cliVersion()}\n`);
    return EXIT_OK;
  }
  if (first === 'help') {
    const command = COMMANDS.find(c => c.name === rest[0]);
    io.stdout(command ? command.usage : mainUsage());
    return EXIT_OK;
  }
  const command = COMMANDS.find(c => c.name === first);
  if (!command) {
    const what = first.startsWith('-') ? `unknown option ${JSON.stringify(first)}` : `unknown command ${JSON.stringify(first)}`;
    io.stderr(`cdk8s-cnpg: ${what}; commands: ${COMMANDS.map(c => c.name).join(', ')} (see cdk8s-cnpg --help)\n`);
    return EXIT_USAGE;
  }
  return command.run(rest, io);
}

/** Subcommands that read archives (asynchronous), each in its own file. */
// Loaded only when called: `restore` pulls in cdk8s and the constructs, which `validate` never needs.
const ARCHIVE_COMMANDS: Readonly<Record<string, (argv: string[], io: CliIo) => Promise<number>>> = {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  'recovery-window': (argv, io) => (require('./recovery-window') as typeof import('./recovery-window')).run(argv, io),
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  'restore': (argv, io) => (require('./restore') as typeof import('./restore')).run(argv, io),
};

/** Runs any subcommand; resolves to the exit code. */
export function runCommand(argv: string[], io: CliIo): Promise<number> {
  const command = ARCHIVE_COMMANDS[argv[0]];
  if (command) return command(argv.slice(1), io);
  const code = runCli(argv, io);
  if (argv[0] === '--help' || argv[0] === '-h') {
    io.stdout('\nOther commands (each with --help):\n'
      + '  cdk8s-cnpg recovery-window   the recoverable window of a Barman Cloud archive in S3, and whether a target is in it\n'
      + '  cdk8s-cnpg restore           write a validated restore Cluster (PitrRestore) from flags or dist/, checked with --check\n');
  }
  return Promise.resolve(code);
}
