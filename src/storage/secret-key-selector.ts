/** A key in an existing Secret. */
export interface SecretKeySelector {
  /** The Secret's name, in the cluster's namespace. */
  readonly secretName: string;
  /** The key within the Secret. */
  readonly key: string;
}
