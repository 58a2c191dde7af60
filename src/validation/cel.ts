/**
 * The CRDs' CEL rules (`x-kubernetes-validations` in the upstream CRDs), evaluated with @bufbuild/cel the way the
 * API server evaluates them on create: integer-schema fields are CEL ints (BigInt), transition rules (those that
 * read `oldSelf`) are skipped because there is no old object on create.
 */
import type { CelEnv } from '@bufbuild/cel';
import { evaluateLite, parseLite, UNSUPPORTED } from './cel-lite';
import { Entry, isObj, Obj, ValidationContext } from './context';
import { componentOfGroup, CrdVersion, lookupCrd } from './crds';
import { joinPath } from './finding';

type Evaluate = (self: unknown) => unknown;

/** A parsed and planned rule. */
interface Program {
  readonly evaluate: Evaluate;
  /**
   * When the rule reads `self` only as `self.<field>` (or `has(self.<field>)`): those fields. Such a rule on an
   * object needs only those fields converted, and its verdict depends only on their values.
   */
  readonly fields?: readonly string[];
}

interface CompiledRule {
  readonly rule: string;
  readonly message: string;
  readonly fieldPath?: string;
  /** Parsed and planned on first use: most rules never meet an object. */
  program?: Program;
  /** For a rule with `fields` all scalar or absent: whether it failed, by those values. */
  verdicts?: Map<string, boolean>;
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
const programs = new Map<string, Program>();
const trees = new Map<string, RuleNode | undefined>();

function cel(): CelModule {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  celModule ??= require('@bufbuild/cel') as CelModule;
  return celModule;
}

/**
 * The fields of `self` an expression reads, when it reads `self` only through field selections; undefined when
 * it uses `self` whole (`size(self)`, `self == …`, `self.all(…)`) or a comprehension rebinds the name.
 */
export function selfFields(expr: unknown): string[] | undefined {
  const fields = new Set<string>();
  let whole = false;
  const visit = (node: unknown): void => {
    if (whole || typeof node !== 'object' || node === null) return;
    if (Array.isArray(node)) {
      node.forEach(visit);
      return;
    }
    const n = node as { $typeName?: string; exprKind?: { case?: string; value?: Record<string, unknown> } };
    if (n.$typeName === 'cel.expr.Expr' && n.exprKind) {
      const { case: kind, value } = n.exprKind;
      if (kind === 'identExpr' && value?.name === 'self') {
        whole = true;
        return;
      }
      if (kind === 'selectExpr' && value) {
        const operand = value.operand as typeof n | undefined;
        if (operand?.exprKind?.case === 'identExpr' && operand.exprKind.value?.name === 'self' && typeof value.field === 'string') {
          fields.add(value.field);
          return;
        }
      }
      if (kind === 'comprehensionExpr' && value && ['iterVar', 'iterVar2', 'accuVar'].some(k => value[k] === 'self')) {
        whole = true;
        return;
      }
    }
    for (const [key, child] of Object.entries(node)) if (key !== '$typeName') visit(child);
  };
  visit(expr);
  return whole ? undefined : [...fields].sort();
}

function planRule(rule: string): Program {
  const { celEnv, parse, plan } = cel();
  env ??= celEnv();
  const parsed = parse(rule);
  const planned = plan(env, parsed);
  return { evaluate: (self: unknown) => planned({ self } as never), fields: selfFields(parsed.expr) };
}

/** A rule's program: the small evaluator for the usual `has(self.f)` shapes (see cel-lite.ts), else @bufbuild/cel. */
function compileRule(rule: string): Program {
  let program = programs.get(rule);
  if (!program) {
    const lite = parseLite(rule);
    if (lite) {
      let full: Program | undefined;
      program = {
        fields: lite.fields,
        evaluate: (self: unknown) => {
          const result = evaluateLite(lite, self);
          if (result !== UNSUPPORTED) return result;
          full ??= planRule(rule);
          return full.evaluate(self);
        },
      };
    } else {
      program = planRule(rule);
    }
    programs.set(rule, program);
  }
  return program;
}

/** A JSON scalar that converts and keys unambiguously (no NaN, infinities or -0). */
function isPlainScalar(v: unknown): boolean {
  return v === null || typeof v === 'string' || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v) && !Object.is(v, -0));
}

const MAX_VERDICTS = 1_000;

/**
 * Whether a rule that reads only some fields of `self` fails on an object: converts those fields alone, and
 * when they are all scalars or absent, evaluates once per distinct combination of their values.
 */
function failsOnFields(r: CompiledRule, fields: readonly string[], value: Obj, schema: Obj): boolean {
  const props = isObj(schema.properties) ? schema.properties : undefined;
  const additional = isObj(schema.additionalProperties) ? schema.additionalProperties : undefined;
  const self: Record<string, unknown> = {};
  let key: string | undefined = '';
  for (const f of fields) {
    if (!Object.prototype.hasOwnProperty.call(value, f)) {
      if (key !== undefined) key += '-,';
      continue;
    }
    const v = value[f];
    self[f] = toCel(v, props && isObj(props[f]) ? props[f] : additional);
    key = key !== undefined && isPlainScalar(v) ? `${key}${JSON.stringify(v)},` : undefined;
  }
  if (key === undefined) return r.program!.evaluate(self) === false;
  r.verdicts ??= new Map();
  let fails = r.verdicts.get(key);
  if (fails === undefined) {
    fails = r.program!.evaluate(self) === false;
    if (r.verdicts.size >= MAX_VERDICTS) r.verdicts.clear();
    r.verdicts.set(key, fails);
  }
  return fails;
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
function walk(ctx: ValidationContext, entry: Entry, node: RuleNode, value: unknown, converted: unknown, segments: (string | number)[]): void {
  if (value === undefined || value === null) return;
  for (const r of node.rules) {
    const program = r.program ??= compileRule(r.rule);
    // An evaluation error (a missing Kubernetes CEL library function, a type quirk) is not a verdict on the
    // object: reporting it would reject valid input, so only a clean `false` counts (a CelError is an object).
    let fails: boolean;
    if (program.fields && isObj(value)) {
      fails = failsOnFields(r, program.fields, value, node.schema);
    } else {
      if (converted === UNCONVERTED) converted = toCel(value, node.schema);
      fails = program.evaluate(converted) === false;
    }
    if (!fails) continue;
    const path = segments.reduce<string>((p, k) => joinPath(p, k), '');
    const at = r.fieldPath ? `${path}${r.fieldPath.startsWith('.') || r.fieldPath.startsWith('[') ? '' : '.'}${r.fieldPath}` : path;
    ctx.error(entry, at, r.message.charAt(0).toLowerCase() + r.message.slice(1), `change the object so that the CRD rule ${JSON.stringify(r.rule)} holds`);
  }
  if (isObj(value)) {
    const convertedObj = converted !== UNCONVERTED && isObj(converted) ? converted : undefined;
    for (const [key, child] of node.properties) {
      const v = value[key];
      if (v === undefined || v === null) continue;
      segments.push(key);
      walk(ctx, entry, child, v, convertedObj ? convertedObj[key] : UNCONVERTED, segments);
      segments.pop();
    }
    if (node.additionalProperties) {
      // toCel converted a key with the property's schema when there is one: reuse only what the schema agrees on.
      const props = isObj(node.schema.properties) ? node.schema.properties : undefined;
      for (const [key, v] of Object.entries(value)) {
        if (node.properties.has(key)) continue;
        const sameSchema = convertedObj && !(props && isObj(props[key]));
        segments.push(key);
        walk(ctx, entry, node.additionalProperties, v, sameSchema ? convertedObj[key] : UNCONVERTED, segments);
        segments.pop();
      }
    }
  } else if (Array.isArray(value) && node.items) {
    const convertedList = converted !== UNCONVERTED && Array.isArray(converted) ? converted : undefined;
    value.forEach((v, i) => {
      segments.push(i);
      walk(ctx, entry, node.items!, v, convertedList ? convertedList[i] : UNCONVERTED, segments);
      segments.pop();
    });
  }
}

/** Evaluates the CRD rules of every untrusted object of a group we know. */
export function checkCelRules(ctx: ValidationContext): void {
  for (const entry of ctx.entries) {
    if (entry.trusted) continue;
    const component = componentOfGroup(entry.group);
    if (!component) continue;
    const lookup = entry.crd ?? lookupCrd(component, ctx.options.versions[component], entry.group, entry.kind, entry.version);
    if (lookup.status !== 'found') continue;
    const tree = treeFor(lookup.crd);
    // The path of a node is kept as its segments and joined only for a finding.
    if (tree) walk(ctx, entry, tree, entry.doc, UNCONVERTED, []);
  }
}
