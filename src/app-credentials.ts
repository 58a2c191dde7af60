import { argumentError, PropProblem } from './private/errors';
import { checkObjectName } from './private/names';

/**
 * Where the application user's password comes from. By default the operator generates it into the Secret
 * `<cluster>-app`; nothing secret is ever written into the synthesized YAML unless you call `unsafePlaintext`.
 */
export class AppCredentials {
  /**
   * The operator generates the password into the Secret `<cluster>-app`.
   *
   * @example AppCredentials.generated()
   */
  public static generated(): AppCredentials {
    return new AppCredentials(undefined, undefined, undefined);
  }

  /**
   * An existing `kubernetes.io/basic-auth` Secret with `username` and `password`; the username must equal the owner.
   *
   * @example AppCredentials.fromSecret('postgres-secret')
   */
  public static fromSecret(secretName: string): AppCredentials {
    // From JavaScript, a missing name would silently mean a generated Secret.
    if (typeof secretName !== 'string') throw argumentError('AppCredentials.fromSecret', 'secretName', secretName, 'a string', 'pass the name of a basic-auth Secret, e.g. AppCredentials.fromSecret("postgres-secret")');
    return new AppCredentials(secretName, undefined, undefined);
  }

  /**
   * UNSAFE: writes the password in plain text into a Secret in the synthesized YAML, which then must never be
   * committed. The Secret carries a warning annotation and synth prints a warning. Prefer `fromSecret`.
   *
   * @example AppCredentials.unsafePlaintext('user1', process.env.PG_PASSWORD!)
   */
  public static unsafePlaintext(username: string, password: string): AppCredentials {
    return new AppCredentials(undefined, username, password);
  }

  private constructor(
    private readonly existingSecret: string | undefined,
    private readonly username: string | undefined,
    private readonly password: string | undefined,
  ) {}

  /** The plaintext username and password, for `unsafePlaintext` only. @internal */
  public get _plaintext(): { readonly username: string; readonly password: string } | undefined {
    return this.password === undefined ? undefined : { username: this.username ?? '', password: this.password };
  }

  /** Whether a plaintext Secret will be synthesized. */
  public get isUnsafePlaintext(): boolean {
    return this.password !== undefined;
  }

  /** The referenced Secret's name, given the cluster name; undefined when the operator generates it. @internal */
  public _secretName(clusterName: string): string | undefined {
    if (this.existingSecret !== undefined) return this.existingSecret;
    return this.isUnsafePlaintext ? `${clusterName}-app-credentials` : undefined;
  }

  /** @internal */
  public _problems(prop: string, owner: string): PropProblem[] {
    const problems: PropProblem[] = [];
    if (this.existingSecret !== undefined) {
      const p = checkObjectName(`${prop}.secretName`, this.existingSecret, 'postgres-secret');
      if (p) problems.push(p);
    }
    if (this.isUnsafePlaintext) {
      if (this.username !== owner) {
        problems.push({ prop: `${prop}.username`, problem: `must equal the owner ${JSON.stringify(owner)} (CNPG sets the owner's password from this Secret)`, value: this.username, fix: `use AppCredentials.unsafePlaintext(${JSON.stringify(owner)}, …) or set owner` });
      }
      if (!this.password || this.password.trim() === '') {
        problems.push({ prop: `${prop}.password`, problem: 'must not be empty', value: '<redacted>', fix: 'pass a real password, or better use AppCredentials.fromSecret("postgres-secret")' });
      }
    }
    return problems;
  }
}
