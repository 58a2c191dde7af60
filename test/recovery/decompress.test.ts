import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { decompress, DecompressionError, splitCompression, WalCompression } from '../../src/recovery/decompress';

// One real 1 MiB WAL segment written with each codec the way barman-cloud-wal-archive does (fixtures/codecs.py).
const DIR = path.join(__dirname, 'fixtures', 'codecs');
const NAME = '00000001000000000000000C';
const SIZE = 1024 * 1024;
const file = (suffix: string) => fs.readFileSync(path.join(DIR, NAME + suffix));
const sha = (b: Buffer) => crypto.createHash('sha256').update(b).digest('hex');

describe('decompress', () => {
  let reference: Buffer;
  beforeAll(async () => {
    reference = await decompress(file('.bz2'), 'bzip2', SIZE);
  });

  test('GIVEN the bzip2 reference THEN it is one WAL segment', () => {
    expect(reference.length).toBe(SIZE);
    expect(reference.readUInt16LE(0)).toBe(0xd110); // PostgreSQL 15's XLOG_PAGE_MAGIC
  });

  test.each(['.gz', '.bz2', '.xz', '.zst', '.lz4', '.snappy'])('GIVEN a segment compressed as %s THEN it decodes to the same bytes', async suffix => {
    const { base, compression } = splitCompression(NAME + suffix);
    expect(base).toBe(NAME);
    const out = await decompress(file(suffix), compression, SIZE);
    expect(out.length).toBe(SIZE);
    expect(sha(out)).toBe(sha(reference));
  });

  test('GIVEN a name without a compression suffix THEN it is read as is', () => {
    expect(splitCompression(NAME)).toEqual({ base: NAME });
    expect(splitCompression(`${NAME}.partial.gz`)).toEqual({ base: `${NAME}.partial`, compression: 'gzip' });
  });

  test.each<[string, WalCompression]>([
    ['.gz', 'gzip'], ['.bz2', 'bzip2'], ['.xz', 'xz'], ['.zst', 'zstd'], ['.lz4', 'lz4'], ['.snappy', 'snappy'],
  ])('fails when %s decompresses to more than the limit', async (suffix, compression) => {
    await expect(decompress(file(suffix), compression, SIZE - 1)).rejects.toThrow(/more than 1048575 bytes/);
  });

  test.each<[string, WalCompression]>([
    ['.gz', 'gzip'], ['.bz2', 'bzip2'], ['.xz', 'xz'], ['.zst', 'zstd'], ['.lz4', 'lz4'], ['.snappy', 'snappy'],
  ])('fails when %s data is damaged', async (suffix, compression) => {
    const bad = Buffer.from(file(suffix));
    bad.fill(0x5a, 12, Math.min(bad.length, 200));
    await expect(decompress(bad, compression, SIZE)).rejects.toThrow(DecompressionError);
  });

  test('fails when an uncompressed file is larger than a segment', async () => {
    await expect(decompress(Buffer.alloc(SIZE + 1), undefined, SIZE)).rejects.toThrow(/more than/);
  });
});
