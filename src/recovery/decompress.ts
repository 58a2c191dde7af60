/* eslint-disable no-bitwise */ // binary formats: bit operations are the specification
/**
 * Decompression of archived WAL files, for every compression barman-cloud-wal-archive offers (barman
 * `barman/compression.py` at release/3.16.2 and 3.18: gzip `GzipFile`, bzip2 `bz2.compress`, xz `lzma.compress`,
 * zstd `ZstdCompressor.copy_stream`, lz4 `lz4.frame.compress`, snappy `snappy.stream_compress` — the snappy
 * framing format). The suffix names the compression (barman `cloud.py` `ALLOWED_COMPRESSIONS`); each output is
 * capped so a hostile file cannot exhaust memory.
 */
import * as zlib from 'zlib';
import { Decompress as ZstdDecompress } from 'fzstd';
import { XzReadableStream } from 'xz-decompress';
import { decodeSnappyFraming } from './snappy-framing';

/** A WAL compression barman-cloud writes. */
export type WalCompression = 'gzip' | 'bzip2' | 'xz' | 'snappy' | 'zstd' | 'lz4';

/** barman `cloud.py` `ALLOWED_COMPRESSIONS`: file suffix → compression. */
export const COMPRESSION_SUFFIXES: ReadonlyArray<readonly [string, WalCompression]> = [
  ['.gz', 'gzip'], ['.bz2', 'bzip2'], ['.xz', 'xz'], ['.snappy', 'snappy'], ['.zst', 'zstd'], ['.lz4', 'lz4'],
];

/** Splits `name.suffix` into the name and its compression, as barman-cloud-wal-restore detects it. */
export function splitCompression(fileName: string): { readonly base: string; readonly compression?: WalCompression } {
  for (const [suffix, compression] of COMPRESSION_SUFFIXES) {
    if (fileName.endsWith(suffix)) return { base: fileName.slice(0, -suffix.length), compression };
  }
  return { base: fileName };
}

/** Thrown when a file does not decode, or decodes to more than allowed. */
export class DecompressionError extends Error {}

// Untyped pure-JS decoders: their whole API surface we use, typed here.
/* eslint-disable @typescript-eslint/no-require-imports */
const lz4: { decompressFrame(src: Uint8Array, dst: Uint8Array): number } = require('lz4js');
const Bunzip: { decode(input: Uint8Array, output: { writeByte(b: number): void }, multistream?: boolean): void } = require('seek-bzip');
/* eslint-enable @typescript-eslint/no-require-imports */

/**
 * Decompresses one archived file into at most `maxBytes` bytes (a WAL segment is exactly its segment size).
 */
export async function decompress(data: Buffer, compression: WalCompression | undefined, maxBytes: number): Promise<Buffer> {
  const tooBig = () => new DecompressionError(`decompresses to more than ${maxBytes} bytes`);
  try {
    switch (compression) {
      case undefined:
        if (data.length > maxBytes) throw tooBig();
        return data;
      case 'gzip':
        try {
          return zlib.gunzipSync(data, { maxOutputLength: maxBytes });
        } catch (e) {
          if ((e as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') throw tooBig();
          throw e;
        }
      case 'bzip2': {
        // seek-bzip writes byte by byte into the stream it is given: ours stops at the limit.
        let out = Buffer.allocUnsafe(Math.min(maxBytes, 1 << 20));
        let pos = 0;
        Bunzip.decode(data, {
          writeByte(b: number) {
            if (pos === out.length) {
              if (pos >= maxBytes) throw tooBig();
              const grown = Buffer.allocUnsafe(Math.min(maxBytes, out.length * 2));
              out.copy(grown, 0, 0, pos);
              out = grown;
            }
            out[pos++] = b;
          },
        }, true);
        return out.subarray(0, pos);
      }
      case 'zstd': {
        checkZstdFrame(data, maxBytes);
        // Streaming, so the limit holds even when the frame does not state its size (copy_stream omits it).
        const chunks: Uint8Array[] = [];
        let total = 0;
        const stream = new ZstdDecompress(chunk => {
          total += chunk.length;
          if (total > maxBytes) throw tooBig();
          chunks.push(chunk);
        });
        stream.push(data, true);
        return Buffer.concat(chunks, total);
      }
      case 'lz4': {
        const dst = new Uint8Array(maxBytes + 1);
        let used = 0;
        // lz4.frame.compress writes one frame; concatenated frames decode in sequence as the format allows.
        let offset = 0;
        while (offset < data.length) {
          const n = lz4FrameLength(data, offset);
          used += lz4.decompressFrame(data.subarray(offset, offset + n), dst.subarray(used));
          if (used > maxBytes) throw tooBig();
          offset += n;
        }
        return Buffer.from(dst.buffer, 0, used);
      }
      case 'snappy':
        return decodeSnappyFraming(data, maxBytes);
      case 'xz':
        return await decodeXz(data, maxBytes);
    }
  } catch (e) {
    if (e instanceof DecompressionError) throw e;
    throw new DecompressionError(`is not valid ${compression} data (${(e as Error).message ?? String(e)})`);
  }
}

/**
 * Refuses a zstd frame that announces more output than allowed, or a window over 128 MiB, before the decoder
 * allocates for it (RFC 8878 §3.1.1.1: frame header descriptor, window descriptor, frame content size).
 */
function checkZstdFrame(data: Buffer, maxBytes: number): void {
  if (data.length < 6 || data.readUInt32LE(0) !== 0xfd2fb528) throw new Error('not a zstd frame');
  const fhd = data[4];
  const singleSegment = (fhd >> 5) & 1;
  let p = 5;
  if (!singleSegment) {
    const wd = data[p++];
    const windowLog = 10 + (wd >> 3);
    if (windowLog > 27) throw new DecompressionError(`zstd window of 2^${windowLog} bytes is larger than a WAL segment needs`);
  }
  p += [0, 1, 2, 4][fhd & 3];
  const fcsSize = [singleSegment ? 1 : 0, 2, 4, 8][fhd >> 6];
  if (fcsSize && p + fcsSize <= data.length) {
    const fcs = fcsSize === 1 ? data[p]
      : fcsSize === 2 ? data.readUInt16LE(p) + 256
        : fcsSize === 4 ? data.readUInt32LE(p) : Number(data.readBigUInt64LE(p));
    if (fcs > maxBytes) throw new DecompressionError(`decompresses to more than ${maxBytes} bytes`);
  }
}

/** The byte length of the LZ4 frame at `offset` (magic, descriptor, blocks, end mark, optional checksum). */
function lz4FrameLength(data: Buffer, offset: number): number {
  if (data.readUInt32LE(offset) !== 0x184d2204) throw new Error('not an LZ4 frame');
  const flg = data[offset + 4];
  let p = offset + 4 + 2 + ((flg & 0x08) ? 8 : 0) + ((flg & 0x01) ? 4 : 0) + 1;
  const blockChecksum = (flg & 0x10) !== 0;
  for (;;) {
    if (p + 4 > data.length) throw new Error('truncated LZ4 frame');
    const size = data.readUInt32LE(p) & 0x7fffffff;
    p += 4;
    if (size === 0) break;
    p += size + (blockChecksum ? 4 : 0);
  }
  if (flg & 0x04) p += 4;
  if (p > data.length) throw new Error('truncated LZ4 frame');
  return p - offset;
}

async function decodeXz(data: Buffer, maxBytes: number): Promise<Buffer> {
  const input = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(new Uint8Array(data.buffer, data.byteOffset, data.length));
      controller.close();
    },
  });
  const reader = new XzReadableStream(input).getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.length;
    if (total > maxBytes) {
      await reader.cancel();
      throw new DecompressionError(`decompresses to more than ${maxBytes} bytes`);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks, total);
}
