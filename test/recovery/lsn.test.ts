/* eslint-disable no-bitwise */ // binary formats: bit operations are the specification
import { formatLsn, parseLsn, parseSegmentName, segmentFileName, segmentOf } from '../../src/recovery/lsn';

const MB16 = 16 * 1024 * 1024;

describe('LSNs and segment names', () => {
  test.each([['0/3000060', 0x3000060n], ['16/B374D848', (0x16n << 32n) | 0xb374d848n], ['0/0', 0n]])('GIVEN %s THEN it parses and prints back', (text, value) => {
    expect(parseLsn(text)).toBe(value);
    expect(formatLsn(value)).toBe(text);
  });

  test.each(['', '0x1/2', '1/', '/1', '123456789/0', '0/3000060 junk'])('fails when %j is not an LSN', text => {
    expect(parseLsn(text)).toBeUndefined();
  });

  test('GIVEN 16 MiB segments THEN names follow XLogFileName (256 segments per log ID)', () => {
    expect(segmentFileName(1, 0x1ffn, MB16)).toBe('0000000100000001000000FF');
    expect(parseSegmentName('0000000200000001000000FF', MB16)).toEqual({ timeline: 2, segno: 0x1ffn });
    expect(segmentOf(0x1ff_000_060n, MB16)).toBe(0x1ffn);
  });

  test('GIVEN 1 MiB segments THEN 4096 segments per log ID', () => {
    expect(parseSegmentName('000000010000000000000FFF', 1 << 20)).toEqual({ timeline: 1, segno: 0xfffn });
    expect(segmentFileName(1, 0x1000n, 1 << 20)).toBe('000000010000000100000000');
  });

  test.each(['0000000100000000000001000', '00000001000000000000010', '000000010000000000000100', '000000000000000000000001', 'x00000010000000000000001'])(
    'fails when %s is not a 16 MiB segment name', name => {
      expect(parseSegmentName(name, MB16)).toBeUndefined();
    });
});
