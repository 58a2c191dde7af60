/* eslint-disable no-bitwise */ // binary formats: bit operations are the specification
/**
 * The snappy framing format (google/snappy `framing_format.txt`), which python-snappy's `stream_compress` writes
 * and barman-cloud uses for `.snappy` WAL files. Chunks: stream identifier (0xff), compressed (0x00) and
 * uncompressed (0x01) data with a masked CRC-32C of the uncompressed bytes, padding (0xfe) and skippable chunks
 * (0x80–0xfd); 0x02–0x7f are reserved and fatal.
 */
import { crc32c } from './crc32c';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const snappy: { uncompress(data: Uint8Array, maxLength?: number): Uint8Array } = require('snappyjs');

const IDENTIFIER = Buffer.from('sNaPpY', 'latin1');
const MAX_CHUNK_DATA = 65536;

function maskedCrc(data: Uint8Array): number {
  const c = crc32c(data);
  return ((((c >>> 15) | (c << 17)) >>> 0) + 0xa282ead8) >>> 0;
}

/** Decodes a framed snappy stream into at most `maxBytes` bytes. */
export function decodeSnappyFraming(data: Buffer, maxBytes: number): Buffer {
  const out: Uint8Array[] = [];
  let total = 0;
  let p = 0;
  let sawIdentifier = false;
  while (p < data.length) {
    if (p + 4 > data.length) throw new Error('truncated chunk header');
    const type = data[p];
    const len = data[p + 1] | (data[p + 2] << 8) | (data[p + 3] << 16);
    const body = data.subarray(p + 4, p + 4 + len);
    if (body.length !== len) throw new Error('truncated chunk');
    p += 4 + len;
    if (type === 0xff) {
      if (len !== 6 || !body.equals(IDENTIFIER)) throw new Error('bad stream identifier');
      sawIdentifier = true;
      continue;
    }
    if (!sawIdentifier) throw new Error('missing stream identifier');
    if (type === 0x00 || type === 0x01) {
      if (len < 4) throw new Error('chunk too short');
      const expected = body.readUInt32LE(0);
      const chunk = type === 0x00 ? snappy.uncompress(body.subarray(4), MAX_CHUNK_DATA) : body.subarray(4);
      if (chunk.length > MAX_CHUNK_DATA) throw new Error('chunk larger than 65536 bytes');
      if (maskedCrc(chunk) !== expected) throw new Error('checksum mismatch');
      total += chunk.length;
      if (total > maxBytes) throw new Error(`decompresses to more than ${maxBytes} bytes`);
      out.push(chunk);
    } else if (type >= 0x02 && type <= 0x7f) {
      throw new Error(`reserved unskippable chunk type 0x${type.toString(16)}`);
    }
    // 0x80–0xfe: skippable or padding.
  }
  if (!sawIdentifier) throw new Error('missing stream identifier');
  return Buffer.concat(out, total);
}
