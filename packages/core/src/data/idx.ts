/**
 * Reader for the IDX file format of the MNIST distribution (LeCun et al.).
 *
 * Layout: 2 zero bytes (magic), 1 type-code byte, 1 byte ndims, ndims big-endian uint32
 * dimensions, then the data in row-major order (last dimension fastest).
 */
import { closeSync, constants, fstatSync, openSync, readSync, type Stats } from 'node:fs';
import { open } from 'node:fs/promises';
import { ConfigError, DataError } from '../errors.js';

/** An n-dimensional array of unsigned bytes read from an IDX file. */
export interface IdxArray {
  /** Dimensions, outermost first, e.g. [60000, 28, 28] for MNIST training images. */
  dims: number[];
  /** The elements, row-major (last dimension fastest); length = product of dims. A view, not a copy. */
  data: Uint8Array;
}

/** The type codes the IDX format defines, by name, for error messages. */
const TYPE_NAMES: Readonly<Record<number, string>> = {
  0x08: 'unsigned byte',
  0x09: 'signed byte',
  0x0b: 'int16',
  0x0c: 'int32',
  0x0d: 'float32',
  0x0e: 'float64',
};

/** The one type code we read: 0x08, unsigned byte. */
const UNSIGNED_BYTE = 0x08;
/** Largest number of dimensions accepted. */
const MAX_DIMS = 4;

/** A byte as '0x08'. */
function hex(byte: number): string {
  return `0x${byte.toString(16).padStart(2, '0')}`;
}

/**
 * Parses an IDX file held in memory.
 *
 * Header: bytes 0–1 are 0 (magic), byte 2 the type code (only 0x08, unsigned byte, is supported),
 * byte 3 ndims ∈ [1, 4], then ndims big-endian uint32 dimensions; the data follow, 1 byte each.
 *
 * Shapes: returns dims [d0, …, d(ndims−1)] and data of length d0·…·d(ndims−1).
 *
 * @param bytes - the whole file's contents; any Uint8Array (a Node Buffer works).
 * @param source - the file's name or path, used in error messages.
 * @returns `{ dims, data }`; `data` is a view into `bytes` (no copy), so do not mutate `bytes` afterwards.
 * @throws {ConfigError} when `bytes` is not a Uint8Array (names the argument and what it is)
 * @throws {DataError} when the file is shorter than its header, its first two bytes are not zero
 *   ("not an IDX file"), its type code is not 0x08, ndims is 0 or more than 4, or the data length is
 *   not the product of the dims ("truncated: expected N bytes …" / "has M extra bytes"). Every
 *   message names `source` and gives the expected and the actual value.
 * @example
 * const bytes = Uint8Array.from([0, 0, 0x08, 1, 0, 0, 0, 2, 7, 9]);
 * readIdx(bytes, 'tiny.idx'); //=> { dims: [2], data: Uint8Array [7, 9] }
 */
export function readIdx(bytes: Uint8Array, source: string): IdxArray {
  if (!(bytes instanceof Uint8Array)) {
    const value: unknown = bytes;
    const found = value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value;
    throw new ConfigError(
      `readIdx: bytes: expected a Uint8Array (or a Node Buffer), found ${found}`,
    );
  }
  const { dims, headerBytes, expected } = layout(bytes, bytes.length, source);
  return { dims, data: new Uint8Array(bytes.buffer, bytes.byteOffset + headerBytes, expected) };
}

/**
 * Checks an IDX header against the file's size before the data is read.
 * @param head - the file's first bytes: at least its header (4 + 4·ndims bytes), or all of it
 * @param size - the whole file's size in bytes
 * @returns the dims, the header's size and the data's size in bytes
 * @throws {DataError} as {@link readIdx} describes
 */
function layout(
  head: Uint8Array,
  size: number,
  source: string,
): { dims: number[]; headerBytes: number; expected: number } {
  if (size < 4) {
    throw new DataError(
      `${source}: file is shorter than the IDX header: expected at least 4 bytes, found ${size}`,
    );
  }
  const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
  const magic0 = view.getUint8(0);
  const magic1 = view.getUint8(1);
  if (magic0 !== 0 || magic1 !== 0) {
    throw new DataError(
      `${source}: not an IDX file: expected the first two bytes to be 0x00 0x00, found ${hex(magic0)} ${hex(magic1)}`,
    );
  }
  const typeCode = view.getUint8(2);
  if (typeCode !== UNSIGNED_BYTE) {
    const name = TYPE_NAMES[typeCode];
    throw new DataError(
      `${source}: unsupported IDX type code ${hex(typeCode)} (${name ?? 'unknown type'}); ` +
        `only ${hex(UNSIGNED_BYTE)} (unsigned byte) is supported`,
    );
  }
  const ndims = view.getUint8(3);
  if (ndims === 0 || ndims > MAX_DIMS) {
    throw new DataError(
      `${source}: expected 1 to ${MAX_DIMS} dimensions in the IDX header, found ${ndims}`,
    );
  }
  const headerBytes = 4 + 4 * ndims;
  if (size < headerBytes) {
    throw new DataError(
      `${source}: file is shorter than the IDX header: expected at least ${headerBytes} bytes ` +
        `for ${ndims} dimensions, found ${size}`,
    );
  }
  const dims: number[] = [];
  for (let k = 0; k < ndims; k++) dims.push(view.getUint32(4 + 4 * k, false));
  const expected = dims.reduce((product, d) => product * d, 1);
  const found = size - headerBytes;
  if (found < expected) {
    throw new DataError(
      `${source}: truncated: expected ${expected} bytes of data after the header ` +
        `for dims [${dims.join(', ')}], found ${found}`,
    );
  }
  if (found > expected) {
    throw new DataError(
      `${source}: has ${found - expected} extra bytes: expected ${expected} bytes of data ` +
        `after the header for dims [${dims.join(', ')}], found ${found}`,
    );
  }
  return { dims, headerBytes, expected };
}

/** Turns a file-system error into a DataError naming the path. */
function readError(path: string, error: unknown): DataError {
  const code = (error as { code?: unknown } | null)?.code;
  const reason =
    code === 'ENOENT'
      ? 'no such file'
      : typeof code === 'string'
        ? code
        : error instanceof Error
          ? error.message
          : String(error);
  return new DataError(`cannot read IDX file ${path}: ${reason}`, { cause: error });
}

/**
 * Reads and parses an IDX file (see {@link readIdx} for the format and checks).
 *
 * @param path - file path; the file is read whole into memory (MNIST training images: 47 MB),
 *   but only after its header has been checked against its size (fstat), so a small file that
 *   declares huge dims costs nothing.
 * @returns dims and a byte view of the data.
 * @throws {DataError} when the file cannot be read (e.g. "cannot read IDX file <path>: no such
 *   file"; the file-system error is the `cause`), is not a regular file (/dev/zero, a FIFO: it
 *   would never end), or is not a valid IDX file.
 * @example
 * const { dims } = await readIdxFile('t10k-labels-idx1-ubyte'); // dims: [10000]
 */
export async function readIdxFile(path: string): Promise<IdxArray> {
  let handle;
  try {
    handle = await open(path, READ_FLAGS);
    const size = regularSize(await handle.stat(), path);
    const head = new Uint8Array(Math.min(size, HEAD_BYTES));
    await handle.read(head, 0, head.length, 0);
    layout(head, size, path); // the header against the size, before reading it all
    const bytes = new Uint8Array(size);
    const { bytesRead } = await handle.read(bytes, 0, size, 0);
    return readIdx(bytes.subarray(0, bytesRead), path);
  } catch (error) {
    throw error instanceof DataError ? error : readError(path, error);
  } finally {
    await handle?.close();
  }
}

/**
 * Synchronous {@link readIdxFile}: reads and parses an IDX file.
 *
 * @param path - file path; read whole into memory.
 * @returns dims and a byte view of the data.
 * @throws {DataError} when the file cannot be read (names the path; the file-system error is the
 *   `cause`) or is not a valid IDX file.
 * @example
 * readIdxFileSync('t10k-labels-idx1-ubyte').dims; //=> [10000]
 */
export function readIdxFileSync(path: string): IdxArray {
  let fd: number | undefined;
  try {
    fd = openSync(path, READ_FLAGS);
    const size = regularSize(fstatSync(fd), path);
    const head = new Uint8Array(Math.min(size, HEAD_BYTES));
    readSync(fd, head, 0, head.length, 0);
    layout(head, size, path); // the header against the size, before reading it all
    const bytes = new Uint8Array(size);
    return readIdx(bytes.subarray(0, readSync(fd, bytes, 0, size, 0)), path);
  } catch (error) {
    throw error instanceof DataError ? error : readError(path, error);
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** Opening a FIFO for reading must not wait for a writer: it is refused after fstat. */
const READ_FLAGS = constants.O_RDONLY | constants.O_NONBLOCK;
/** The largest IDX header: 4 bytes and 4 per dimension. */
const HEAD_BYTES = 4 + 4 * MAX_DIMS;

/**
 * The size of a regular file.
 * @throws {DataError} for a device, FIFO, socket or directory (a file that never ends)
 */
function regularSize(stats: Stats, path: string): number {
  if (stats.isFile()) return stats.size;
  const kind = stats.isDirectory()
    ? 'a directory'
    : stats.isFIFO()
      ? 'a FIFO (named pipe)'
      : stats.isCharacterDevice()
        ? 'a character device'
        : 'a device or socket';
  throw new DataError(`cannot read IDX file ${path}: expected a regular file, found ${kind}`);
}
