/**
 * One call that reads an S3 archive and analyses it: what `recovery-window` and `restore --check` share.
 */
import * as fs from 'fs';
import { ArchiveCatalog, readCatalog, readSegment } from './archive';
import { ArchiveReadError, loadCredentials, loadRegion, parseDestinationPath, S3Reader } from './s3';
import { analyseWindow, RecoveryWindow, WindowTarget } from './window';

/** Where the archive is and what to ask. */
export interface WindowCheckOptions {
  readonly destinationPath: string;
  readonly serverName: string;
  readonly endpointUrl?: string;
  /** A timeline number; undefined for the latest. */
  readonly timeline?: number;
  readonly target?: WindowTarget;
  readonly env?: NodeJS.ProcessEnv;
}

/** Thrown for a problem with the options themselves (exit 2). */
export class WindowUsageError extends Error {}

/** Reads the archive and analyses it; `ArchiveReadError` when it cannot be read. */
export async function checkWindow(options: WindowCheckOptions): Promise<{ catalog: ArchiveCatalog; window: RecoveryWindow }> {
  const env = options.env ?? process.env;
  const dest = parseDestinationPath(options.destinationPath);
  if (typeof dest === 'string') throw new WindowUsageError(`destination path ${JSON.stringify(options.destinationPath)}: ${dest}`);
  // The AWS CLI's own variables for a custom endpoint apply when no endpoint is given.
  const endpointUrl = options.endpointUrl ?? (env.AWS_ENDPOINT_URL_S3 || env.AWS_ENDPOINT_URL || undefined);
  if (endpointUrl !== undefined && !/^https?:\/\/[^/\s]+/.test(endpointUrl)) {
    throw new WindowUsageError(`the endpoint URL must be an http(s) URL, got ${JSON.stringify(endpointUrl)}`);
  }
  const credentials = loadCredentials(env);
  if (typeof credentials === 'string') throw new ArchiveReadError(credentials);
  let ca: string | undefined;
  if (env.AWS_CA_BUNDLE) {
    try {
      ca = fs.readFileSync(env.AWS_CA_BUNDLE, 'utf-8');
    } catch (e) {
      throw new ArchiveReadError(`AWS_CA_BUNDLE ${JSON.stringify(env.AWS_CA_BUNDLE)}: ${(e as Error).message}`);
    }
  }
  const reader = new S3Reader({ bucket: dest.bucket, credentials, endpointUrl, region: loadRegion(env), ca });
  const catalog = await readCatalog(reader, dest.prefix, options.serverName);
  const window = await analyseWindow(catalog, obj => readSegment(reader, catalog, obj), {
    timeline: options.timeline,
    target: options.target,
    targetTli: options.timeline === undefined ? '' : String(options.timeline),
  });
  return { catalog, window };
}
