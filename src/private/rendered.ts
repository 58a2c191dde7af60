import type * as barman from '../../imports/barmancloud.cnpg.io';

// Shapes our value types render into, in CNPG's own field names. Internal: not part of the public API.

/** `spec.bootstrap.recovery.recoveryTarget` of a Cluster. */
export interface RenderedRecoveryTarget {
  readonly backupID?: string;
  readonly exclusive?: boolean;
  readonly targetImmediate?: boolean;
  readonly targetLSN?: string;
  readonly targetName?: string;
  readonly targetTLI?: string;
  readonly targetTime?: string;
  readonly targetXID?: string;
}

/** A Secret key reference. */
export interface SecretKeyRef {
  readonly name: string;
  readonly key: string;
}

/** What an object storage renders into an ObjectStore and its Cluster. */
export interface RenderedObjectStorage {
  /**
   * `spec.configuration` without wal/data, in the camel-cased names of the class `cdk8s import` generated
   * (`endpointUrl`, `inheritFromIamRole`), which maps them back to the CRD's (`endpointURL`, `inheritFromIAMRole`).
   */
  readonly configuration: Omit<barman.ObjectStoreSpecConfiguration, 'wal' | 'data'>;
  /** Environment for the plugin sidecar. */
  readonly env: ReadonlyArray<{ readonly name: string; readonly value: string }>;
  /** Annotations for the instance ServiceAccount (workload identity). */
  readonly serviceAccountAnnotations: Record<string, string>;
}
