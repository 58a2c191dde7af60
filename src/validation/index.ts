/**
 * One validator, two doors: rules on plain manifest objects, shared by synth and the `cdk8s-cnpg validate` CLI.
 * It imports no construct, only `../upstream/*`.
 */
import { checkCelRules } from './cel';
import { Entry, resolveVersion, ValidationContext } from './context';
import { Finding, Severity } from './finding';
import { checkObjectStores } from './object-store';
import { checkPluginParameters } from './plugin';
import { checkReferences } from './references';
import { checkArchiveSafety } from './safety';
import { checkSchedules } from './schedule';
import { checkSchemas } from './schema';
import { checkPlaintextSecrets } from './secrets';
import { checkTargetTimes } from './timestamps';
import { checkWebhookRules } from './webhook';
import { Manifest } from '../upstream/manifest';

export type { Finding, Severity } from './finding';
export { formatFinding } from './finding';
export type { ParsedSchedule } from './schedule';
export { parseSchedule } from './schedule';
export type { ParsedTargetTime } from './timestamps';
export { parseTargetTime, toPostgresSafeUtc } from './timestamps';

export interface ValidationInput {
  readonly doc: Manifest;
  /** A file name or construct path, for the caller's messages. */
  readonly source?: string;
  /** A digest-verified upstream install object: indexed for references, its own schema and rules skipped. */
  readonly trusted?: boolean;
}

export interface ValidationOptions {
  /** @default - the newest CNPG in the catalog */
  readonly cnpgVersion?: string;
  /** @default - the newest barman-cloud plugin in the catalog */
  readonly pluginVersion?: string;
  /** @default - the newest cert-manager in the catalog */
  readonly certManagerVersion?: string;
  /** References to objects not in the set that are declared to exist, as `Kind/namespace/name` (namespace '' when none). */
  readonly externalRefs?: ReadonlySet<string>;
  /** How references to objects not in the set are reported: 'error' for constructs, 'warning' for the CLI. @default 'error' */
  readonly unresolvedReferences?: Severity;
  /**
   * How plaintext credentials are reported (a Secret with values that a CNPG or plugin object uses, a password in
   * a URL, a token, a credential in an env value): 'error' at synth, 'warning' for the CLI.
   * @default - not checked
   */
  readonly plaintextSecrets?: Severity;
}

function entryOf(input: ValidationInput, index: number): Entry {
  const doc = input.doc;
  const apiVersion = typeof doc.apiVersion === 'string' ? doc.apiVersion : '';
  const slash = apiVersion.lastIndexOf('/');
  const metadata = doc.metadata;
  return {
    doc,
    index,
    trusted: input.trusted === true,
    source: input.source,
    kind: typeof doc.kind === 'string' ? doc.kind : '',
    group: slash < 0 ? '' : apiVersion.slice(0, slash),
    version: slash < 0 ? apiVersion : apiVersion.slice(slash + 1),
    namespace: typeof metadata?.namespace === 'string' ? metadata.namespace : '',
    name: typeof metadata?.name === 'string' ? metadata.name : '',
  };
}

/**
 * Validates a set of manifests as one unit (references resolve across the whole set).
 * Throws only for an unknown version in `options`; every problem with the manifests is a finding.
 */
export function validateManifests(inputs: readonly ValidationInput[], options: ValidationOptions = {}): Finding[] {
  const ctx = new ValidationContext(inputs.map(entryOf), {
    versions: {
      'cnpg': resolveVersion('cnpg', options.cnpgVersion),
      'plugin-barman-cloud': resolveVersion('plugin-barman-cloud', options.pluginVersion),
      'cert-manager': resolveVersion('cert-manager', options.certManagerVersion),
    },
    externalRefs: options.externalRefs ?? new Set(),
    unresolvedReferences: options.unresolvedReferences ?? 'error',
    plaintextSecrets: options.plaintextSecrets,
  });
  checkSchemas(ctx);
  checkCelRules(ctx);
  checkWebhookRules(ctx);
  checkPluginParameters(ctx);
  checkObjectStores(ctx);
  checkSchedules(ctx);
  checkTargetTimes(ctx);
  checkReferences(ctx);
  checkArchiveSafety(ctx);
  checkPlaintextSecrets(ctx);
  // Stable: by object, then in rule order.
  return ctx.findings.map((f, i) => ({ f, i })).sort((a, b) => a.f.docIndex - b.f.docIndex || a.i - b.i).map(x => x.f);
}
