import { Chart } from 'cdk8s';
import { IConstruct } from 'constructs';
import { declareExternal } from './private/app-validation';
import { argumentError, isOptionsObject } from './private/errors';

/** An object that exists in the cluster but is not part of this app. */
export interface ExternalObjectOptions {
  /** Its kind, e.g. `Cluster` or `ObjectStore`. */
  readonly kind: string;
  /** Its name. */
  readonly name: string;
  /**
   * Its namespace.
   * @default - the namespace of the chart `scope` is in
   */
  readonly namespace?: string;
}

/**
 * Declares objects that exist outside the app, so that synth validation accepts references to them (a
 * `ScheduledBackup` of a Cluster managed elsewhere, a restore from an ObjectStore applied by another tool).
 * References to undeclared objects that are not in the app are errors.
 */
export class ExternalObjects {
  /**
   * Declares one external object for the whole app `scope` belongs to.
   *
   * @example ExternalObjects.declare(chart, { kind: 'Cluster', name: 'orders' })
   */
  public static declare(scope: IConstruct, options: ExternalObjectOptions): void {
    if (!isOptionsObject(options)) throw argumentError('ExternalObjects.declare', 'options', options, 'an object', 'pass { kind: "Cluster", name: "orders" }');
    const namespace = options.namespace ?? Chart.of(scope).namespace;
    declareExternal(scope, options.kind, namespace, options.name);
  }

  private constructor() {}
}
