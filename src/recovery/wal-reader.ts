/* eslint-disable no-bitwise */ // binary formats: bit operations are the specification
/**
 * Reads PostgreSQL WAL segments and extracts the transaction end records that a time target stops on: commits
 * and aborts (RM_XACT `XLOG_XACT_COMMIT`, `_ABORT`, `_COMMIT_PREPARED`, `_ABORT_PREPARED`), each with its
 * `xact_time`. Format per PostgreSQL `src/include/access/xlog_internal.h` (page headers, `XLP_*` flags),
 * `xlogrecord.h` (record and block headers), `xact.h` (`xl_xact_commit.xact_time` first, microseconds since
 * 2000-01-01 UTC) and `xlogreader.c` (records may span pages and segments; a page that continues a record has
 * `XLP_FIRST_IS_CONTRECORD` and `xlp_rem_len`). Stable from PostgreSQL 10 to 18.
 *
 * Every record is checked as PostgreSQL's reader checks it (page address, `xl_prev` chain, CRC-32C): a recycled
 * segment's stale tail, or any damage, ends the valid WAL exactly where recovery would stop.
 */
import { crc32cUpdate } from './crc32c';
import { POSTGRES_EPOCH_US } from './time';

const XLP_FIRST_IS_CONTRECORD = 0x0001;
const XLP_LONG_HEADER = 0x0002;
const SIZE_OF_SHORT_PHD = 24;
const SIZE_OF_LONG_PHD = 40;
const SIZE_OF_XLOG_RECORD = 24;
const RM_XLOG_ID = 0;
const RM_XACT_ID = 1;
const XLOG_SWITCH = 0x40;
const XLOG_XACT_OPMASK = 0x70;
/** WAL page magic numbers (`XLOG_PAGE_MAGIC`) of PostgreSQL 10 to 18. */
const KNOWN_MAGIC = new Set([0xd097, 0xd098, 0xd101, 0xd106, 0xd10d, 0xd110, 0xd113, 0xd116, 0xd118]);
/** PostgreSQL refuses records over 1 GiB (`XLogRecordMaxSize`); we refuse the same. */
const MAX_RECORD = 1020 * 1024 * 1024;

/** What a transaction end record did. */
export type XactKind = 'commit' | 'abort' | 'commit prepared' | 'abort prepared';

const XACT_KINDS: Readonly<Record<number, XactKind>> = { 0x00: 'commit', 0x20: 'abort', 0x30: 'commit prepared', 0x40: 'abort prepared' };

/** A commit or abort record. */
export interface XactRecord {
  readonly kind: XactKind;
  /** Where the record starts (what pg_waldump prints as `lsn`). */
  readonly lsn: bigint;
  /** The transaction ID in the record header (0 for the prepared kinds). */
  readonly xid: number;
  /** `xact_time` in microseconds since the Unix epoch. */
  readonly time: bigint;
}

/** One segment's bytes, in path order. */
export interface SegmentData {
  readonly segno: bigint;
  readonly data: Buffer;
}

/** What a scan of consecutive segments found. */
export interface WalScan {
  readonly xacts: XactRecord[];
  /** Start of the last complete, valid record. */
  readonly lastRecordLsn?: bigint;
  /** Where valid WAL ends (end of the last valid record, or the segment end after a WAL switch). */
  readonly endLsn: bigint;
  /** The last record does not fit in the segments given: it continues in the next one. */
  readonly incomplete: boolean;
}

/** Thrown when bytes are not WAL at all (not a truncated or stale tail, which just ends the scan). */
export class WalFormatError extends Error {}

/**
 * Scans consecutive segments of one timeline path. The first segment is read from its start, skipping the tail
 * of a record that began in the previous segment; records then chain through the segments given.
 */
export function scanWal(segments: readonly SegmentData[], segmentSize: number): WalScan {
  if (!segments.length) throw new WalFormatError('no segments to read');
  const segSize = BigInt(segmentSize);
  for (let i = 1; i < segments.length; i++) {
    if (segments[i].segno !== segments[i - 1].segno + 1n) throw new WalFormatError('segments are not consecutive');
  }
  for (const s of segments) {
    if (s.data.length !== segmentSize) throw new WalFormatError(`segment is ${s.data.length} bytes, expected ${segmentSize}`);
  }
  const first = segments[0].data;
  const magic = first.readUInt16LE(0);
  if (!KNOWN_MAGIC.has(magic)) throw new WalFormatError(`not a WAL segment of PostgreSQL 10 to 18 (page magic 0x${magic.toString(16)})`);
  if (!(first.readUInt16LE(2) & XLP_LONG_HEADER)) throw new WalFormatError('the first page has no long header');
  const pageSize = first.readUInt32LE(36);
  if (first.readUInt32LE(32) !== segmentSize) throw new WalFormatError(`segment header says ${first.readUInt32LE(32)} bytes per segment, expected ${segmentSize}`);
  if (pageSize < 1024 || pageSize > 65536 || (pageSize & (pageSize - 1))) throw new WalFormatError(`WAL page size ${pageSize} is not valid`);
  const page = BigInt(pageSize);
  const startLsn = segments[0].segno * segSize;
  const limitLsn = startLsn + BigInt(segments.length) * segSize;

  const at = (lsn: bigint): { buf: Buffer; off: number } => {
    const idx = Number((lsn - startLsn) / segSize);
    return { buf: segments[idx].data, off: Number((lsn - startLsn) % segSize) };
  };
  /** The page header size at a page start, or undefined when the page is not the expected one. */
  const pageHeader = (pageLsn: bigint): { size: number; info: number; remLen: number } | undefined => {
    const { buf, off } = at(pageLsn);
    const m = buf.readUInt16LE(off);
    const info = buf.readUInt16LE(off + 2);
    if (m !== magic || buf.readBigUInt64LE(off + 8) !== pageLsn) return undefined;
    const isSegStart = pageLsn % segSize === 0n;
    if (isSegStart !== ((info & XLP_LONG_HEADER) !== 0)) return undefined;
    return { size: isSegStart ? SIZE_OF_LONG_PHD : SIZE_OF_SHORT_PHD, info, remLen: buf.readUInt32LE(off + 16) };
  };
  /** Copies `n` record bytes from `lsn`, skipping page headers; undefined when they run past the data. */
  const readRecordBytes = (lsn: bigint, n: number): { bytes: Buffer; end: bigint } | 'past-end' | 'invalid' => {
    const out = Buffer.allocUnsafe(n);
    let got = 0;
    let pos = lsn;
    while (got < n) {
      if (pos >= limitLsn) return 'past-end';
      if (pos % page === 0n) {
        const h = pageHeader(pos);
        if (!h || !(h.info & XLP_FIRST_IS_CONTRECORD) || h.remLen !== n - got) return 'invalid';
        pos += BigInt(h.size);
      }
      const pageEnd = (pos / page + 1n) * page;
      const take = Math.min(n - got, Number(pageEnd - pos));
      const { buf, off } = at(pos);
      buf.copy(out, got, off, off + take);
      got += take;
      pos += BigInt(take);
    }
    return { bytes: out, end: pos };
  };
  const maxAlign = (lsn: bigint) => (lsn + 7n) & ~7n;

  const xacts: XactRecord[] = [];
  let pos = startLsn;
  let prev: bigint | undefined;
  let lastRecordLsn: bigint | undefined;
  let endLsn = startLsn;
  let incomplete = false;

  // The first page: skip the tail of a record begun in the previous segment.
  const h0 = pageHeader(startLsn);
  if (!h0) throw new WalFormatError('the first page header does not match its position');
  pos = startLsn + BigInt(h0.size);
  if (h0.info & XLP_FIRST_IS_CONTRECORD) {
    let rem = h0.remLen;
    for (;;) {
      const pageEnd = (pos / page + 1n) * page;
      const onPage = Number(pageEnd - pos);
      if (rem <= onPage) {
        pos = maxAlign(pos + BigInt(rem));
        break;
      }
      rem -= onPage;
      pos = pageEnd;
      if (pos >= limitLsn) return { xacts, endLsn: startLsn, incomplete: true };
      const h = pageHeader(pos);
      if (!h || !(h.info & XLP_FIRST_IS_CONTRECORD) || h.remLen !== rem) return { xacts, endLsn: startLsn, incomplete: false };
      pos += BigInt(h.size);
    }
  }
  endLsn = pos;

  for (;;) {
    if (pos >= limitLsn) break;
    if (pos % page === 0n) {
      const h = pageHeader(pos);
      if (!h) break;
      // A record that starts on this page follows the header (any continuation was consumed already).
      pos += BigInt(h.size);
      if (h.info & XLP_FIRST_IS_CONTRECORD) break;
    }
    const { buf, off } = at(pos);
    const totLen = buf.readUInt32LE(off);
    if (totLen === 0) break;
    if (totLen < SIZE_OF_XLOG_RECORD || totLen > MAX_RECORD) break;
    const r = readRecordBytes(pos, totLen);
    if (r === 'past-end') {
      incomplete = true;
      break;
    }
    if (r === 'invalid') break;
    const rec = r.bytes;
    if (prev !== undefined && rec.readBigUInt64LE(8) !== prev) break;
    let crc = crc32cUpdate(0xffffffff, rec, SIZE_OF_XLOG_RECORD, totLen);
    crc = ~crc32cUpdate(crc, rec, 0, 20) >>> 0;
    if (crc !== rec.readUInt32LE(20)) break;

    const info = rec[16];
    const rmid = rec[17];
    if (rmid === RM_XACT_ID) {
      const kind = XACT_KINDS[info & XLOG_XACT_OPMASK];
      if (kind) {
        const main = mainData(rec, totLen);
        if (main && main.length >= 8) {
          xacts.push({ kind, lsn: pos, xid: rec.readUInt32LE(4), time: main.readBigInt64LE(0) + POSTGRES_EPOCH_US });
        }
      }
    }
    lastRecordLsn = pos;
    prev = pos;
    endLsn = r.end;
    if (rmid === RM_XLOG_ID && (info & 0xf0) === XLOG_SWITCH) {
      // The rest of the segment is unused; the next record starts the next segment.
      pos = (r.end / segSize + (r.end % segSize === 0n ? 0n : 1n)) * segSize;
      endLsn = pos;
    } else {
      pos = maxAlign(r.end);
    }
  }
  return { xacts, lastRecordLsn, endLsn, incomplete };
}

/**
 * The main data of a record (`xlogrecord.h`): after the header come block headers and the main data length
 * (`XLR_BLOCK_ID_DATA_SHORT` 255 / `_LONG` 254), and the main data is the record's last bytes. Transaction end
 * records carry no block references; a record that has some is not parsed.
 */
function mainData(rec: Buffer, totLen: number): Buffer | undefined {
  let p = SIZE_OF_XLOG_RECORD;
  while (p < totLen) {
    const id = rec[p];
    if (id === 255) return p + 2 <= totLen ? rec.subarray(totLen - rec[p + 1], totLen) : undefined;
    if (id === 254) return p + 5 <= totLen ? rec.subarray(totLen - rec.readUInt32LE(p + 1), totLen) : undefined;
    if (id === 253) p += 3; // replication origin
    else if (id === 252) p += 5; // top-level transaction ID
    else return undefined;
  }
  return undefined;
}
