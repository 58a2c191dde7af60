/**
 * What CNPG derives from a restore Cluster's `spec.bootstrap.recovery.recoveryTarget`, version by version: the
 * recovery settings it writes for PostgreSQL, and the base backup the plugin picks. Our own code, following:
 *
 * - `RecoveryTarget.BuildPostgresOptions` in cloudnative-pg `api/v1/cluster_funcs.go`:
 *   - v1.28.0 and v1.28.1 build the lines by hand, in a fixed order (timeline, xid, name, lsn, time, immediate,
 *     inclusive), values in single quotes without escaping, `recovery_target = immediate` unquoted;
 *   - v1.28.3+ / v1.29.x / v1.30.0 (commit 30a573c41, "escape backslashes and control chars in PostgreSQL config
 *     values") render a map through `configfile.RenderPostgresConfiguration`: keys sorted, every value quoted with
 *     `'` doubled and `\`, newline, tab… escaped.
 *   `recovery_target_inclusive` is always written (`false` only with `exclusive: true`).
 * - `ConvertToPostgresFormat` in cloudnative-pg/machinery `pkg/postgres/time/time.go`, applied to targetTime:
 *   v0.3.1 (CNPG 1.28.0) re-renders RFC 3339 as `YYYY-MM-DD HH:MM:SS.ffffffZ07:00` (UTC → `Z`); v0.3.3 (1.28.1),
 *   v0.4.0 (1.29.1), v0.5.0 (1.28.4, 1.29.2, 1.30.0) do the same with `+00:00` for UTC and also convert
 *   `YYYY-MM-DDTHH:MM:SS` without a zone (as UTC). Anything else passes through unchanged.
 * - `Catalog.FindBackupInfo` in cloudnative-pg/barman-cloud `pkg/catalog/catalog.go` (v0.3.3 and the v0.14.0 plugin's
 *   pseudo-version are the same here), called by the plugin's restore hook (plugin v0.14.0
 *   `internal/cnpgi/restore/restore.go` loadBackupObjectFromExternalCluster): backupID wins; else for a time the
 *   newest done backup whose end is not after the target; for an LSN the newest whose end LSN is before the target;
 *   else the newest; a numeric targetTLI keeps only backups of that timeline, "" and "latest" keep all.
 */

/** The CNPG versions our catalog supports. */
export type CnpgVersion = '1.28.0' | '1.28.1' | '1.29.1' | '1.30.0';

/** `spec.bootstrap.recovery.recoveryTarget` as CNPG reads it. */
export interface CnpgRecoveryTarget {
  readonly backupID?: string;
  readonly targetTLI?: string;
  readonly targetXID?: string;
  readonly targetName?: string;
  readonly targetLSN?: string;
  readonly targetTime?: string;
  readonly targetImmediate?: boolean;
  readonly exclusive?: boolean;
}

/** The machinery release each CNPG version's go.mod pins. */
const MACHINERY: Record<CnpgVersion, 'v0.3.1' | 'v0.3.3' | 'v0.4.0' | 'v0.5.0'> = {
  '1.28.0': 'v0.3.1', '1.28.1': 'v0.3.3', '1.29.1': 'v0.4.0', '1.30.0': 'v0.5.0',
};

/** Versions that escape config values (RenderPostgresConfiguration). */
const ESCAPES: Record<CnpgVersion, boolean> = { '1.28.0': false, '1.28.1': false, '1.29.1': true, '1.30.0': true };

/** The recovery target lines CNPG `version` appends to custom.conf. */
export function buildPostgresOptions(target: CnpgRecoveryTarget | undefined, version: CnpgVersion): string {
  if (!target) return '';
  const options: [string, string][] = [];
  if (target.targetTLI) options.push(['recovery_target_timeline', target.targetTLI]);
  if (target.targetXID) options.push(['recovery_target_xid', target.targetXID]);
  if (target.targetName) options.push(['recovery_target_name', target.targetName]);
  if (target.targetLSN) options.push(['recovery_target_lsn', target.targetLSN]);
  if (target.targetTime) options.push(['recovery_target_time', convertToPostgresFormat(target.targetTime, version)]);
  if (target.targetImmediate) options.push(['recovery_target', 'immediate']);
  options.push(['recovery_target_inclusive', target.exclusive ? 'false' : 'true']);
  if (!ESCAPES[version]) {
    return options.map(([k, v]) => (k === 'recovery_target' || k === 'recovery_target_inclusive' ? `${k} = ${v}\n` : `${k} = '${v}'\n`)).join('');
  }
  return options.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([k, v]) => `${k} = ${escapeLiteral(v)}\n`).join('');
}

function escapeLiteral(value: string): string {
  const map: Record<string, string> = { '\\': '\\\\', "'": "''", '\n': '\\n', '\r': '\\r', '\t': '\\t', '\b': '\\b', '\f': '\\f' };
  return `'${value.replace(/[\\'\n\r\t\b\f]/g, c => map[c])}'`;
}

// Go's time.RFC3339 parse: fractional seconds of any length are accepted after the seconds.
const RFC3339 = /^(\d{4}-\d\d-\d\d)T(\d\d:\d\d:\d\d)(\.\d+)?(Z|[+-]\d\d:\d\d)$/;
const RFC3339_NO_TZ = /^(\d{4}-\d\d-\d\d)T(\d\d:\d\d:\d\d)(\.\d+)?$/;

/** machinery `ConvertToPostgresFormat` as CNPG `version` has it. */
export function convertToPostgresFormat(timestamp: string, version: CnpgVersion): string {
  const machinery = MACHINERY[version];
  const render = (date: string, time: string, frac: string | undefined, zone: string) => {
    // Go's ".000000" truncates to microseconds; a zero offset renders as "Z" with layout Z07:00.
    const micros = (frac ?? '').slice(1).padEnd(6, '0').slice(0, 6);
    const utc = zone === 'Z' || zone === '+00:00' || zone === '-00:00';
    const shown = utc ? (machinery === 'v0.3.1' ? 'Z' : '+00:00') : zone;
    return `${date} ${time}.${micros}${shown}`;
  };
  const m = RFC3339.exec(timestamp);
  if (m) return render(m[1], m[2], m[3], m[4]);
  if (machinery !== 'v0.3.1') {
    const n = RFC3339_NO_TZ.exec(timestamp);
    if (n) return render(n[1], n[2], n[3], 'Z');
  }
  return timestamp;
}

/** What the plugin's restore needs to know of a backup. */
export interface CatalogBackup {
  readonly id: string;
  /** backup.info end_time, `YYYY-MM-DD HH:MM:SS.ffffff+00:00`. */
  readonly endTime: string;
  readonly endLsn: string;
  readonly timeline: number;
}

/** The backup FindBackupInfo picks (`backups` are completed ones), or undefined ("no target backup found"). */
export function chooseBackup<B extends CatalogBackup>(backups: readonly B[], target: CnpgRecoveryTarget | undefined): B | undefined {
  const sorted = [...backups].sort((a, b) => compareMicros(a.endTime, b.endTime));
  if (target?.backupID) {
    const found = sorted.find(b => b.id === target.backupID);
    if (!found) throw new Error(`no backup found with ID ${target.backupID}`);
    return found;
  }
  const tli = target?.targetTLI ?? '';
  const onTimeline = (b: B) => String(b.timeline) === tli || tli === '' || tli === 'latest';
  const newestFirst = sorted.reverse().filter(onTimeline);
  if (target?.targetTime) {
    const t = parseTime(target.targetTime);
    return newestFirst.find(b => parseTime(b.endTime) <= t);
  }
  if (target?.targetLSN) {
    const lsn = lsnValue(target.targetLSN);
    return newestFirst.find(b => lsnValue(b.endLsn) < lsn);
  }
  return newestFirst[0];
}

/** An LSN `X/Y` as a number. */
export function lsnValue(lsn: string): bigint {
  const m = /^([0-9A-Fa-f]{1,8})\/([0-9A-Fa-f]{1,8})$/.exec(lsn);
  if (!m) throw new Error(`not an LSN: ${JSON.stringify(lsn)}`);
  return BigInt(`0x${m[1]}`) * 0x1_0000_0000n + BigInt(`0x${m[2]}`);
}

/** Microseconds since the epoch of the time forms CNPG's ParseTargetTime accepts (with an explicit zone). */
export function parseTime(value: string): bigint {
  const m = /^(\d{4}-\d\d-\d\d)[ T](\d\d:\d\d:\d\d)(\.\d+)?(Z|[+-]\d\d(?::?\d\d)?)?$/.exec(value);
  if (!m) throw new Error(`not a time CNPG parses: ${JSON.stringify(value)}`);
  const zone = !m[4] || m[4] === 'Z' ? 'Z' : m[4].length === 3 ? `${m[4]}:00` : m[4].replace(/^([+-]\d\d)(\d\d)$/, '$1:$2');
  const seconds = Date.parse(`${m[1]}T${m[2]}${zone}`);
  if (isNaN(seconds)) throw new Error(`not a valid time: ${JSON.stringify(value)}`);
  return BigInt(seconds) * 1000n + BigInt((m[3] ?? '.').slice(1).padEnd(6, '0').slice(0, 6) || '0');
}

function compareMicros(a: string, b: string): number {
  const d = parseTime(a) - parseTime(b);
  return d < 0n ? -1 : d > 0n ? 1 : 0;
}
