/* eslint-disable no-bitwise */ // binary formats: bit operations are the specification
/**
 * WAL locations (LSNs) and segment file names, as PostgreSQL defines them (`src/include/access/xlog_internal.h`:
 * `XLogFileName`, `XLByteToSeg`; `XLogSegmentsPerXLogId = 0x100000000 / wal_segment_size`).
 */

/** The default `wal_segment_size` (16 MiB); backup.info's `xlog_segment_size` overrides it. */
export const DEFAULT_SEGMENT_SIZE = 16 * 1024 * 1024;

const LSN_FORM = /^([0-9A-Fa-f]{1,8})\/([0-9A-Fa-f]{1,8})$/;

/** Parses `X/Y` into a 64-bit position, or undefined when it is not an LSN. */
export function parseLsn(text: string): bigint | undefined {
  const m = LSN_FORM.exec(text.trim());
  if (!m) return undefined;
  return (BigInt(`0x${m[1]}`) << 32n) | BigInt(`0x${m[2]}`);
}

/** Formats a position as PostgreSQL prints it: upper-case hex, no leading zeros, e.g. `0/3000060`. */
export function formatLsn(lsn: bigint): string {
  return `${(lsn >> 32n).toString(16).toUpperCase()}/${(lsn & 0xffffffffn).toString(16).toUpperCase()}`;
}

/** A WAL segment: its timeline and its number (`XLogSegNo`). */
export interface SegmentName {
  readonly timeline: number;
  readonly segno: bigint;
}

const SEGMENT_FILE = /^([0-9A-F]{8})([0-9A-F]{8})([0-9A-F]{8})$/;

/** Parses a 24-hex-digit segment file name, given the segment size. */
export function parseSegmentName(name: string, segmentSize: number): SegmentName | undefined {
  const m = SEGMENT_FILE.exec(name);
  if (!m) return undefined;
  const perId = 0x100000000n / BigInt(segmentSize);
  const seg = BigInt(`0x${m[3]}`);
  if (seg >= perId) return undefined;
  const timeline = parseInt(m[1], 16);
  if (timeline === 0) return undefined;
  return { timeline, segno: BigInt(`0x${m[2]}`) * perId + seg };
}

/** The file name of a segment (`XLogFileName`). */
export function segmentFileName(timeline: number, segno: bigint, segmentSize: number): string {
  const perId = 0x100000000n / BigInt(segmentSize);
  const hex = (n: bigint | number) => n.toString(16).toUpperCase().padStart(8, '0');
  return `${hex(timeline)}${hex(segno / perId)}${hex(segno % perId)}`;
}

/** The segment holding a position (`XLByteToSeg`). */
export function segmentOf(lsn: bigint, segmentSize: number): bigint {
  return lsn / BigInt(segmentSize);
}

/** The first position of a segment (`XLogSegNoOffsetToRecPtr` with offset 0). */
export function segmentStart(segno: bigint, segmentSize: number): bigint {
  return segno * BigInt(segmentSize);
}
