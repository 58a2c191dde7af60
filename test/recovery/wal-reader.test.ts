/* eslint-disable no-bitwise */ // binary formats: bit operations are the specification
import * as fs from 'fs';
import * as path from 'path';
import { decompress } from '../../src/recovery/decompress';
import { formatLsn } from '../../src/recovery/lsn';
import { formatMicros } from '../../src/recovery/time';
import { scanWal, SegmentData, WalFormatError } from '../../src/recovery/wal-reader';

// Real WAL from PostgreSQL 15 with 1 MiB segments, and pg_waldump's view of it (see fixtures/generate.sh).
const FIXTURES = path.join(__dirname, 'fixtures');
const SEGMENT_SIZE = 1024 * 1024;
const truth: Record<string, Array<{ lsn: string; kind: string; time: string; xid: number }>> = JSON.parse(fs.readFileSync(path.join(FIXTURES, 'truth.json'), 'utf-8'));

async function segment(name: string): Promise<SegmentData> {
  const data = await decompress(fs.readFileSync(path.join(FIXTURES, 'archive', `${name}.bz2`)), 'bzip2', SEGMENT_SIZE);
  return { segno: BigInt(`0x${name.slice(8, 16)}`) * 4096n + BigInt(`0x${name.slice(16)}`), data };
}

const asTruth = (x: { kind: string; lsn: bigint; time: bigint; xid: number }) => ({
  kind: x.kind.toUpperCase().replace(' ', '_'),
  lsn: formatLsn(x.lsn),
  time: formatMicros(x.time).replace('T', ' ').replace('+00:00', ''),
});
const pad = (lsn: string) => lsn.replace(/\/(.*)$/, (_, lo: string) => `/${lo.padStart(8, '0')}`);

describe('scanWal', () => {
  test.each(Object.keys(truth))('GIVEN segment %s WHEN scanned alone THEN it finds every commit and abort pg_waldump prints, to the microsecond', async name => {
    const scan = scanWal([await segment(name)], SEGMENT_SIZE);
    expect(scan.xacts.map(asTruth).map(x => ({ ...x, lsn: pad(x.lsn) }))).toEqual(truth[name].map(t => ({ kind: t.kind, lsn: t.lsn, time: t.time })));
  });

  test('GIVEN a commit record of 8 045 bytes (2 000 subtransactions) THEN it is read across its pages', async () => {
    const scan = scanWal([await segment('00000001000000000000000A')], SEGMENT_SIZE);
    const big = scan.xacts.find(x => x.xid === 728);
    expect(big && formatLsn(big.lsn)).toBe('0/A3E498');
    expect(big && formatMicros(big.time)).toBe('2026-12-02T04:18:23.592938+00:00');
  });

  test('GIVEN consecutive segments THEN records spanning the segment boundary chain and the scan ends at the WAL switch', async () => {
    const names = ['000000010000000000000006', '000000010000000000000007', '000000010000000000000008', '000000010000000000000009', '00000001000000000000000A'];
    const scan = scanWal(await Promise.all(names.map(segment)), SEGMENT_SIZE);
    expect(scan.xacts.length).toBe(names.reduce((n, f) => n + truth[f].length, 0));
    expect(scan.incomplete).toBe(false);
    // 0A ends with pg_switch_wal(): the valid WAL runs to the end of the segment.
    expect(formatLsn(scan.endLsn)).toBe('0/B00000');
  });

  test('GIVEN a segment whose last record continues in the next one THEN the scan says it is incomplete', async () => {
    const scan = scanWal([await segment('000000010000000000000007')], SEGMENT_SIZE);
    expect(scan.incomplete).toBe(true);
    expect(scan.lastRecordLsn).toBeDefined();
  });

  test('GIVEN the first segment of timeline 2 THEN it holds the parent\'s shutdown checkpoint before the switch point, then timeline 2\'s commits', async () => {
    const scan = scanWal([await segment('00000002000000000000000D')], SEGMENT_SIZE);
    expect(scan.xacts.map(x => formatLsn(x.lsn))).toEqual(['0/D020C8', '0/D040E8']);
  });

  test('GIVEN a damaged record THEN the valid WAL ends just before it (as recovery would stop)', async () => {
    const seg = await segment('00000001000000000000000C');
    const damaged = Buffer.from(seg.data);
    damaged[0x3fd8 + 30] ^= 0xff; // inside the last commit record (0/C03FD8): its CRC no longer matches
    const scan = scanWal([{ segno: seg.segno, data: damaged }], SEGMENT_SIZE);
    expect(scan.xacts.map(x => formatLsn(x.lsn))).toEqual(['0/C01FE0']);
  });

  test.each([
    ['not WAL', Buffer.alloc(SEGMENT_SIZE, 7), /page magic/],
    ['a wrong size', Buffer.alloc(100), /expected 1048576/],
  ])('fails when the bytes are %s', (_, data, message) => {
    expect(() => scanWal([{ segno: 1n, data }], SEGMENT_SIZE)).toThrow(WalFormatError);
    expect(() => scanWal([{ segno: 1n, data }], SEGMENT_SIZE)).toThrow(message);
  });
});
