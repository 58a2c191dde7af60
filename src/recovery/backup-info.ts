/**
 * barman's `backup.info` (barman `infofile.py` `BackupInfo`, saved by barman-cloud-backup as `key=value` lines;
 * Python `repr` for strings with quotes, `None` for unset). The backup ID is the folder name, not a key.
 */
import { parseLsn } from './lsn';
import { parseBarmanTime } from './time';

/** The fields of one base backup that recovery depends on. */
export interface BackupInfo {
  /** The folder name under `base/`: the backup's start time, `YYYYMMDDTHHMMSS`. */
  readonly id: string;
  readonly name?: string;
  readonly status: string;
  /** Microseconds since the epoch. */
  readonly beginTime?: bigint;
  readonly endTime?: bigint;
  readonly beginLsn?: bigint;
  readonly endLsn?: bigint;
  readonly beginWal?: string;
  readonly endWal?: string;
  readonly timeline?: number;
  /** `xlog_segment_size`, when barman recorded it. */
  readonly segmentSize?: number;
  /** The raw values, for what the report prints as barman wrote it. */
  readonly raw: Readonly<Record<string, string>>;
}

/** Unquotes a Python `repr` string value; other values stay as written. */
function unquote(v: string): string {
  const m = /^'(.*)'$/s.exec(v) ?? /^"(.*)"$/s.exec(v);
  return m ? m[1].replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c === 't' ? '\t' : c)) : v;
}

/** Parses a backup.info file of the backup in folder `id`. */
export function parseBackupInfo(id: string, text: string): BackupInfo {
  const raw: Record<string, string> = {};
  for (const line of text.split(/\r?\n/)) {
    const eq = line.indexOf('=');
    if (eq <= 0) continue;
    raw[line.slice(0, eq).trim()] = unquote(line.slice(eq + 1).trim());
  }
  const get = (k: string) => (raw[k] === undefined || raw[k] === 'None' || raw[k] === '' ? undefined : raw[k]);
  const int = (k: string) => {
    const v = get(k);
    return v !== undefined && /^\d+$/.test(v) ? Number(v) : undefined;
  };
  const lsn = (k: string) => {
    const v = get(k);
    return v === undefined ? undefined : parseLsn(v);
  };
  const time = (k: string) => {
    const v = get(k);
    return v === undefined ? undefined : parseBarmanTime(v);
  };
  return {
    id,
    name: get('backup_name'),
    status: get('status') ?? 'UNKNOWN',
    beginTime: time('begin_time'),
    endTime: time('end_time'),
    beginLsn: lsn('begin_xlog'),
    endLsn: lsn('end_xlog'),
    beginWal: get('begin_wal'),
    endWal: get('end_wal'),
    timeline: int('timeline'),
    segmentSize: int('xlog_segment_size'),
    raw,
  };
}
