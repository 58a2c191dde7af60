import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';
import { UpstreamComponent } from '../upstream/catalog';
import { UpstreamObject } from '../upstream/include';
import { advisoryWarnings, formatFinding, validateManifests, ValidationInput } from '../validation';

/** An upstream install placed in the app, so validation uses that version's schemas. */
interface Install {
  readonly scope: IConstruct;
  readonly component: UpstreamComponent;
  readonly version: string;
}

const KEY = Symbol.for('cdk8s-cnpg.AppValidation');

/**
 * The one validation of a whole app: every API object of every chart, checked by the same rules as the
 * `cdk8s-cnpg validate` CLI, against the CRDs of the versions the app installs. It hangs off the app's root so
 * cdk8s runs it before writing anything; a finding fails the synth with all findings listed.
 */
class AppValidation {
  public static of(scope: IConstruct): AppValidation {
    const root = scope.node.root as IConstruct & { [KEY]?: AppValidation };
    if (!root[KEY]) {
      const v = new AppValidation(root);
      Object.defineProperty(root, KEY, { value: v });
      root.node.addValidation({ validate: () => v.validate() });
    }
    return root[KEY]!;
  }

  public readonly installs: Install[] = [];
  public readonly externalRefs = new Set<string>();
  // cdk8s validates the app once per synth and again for every chart it writes: remember the last answer for
  // an unchanged tree.
  private cached?: { readonly nodes: number; readonly errors: string[] };
  private readonly warned = new Set<string>();

  private constructor(private readonly root: IConstruct) {}

  private validate(): string[] {
    const nodes = this.root.node.findAll();
    if (this.cached?.nodes === nodes.length) return this.cached.errors;

    const errors: string[] = [];
    const versionOf = (component: UpstreamComponent): string | undefined => {
      const versions = [...new Set(this.installs.filter(i => i.component === component).map(i => i.version))];
      if (versions.length > 1) {
        errors.push(`[${this.installs.find(i => i.component === component)!.scope.node.path}] version: the app installs ${component} ${versions.join(' and ')}; install one version per app`);
      }
      return versions[0];
    };
    const cnpgVersion = versionOf('cnpg');
    const pluginVersion = versionOf('plugin-barman-cloud');
    const certManagerVersion = versionOf('cert-manager');

    const objects = nodes.filter((c): c is ApiObject => c instanceof ApiObject);
    const inputs: ValidationInput[] = objects.map(o => ({
      doc: o.toJson(),
      source: o.node.path,
      trusted: UpstreamObject.isUpstreamObject(o),
    }));
    const findings = validateManifests(inputs, {
      cnpgVersion,
      pluginVersion,
      certManagerVersion,
      externalRefs: this.externalRefs,
      unresolvedReferences: 'error',
    });
    // Known backup/restore bugs of the versions the app installs, on the install that pins them.
    for (const install of this.installs) {
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
      const line = `[${objects[f.docIndex].node.path}] ${formatFinding(f)}`;
      if (f.severity === 'error') {
        errors.push(line);
      } else if (!this.warned.has(line)) {
        this.warned.add(line);
        process.stderr.write(`cdk8s-cnpg warning: ${line}\n`);
      }
    }
    this.cached = { nodes: nodes.length, errors };
    return errors;
  }
}

/** Records an upstream install and makes sure the app is validated. */
export function registerInstall(scope: IConstruct, install: Omit<Install, 'scope'>): void {
  AppValidation.of(scope).installs.push({ scope, ...install });
}

/** Makes sure the app is validated. */
export function ensureAppValidation(scope: IConstruct): void {
  AppValidation.of(scope);
}

/** Declares an object that exists outside this app (references to it are then not errors). */
export function declareExternal(scope: IConstruct, kind: string, namespace: string | undefined, name: string): void {
  AppValidation.of(scope).externalRefs.add(`${kind}/${namespace ?? ''}/${name}`);
}

/** Prints a warning once per process. */
const printed = new Set<string>();
export function warnOnce(message: string): void {
  if (printed.has(message)) return;
  printed.add(message);
  process.stderr.write(`cdk8s-cnpg warning: ${message}\n`);
}
