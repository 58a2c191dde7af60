/**
 * The archive lab: real PostgreSQL archiving through the real barman-cloud tools into a real S3 API server on
 * 127.0.0.1, configured from the YAML our constructs synthesize, and reporting every truth a test asserts against
 * (rows with commit times, LSNs and transaction IDs, base backups, restore points, timelines, deleted segments).
 *
 * Used by the round-trip tests in this folder and by the recovery-window tests. A typical use:
 * ```ts
 * const lab = await ArchiveLab.start({ major: 15 });
 * const truth = await lab.scenario('healthy');
 * // ... restore, or read truth.destinationPath / truth.serverName / lab.endpointUrl with the S3 credentials
 * await lab.stop();
 * ```
 * What runs where: s3rver in a child Node process; PostgreSQL as the `postgres` user when the tests run as root;
 * archive_command is a script that runs `barman-cloud-wal-archive` with exactly the arguments and environment the
 * plugin sidecar would use for the synthesized ObjectStore and Cluster (see lab/barman-config.ts for the sources).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Chart, Testing } from 'cdk8s';
import { BackedUpPostgres, Compression, ObjectStorage, S3Credentials } from '../../src';
import { archiveTarget, BarmanTarget, Manifest, SecretValues } from './lab/barman-config';
import { writeArchiveScript } from './lab/barman-scripts';
import { PgBinaries, pgBinaries, PgMajor, PgServer } from './lab/postgres';
import { makePgDir, run } from './lab/processes';
import { S3RVER_CREDENTIALS, S3Server } from './lab/s3-server';
import { writeScenario } from './lab/scenarios';
import { SourceDatabase } from './lab/source-database';

export type { BarmanTarget, Manifest } from './lab/barman-config';
export type { PgMajor } from './lab/postgres';
export { SourceDatabase, listBackups } from './lab/source-database';
export { restoreBackup } from './lab/restore';
export type { RestoreOutcome, RestoreRequest } from './lab/restore';
export { midpoint, toMicros, fromMicros } from './lab/scenarios';

/** The barman-cloud tools the lab needs (Debian barman-cli-cloud). */
export const BARMAN_TOOLS = [
  'barman-cloud-wal-archive', 'barman-cloud-check-wal-archive', 'barman-cloud-backup', 'barman-cloud-backup-list',
  'barman-cloud-restore', 'barman-cloud-wal-restore',
] as const;

/** The Python the Debian barman scripts run with (their `#!` line). */
const SYSTEM_PYTHON = '/usr/bin/python3';

/** Fails with what to install when a barman-cloud tool or the system Python is missing. */
export function checkBarmanTools(): void {
  const missing = [...BARMAN_TOOLS.map(t => `/usr/bin/${t}`), SYSTEM_PYTHON].filter(f => !fs.existsSync(f));
  if (missing.length) {
    throw new Error(`the round-trip tests need Debian barman-cli-cloud and python3; missing ${missing.join(', ')} (bash .ci/run installs them: apt-get install -y barman-cli-cloud)`);
  }
}

/** A row the lab committed: the truth a restore is checked against. */
export interface RowTruth {
  /** Primary key in `lab_rows`. */
  readonly id: number;
  /** The committing transaction ID (32-bit, as `recovery_target_xid` takes it). */
  readonly xid: string;
  /** The commit timestamp, exactly as in the WAL commit record: `YYYY-MM-DD HH:MM:SS.ffffff+00:00`. */
  readonly commitTime: string;
  /** The same instant as RFC 3339 with microseconds: `YYYY-MM-DDTHH:MM:SS.ffffffZ`. */
  readonly commitTimeRfc3339: string;
  /** The WAL insert position right after the commit: an LSN target here restores exactly the rows up to this one. */
  readonly lsnAfter: string;
  /** The WAL segment holding the commit. */
  readonly segment: string;
  /** The timeline the row was written on. */
  readonly timeline: number;
}

/** A completed base backup, as barman-cloud-backup-list reports it. */
export interface BackupTruth {
  /** The backup ID (folder name, `YYYYMMDDTHHMMSS`). */
  readonly id: string;
  /** The backup name the plugin gives (`backup-YYYYMMDDHHMMSS`). */
  readonly name: string;
  /** From backup.info: `YYYY-MM-DD HH:MM:SS.ffffff+00:00`. */
  readonly beginTime: string;
  /** From backup.info: the end of the backup, where its recoverable window starts. */
  readonly endTime: string;
  readonly beginLsn: string;
  readonly endLsn: string;
  readonly beginWal: string;
  readonly endWal: string;
  readonly timeline: number;
  /** Row ids committed before the backup started (all of them are in it). */
  readonly rowsBefore: readonly number[];
}

/** A restore point created with pg_create_restore_point. */
export interface RestorePointTruth {
  readonly name: string;
  readonly lsn: string;
  readonly timeline: number;
  /** Row ids committed before it. */
  readonly rowsBefore: readonly number[];
}

/** A timeline switch in the archive. */
export interface TimelineTruth {
  readonly timeline: number;
  /** Parent timeline and the LSN the child branched at, from the `.history` file. */
  readonly parent: { readonly timeline: number; readonly switchLsn: string } | null;
}

/** The archive scenarios the lab can write. */
export type ScenarioName = 'healthy' | 'gap' | 'no-backup' | 'two-timelines' | 'many-segments' | 'bzip2' | 'wal-before-backup';

/** Everything that happened while a scenario wrote its archive. */
export interface ArchiveTruth {
  readonly scenario: ScenarioName;
  readonly major: PgMajor;
  readonly destinationPath: string;
  readonly serverName: string;
  readonly endpointUrl: string;
  readonly walCompression?: string;
  /** Completed base backups, oldest first. */
  readonly backups: readonly BackupTruth[];
  /** Committed rows in commit order (across timelines). */
  readonly rows: readonly RowTruth[];
  readonly restorePoints: readonly RestorePointTruth[];
  readonly timelines: readonly TimelineTruth[];
  /** WAL segments deleted from the archive on purpose (gap scenario). */
  readonly deletedSegments: readonly string[];
  /**
   * The start of the recoverable window: the end time of the oldest completed backup (null without one).
   */
  readonly earliest: string | null;
  /**
   * The last commit a restore without a target reaches: on the newest timeline (its parents up to the switch),
   * before the first missing segment; null without a base backup. The restore tests check it ("latest" cases).
   */
  readonly latestRow: RowTruth | null;
  /** Segments known to be archived, per timeline (what `pg_stat_archiver` reported). */
  readonly archivedSegments: readonly string[];
  /** The synthesized manifests the archive configuration was translated from. */
  readonly manifests: readonly Manifest[];
  /** The barman-cloud configuration used (arguments and environment). */
  readonly target: BarmanTarget;
  /** How the source was synthesized (to synthesize a PitrRestore of it). */
  readonly sourceOptions: SourceOptions;
}

export interface LabOptions {
  /** PostgreSQL major. */
  readonly major: PgMajor;
  /**
   * Parent of the lab's working folder.
   * @default - the system temporary folder
   */
  readonly baseDir?: string;
}

export interface SourceOptions {
  /** Cluster name (and so the server name). */
  readonly clusterName: string;
  /** @default Compression.GZIP (our default) */
  readonly walCompression?: Compression;
  /** @default Compression.GZIP (our default) */
  readonly dataCompression?: Compression;
  /**
   * The bucket prefix.
   * @default 'postgres'
   */
  readonly path?: string;
}

/** The bucket every lab archive lives in. */
export const LAB_BUCKET = 'lab';
/** The Secret the synthesized ObjectStore refers to, with s3rver's credentials. */
const CREDENTIALS_SECRET = 's3-credentials';

/** A running lab: one S3 server, any number of PostgreSQL servers of one major. */
export class ArchiveLab {
  /** Starts the S3 server and checks every binary the lab needs (a missing one fails with what to install). */
  public static async start(options: LabOptions): Promise<ArchiveLab> {
    checkBarmanTools();
    const bins = pgBinaries(options.major);
    const dir = fs.mkdtempSync(path.join(options.baseDir ?? os.tmpdir(), `cnpg-lab-${options.major}-`));
    fs.chmodSync(dir, 0o755);
    const s3 = await S3Server.start(path.join(dir, 's3'), [LAB_BUCKET]);
    return new ArchiveLab(options.major, bins, dir, s3);
  }

  /** The S3 endpoint URL (`http://127.0.0.1:<port>`). */
  public readonly endpointUrl: string;
  /** Environment for any S3 client reading the lab's archives (the usual AWS variables). */
  public readonly s3Env: Record<string, string>;
  private readonly servers = new Set<PgServer>();
  private counter = 0;

  private constructor(public readonly major: PgMajor, public readonly bins: PgBinaries, public readonly dir: string, public readonly s3: S3Server) {
    this.endpointUrl = s3.endpointUrl;
    this.s3Env = {
      AWS_ACCESS_KEY_ID: S3RVER_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: S3RVER_CREDENTIALS.secretAccessKey,
      AWS_DEFAULT_REGION: 'us-east-1',
      AWS_ENDPOINT_URL: s3.endpointUrl,
    };
  }

  /** A fresh folder inside the lab. */
  public newDir(prefix: string): string {
    return path.join(this.dir, `${prefix}-${++this.counter}`);
  }

  /**
   * The manifests our library synthesizes for a backed-up database archiving to the lab's S3 server: a
   * BackedUpPostgres with `ObjectStorage.s3Compatible` pointing at the endpoint.
   */
  public synthesizeSource(options: SourceOptions): Manifest[] {
    const chart = new Chart(Testing.app(), 'database', { namespace: 'databases' });
    this.backedUpPostgres(chart, options);
    return Testing.synth(chart);
  }

  /**
   * The BackedUpPostgres a scenario archives with, in `chart` (a restore app adds a PitrRestore of it).
   */
  public backedUpPostgres(chart: Chart, options: SourceOptions): BackedUpPostgres {
    return new BackedUpPostgres(chart, 'Postgres', {
      clusterName: options.clusterName,
      objectStorage: ObjectStorage.s3Compatible({
        endpointUrl: this.endpointUrl,
        bucket: LAB_BUCKET,
        path: options.path ?? 'postgres',
        credentials: S3Credentials.fromSecret({ secretName: CREDENTIALS_SECRET }),
      }),
      walCompression: options.walCompression,
      dataCompression: options.dataCompression,
    });
  }

  /** Starts a new source database archiving as the plugin would for the synthesized manifests. */
  public async source(options: SourceOptions): Promise<SourceDatabase> {
    const manifests = this.synthesizeSource(options);
    const target = archiveTarget(manifests, options.clusterName, this.secretsFor(manifests));
    // The plugin checks the destination is empty before the first archive (plugin common/check.go → barman-cloud
    // archiver.go BarmanCloudCheckWalArchiveOptions).
    await run('/usr/bin/barman-cloud-check-wal-archive', target.checkWalArchiveArgs, { env: target.env, timeoutMs: 60_000 });
    const dir = this.newDir(`source-${options.clusterName}`);
    makePgDir(dir);
    const archiveCommand = writeArchiveScript(dir, target);
    const server = await PgServer.initdb(this.bins, dir, { archiveCommand });
    this.track(server);
    await server.start();
    const db = new SourceDatabase(this, server, target, manifests, options);
    await server.sql('CREATE TABLE lab_rows (id integer PRIMARY KEY, note text NOT NULL)');
    return db;
  }

  /**
   * The values of the Secrets the synthesized ObjectStores refer to: s3rver's access key pair (our constructs
   * reference a Secret and never write one).
   */
  public secretsFor(manifests: readonly Manifest[]): SecretValues {
    const secrets: SecretValues = {};
    for (const store of manifests.filter(d => d.kind === 'ObjectStore')) {
      const creds = store.spec?.configuration?.s3Credentials ?? {};
      for (const [field, value] of [['accessKeyId', S3RVER_CREDENTIALS.accessKeyId], ['secretAccessKey', S3RVER_CREDENTIALS.secretAccessKey]]) {
        const ref = creds[field];
        if (ref) (secrets[ref.name] ??= {})[ref.key] = value;
      }
    }
    return secrets;
  }

  /** Registers a server to stop with the lab. */
  public track(server: PgServer): void {
    this.servers.add(server);
  }

  /** Stops a server now. */
  public async release(server: PgServer): Promise<void> {
    await server.stop();
    this.servers.delete(server);
  }

  /** Deletes one object from the archive through the S3 API (boto3, as barman uses it). */
  public async deleteObject(key: string): Promise<void> {
    await this.s3Python(`c.delete_object(Bucket=${JSON.stringify(LAB_BUCKET)}, Key=${JSON.stringify(key)})`);
  }

  /** Lists the archive's object keys under a prefix. */
  public async listObjects(prefix: string): Promise<string[]> {
    const out = await this.s3Python(
      `keys = [o["Key"] for page in c.get_paginator("list_objects_v2").paginate(Bucket=${JSON.stringify(LAB_BUCKET)}, Prefix=${JSON.stringify(prefix)}) for o in page.get("Contents", [])]\nprint("\\n".join(keys))`);
    return out.split('\n').filter(Boolean);
  }

  /** The object key prefix of a server's archive (`<path in destinationPath>/<serverName>/`). */
  public archivePrefix(target: BarmanTarget): string {
    const m = /^s3:\/\/([^/]+)\/?(.*)$/.exec(target.destinationPath);
    if (!m || m[1] !== LAB_BUCKET) throw new Error(`destinationPath ${target.destinationPath} is not in the lab bucket ${LAB_BUCKET}`);
    const base = m[2] && !m[2].endsWith('/') ? `${m[2]}/` : m[2];
    return `${base}${target.serverName}/`;
  }

  /** A backup's `backup.info` (key=value), read through the S3 API. */
  public async backupInfo(target: BarmanTarget, backupId: string): Promise<Record<string, string>> {
    const key = `${this.archivePrefix(target)}base/${backupId}/backup.info`;
    const text = await this.s3Python(`print(c.get_object(Bucket=${JSON.stringify(LAB_BUCKET)}, Key=${JSON.stringify(key)})["Body"].read().decode())`);
    const info: Record<string, string> = {};
    for (const line of text.split('\n')) {
      const i = line.indexOf('=');
      if (i > 0) info[line.slice(0, i)] = line.slice(i + 1);
    }
    return info;
  }

  /** Writes one of the lab's archive scenarios (see scenarios.ts). */
  public async scenario(name: ScenarioName, options: { clusterName?: string } = {}): Promise<ArchiveTruth> {
    return writeScenario(this, name, options.clusterName ?? name);
  }

  /** Stops every server and the S3 server, and removes the lab folder. */
  public async stop(options: { keepFiles?: boolean } = {}): Promise<void> {
    const errors: string[] = [];
    for (const server of [...this.servers]) {
      try { await server.stop(); } catch (err) { errors.push((err as Error).message); }
    }
    this.servers.clear();
    await this.s3.stop();
    if (!options.keepFiles) fs.rmSync(this.dir, { recursive: true, force: true });
    if (errors.length) throw new Error(`stopping the lab: ${errors.join('; ')}`);
  }

  private async s3Python(body: string): Promise<string> {
    const script = `import boto3\nc = boto3.client("s3", endpoint_url=${JSON.stringify(this.endpointUrl)})\n${body}\n`;
    const r = await run(SYSTEM_PYTHON, ['-c', script], { env: this.s3Env, timeoutMs: 60_000 });
    return r.stdout.trim();
  }
}
