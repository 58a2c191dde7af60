/**
 * Timeline history files (`<tli>.history`, PostgreSQL `timeline.c` `readTimeLineHistory`): one line per ancestor,
 * `<parent tli>\t<switch LSN>\t<reason>`; `#` starts a comment. The file of timeline N lists every ancestor.
 */
import { parseLsn } from './lsn';

/** One ancestor: the timeline, and where its child branched off it. */
export interface TimelineSwitch {
  readonly timeline: number;
  readonly switchLsn: bigint;
}

/** Parses a history file; throws on a line that is not an ancestor entry. */
export function parseTimelineHistory(text: string): TimelineSwitch[] {
  const out: TimelineSwitch[] = [];
  for (const [i, rawLine] of text.split(/\r?\n/).entries()) {
    const line = rawLine.trim();
    if (line === '' || line.startsWith('#')) continue;
    const m = /^(\d+)\s+([0-9A-Fa-f]+\/[0-9A-Fa-f]+)(\s.*)?$/.exec(line);
    const lsn = m ? parseLsn(m[2]) : undefined;
    if (!m || lsn === undefined) throw new Error(`line ${i + 1} is not "<timeline> <LSN> <reason>": ${JSON.stringify(rawLine.slice(0, 80))}`);
    const timeline = Number(m[1]);
    if (out.length && timeline <= out[out.length - 1].timeline) throw new Error(`line ${i + 1}: timeline IDs must increase`);
    out.push({ timeline, switchLsn: lsn });
  }
  return out;
}
