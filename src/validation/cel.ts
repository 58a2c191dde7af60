/**
 * The CRDs' CEL rules (`x-kubernetes-validations` in the upstream CRDs), evaluated with @bufbuild/cel the way the
 * API server evaluates them on create: integer-schema fields are CEL ints (BigInt), transition rules (those that
 * read `oldSelf`) are skipped because there is no old object on create.
 */
import type { CelEnv } from '@bufbuild/cel';
import { Entry, isObj, Obj, ValidationContext } from './context';
import { componentOfGroup, CrdVersion, lookupCrd } from './crds';
import { joinPath } from './finding';

type Evaluate = (self: unknown) => unknown;

interface CompiledRule {
  readonly rule: string;
  readonly message: string;
  readonly fieldPath?: string;
  /** Parsed and planned on first use: most rules never meet an object. */
  evaluate?: Evaluate;
}

/** The schema tree pruned to the branches that carry rules, so objects are walked only where rules live. */
interface RuleNode {
  readonly schema: Obj;
  readonly rules: readonly CompiledRule[];
  readonly properties: ReadonlyMap<string, RuleNode>;
  readonly items?: RuleNode;
  readonly additionalProperties?: RuleNode;
}

type CelModule = typeof import('@bufbuild/cel');

/** @bufbuild/cel, loaded when the first rule is evaluated (a set without CRD rules never pays for it). */
let celModule: CelModule | undefined;
let env: CelEnv | undefined;
const programs = new Map<string, Evaluate>();
const trees = new Map<string, RuleNode | undefined>();

function cel(): CelModule {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  celModule ??= require('@bufbuild/cel') as CelModule;
  return celModule;
}

function compileRule(rule: string): Evaluate {
  let program = programs.get(rule);
  if (!program) {
    const { celEnv, parse, plan } = cel();
    env ??= celEnv();
    const planned = plan(env, parse(rule));
    program = (self: unknown) => planned({ self } as never);
    programs.set(rule, program);
  }
  return program;
}

function buildTree(schema: Obj): RuleNode | undefined {
  const rules: CompiledRule[] = [];
  const validations = Array.isArray(schema['x-kubernetes-validations']) ? schema['x-kubernetes-validations'].filter(isObj) : [];
  for (const v of validations) {
    const rule = typeof v.rule === 'string' ? v.rule : undefined;
    if (!rule || /\boldSelf\b/.test(rule)) continue;
    rules.push({
      rule,
      message: typeof v.message === 'string' ? v.message : `failed rule: ${rule}`,
      fieldPath: typeof v.fieldPath === 'string' ? v.fieldPath : undefined,
    });
  }
  const properties = new Map<string, RuleNode>();
  if (isObj(schema.properties)) {
    for (const [key, child] of Object.entries(schema.properties)) {
      const node = isObj(child) ? buildTree(child) : undefined;
      if (node) properties.set(key, node);
    }
  }
  const items = isObj(schema.items) ? buildTree(schema.items) : undefined;
  const additionalProperties = isObj(schema.additionalProperties) ? buildTree(schema.additionalProperties) : undefined;
  if (!rules.length && !properties.size && !items && !additionalProperties) return undefined;
  return { schema, rules, properties, items, additionalProperties };
}

function treeFor(crd: CrdVersion): RuleNode | undefined {
  if (!trees.has(crd.key)) trees.set(crd.key, buildTree(crd.schema));
  return trees.get(crd.key);
}

/** Converts plain data to CEL input following the schema: integers become BigInt, as in Kubernetes CEL. */
function toCel(value: unknown, schema: Obj | undefined): unknown {
  if (typeof value === 'number') {
    const integral = schema?.type === 'integer' || (schema?.['x-kubernetes-int-or-string'] === true && Number.isInteger(value));
    return integral && Number.isInteger(value) ? BigInt(value) : value;
  }
  if (Array.isArray(value)) return value.map(v => toCel(v, isObj(schema?.items) ? schema.items : undefined));
  if (isObj(value)) {
    const props = isObj(schema?.properties) ? schema.properties : undefined;
    const additional = isObj(schema?.additionalProperties) ? schema.additionalProperties : undefined;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = toCel(v, props && isObj(props[k]) ? props[k] : additional);
    return out;
  }
  return value;
}

/** Marks a value not converted for CEL yet (converted values are never undefined: walk skips undefined). */
const UNCONVERTED = Symbol('unconverted');

/**
 * Walks an object along the rule tree. The value is converted for CEL at the first node with rules and the
 * converted subtree is carried down, so that each part of a document is converted at most once.
 */
function walk(ctx: ValidationContext, entry: Entry, node: RuleNode, value: unknown, converted: unknown, path: string): void {
  if (value === undefined || value === null) return;
  if (node.rules.length) {
    if (converted === UNCONVERTED) converted = toCel(value, node.schema);
    for (const r of node.rules) {
      r.evaluate ??= compileRule(r.rule);
      const result = r.evaluate(converted);
      // An evaluation error (a missing Kubernetes CEL library function, a type quirk) is not a verdict on the
      // object: reporting it would reject valid input, so only a clean `false` counts (a CelError is an object).
      if (result !== false) continue;
      const at = r.fieldPath ? `${path}${r.fieldPath.startsWith('.') || r.fieldPath.startsWith('[') ? '' : '.'}${r.fieldPath}` : path;
      ctx.error(entry, at, r.message.charAt(0).toLowerCase() + r.message.slice(1), `change the object so that the CRD rule ${JSON.stringify(r.rule)} holds`);
    }
  }
  if (isObj(value)) {
    const convertedObj = converted !== UNCONVERTED && isObj(converted) ? converted : undefined;
    for (const [key, child] of node.properties) {
      const v = value[key];
      if (v !== undefined && v !== null) walk(ctx, entry, child, v, convertedObj ? convertedObj[key] : UNCONVERTED, joinPath(path, key));
    }
    if (node.additionalProperties) {
      // toCel converted a key with the property's schema when there is one: reuse only what the schema agrees on.
      const props = isObj(node.schema.properties) ? node.schema.properties : undefined;
      for (const [key, v] of Object.entries(value)) {
        if (node.properties.has(key)) continue;
        const sameSchema = convertedObj && !(props && isObj(props[key]));
        walk(ctx, entry, node.additionalProperties, v, sameSchema ? convertedObj[key] : UNCONVERTED, joinPath(path, key));
      }
    }
  } else if (Array.isArray(value) && node.items) {
    const convertedList = converted !== UNCONVERTED && Array.isArray(converted) ? converted : undefined;
    value.forEach((v, i) => walk(ctx, entry, node.items!, v, convertedList ? convertedList[i] : UNCONVERTED, joinPath(path, i)));
  }
}

/** Evaluates the CRD rules of every untrusted object of a group we know. */
export function checkCelRules(ctx: ValidationContext): void {
  for (const entry of ctx.entries) {
    if (entry.trusted) continue;
    const component = componentOfGroup(entry.group);
    if (!component) continue;
    const lookup = lookupCrd(component, ctx.options.versions[component], entry.group, entry.kind, entry.version);
    if (lookup.status !== 'found') continue;
    const tree = treeFor(lookup.crd);
    if (tree) walk(ctx, entry, tree, entry.doc, UNCONVERTED, '');
  }
}
