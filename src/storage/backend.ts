import type { BarmanPluginFeature } from '../barman-plugin';
import { ObjectStorageProvider } from './provider';
import { PropProblem } from '../private/errors';
import { RenderedObjectStorage } from '../private/rendered';

/**
 * One kind of object storage, as `ObjectStorage` delegates to it (the strategy of cdk8s-plus's value types): its
 * `destinationPath`, the ObjectStore configuration it renders, and the checks of its options. Internal.
 */
export interface StorageBackend {
  readonly provider: ObjectStorageProvider;
  /** The bucket (or Azure container). */
  readonly bucket: string;
  /** The prefix as given. */
  readonly path: string | undefined;
  /** Whether the store speaks the S3 API. */
  readonly isS3Api: boolean;
  /** Server-side encryption asked for, if any. */
  readonly encryption?: string;
  /** The plugin capability this configuration needs, if any. */
  readonly pluginFeature?: BarmanPluginFeature;
  /** The `destinationPath` for a prefix (`''` or `postgres/`). */
  destinationPath(tail: string): string;
  /** `spec.configuration` (without wal/data), sidecar env and ServiceAccount annotations. */
  render(destinationPath: string): RenderedObjectStorage;
  /** Problems of the options, under `prop`. */
  problems(prop: string): PropProblem[];
}
