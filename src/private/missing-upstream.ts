import { IConstruct } from 'constructs';
import { ManifestNotFoundError } from '../upstream/locate';

const KEY = Symbol.for('cdk8s-cnpg.MissingUpstream');

interface Missing {
  readonly scope: IConstruct;
  readonly error: ManifestNotFoundError;
}

/** The upstream manifests an app could not find, reported together at synth. */
class MissingUpstream {
  public static of(scope: IConstruct): MissingUpstream {
    const root = scope.node.root as IConstruct & { [KEY]?: MissingUpstream };
    if (!root[KEY]) {
      const m = new MissingUpstream();
      Object.defineProperty(root, KEY, { value: m });
      // It throws rather than returning findings: the app's validation, which runs next on the root, would
      // otherwise stop at the first set of CRDs it cannot load and name only that one.
      root.node.addValidation({ validate: () => m.check() });
    }
    return root[KEY]!;
  }

  public readonly missing: Missing[] = [];

  private check(): string[] {
    if (!this.missing.length) return [];
    const lines = this.missing.map(m => `[${m.scope.node.path}] ${m.error.message}`);
    throw new Error(`${lines.length === 1 ? 'an upstream install manifest is' : `${lines.length} upstream install manifests are`} missing:\n  ${lines.join('\n  ')}`);
  }
}

/**
 * Makes sure missing upstream manifests are reported before anything else at synth. Call it before the app's
 * validation is first registered (installs and the constructs that register it do).
 */
export function ensureMissingUpstreamReport(scope: IConstruct): void {
  MissingUpstream.of(scope);
}

/** Records a manifest that could not be found; synth fails listing every one of them. */
export function recordMissingUpstream(scope: IConstruct, error: ManifestNotFoundError): void {
  MissingUpstream.of(scope).missing.push({ scope, error });
}
