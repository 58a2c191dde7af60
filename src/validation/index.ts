/**
 * One validator, two doors: rules on plain manifest objects, shared by synth and the `cdk8s-cnpg validate` CLI.
 * It imports no construct, only `../upstream/*`.
 */
import { checkCelRules } from './cel';
import { Entry, ResolvedOptions, resolveVersion, ValidationContext } from './context';
import { componentOfGroup, lookupCrd } from './crds';
import { applyApiServerDefaults } from './defaults';
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
import { advisoriesFor, UpstreamComponent } from '../upstream/catalog';
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

function entryOf(input: ValidationInput, index: number, versions: ResolvedOptions['versions']): Entry {
  const written = input.doc;
  const apiVersion = typeof written.apiVersion === 'string' ? written.apiVersion : '';
  const slash = apiVersion.lastIndexOf('/');
  const group = slash < 0 ? '' : apiVersion.slice(0, slash);
  const version = slash < 0 ? apiVersion : apiVersion.slice(slash + 1);
  const kind = typeof written.kind === 'string' ? written.kind : '';
  const trusted = input.trusted === true;
  // Every rule, the schema's included, judges what the API server would store (upstream installs are as shipped).
  let doc = written;
  const component = trusted ? undefined : componentOfGroup(group);
  const crd = component ? lookupCrd(component, versions[component], group, kind, version) : undefined;
  if (crd?.status === 'found') doc = applyApiServerDefaults(written, crd.crd.schema, crd.crd.key);
  const metadata = doc.metadata;
  return {
    doc,
    written,
    index,
    trusted,
    source: input.source,
    kind,
    group,
    version,
    namespace: typeof metadata?.namespace === 'string' ? metadata.namespace : '',
    name: typeof metadata?.name === 'string' ? metadata.name : '',
    crd,
    // Filled when first asked (cluster-model.ts); present from the start, so that every entry has one shape.
    plugins: undefined,
    externalClusters: undefined,
  };
}

/**
 * Validates a set of manifests as one unit (references resolve across the whole set).
 * Throws only for an unknown version in `options`; every problem with the manifests is a finding.
 */
export function validateManifests(inputs: readonly ValidationInput[], options: ValidationOptions = {}): Finding[] {
  const versions: ResolvedOptions['versions'] = {
    'cnpg': resolveVersion('cnpg', options.cnpgVersion),
    'plugin-barman-cloud': resolveVersion('plugin-barman-cloud', options.pluginVersion),
    'cert-manager': resolveVersion('cert-manager', options.certManagerVersion),
  };
  const ctx = new ValidationContext(inputs.map((input, i) => entryOf(input, i, versions)), {
    versions,
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

/** The names messages give the components, and the flag or enum a user changes. */
const ADVISORY_LABEL: Readonly<Record<UpstreamComponent, string>> = { 'cnpg': 'CNPG', 'plugin-barman-cloud': 'Barman Cloud plugin', 'cert-manager': 'cert-manager' };

/**
 * One warning line per known backup/restore bug of the versions in use (`src/upstream/catalog.ts` ADVISORIES):
 * `CNPG 1.28.0 has cloudnative-pg #10818: … — fixed in 1.28.4, 1.29.2, 1.30.0 (url)`. Versions are resolved
 * as `validateManifests` resolves them; an unknown one throws.
 */
export function advisoryWarnings(options: Pick<ValidationOptions, 'cnpgVersion' | 'pluginVersion' | 'certManagerVersion'> = {}): string[] {
  const versions: Record<UpstreamComponent, string> = {
    'cnpg': resolveVersion('cnpg', options.cnpgVersion),
    'plugin-barman-cloud': resolveVersion('plugin-barman-cloud', options.pluginVersion),
    'cert-manager': resolveVersion('cert-manager', options.certManagerVersion),
  };
  return (Object.keys(versions) as UpstreamComponent[]).flatMap(component => advisoriesFor(component, versions[component]).map(a =>
    `${ADVISORY_LABEL[component]} ${versions[component]} has ${a.id}: ${a.summary} — fixed in ${a.fixedIn.join(', ')}; upgrade to the newest patch of your line (${a.url})`));
}
