/**
 * The `recovery-window` report: the JSON object of the CLI contract (issue 9) and a short human report.
 */
import { ArchiveCatalog } from './archive';
import { formatLsn, segmentFileName, segmentOf } from './lsn';
import { formatMicros } from './time';
import { RecoveryWindow } from './window';

/** Missing segments listed per timeline, at most. */
const MAX_MISSING_LISTED = 10_000;

/** The `--json` object. */
export interface WindowJson {
  readonly serverName: string;
  readonly destinationPath: string;
  readonly backups: Array<{
    id: string;
    name: string | null;
    beginTime: string | null;
    endTime: string | null;
    beginLsn: string | null;
    endLsn: string | null;
    beginWal: string | null;
    endWal: string | null;
    timeline: number | null;
    status: string;
  }>;
  readonly timelines: Array<{
    timeline: number;
    firstSegment: string | null;
    lastSegment: string | null;
    missingSegments: string[];
    parent: { timeline: number; switchLsn: string } | null;
  }>;
  readonly earliest: string | null;
  readonly latest: string | null;
  readonly latestLsn: string | null;
  readonly target?: { recoverable: boolean; backupId: string | null; cnpgWouldChoose: string | null; reason: string };
}

/** Builds the contract's JSON object. */
export function windowJson(serverName: string, destinationPath: string, catalog: ArchiveCatalog, w: RecoveryWindow): WindowJson {
  const size = catalog.segmentSize;
  const backups = [...catalog.backups].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)).map(b => ({
    id: b.id,
    name: b.name ?? null,
    beginTime: b.beginTime !== undefined ? formatMicros(b.beginTime) : null,
    endTime: b.endTime !== undefined ? formatMicros(b.endTime) : null,
    beginLsn: b.beginLsn !== undefined ? formatLsn(b.beginLsn) : null,
    endLsn: b.endLsn !== undefined ? formatLsn(b.endLsn) : null,
    beginWal: b.beginWal ?? null,
    endWal: b.endWal ?? null,
    timeline: b.timeline ?? null,
    status: b.status,
  }));
  const tlis = [...new Set([...catalog.segments.keys(), ...catalog.histories.keys()])].sort((a, b) => a - b);
  const timelines = tlis.map(tli => {
    const segs = [...(catalog.segments.get(tli)?.keys() ?? [])].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    // A timeline that has a child must hold every segment up to the one its child branched in (that one is the
    // child's; the parent's copy is a .partial file).
    const branchedAt = [...catalog.histories.values()].flatMap(h => h.filter(e => e.timeline === tli)).map(e => segmentOf(e.switchLsn, size));
    const expectedEnd = branchedAt.length && segs.length ? branchedAt.reduce((a, b) => (a < b ? a : b)) - 1n : undefined;
    const wanted = expectedEnd !== undefined && expectedEnd > segs[segs.length - 1] ? [...segs, expectedEnd + 1n] : segs;
    const missing: string[] = [];
    for (let i = 1; i < wanted.length && missing.length < MAX_MISSING_LISTED; i++) {
      for (let s = wanted[i - 1] + 1n; s < wanted[i] && missing.length < MAX_MISSING_LISTED; s++) missing.push(segmentFileName(tli, s, size));
    }
    const history = catalog.histories.get(tli);
    const parent = history?.length ? history[history.length - 1] : undefined;
    return {
      timeline: tli,
      firstSegment: segs.length ? segmentFileName(tli, segs[0], size) : null,
      lastSegment: segs.length ? segmentFileName(tli, segs[segs.length - 1], size) : null,
      missingSegments: missing,
      parent: parent ? { timeline: parent.timeline, switchLsn: formatLsn(parent.switchLsn) } : null,
    };
  });
  return {
    serverName,
    destinationPath,
    backups,
    timelines,
    earliest: w.earliest !== undefined ? formatMicros(w.earliest) : null,
    latest: w.latest ? formatMicros(w.latest.time) : null,
    latestLsn: w.latest ? formatLsn(w.latest.lsn) : null,
    ...(w.verdict ? {
      target: { recoverable: w.verdict.recoverable, backupId: w.verdict.backupId, cnpgWouldChoose: w.verdict.cnpgWouldChoose, reason: w.verdict.reason + (w.verdict.nearest ? `; nearest recoverable point: ${w.verdict.nearest}` : '') },
    } : {}),
  };
}

/** The local zone's offset east of UTC, in minutes, at an instant. */
function localOffset(us: bigint): number {
  return -new Date(Number(us / 1000n)).getTimezoneOffset();
}

/** A short human report, with the window in UTC and in the local zone. */
export function windowText(json: WindowJson, w: RecoveryWindow, zoneName: string): string {
  const lines: string[] = [];
  lines.push(`Archive ${json.destinationPath.replace(/\/?$/, '/')}${json.serverName}/`);
  lines.push('');
  lines.push(`Base backups: ${json.backups.length || 'none'}`);
  for (const b of json.backups) {
    const r = w.reaches.find(x => x.backup.id === b.id);
    lines.push(`  ${b.id}  ${b.status.padEnd(6)} timeline ${b.timeline ?? '?'}  ended ${b.endTime ?? '-'}  LSN ${b.beginLsn ?? '?'}..${b.endLsn ?? '?'}${r?.unusable ? `  (not restorable: ${r.unusable})` : ''}`);
  }
  lines.push('');
  lines.push('WAL by timeline:');
  if (!json.timelines.length) lines.push('  none');
  for (const t of json.timelines) {
    const from = t.parent ? `branched from ${t.parent.timeline} at ${t.parent.switchLsn}; ` : '';
    const range = t.firstSegment ? `${t.firstSegment} .. ${t.lastSegment}` : 'no segments';
    const missing = t.missingSegments.length ? `; MISSING ${t.missingSegments.length}: ${t.missingSegments.slice(0, 5).join(', ')}${t.missingSegments.length > 5 ? ', …' : ''}` : '';
    lines.push(`  ${t.timeline}: ${from}${range}${missing}`);
  }
  lines.push('');
  if (w.pathProblem) lines.push(`Timeline ${w.targetTimeline}: ${w.pathProblem}`);
  if (json.earliest && json.latest && w.earliest !== undefined && w.latest) {
    lines.push(`Recoverable window (timeline ${w.targetTimeline}):`);
    lines.push(`  earliest  ${json.earliest}  ${formatMicros(w.earliest, localOffset(w.earliest))} ${zoneName}   end of the oldest restorable backup`);
    lines.push(`  latest    ${json.latest}  ${formatMicros(w.latest.time, localOffset(w.latest.time))} ${zoneName}   last commit reachable (LSN ${json.latestLsn})`);
    const gaps = w.reaches.filter(r => r.gapAt !== undefined && !r.unusable);
    if (gaps.length) lines.push('  WAL stops at a gap after some backups: see MISSING above; a target past a gap needs a backup taken after it');
    lines.push('  A time target must be at or after "earliest" and before "latest". "latest" itself is reached only by a');
    lines.push('  restore without a target: PostgreSQL stops on the first commit AFTER a target time.');
  } else if (json.earliest) {
    lines.push(`Restorable: backup state only (no commit after the oldest restorable backup); earliest ${json.earliest}`);
  } else {
    lines.push('Nothing restorable: no completed base backup with its WAL in this archive.');
  }
  if (json.target && w.verdict) {
    lines.push('');
    lines.push(`Target: ${w.verdict.recoverable ? 'RECOVERABLE' : 'NOT RECOVERABLE'}`);
    lines.push(`  ${w.verdict.reason}`);
    if (w.verdict.pinBackupId) lines.push(`  pin it: recoveryTarget.backupID: "${w.verdict.backupId}"  (cdk8s-cnpg restore does this)`);
    if (w.verdict.nearest) lines.push(`  nearest recoverable point: ${w.verdict.nearest}`);
  }
  return `${lines.join('\n')}\n`;
}
