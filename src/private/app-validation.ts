import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';
import { show } from './errors';
import { newestRelease, UpstreamComponent } from '../upstream/catalog';
import { UpstreamObject } from '../upstream/include';
import { advisoryWarnings, Finding, validateManifests, ValidationInput } from '../validation';
import { COMPONENT_LABEL } from '../validation/crds';

/** How the app meets an upstream component: installed by one of our constructs, or declared as installed elsewhere. */
interface ComponentVersion {
  readonly scope: IConstruct;
  readonly component: UpstreamComponent;
  readonly version: string;
  readonly installed: boolean;
}

const KEY = Symbol.for('cdk8s-cnpg.AppValidationState');
const COMPONENTS: readonly UpstreamComponent[] = ['cnpg', 'plugin-barman-cloud', 'cert-manager'];

/**
 * The validation state of one app (held by its root construct, never by the process): which versions it runs
 * against, the objects declared to exist outside it, the constructs whose objects are validated, and whether
 * every other object is checked too.
 *
 * Each owning construct (BackedUpPostgres, PitrRestore, the installs) carries a validation that reports the
 * findings on the objects it renders, under its own path. The rules run once per synth over all objects of the
 * app (references resolve across charts), objects of other owners reported by them, foreign objects only when
 * `AppValidation.of(app).validateAll()` asked for it. Nothing survives a synth: a pass is computed by the first
 * owner cdk8s validates and consumed by the others in the same validation loop; the root's validation, which
 * cdk8s runs first, discards any earlier pass.
 */
export class AppValidationState {
  public static of(scope: IConstruct): AppValidationState {
    const root = scope.node.root as IConstruct & { [KEY]?: AppValidationState };
    if (!root[KEY]) {
      const state = new AppValidationState(root);
      Object.defineProperty(root, KEY, { value: state });
      root.node.addValidation({ validate: () => state.startPass() });
    }
    return root[KEY]!;
  }

  public readonly versions: ComponentVersion[] = [];
  public readonly externalRefs = new Set<string>();
  private readonly owners = new Set<IConstruct>();
  private readonly hooked = new WeakSet<IConstruct>();
  private all = false;
  private pending?: Map<IConstruct, string[]>;
  private readonly warned = new Set<string>();

  private constructor(private readonly root: IConstruct) {}

  /** Makes `owner` validate the objects it renders (the API objects under it that no nested owner claims). */
  public addOwner(owner: IConstruct): void {
    if (this.owners.has(owner)) return;
    this.owners.add(owner);
    this.hook(owner);
  }

  /** Checks every API object of the app, reporting each under its own path. */
  public validateAll(): void {
    this.all = true;
  }

  /** Whether every API object of the app is checked. */
  public get validatesAll(): boolean {
    return this.all;
  }

  private hook(c: IConstruct): void {
    if (this.hooked.has(c)) return;
    this.hooked.add(c);
    c.node.addValidation({ validate: () => this.messagesFor(c) });
  }

  /** The root's validation: drops any earlier pass; with validateAll, hooks objects added since the last synth. */
  private startPass(): string[] {
    this.pending = undefined;
    if (this.all) {
      for (const o of this.root.node.findAll()) if (o instanceof ApiObject && !this.ownerOf(o)) this.hook(o);
    }
    return [];
  }

  private messagesFor(c: IConstruct): string[] {
    if (!this.pending?.has(c)) this.pending = this.computePass();
    const messages = this.pending.get(c) ?? [];
    this.pending.delete(c);
    return messages;
  }

  /** The nearest owner of an API object (itself included), or undefined when none of our constructs renders it. */
  private ownerOf(o: IConstruct): IConstruct | undefined {
    for (const c of [...o.node.scopes].reverse()) if (this.owners.has(c)) return c;
    return undefined;
  }

  /** Runs every rule over the app as it is now; messages by reporting construct. */
  private computePass(): Map<IConstruct, string[]> {
    const out = new Map<IConstruct, string[]>();
    const report = (c: IConstruct, message: string) => {
      const list = out.get(c) ?? [];
      list.push(message);
      out.set(c, list);
    };
    for (const owner of this.owners) out.set(owner, []);

    const chosen: Partial<Record<UpstreamComponent, string>> = {};
    for (const component of COMPONENTS) {
      const declared = this.versions.filter(v => v.component === component);
      const distinct = [...new Set(declared.map(v => v.version))];
      if (distinct.length > 1) {
        const first = declared[0];
        for (const other of declared.filter(v => v.version !== first.version)) {
          report(other.scope, `version: the app runs ${COMPONENT_LABEL[component]} ${first.version} (${first.scope.node.path}) and ${other.version} here, got ${show(other.version)}; use one version of ${COMPONENT_LABEL[component]} per app`);
        }
      }
      chosen[component] = distinct[0];
    }

    const objects = this.root.node.findAll().filter((c): c is ApiObject => c instanceof ApiObject);
    const owners = objects.map(o => this.ownerOf(o));
    // An unmodified upstream document is only indexed (for references): take it as parsed, not re-resolved.
    const inputs: ValidationInput[] = objects.map((o, i) => ({
      doc: UpstreamObject.isUpstreamObject(o) && !o.modified ? o.document : o.toJson(),
      source: o.node.path,
      // Foreign objects are indexed for references only, unless every object is checked; unmodified upstream
      // documents are verified by digest.
      trusted: (UpstreamObject.isUpstreamObject(o) && !o.modified) || (!owners[i] && !this.all),
    }));
    if (!inputs.some(i => !i.trusted)) return out;

    const findings = validateManifests(inputs, {
      cnpgVersion: chosen.cnpg,
      pluginVersion: chosen['plugin-barman-cloud'],
      certManagerVersion: chosen['cert-manager'],
      externalRefs: this.externalRefs,
      unresolvedReferences: 'error',
      plaintextSecrets: 'error',
    });
    // Known backup/restore bugs of the versions the app installs, on the install that pins them.
    for (const install of this.versions) {
      const pinned = install.component === 'cnpg' ? { cnpgVersion: install.version }
        : install.component === 'plugin-barman-cloud' ? { pluginVersion: install.version } : { certManagerVersion: install.version };
      for (const a of advisoryWarnings(pinned)) {
        const line = `[${install.scope.node.path}] ${a}`;
        if (!this.warned.has(line)) {
          this.warned.add(line);
          process.stderr.write(`cdk8s-cnpg warning: ${line}\n`);
        }
      }
    }
    for (const f of findings) {
      const owner = owners[f.docIndex] ?? (this.all ? objects[f.docIndex] : undefined);
      if (!owner) continue;
      const message = formatObjectFinding(f);
      if (f.severity === 'error') report(owner, message);
      else this.warn(`[${owner.node.path}] ${message}`);
    }
    this.warnAssumedVersions(chosen, inputs);
    return out;
  }

  /** Says which version a check assumed when the app neither installs nor declares the component. */
  private warnAssumedVersions(chosen: Partial<Record<UpstreamComponent, string>>, inputs: readonly ValidationInput[]): void {
    const groups: Record<UpstreamComponent, RegExp> = {
      'cnpg': /^postgresql\.cnpg\.io\//,
      'plugin-barman-cloud': /^barmancloud\.cnpg\.io\//,
      'cert-manager': /^(acme\.)?cert-manager\.io\//,
    };
    for (const component of COMPONENTS) {
      if (chosen[component] || !inputs.some(i => !i.trusted && groups[component].test(String(i.doc.apiVersion)))) continue;
      const enumName = { 'cnpg': 'CnpgOperator', 'plugin-barman-cloud': 'BarmanPlugin', 'cert-manager': 'CertManager' }[component];
      this.warn(`the app neither installs nor declares ${COMPONENT_LABEL[component]}: its objects were checked against ${COMPONENT_LABEL[component]} ${newestRelease(component).version}, the newest in the catalog; `
        + `declare the version your cluster runs with ${enumName}.fromExisting(scope, id, { version })`);
    }
  }

  /** Prints a warning on stderr, once per app. */
  public warn(message: string): void {
    if (this.warned.has(message)) return;
    this.warned.add(message);
    process.stderr.write(`cdk8s-cnpg warning: ${message}\n`);
  }
}

/**
 * One finding in the shape of a prop error, without the construct path cdk8s puts in front:
 * `<Kind> <field path>: <what is wrong>; <fix>`.
 */
export function formatObjectFinding(f: Finding): string {
  const name = f.name ? ` ${show(f.name)}` : '';
  return `${f.kind || 'object'}${name} ${f.path || '(object)'}: ${f.message}; ${f.fix}`;
}

/** Records the version of an upstream component the app runs: installed by `scope`, or declared as installed elsewhere. */
export function registerVersion(scope: IConstruct, component: UpstreamComponent, version: string, installed: boolean): void {
  const state = AppValidationState.of(scope);
  state.versions.push({ scope, component, version, installed });
  state.addOwner(scope);
}

/** The constructs that install or declare a component in the app of `scope`. */
export function componentsIn(scope: IConstruct, component: UpstreamComponent): IConstruct[] {
  return AppValidationState.of(scope).versions.filter(v => v.component === component).map(v => v.scope);
}

/** Makes `owner` validate the objects it renders. */
export function validateOwnObjects(owner: IConstruct): void {
  AppValidationState.of(owner).addOwner(owner);
}

/** Declares an object that exists outside this app (references to it are then not errors). */
export function declareExternal(scope: IConstruct, kind: string, namespace: string | undefined, name: string): void {
  AppValidationState.of(scope).externalRefs.add(`${kind}/${namespace ?? ''}/${name}`);
}

/** Prints a warning once per app (the app of `scope`). */
export function warnOnce(scope: IConstruct, message: string): void {
  AppValidationState.of(scope).warn(message);
}
