import { IConstruct } from 'constructs';
import { AppValidationState } from './private/app-validation';

/**
 * The validation of a whole app, opt-in.
 *
 * Each construct of this library validates the objects it renders (against the CRDs and rules of the CNPG,
 * plugin and cert-manager versions the app runs) and reports under its own path. Other objects of the app
 * (your own `ApiObject`s, other libraries' constructs, other charts) are only used to resolve references, unless
 * you ask for them to be checked too, with the same rules as the `cdk8s-cnpg validate` command.
 *
 * @example AppValidation.of(app).validateAll()
 */
export class AppValidation {
  /**
   * The validation of the app `scope` belongs to.
   *
   * @example AppValidation.of(app)
   */
  public static of(scope: IConstruct): AppValidation {
    return new AppValidation(AppValidationState.of(scope));
  }

  private constructor(private readonly state: AppValidationState) {}

  /**
   * Also check every other API object of the app (in every chart) with the CNPG, plugin and cert-manager rules;
   * each finding fails synth under that object's path.
   *
   * @example AppValidation.of(app).validateAll()
   */
  public validateAll(): void {
    this.state.validateAll();
  }

  /** Whether every API object of the app is checked. */
  public get validatesAll(): boolean {
    return this.state.validatesAll;
  }
}
