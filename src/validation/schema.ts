/**
 * Structural schema of the exact upstream CRDs of the versions in use ([U] the CRDs in the install manifests:
 * CNPG `postgresql.cnpg.io`, plugin `barmancloud.cnpg.io` ObjectStore, cert-manager kinds). Unknown fields are
 * rejected the way `kubectl --validate=strict` rejects them (the API server itself would prune them silently).
 */
import type Ajv from 'ajv';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { Entry, isObj, Obj, ValidationContext } from './context';
import { COMPONENT_LABEL, componentOfGroup, CrdVersion, lookupCrd } from './crds';
import { joinPath, show } from './finding';
import { Deferred, structuralCheck, StructuralCheck } from './structural-check';
import { compareVersions, supportedVersions, UpstreamComponent } from '../upstream/catalog';
import { packageVersion, requireDerived, validatorIndexPath, validatorPath } from '../upstream/derived';
import { sha256Of } from '../upstream/locate';

/**
 * Where upstream introduced a field or value, when our catalog skips that release. From [P] CHANGELOG.md and
 * `git log -S` on api/v1/objectstore_types.go (UPSTREAM-FACTS §3).
 */
const UPSTREAM_INTRODUCED: Readonly<Record<string, string>> = {
  'barmancloud.cnpg.io/ObjectStore spec.configuration.data.restoreAdditionalCommandArgs': 'v0.13.0',
  'barmancloud.cnpg.io/ObjectStore spec.configuration.data.compression=lz4': 'v0.13.0',
  'barmancloud.cnpg.io/ObjectStore spec.configuration.azureCredentials.useDefaultAzureCredentials': 'v0.11.0',
};

// Only the metadata fields users write are checked; the API server owns the rest of ObjectMeta.
const METADATA_SCHEMA = {
  type: 'object',
  properties: {
    name: { type: 'string' },
    namespace: { type: 'string' },
    labels: { type: 'object', additionalProperties: { type: 'string' } },
    annotations: { type: 'object', additionalProperties: { type: 'string' } },
  },
};

/** Turns a Kubernetes structural schema into a JSON schema ajv understands, closed against unknown fields. */
export function toJsonSchema(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(toJsonSchema);
  if (!isObj(node)) return node;
  return toJsonSchemaNode(node, toJsonSchema);
}

/** `toJsonSchema` of one node, with `sub` applied to each of its subschemas (`toJsonSchema` itself, or a deferral). */
function toJsonSchemaNode(node: Obj, sub: (schema: unknown) => unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    if (key.startsWith('x-kubernetes-') || key === 'nullable') continue;
    if (key === 'properties' && isObj(value)) {
      out.properties = Object.fromEntries(Object.entries(value).map(([k, v]) => [k, sub(v)]));
    } else if (['items', 'additionalProperties', 'not'].includes(key) && isObj(value)) {
      out[key] = sub(value);
    } else if (['anyOf', 'allOf', 'oneOf'].includes(key)) {
      out[key] = Array.isArray(value) ? value.map(sub) : sub(value);
    } else {
      out[key] = value;
    }
  }
  if (node['x-kubernetes-int-or-string'] === true) {
    delete out.type;
    if (!out.anyOf) out.anyOf = [{ type: 'integer' }, { type: 'string' }];
  }
  if (node.nullable === true && typeof out.type === 'string') out.type = [out.type, 'null'];
  const preservesUnknown = node['x-kubernetes-preserve-unknown-fields'] === true;
  if (isObj(node.properties) && !preservesUnknown && node.additionalProperties === undefined) {
    out.additionalProperties = false;
  }
  return out;
}

/** `toJsonSchema` with each subschema deferred: transformed when the structural check first reaches it. */
function deferredJsonSchema(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(deferredJsonSchema);
  return isObj(schema) ? new Deferred(() => toJsonSchemaNode(schema, deferredJsonSchema)) : schema;
}

const AJV_OPTIONS = { strict: false, allErrors: true, verbose: true, validateSchema: false } as const;

let ajv: Ajv | undefined;
let toolchainId: string | undefined;
/** Validators by CRD key, and by validator key (releases often share a schema). */
const compiled = new Map<string, ValidateFunction>();
const byValidatorKey = new Map<string, ValidateFunction>();

/** The JSON schema ajv compiles for a CRD version: the transformed CRD schema with our metadata schema. */
export function jsonSchemaOf(crd: CrdVersion): Record<string, unknown> {
  return withMetadata(toJsonSchema(crd.schema) as Record<string, unknown>);
}

function withMetadata(root: Record<string, unknown>): Record<string, unknown> {
  const properties = isObj(root.properties) ? root.properties : {};
  return { ...root, properties: { ...properties, metadata: METADATA_SCHEMA } };
}

/** What the generated code depends on besides the schema: the ajv and ajv-formats versions and options. */
function toolchain(): string {
  toolchainId ??= JSON.stringify([packageVersion('ajv'), packageVersion('ajv-formats'), AJV_OPTIONS]);
  return toolchainId;
}

/** The name of a compiled validator: the digest of exactly what ajv compiles and with which ajv. */
function validatorKey(schema: Record<string, unknown>): string {
  return sha256Of(JSON.stringify([toolchain(), schema]));
}

function newAjv(options: object): Ajv {
  /* eslint-disable @typescript-eslint/no-require-imports */
  const AjvClass = (require('ajv') as typeof import('ajv')).default;
  const addFormats = (require('ajv-formats') as typeof import('ajv-formats')).default;
  /* eslint-enable @typescript-eslint/no-require-imports */
  const instance = new AjvClass({ ...AJV_OPTIONS, ...options });
  addFormats(instance);
  return instance;
}

/**
 * A CRD version's validator, once per process and only for kinds present: the standalone code compiled at package
 * time (`derived/validators`, loaded with `require`) when the package has it, else compiled here in memory.
 */
export function validatorFor(crd: CrdVersion): ValidateFunction {
  let validate = compiled.get(crd.key);
  if (!validate) {
    // The package's index names the validator of each CRD version of each catalog file, so a synth neither
    // transforms nor hashes a schema the package already compiled.
    const indexed = requireDerived<Record<string, string>>(validatorIndexPath())?.[crd.key];
    validate = indexed === undefined ? undefined : byValidatorKey.get(indexed) ?? loadDerivedValidator(indexed);
    if (validate) {
      byValidatorKey.set(indexed!, validate);
    } else {
      const schema = jsonSchemaOf(crd);
      const key = validatorKey(schema);
      validate = byValidatorKey.get(key) ?? loadDerivedValidator(key) ?? (ajv ??= newAjv({})).compile(schema);
      byValidatorKey.set(key, validate);
    }
    compiled.set(crd.key, validate);
  }
  return validate;
}

/** Structural checks by CRD key. */
const structuralChecks = new Map<string, StructuralCheck>();

/**
 * The structural check of a CRD version's JSON schema (`jsonSchemaOf`), made once per process. Its nodes are
 * transformed and prepared as objects reach them: a Cluster schema is large, and most of it is never reached.
 */
export function structuralCheckFor(crd: CrdVersion): StructuralCheck {
  let check = structuralChecks.get(crd.key);
  if (!check) {
    check = structuralCheck(withMetadata(toJsonSchemaNode(crd.schema, deferredJsonSchema)));
    structuralChecks.set(crd.key, check);
  }
  return check;
}

function loadDerivedValidator(key: string): ValidateFunction | undefined {
  const mod = requireDerived<ValidateFunction & { default?: ValidateFunction }>(validatorPath(key));
  return mod?.default ?? mod;
}

/**
 * The standalone validator code of a CRD version, for the package-time build (`npx projen derive-upstream`):
 * a CommonJS module that requires only `ajv/dist/runtime/*` and `ajv-formats/dist/formats`.
 */
export function standaloneValidator(crd: CrdVersion): { readonly key: string; readonly code: string } {
  const schema = jsonSchemaOf(crd);
  // With `code.source`, ajv-formats makes the generated code require its formats from `ajv-formats/dist/formats`.
  const instance = newAjv({ code: { source: true } });
  const validate = instance.compile(schema);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const standaloneCode = (require('ajv/dist/standalone') as typeof import('ajv/dist/standalone')).default;
  return { key: validatorKey(schema), code: standaloneCode(instance, validate) };
}

/** `/spec/plugins/0/parameters` → `spec.plugins[0].parameters`. */
export function pointerToPath(pointer: string): string {
  if (!pointer) return '';
  return pointer.slice(1).split('/').map(s => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce((path, seg) => joinPath(path, /^\d+$/.test(seg) ? Number(seg) : seg), '');
}

/** The field path a schema error is about (for unknown and missing fields, the field itself). */
function errorPath(e: ErrorObject): string {
  const base = pointerToPath(e.instancePath);
  if (e.keyword === 'additionalProperties') return joinPath(base, String(e.params.additionalProperty));
  if (e.keyword === 'required') return joinPath(base, String(e.params.missingProperty));
  return base;
}

/** Drops the noise ajv reports for the branches of an `anyOf` (e.g. int-or-string) once the anyOf itself failed. */
function significantErrors(errors: readonly ErrorObject[]): ErrorObject[] {
  const anyOfs = errors.filter(e => e.keyword === 'anyOf');
  return errors.filter(e => e.keyword === 'anyOf'
    || !anyOfs.some(a => a.instancePath === e.instancePath && e.schemaPath.startsWith(a.schemaPath + '/')));
}

/** Whether a release's CRD accepts what `error` complains about (the same error is absent from its result). */
function releaseAccepts(component: UpstreamComponent, release: string, entry: Entry, error: ErrorObject): boolean {
  const lookup = lookupCrd(component, release, entry.group, entry.kind, entry.version);
  if (lookup.status !== 'found') return false;
  const validate = validatorFor(lookup.crd);
  if (validate(entry.doc)) return true;
  return !(validate.errors ?? []).some(e => e.keyword === error.keyword && e.instancePath === error.instancePath
    && JSON.stringify(e.params) === JSON.stringify(error.params));
}

/** For a field or value the chosen release lacks: the oldest catalog release that has it, computed on failure only. */
function introducedIn(component: UpstreamComponent, current: string, entry: Entry, error: ErrorObject, path: string): string | undefined {
  const newer = supportedVersions(component).filter(v => compareVersions(v, current) > 0);
  const first = newer.find(v => releaseAccepts(component, v, entry, error));
  if (!first) return undefined;
  const label = COMPONENT_LABEL[component];
  const key = error.keyword === 'enum' ? `${entry.group}/${entry.kind} ${path}=${String(error.data)}` : `${entry.group}/${entry.kind} ${path}`;
  const upstream = UPSTREAM_INTRODUCED[key];
  return `available from ${label} ${first} in this catalog${upstream ? ` (upstream: ${upstream})` : ''}`;
}

/**
 * How to write a value of the wanted type. A boolean or number where a string is wanted is almost always YAML
 * reading an unquoted word: Kubernetes reads YAML 1.1, where on/off/yes/no are booleans and 0755 is a number.
 */
function typeFix(e: ErrorObject, path: string): string {
  const wanted = String(e.params.type);
  if (wanted.split(',').includes('string') && (typeof e.data === 'boolean' || typeof e.data === 'number')) {
    // PostgreSQL reads on/off as booleans; elsewhere the text "true"/"false" is the usual spelling.
    const postgres = /^spec\.postgresql\.parameters\b/.test(path);
    const text = typeof e.data === 'number' ? String(e.data) : postgres ? (e.data ? 'on' : 'off') : String(e.data);
    return `quote it: ${JSON.stringify(text)} (unquoted, YAML reads ${typeof e.data === 'boolean' ? 'on/off/yes/no/true/false as a boolean' : 'it as a number'}, and the API server refuses a ${typeof e.data} here)`;
  }
  return `write a value of type ${wanted}`;
}

function describe(e: ErrorObject, where: string, path: string): { message: string; fix: string } {
  const schema = isObj(e.parentSchema) ? e.parentSchema : {};
  switch (e.keyword) {
    case 'additionalProperties': {
      const known = isObj(schema.properties) ? Object.keys(schema.properties).sort() : [];
      return {
        message: `unknown field ${show(e.params.additionalProperty)}: not in ${where}`,
        fix: known.length ? `remove it or use one of the fields defined here: ${known.join(', ')}` : 'remove it',
      };
    }
    case 'required':
      return { message: `missing required field ${show(e.params.missingProperty)} in ${where}`, fix: `set ${String(e.params.missingProperty)}` };
    case 'enum':
      return {
        message: `${show(e.data)} is not allowed by ${where}`,
        fix: `use one of ${(e.params.allowedValues as unknown[]).map(show).join(', ')}`,
      };
    case 'anyOf':
      return { message: `must be an integer or a string, got ${show(e.data)}`, fix: 'write a number like 5 or a string like "5%"' };
    case 'type':
      return { message: `must be of type ${String(e.params.type)}, got ${show(e.data)}`, fix: typeFix(e, path) };
    case 'pattern':
      return { message: `${show(e.data)} does not match the pattern ${show(e.params.pattern)} of ${where}`, fix: 'write a value matching that pattern' };
    case 'format':
      return { message: `${show(e.data)} is not a valid ${String(e.params.format)}`, fix: `write a valid ${String(e.params.format)}` };
    default:
      return { message: `${e.message ?? 'is invalid'}, got ${show(e.data)} (${where})`, fix: `fix the value (${e.keyword} ${show(e.schema)})` };
  }
}

/** Checks every untrusted object of a group we know against its CRD. */
export function checkSchemas(ctx: ValidationContext): void {
  for (const entry of ctx.entries) {
    if (entry.trusted) continue;
    const component = componentOfGroup(entry.group);
    if (!component) continue;
    const release = ctx.options.versions[component];
    const lookup = entry.crd ?? lookupCrd(component, release, entry.group, entry.kind, entry.version);
    // Most objects are valid: the structural check says so without the compiled validator, which is loaded only
    // for an object it refuses (and then has the last word, with ajv's messages).
    if (lookup.status === 'found' && structuralCheckFor(lookup.crd)(entry.doc)) continue;
    const label = `${COMPONENT_LABEL[component]} ${release}`;
    if (lookup.status === 'unknown-kind') {
      ctx.error(entry, 'kind', `kind ${show(entry.kind)} is not defined in ${entry.group} by ${label}`,
        `use one of ${lookup.kinds.join(', ')}`);
      continue;
    }
    if (lookup.status === 'unknown-version') {
      ctx.error(entry, 'apiVersion', `${show(entry.doc.apiVersion)} is not served by ${label}`,
        `use apiVersion ${lookup.versions.map(v => show(`${entry.group}/${v}`)).join(' or ')}`);
      continue;
    }
    const validate = validatorFor(lookup.crd);
    if (validate(entry.doc)) continue;
    const where = `${entry.group} ${entry.kind} of ${label}`;
    for (const e of significantErrors(validate.errors ?? [])) {
      const path = errorPath(e);
      const { message, fix } = describe(e, where, path);
      const newer = e.keyword === 'additionalProperties' || e.keyword === 'enum' ? introducedIn(component, release, entry, e, path) : undefined;
      if (newer) {
        ctx.error(entry, path, `${message} (${newer})`, `use a newer ${COMPONENT_LABEL[component]} version, or ${fix}`);
      } else {
        ctx.error(entry, path, message, fix);
      }
    }
  }
}
