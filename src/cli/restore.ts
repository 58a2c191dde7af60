/**
 * `cdk8s-cnpg restore`: the 2 a.m. tool. Writes the restore Cluster that `PitrRestore` synthesizes (validated as
 * any synth is), from flags or from the source's synthesized dist/ folder; with `--check`, reads the archive first
 * and refuses a target it cannot reach, pinning `backupID` when CNPG's own backup choice would fail.
 */
import * as fs from 'fs';
import { App, Chart, Size } from 'cdk8s';
import { CommandIo, parseTargetFlags, parseTimelineFlag, UsageError } from './recovery-window';
import { BackedUpPostgres } from '../backed-up-postgres';
import { PitrRestore } from '../pitr-restore';
import { checkWindow, WindowUsageError } from '../recovery/check';
import { DistSource, readDistSource } from '../recovery/dist-source';
import { formatLsn } from '../recovery/lsn';
import { formatMicros } from '../recovery/time';
import { RecoveryTarget } from '../recovery-target';

export const USAGE = `usage: cdk8s-cnpg restore (--from-dist DIR [--cluster NAME]
                           | --object-store NAME --server-name NAME --destination-path s3://BUCKET/PATH/)
    [--target-time TIME | --target-lsn X/Y | --target-xid XID | --target-name NAME | --target-immediate]
    [--backup-id ID] [--exclusive] [--timeline N]
    [--name NEW | --as-original --archive-server-name NAME] [--archive-wal [--archive-server-name NAME]]
    [--namespace NS] [--image-name IMAGE] [--storage-size 10Gi] [--instances N]
    [--database DB] [--owner OWNER] [--app-secret SECRET]
    [--check [--endpoint-url URL]] [--output FILE]

Writes the manifest of a new Cluster restored from a Barman Cloud archive by point-in-time recovery: exactly
what the PitrRestore construct synthesizes, validated as a synth validates it. Apply it with
  kubectl apply --server-side -f restore.yaml

Source (one of):
  --from-dist DIR          the synthesized output of your app (dist/): the Cluster that archives WAL through
                           the barman-cloud plugin and its ObjectStore give the object store, server name,
                           destination path, image, storage, database, owner and cloud identity
  --cluster NAME           which Cluster, when dist/ holds several
  --object-store NAME --server-name NAME --destination-path URL   the same, given directly

Target (default: none, replay all archived WAL = "latest"):
  --target-time TIME       RFC 3339 or PostgreSQL timestamp with an offset; stops before the first commit
                           after it (--exclusive: at or after it)
  --target-lsn X/Y         a WAL location
  --target-xid XID, --target-name NAME, --target-immediate   need --backup-id
  --backup-id ID           the base backup to start from (YYYYMMDDTHHMMSS)
  --timeline N             the timeline to recover along (default: latest)

Name:
  --name NEW               the restored Cluster's name (default: <source>-restore)
  --as-original            restore under the source's own name (delete the source Cluster first); archiving
                           continues under --archive-server-name, a server name new to the archive
  --archive-wal            back up the restored cluster too, under --archive-server-name (default: its name)

Check:
  --check                  read the archive first (S3 only; credentials as for recovery-window) and refuse a
                           target that is not recoverable, with the reason and the nearest recoverable point;
                           pins backupID when CNPG's own choice of backup would fail
  --endpoint-url URL       S3-compatible endpoint (default: the ObjectStore's endpointURL from dist/)

  --output FILE            write the manifest there (default: standard output)
  -h, --help               show this help

GCS and Azure archives: the manifest works, --check does not yet.
Exit status: 0 written, 3 refused by --check, 1 the archive could not be read, 2 usage or invalid input.
`;

interface Args {
  [key: string]: string | boolean | undefined;
}

const VALUE_FLAGS = ['--from-dist', '--cluster', '--object-store', '--server-name', '--destination-path', '--target-time', '--target-lsn', '--target-xid',
  '--target-name', '--backup-id', '--timeline', '--name', '--archive-server-name', '--namespace', '--image-name', '--storage-size', '--instances',
  '--database', '--owner', '--app-secret', '--endpoint-url', '--output'];
const BOOL_FLAGS = ['--target-immediate', '--exclusive', '--as-original', '--archive-wal', '--check', '--help', '-h'];

function parseArgs(argv: readonly string[]): Args {
  const args: Args = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const flag = eq > 0 ? arg.slice(0, eq) : arg;
    if (BOOL_FLAGS.includes(flag) && eq < 0) {
      args[flag === '-h' ? '--help' : flag] = true;
    } else if (VALUE_FLAGS.includes(flag)) {
      const value = eq > 0 ? arg.slice(eq + 1) : argv[++i];
      if (value === undefined || value === '') throw new UsageError(`${flag} needs a value`);
      if (args[flag] !== undefined) throw new UsageError(`${flag} given twice`);
      args[flag] = value;
    } else {
      throw new UsageError(arg.startsWith('-') ? `unknown option ${JSON.stringify(arg)}` : `unexpected argument ${JSON.stringify(arg)}`);
    }
  }
  return args;
}

const str = (args: Args, flag: string) => args[flag] as string | undefined;

/** `10Gi`, `512Mi`, `1Ti` → Size. */
function parseSize(value: string): Size {
  const m = /^(\d+)(Mi|Gi|Ti)$/.exec(value);
  if (!m) throw new UsageError(`--storage-size must be a whole number with Mi, Gi or Ti, got ${JSON.stringify(value)}; use e.g. 10Gi`);
  const n = Number(m[1]);
  return m[2] === 'Mi' ? Size.mebibytes(n) : m[2] === 'Gi' ? Size.gibibytes(n) : Size.tebibytes(n);
}

/** The source from dist/ or from flags. */
function sourceOf(args: Args): DistSource {
  const fromDist = str(args, '--from-dist');
  const direct = ['--object-store', '--server-name', '--destination-path'].filter(f => args[f] !== undefined);
  if (fromDist && direct.length) throw new UsageError(`give --from-dist or ${direct.join(', ')}, not both`);
  if (fromDist) {
    try {
      return readDistSource(fromDist, str(args, '--cluster'));
    } catch (e) {
      throw new UsageError((e as Error).message);
    }
  }
  if (args['--cluster'] !== undefined) throw new UsageError('--cluster picks a Cluster in --from-dist');
  const missing = ['--object-store', '--server-name', '--destination-path'].filter(f => args[f] === undefined);
  if (missing.length === 3) throw new UsageError('no source: give --from-dist DIR, or --object-store, --server-name and --destination-path');
  if (missing.length) throw new UsageError(`${missing.join(', ')} ${missing.length > 1 ? 'are' : 'is'} required with ${direct.join(', ')}`);
  return {
    clusterName: str(args, '--server-name')!,
    objectStoreName: str(args, '--object-store')!,
    serverName: str(args, '--server-name')!,
    destinationPath: str(args, '--destination-path')!,
    serviceAccountAnnotations: {},
  };
}

/** Builds the RecoveryTarget the flags ask for. */
function targetOf(args: Args, backupId: string | undefined): RecoveryTarget {
  const kinds = ['--target-time', '--target-lsn', '--target-xid', '--target-name', '--target-immediate'].filter(f => args[f] !== undefined);
  if (kinds.length > 1) throw new UsageError(`give one target, got ${kinds.join(' and ')}`);
  const timeline = parseTimelineFlag(str(args, '--timeline'));
  const exclusive = args['--exclusive'] ? true : undefined;
  const base = { exclusive, timeline };
  const needBackup = (what: string) => {
    if (!backupId) throw new UsageError(`${what} needs --backup-id (CNPG requires the base backup for it)`);
    return backupId;
  };
  switch (kinds[0]) {
    case '--target-time': return RecoveryTarget.timestamp(str(args, '--target-time')!, { ...base, backupId });
    case '--target-lsn': return RecoveryTarget.lsn(str(args, '--target-lsn')!, { ...base, backupId });
    case '--target-xid': {
      const xid = str(args, '--target-xid')!;
      if (!/^\d+$/.test(xid)) throw new UsageError(`--target-xid must be a transaction ID (a whole number), got ${JSON.stringify(xid)}`);
      return RecoveryTarget.xid(Number(xid), { ...base, backupId: needBackup('--target-xid') });
    }
    case '--target-name': return RecoveryTarget.namedRestorePoint(str(args, '--target-name')!, { ...base, backupId: needBackup('--target-name') });
    case '--target-immediate': return RecoveryTarget.immediate(needBackup('--target-immediate'));
    default:
      if (backupId) throw new UsageError('--backup-id needs a target; to restore that backup\'s own state use --target-immediate');
      if (exclusive || timeline !== undefined) throw new UsageError('--exclusive and --timeline need a target');
      return RecoveryTarget.latest();
  }
}

/** Runs `restore`; resolves to the exit code. */
export async function run(argv: readonly string[], io: CommandIo): Promise<number> {
  const fail = (code: number, message: string, usage = false) => {
    io.stderr(`cdk8s-cnpg restore: ${message}\n${usage ? `\n${USAGE}` : ''}`);
    return code;
  };
  let args: Args;
  let source: DistSource;
  try {
    args = parseArgs(argv);
    if (args['--help']) {
      io.stdout(USAGE);
      return 0;
    }
    source = sourceOf(args);
    // Fail on a bad target before reading any archive.
    targetOf(args, str(args, '--backup-id'));
    if (args['--as-original'] && args['--name'] !== undefined) throw new UsageError('give --name or --as-original, not both');
    if (args['--as-original'] && args['--archive-server-name'] === undefined) {
      throw new UsageError(`--as-original needs --archive-server-name, a server name new to the archive (the source archives as ${JSON.stringify(source.serverName)}), e.g. ${JSON.stringify(`${source.serverName}-v2`)}`);
    }
    if (args['--check'] && (args['--target-time'] !== undefined || args['--target-lsn'] !== undefined)) {
      parseTargetFlags(str(args, '--target-time'), str(args, '--target-lsn'));
    }
  } catch (e) {
    if (e instanceof UsageError) return fail(2, e.message, true);
    throw e;
  }

  let backupId = str(args, '--backup-id');
  if (args['--check']) {
    const target = parseTargetFlags(str(args, '--target-time'), str(args, '--target-lsn'));
    try {
      const { window } = await checkWindow({
        destinationPath: source.destinationPath,
        serverName: source.serverName,
        endpointUrl: str(args, '--endpoint-url') ?? source.endpointUrl,
        timeline: parseTimelineFlag(str(args, '--timeline')),
        target: target ? { ...target, exclusive: !!args['--exclusive'], backupId } : undefined,
        env: io.env,
      });
      const usable = window.reaches.filter(r => !r.unusable);
      if (target && window.verdict) {
        const v = window.verdict;
        if (!v.recoverable) return fail(3, `refusing: the target is ${v.reason}${v.nearest ? `; nearest recoverable point: ${v.nearest}` : ''}`);
        if (v.pinBackupId && !backupId) {
          backupId = v.backupId!;
          io.stderr(`cdk8s-cnpg restore: pinning backupID ${backupId}: ${v.reason}\n`);
        } else {
          io.stderr(`cdk8s-cnpg restore: checked: ${v.reason}\n`);
        }
      } else if (backupId) {
        const r = window.reaches.find(x => x.backup.id === backupId);
        if (!r) return fail(3, `refusing: the archive has no backup ${JSON.stringify(backupId)}; it has ${window.reaches.map(x => x.backup.id).join(', ') || 'none'}`);
        if (r.unusable) return fail(3, `refusing: backup ${backupId} cannot be restored: ${r.unusable}`);
        io.stderr(`cdk8s-cnpg restore: checked: backup ${backupId} is restorable${args['--target-immediate'] ? '' : ' (the XID or restore point itself is not checked)'}\n`);
      } else {
        if (!usable.length) return fail(3, 'refusing: nothing in the archive is restorable (no completed base backup with its WAL)');
        io.stderr(`cdk8s-cnpg restore: checked: replays to the end of the archive${window.latest ? `, last commit ${formatMicros(window.latest.time)} (LSN ${formatLsn(window.latest.lsn)})` : ''}\n`);
      }
    } catch (e) {
      if (e instanceof WindowUsageError) return fail(2, e.message);
      return fail(1, `cannot read the archive: ${(e as Error).message}`);
    }
  }

  let yamlText: string;
  try {
    const asOriginal = !!args['--as-original'];
    const app = new App({ outdir: '.' });
    const chart = new Chart(app, 'restore', source.namespace ? { namespace: source.namespace } : {});
    const restore = new PitrRestore(chart, 'Restore', {
      source: BackedUpPostgres.fromAttributes(chart, 'Source', {
        objectStoreName: source.objectStoreName,
        serverName: source.serverName,
        destinationPath: source.destinationPath,
        imageName: str(args, '--image-name') ?? source.imageName,
        database: str(args, '--database') ?? source.database,
        owner: str(args, '--owner') ?? source.owner,
        appSecretName: str(args, '--app-secret') ?? source.appSecretName,
        serviceAccountAnnotations: source.serviceAccountAnnotations,
      }),
      target: targetOf(args, backupId),
      clusterName: asOriginal ? source.clusterName : (str(args, '--name') ?? `${source.clusterName}-restore`),
      imageName: str(args, '--image-name'),
      storageSize: str(args, '--storage-size') ? parseSize(str(args, '--storage-size')!) : source.storageSize ? parseSize(source.storageSize) : undefined,
      instances: str(args, '--instances') !== undefined ? Number(str(args, '--instances')) : undefined,
      archiveWal: asOriginal || !!args['--archive-wal'],
      archiveServerName: str(args, '--archive-server-name'),
    });
    yamlText = app.synthYaml();
    if (asOriginal) io.stderr(`cdk8s-cnpg restore: restoring as ${restore.clusterName}: delete the existing Cluster ${restore.clusterName} first; the restore archives as ${restore.archiveServerName}\n`);
  } catch (e) {
    if (e instanceof UsageError) return fail(2, e.message, true);
    return fail(2, (e as Error).message.replace(/^Validation failed with the following errors:\s*/, 'invalid restore: '));
  }
  const output = str(args, '--output');
  if (output) {
    try {
      fs.writeFileSync(output, yamlText);
    } catch (e) {
      return fail(2, `cannot write ${output}: ${(e as Error).message}`);
    }
    io.stderr(`cdk8s-cnpg restore: wrote ${output}; apply with: kubectl apply --server-side -f ${output}\n`);
  } else {
    io.stdout(yamlText);
  }
  return 0;
}
