/**
 * A restore as CNPG and the Barman Cloud plugin run it, on a real PostgreSQL:
 * 1. the plugin's restore job hook (plugin v0.14.0 `internal/cnpgi/restore/restore.go` Restore): check the backup's
 *    first WAL is in the archive (ensureArchiveContainsLastCheckpointRedoWAL, barman-cloud-wal-restore), then
 *    restoreDataDir: `barman-cloud-restore <provider> [--endpoint-url] <destinationPath> <serverName> <backupID> <pgdata>`;
 *    it answers with `recovery_target_action = promote` and a restore_command (getRestoreWalConfig) that runs
 *    barman-cloud-wal-restore with CloudWalRestoreOptions (barman-cloud `pkg/command/commandbuilder.go`);
 * 2. the instance manager (CNPG 1.28.x `pkg/management/postgres/restore.go` writeCustomRestoreWalConfig and
 *    writeRecoveryConfiguration): `archive_command = 'false'`, the plugin's lines, then the recovery target lines of
 *    `RecoveryTarget.BuildPostgresOptions()` (see cnpg-recovery.ts), an emptied override file, `recovery.signal`;
 * 3. PostgreSQL replays WAL and promotes at the target, or stops with a FATAL error.
 * CNPG regenerates postgresql.conf; so does the lab (its own base settings, not the source's archive_command).
 */
import * as fs from 'fs';
import * as path from 'path';
import { BarmanTarget } from './barman-config';
import { writeArchiveScript, writeRestoreScript } from './barman-scripts';
import { baseConf, PgServer } from './postgres';
import { makePgDir, run, writePgFile } from './processes';
import type { ArchiveLab } from '../archive-lab';

export interface RestoreRequest {
  /** The archive to restore from (the restore Cluster's recovery source). */
  readonly source: BarmanTarget;
  /** The base backup to restore (CNPG's choice, see chooseBackup, or the pinned backupID). */
  readonly backupId: string;
  /** The backup's first WAL segment (checked before the restore, as the plugin does). */
  readonly beginWal: string;
  /** The recovery target lines CNPG writes (BuildPostgresOptions). */
  readonly recoveryOptions: string;
  /**
   * Keep archiving after promotion into this archive (builds a second timeline).
   * @default - archiving off
   */
  readonly archiveTo?: BarmanTarget;
  /**
   * Leave the promoted server running and return it.
   * @default false
   */
  readonly keepRunning?: boolean;
  /** @default 240000 */
  readonly timeoutMs?: number;
}

export interface RestoreOutcome {
  /** PostgreSQL promoted (the restore completed). */
  readonly promoted: boolean;
  /** Row ids in `lab_rows` after promotion, ascending. */
  readonly rowIds: readonly number[];
  /** The timeline after promotion. */
  readonly timeline?: number;
  /** The FATAL/PANIC lines of a failed recovery, or the error of the step that failed. */
  readonly error?: string;
  /** The server log. */
  readonly log: string;
  /** The running server (with keepRunning). */
  readonly server?: PgServer;
}

interface RestoredBase {
  readonly dataDir: string;
}

/** Base backups restored so far, per lab: each is downloaded once with barman-cloud-restore, then copied. */
const BASES = new WeakMap<ArchiveLab, Map<string, Promise<RestoredBase | { error: string; log: string }>>>();

/**
 * The plugin's restore job steps for one backup: check its first WAL is archived, then barman-cloud-restore into a
 * data directory that each restore of the same backup copies (the bytes are the same; the download is the slow part).
 */
function restoredBase(lab: ArchiveLab, req: RestoreRequest): Promise<RestoredBase | { error: string; log: string }> {
  let bases = BASES.get(lab);
  if (!bases) BASES.set(lab, bases = new Map());
  const key = `${req.source.destinationPath}|${req.source.serverName}|${req.backupId}`;
  let base = bases.get(key);
  if (!base) {
    base = (async () => {
      const dir = lab.newDir('base');
      makePgDir(dir);
      const env = req.source.env;
      const check = await run('/usr/bin/barman-cloud-wal-restore', [...req.source.walRestoreArgs, req.beginWal, path.join(dir, 'check.wal')], {
        asPgUser: true, env, allowFailure: true, timeoutMs: 60_000,
      });
      if (check.code !== 0) {
        return { error: `encountered an error while checking the presence of first needed WAL in the archive (${req.beginWal}): exit ${check.code}`, log: check.stderr };
      }
      fs.rmSync(path.join(dir, 'check.wal'), { force: true });
      const dataDir = path.join(dir, 'data');
      await run('/usr/bin/barman-cloud-restore', [...req.source.providerArgs, req.source.destinationPath, req.source.serverName, req.backupId, dataDir], {
        asPgUser: true, env, timeoutMs: 300_000,
      });
      fs.chmodSync(dataDir, 0o700);
      return { dataDir };
    })();
    bases.set(key, base);
  }
  return base;
}

/** Restores a base backup and replays WAL with the given recovery settings; never throws for a failed recovery. */
export async function restoreBackup(lab: ArchiveLab, req: RestoreRequest): Promise<RestoreOutcome> {
  const base = await restoredBase(lab, req);
  if ('error' in base) return { promoted: false, rowIds: [], error: base.error, log: base.log };
  const dir = lab.newDir('restore');
  makePgDir(dir);
  const server = PgServer.over(lab.bins, dir);
  await run('cp', ['-a', base.dataDir, server.dataDir], { asPgUser: true, timeoutMs: 120_000 });

  const restoreCommand = writeRestoreScript(dir, req.source);
  const archiveCommand = req.archiveTo ? writeArchiveScript(dir, req.archiveTo) : undefined;
  writePgFile(path.join(server.dataDir, 'postgresql.conf'), baseConf(server.socketDir, { archiveCommand })
    + (archiveCommand ? '' : "archive_command = 'false'\n")
    + 'recovery_target_action = promote\n'
    + `restore_command = '${restoreCommand}'\n`
    + req.recoveryOptions);
  writePgFile(path.join(server.dataDir, 'postgresql.auto.conf'), '');
  writePgFile(path.join(server.dataDir, 'recovery.signal'), '');

  lab.track(server);
  server.launch();
  let promoted = false;
  try {
    // Promotion ends with "database system is ready to accept connections" (consistency during recovery logs
    // "… read-only connections"); then the server must say it is out of recovery.
    promoted = await server.waitReady(req.timeoutMs ?? 240_000)
      && (await server.sql('SELECT pg_is_in_recovery()')) === 'f';
  } catch (err) {
    await lab.release(server);
    return { promoted: false, rowIds: [], error: (err as Error).message, log: server.log() };
  }
  if (!promoted) {
    await lab.release(server);
    const log = server.log();
    const fatal = log.split('\n').filter(l => /\b(FATAL|PANIC):|invalid value for parameter/.test(l)).join('\n');
    return { promoted: false, rowIds: [], error: fatal || 'postgres exited without a FATAL message', log };
  }
  const ids = await server.sql("SELECT coalesce(string_agg(id::text, ',' ORDER BY id), '') FROM lab_rows");
  const timeline = parseInt((await server.sql('SELECT pg_walfile_name(pg_current_wal_lsn())')).slice(0, 8), 16);
  const rowIds = ids ? ids.split(',').map(Number) : [];
  if (!req.keepRunning) await lab.release(server);
  return { promoted: true, rowIds, timeline, log: server.log(), server: req.keepRunning ? server : undefined };
}
