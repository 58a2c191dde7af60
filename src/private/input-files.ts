/**
 * The one way this package reads a file it did not write: manifests given to `cdk8s-cnpg validate`, an upstream
 * install named by `manifestFile` or found in an upstream folder, the lock file. Regular files only, bounded in
 * size, valid UTF-8, never empty; folders are scanned recursively with every odd entry (a symbolic link loop, a
 * dangling link, a FIFO, an unreadable folder) reported as one line. Nothing here blocks: a FIFO is opened
 * non-blocking and refused before a byte is read.
 */
import * as fs from 'fs';
import * as path from 'path';
import { oneLine } from './errors';

/** A file or folder that cannot be read as input: a usage problem (exit 2 in the CLI), never a finding. */
export class InputError extends Error {
  constructor(message: string) {
    super(oneLine(message));
    this.name = 'InputError';
  }
}

/** Limits on what is read. */
export interface InputLimits {
  /** Largest single file, in bytes. @default MAX_FILE_BYTES */
  readonly maxFileBytes?: number;
  /** Largest sum of all files read by one `readInputPaths` call. @default MAX_TOTAL_BYTES */
  readonly maxTotalBytes?: number;
  /** Most files one `readInputPaths` call reads. @default MAX_FILES */
  readonly maxFiles?: number;
}

/** 16 MiB: four times the largest upstream install (CNPG's CRDs, ~1.3 MB) with room for generated sets. */
export const MAX_FILE_BYTES = 16 * 1024 * 1024;
/** 64 MiB for all files of one run. */
export const MAX_TOTAL_BYTES = 64 * 1024 * 1024;
/** 10,000 files in one run. */
export const MAX_FILES = 10_000;
/** Folders nested deeper than this are refused (a loop through bind mounts would otherwise never end). */
const MAX_DEPTH = 64;

/** A file read as text. */
export interface InputFile {
  /** The path as given or found (for messages). */
  readonly path: string;
  readonly text: string;
}

/** Shows a path in a message: JSON-quoted only when it holds characters that would otherwise be unreadable. */
export function showPath(p: string): string {
  return /^[\x21-\x7e\u00a0-\u2027\u202f-\uffff]+$/u.test(p) && !/["\\]/.test(p) ? p : JSON.stringify(p);
}

function mib(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(1)} MiB`;
}

const NODE_TYPE: ReadonlyArray<[keyof fs.Stats, string]> = [
  ['isFIFO', 'a FIFO (named pipe)'], ['isCharacterDevice', 'a character device'], ['isBlockDevice', 'a block device'],
  ['isSocket', 'a socket'], ['isDirectory', 'a folder'], ['isSymbolicLink', 'a symbolic link'],
];

function describeType(stat: fs.Stats): string {
  for (const [test, name] of NODE_TYPE) if ((stat[test] as () => boolean).call(stat)) return name;
  return 'not a regular file';
}

/** One line for a failed system call, in words a user can act on. */
function describeErrno(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  switch (code) {
    case 'ENOENT': return 'no such file or directory (or a symbolic link to nothing)';
    case 'ELOOP': return 'a symbolic link loop';
    case 'EACCES': case 'EPERM': return 'permission denied';
    case 'ENOTDIR': return 'a path component is not a folder';
    case 'ENAMETOOLONG': return 'the name is too long';
    case 'EISDIR': return 'a folder, not a file';
    case 'EMFILE': case 'ENFILE': return 'too many open files';
    case 'EIO': return 'an I/O error';
    default: return code ? `${code}` : String((e as Error).message ?? e);
  }
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** The first byte offset at which `bytes` stops being valid UTF-8 (for the message). */
function firstInvalidUtf8(bytes: Buffer): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i];
    const n = b < 0x80 ? 0 : b >= 0xc2 && b <= 0xdf ? 1 : b >= 0xe0 && b <= 0xef ? 2 : b >= 0xf0 && b <= 0xf4 ? 3 : -1;
    if (n < 0) return i;
    for (let k = 1; k <= n; k++) if (i + k >= bytes.length || bytes[i + k] < 0x80 || bytes[i + k] > 0xbf) return i;
    try {
      utf8.decode(bytes.subarray(i, i + n + 1));
    } catch {
      return i; // overlong forms and surrogates
    }
    i += n + 1;
  }
  return i;
}

/**
 * Reads one file as UTF-8 text: a regular file (after following symbolic links), at most `maxBytes`, not empty,
 * valid UTF-8 (a leading byte order mark is dropped). Throws `InputError` with one line naming the file.
 */
export function readTextFile(file: string, maxBytes: number = MAX_FILE_BYTES): string {
  const where = showPath(file);
  let fd: number;
  try {
    // O_NONBLOCK: opening a FIFO with no writer must not wait for one; the type is checked before reading.
    // eslint-disable-next-line no-bitwise
    fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
  } catch (e) {
    throw new InputError(`${where}: cannot read: ${describeErrno(e)}`);
  }
  try {
    const stat = fs.fstatSync(fd);
    if (!stat.isFile()) throw new InputError(`${where}: cannot read: ${describeType(stat)}, not a regular file`);
    if (stat.size > maxBytes) {
      throw new InputError(`${where}: ${mib(stat.size)}, over the ${mib(maxBytes)} limit for one file; split it into smaller files`);
    }
    // Read to the limit and one byte past it: a file may grow, or report no size (procfs), while it is read.
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      // The whole file in one read when its size is known; a growing file or one with no size reads on.
      const chunk = Buffer.allocUnsafe(Math.min(Math.max(stat.size + 1 - total, 1024 * 1024), maxBytes + 1 - total));
      const n = fs.readSync(fd, chunk, 0, chunk.length, null);
      if (n === 0) break;
      chunks.push(chunk.subarray(0, n));
      total += n;
      if (total > maxBytes) {
        throw new InputError(`${where}: over the ${mib(maxBytes)} limit for one file; split it into smaller files`);
      }
    }
    const bytes = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, total);
    if (total === 0) throw new InputError(`${where}: the file is empty`);
    let text: string;
    try {
      // A fatal decoder: no overlong forms, no surrogates; a leading byte order mark is dropped. (Faster than
      // Buffer.toString, on ASCII and other text alike.)
      text = utf8.decode(bytes);
    } catch {
      const at = firstInvalidUtf8(bytes);
      const utf16 = bytes.length >= 2 && ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff));
      throw new InputError(`${where}: not valid UTF-8 (byte ${at}${utf16 ? ', the file looks like UTF-16' : ''}); save it as UTF-8`);
    }
    return text;
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw new InputError(`${where}: cannot read: ${describeErrno(e)}`);
  } finally {
    fs.closeSync(fd);
  }
}

/** Reads a small JSON file that this package owns (the lock file); undefined when it does not exist. */
export function readJsonFile(file: string, maxBytes: number = 1024 * 1024): unknown {
  if (!fs.existsSync(file)) return undefined;
  const text = readTextFile(file, maxBytes);
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new InputError(`${showPath(file)}: not valid JSON: ${(e as Error).message}`);
  }
}

/** The manifest files a folder holds, by name. */
export const MANIFEST_FILE = /\.(ya?ml|json)$/i;

/**
 * The files a path names: a file itself, or for a folder every `.yaml`, `.yml` or `.json` file below it in
 * sorted order. Symbolic links are followed; a link that loops back into a folder being scanned, a dangling
 * link, an unreadable folder and a manifest-named entry that is not a regular file are errors.
 */
export function listInputFiles(p: string, limits: InputLimits = {}): string[] {
  const maxFiles = limits.maxFiles ?? MAX_FILES;
  const files: string[] = [];
  const statOf = (entry: string): fs.Stats => {
    try {
      return fs.statSync(entry);
    } catch (e) {
      let detail = describeErrno(e);
      try {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT' && fs.lstatSync(entry).isSymbolicLink()) {
          detail = `a dangling symbolic link (to ${showPath(fs.readlinkSync(entry))})`;
        }
      } catch {
        // not a link: keep the first answer
      }
      throw new InputError(`${showPath(entry)}: cannot read: ${detail}`);
    }
  };
  const scan = (dir: string, ancestors: readonly string[]): void => {
    if (ancestors.length > MAX_DEPTH) throw new InputError(`${showPath(dir)}: folders nested more than ${MAX_DEPTH} deep`);
    let names: string[];
    try {
      names = fs.readdirSync(dir);
    } catch (e) {
      throw new InputError(`${showPath(dir)}: cannot read the folder: ${describeErrno(e)}`);
    }
    for (const name of names.sort()) {
      const entry = path.join(dir, name);
      const stat = statOf(entry);
      if (stat.isDirectory()) {
        const id = `${stat.dev}:${stat.ino}`;
        if (ancestors.includes(id)) throw new InputError(`${showPath(entry)}: cannot read: a symbolic link loop (it leads back to a folder being scanned)`);
        scan(entry, [...ancestors, id]);
      } else if (MANIFEST_FILE.test(name)) {
        if (!stat.isFile()) throw new InputError(`${showPath(entry)}: cannot read: ${describeType(stat)}, not a regular file`);
        files.push(entry);
        if (files.length > maxFiles) throw new InputError(`${showPath(p)}: more than ${maxFiles} manifest files; validate fewer at a time`);
      }
    }
  };
  const stat = statOf(p);
  if (!stat.isDirectory()) return [p];
  scan(p, [`${stat.dev}:${stat.ino}`]);
  return files;
}

/**
 * Reads every file the paths name (see `listInputFiles`), within the limits. A folder without manifest files is
 * an error: it is almost always a mistyped path.
 */
export function readInputPaths(paths: readonly string[], limits: InputLimits = {}): InputFile[] {
  const maxTotal = limits.maxTotalBytes ?? MAX_TOTAL_BYTES;
  const out: InputFile[] = [];
  let total = 0;
  for (const p of paths) {
    const files = listInputFiles(p, limits);
    if (!files.length) throw new InputError(`${showPath(p)}: no .yaml, .yml or .json files found`);
    for (const file of files) {
      const text = readTextFile(file, limits.maxFileBytes ?? MAX_FILE_BYTES);
      total += Buffer.byteLength(text);
      if (total > maxTotal) throw new InputError(`${showPath(file)}: the files given exceed ${mib(maxTotal)} in all; validate fewer at a time`);
      out.push({ path: file, text });
    }
  }
  return out;
}
