/**
 * `cdk8s-cnpg recovery-window`: to which moment can this archive be restored, right now?
 */
import { checkWindow, WindowUsageError } from '../recovery/check';
import { parseLsn } from '../recovery/lsn';
import { windowJson, windowText } from '../recovery/report';
import { ArchiveReadError } from '../recovery/s3';
import { parseTimestamp } from '../recovery/time';
import { WindowTarget } from '../recovery/window';

/** Output streams and, for tests, the environment. */
export interface CommandIo {
  readonly stdout: (s: string) => void;
  readonly stderr: (s: string) => void;
  /** @default process.env */
  readonly env?: NodeJS.ProcessEnv;
}

export const USAGE = `usage: cdk8s-cnpg recovery-window <destinationPath> --server-name <name> [--endpoint-url <url>]
    [--target-time <time> | --target-lsn <X/Y>] [--timeline latest|<n>] [--json]

Reads a Barman Cloud archive through the S3 API and reports, for one server: its base backups, WAL coverage
per timeline with missing segments, the timeline history, and the recoverable window. It reads the WAL itself
(every compression barman-cloud writes: gzip, bzip2, xz, snappy, zstd, lz4); no PostgreSQL needed.

  earliest  end of the oldest completed base backup that can be restored
  latest    exact commit time of the last transaction reachable without crossing a missing WAL segment
            (a time target must be BEFORE it: PostgreSQL stops on the first commit after the target, so
            latest itself is reached only by a restore without a target)

With a target, says whether a restore reaches exactly that state, from which backup, and when CNPG's own
backup choice would fail, the backupID to pin.

Arguments:
  <destinationPath>        the ObjectStore's destinationPath, e.g. s3://my-bucket/postgres/
  --server-name NAME       the archive's server name (the source cluster's name, or its serverName parameter)
  --endpoint-url URL       an S3-compatible endpoint (MinIO, Garage, Ceph, R2, B2…): path-style addressing
                           (default: AWS_ENDPOINT_URL_S3 or AWS_ENDPOINT_URL, else AWS S3)
  --target-time TIME       RFC 3339 or PostgreSQL timestamp with an offset: 2025-12-27T20:43:00.123456+00:00,
                           "2025-12-27 21:43:00+01"
  --target-lsn X/Y         a WAL location, e.g. 0/3000060
  --timeline latest|N      the timeline to recover along (default: latest, as PostgreSQL)
  --json                   print one JSON object (field names are a stable contract)
  -h, --help               show this help

Credentials: AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY (/ AWS_SESSION_TOKEN), or static keys of the profile
AWS_PROFILE in ~/.aws/credentials or ~/.aws/config. Region: AWS_REGION, AWS_DEFAULT_REGION or the profile's.
Extra CA certificates: AWS_CA_BUNDLE. For SSO or role credentials, export them first:
  eval "$(aws configure export-credentials --format env)"
Google Cloud Storage and Azure Blob Storage archives are not supported yet.

Exit status: 0 recoverable (without a target: something is restorable), 3 not recoverable / nothing
restorable, 1 the archive could not be read, 2 usage error.
`;

/** A usage problem (exit 2). */
export class UsageError extends Error {}

interface Args {
  destinationPath?: string;
  serverName?: string;
  endpointUrl?: string;
  targetTime?: string;
  targetLsn?: string;
  timeline?: string;
  json: boolean;
  help: boolean;
}

const VALUE_FLAGS: Readonly<Record<string, keyof Args>> = {
  '--server-name': 'serverName', '--endpoint-url': 'endpointUrl', '--target-time': 'targetTime', '--target-lsn': 'targetLsn', '--timeline': 'timeline',
};

function parseArgs(argv: readonly string[]): Args {
  const args: Args = { json: false, help: false };
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const flag = eq > 0 ? arg.slice(0, eq) : arg;
    if (flag === '-h' || flag === '--help') {args.help = true;} else if (flag === '--json') {args.json = true;} else if (VALUE_FLAGS[flag]) {
      const value = eq > 0 ? arg.slice(eq + 1) : argv[++i];
      if (value === undefined || value === '') throw new UsageError(`${flag} needs a value`);
      const key = VALUE_FLAGS[flag];
      if (args[key] !== undefined) throw new UsageError(`${flag} given twice`);
      (args as unknown as Record<string, string>)[key] = value;
    } else if (arg === '--') {positional.push(...argv.slice(i + 1)), i = argv.length;} else if (arg.startsWith('-')) {throw new UsageError(`unknown option ${JSON.stringify(arg)}`);} else {positional.push(arg);}
  }
  if (positional.length > 1) throw new UsageError(`one destination path expected, got ${positional.length}: ${positional.map(p => JSON.stringify(p)).join(' ')}`);
  args.destinationPath = positional[0];
  return args;
}

/** Parses the target flags into a window target (or a usage error). */
export function parseTargetFlags(targetTime: string | undefined, targetLsn: string | undefined): WindowTarget | undefined {
  if (targetTime !== undefined && targetLsn !== undefined) throw new UsageError('give --target-time or --target-lsn, not both');
  if (targetTime !== undefined) {
    const t = parseTimestamp(targetTime);
    if (typeof t === 'string') throw new UsageError(`--target-time ${JSON.stringify(targetTime)} ${t}`);
    return { time: t };
  }
  if (targetLsn !== undefined) {
    const l = parseLsn(targetLsn);
    if (l === undefined) throw new UsageError(`--target-lsn ${JSON.stringify(targetLsn)} is not a WAL location; use the form "0/3000060"`);
    return { lsn: l };
  }
  return undefined;
}

/** Parses `--timeline`: undefined for latest. */
export function parseTimelineFlag(value: string | undefined): number | undefined {
  if (value === undefined || value === 'latest') return undefined;
  if (!/^[1-9]\d{0,9}$/.test(value) || Number(value) > 0xffffffff) throw new UsageError(`--timeline must be "latest" or a timeline number, got ${JSON.stringify(value)}`);
  return Number(value);
}

/** Runs `recovery-window`; resolves to the exit code. */
export async function run(argv: readonly string[], io: CommandIo): Promise<number> {
  let args: Args;
  let target: WindowTarget | undefined;
  let timeline: number | undefined;
  try {
    args = parseArgs(argv);
    if (args.help) {
      io.stdout(USAGE);
      return 0;
    }
    if (!args.destinationPath) throw new UsageError('no destination path given');
    if (!args.serverName) throw new UsageError('--server-name is required');
    target = parseTargetFlags(args.targetTime, args.targetLsn);
    timeline = parseTimelineFlag(args.timeline);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    io.stderr(`cdk8s-cnpg recovery-window: ${e.message}\n\n${USAGE}`);
    return 2;
  }
  try {
    const { catalog, window } = await checkWindow({
      destinationPath: args.destinationPath, serverName: args.serverName, endpointUrl: args.endpointUrl, timeline, target, env: io.env,
    });
    const json = windowJson(args.serverName, args.destinationPath, catalog, window);
    if (args.json) io.stdout(`${JSON.stringify(json, undefined, 2)}\n`);
    else io.stdout(windowText(json, window, Intl.DateTimeFormat().resolvedOptions().timeZone ?? 'local'));
    if (!catalog.backups.length && !catalog.segments.size && !args.json) {
      io.stderr(`cdk8s-cnpg recovery-window: nothing under ${args.destinationPath.replace(/\/?$/, '/')}${args.serverName}/ — check the destination path and --server-name\n`);
    }
    if (target) return window.verdict?.recoverable ? 0 : 3;
    return window.reaches.some(r => !r.unusable) ? 0 : 3;
  } catch (e) {
    if (e instanceof WindowUsageError) {
      io.stderr(`cdk8s-cnpg recovery-window: ${e.message}\n`);
      return 2;
    }
    if (e instanceof ArchiveReadError) {
      io.stderr(`cdk8s-cnpg recovery-window: cannot read the archive: ${e.message}\n`);
      return 1;
    }
    io.stderr(`cdk8s-cnpg recovery-window: cannot read the archive: ${(e as Error).message}\n`);
    return 1;
  }
}
