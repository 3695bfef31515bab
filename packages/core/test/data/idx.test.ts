import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, DataError } from '../../src/errors.js';
import { readIdx, readIdxFile, readIdxFileSync } from '../../src/data/idx.js';

/** Builds an IDX file: magic, type code, ndims, big-endian dims, then the data bytes. */
function idxBytes(dims: number[], data: ArrayLike<number>, typeCode = 0x08): Uint8Array {
  const bytes = new Uint8Array(4 + 4 * dims.length + data.length);
  const view = new DataView(bytes.buffer);
  bytes[2] = typeCode;
  bytes[3] = dims.length;
  dims.forEach((d, k) => view.setUint32(4 + 4 * k, d, false));
  bytes.set(Array.from(data), 4 + 4 * dims.length);
  return bytes;
}

/** 2 images of 3×3: bytes 0, 1, …, 17. */
const images = Array.from({ length: 18 }, (_, k) => k);

describe('readIdx', () => {
  it('reads the dims and bytes of a 2x3x3 unsigned-byte file', () => {
    const result = readIdx(idxBytes([2, 3, 3], images), 'images.idx');
    expect(result.dims).toEqual([2, 3, 3]);
    expect(Array.from(result.data)).toEqual(images);
  });

  it('reads dims as big-endian uint32, including values above 255', () => {
    const result = readIdx(idxBytes([300], new Uint8Array(300).fill(4)), 'labels.idx');
    expect(result.dims).toEqual([300]);
    expect(result.data.length).toBe(300);
  });

  it('returns a view into the input, not a copy', () => {
    const bytes = idxBytes([2], [7, 9]);
    const result = readIdx(bytes, 'view.idx');
    bytes[bytes.length - 1] = 42;
    expect(result.data[1]).toBe(42);
    expect(result.data.buffer).toBe(bytes.buffer);
  });

  it('honours the byte offset of a Uint8Array inside a larger buffer', () => {
    const file = idxBytes([1, 2], [5, 6]);
    const padded = new Uint8Array(file.length + 5).fill(99);
    padded.set(file, 3);
    const result = readIdx(padded.subarray(3, 3 + file.length), 'offset.idx');
    expect(result.dims).toEqual([1, 2]);
    expect(Array.from(result.data)).toEqual([5, 6]);
  });

  it('accepts a dimension of 0 (an empty array)', () => {
    expect(readIdx(idxBytes([0, 28, 28], []), 'empty.idx').dims).toEqual([0, 28, 28]);
  });

  it('throws DataError for a truncated file, naming the file and both byte counts', () => {
    const bytes = idxBytes([2, 3, 3], images).subarray(0, 16 + 10);
    expect(() => readIdx(bytes, 'short.idx')).toThrow(DataError);
    expect(() => readIdx(bytes, 'short.idx')).toThrow(
      /short\.idx: truncated: expected 18 bytes of data after the header .*found 10/,
    );
  });

  it('throws DataError for extra bytes, naming the file and the excess', () => {
    const bytes = idxBytes([2, 3, 3], [...images, 1, 2, 3]);
    expect(() => readIdx(bytes, 'long.idx')).toThrow(DataError);
    expect(() => readIdx(bytes, 'long.idx')).toThrow(
      /long\.idx: has 3 extra bytes: expected 18 .*found 21/,
    );
  });

  it('throws DataError "not an IDX file" when the first two bytes are not zero', () => {
    const bytes = idxBytes([2], [1, 2]);
    bytes[0] = 0x1f;
    bytes[1] = 0x8b; // a gzip file
    expect(() => readIdx(bytes, 'images.gz')).toThrow(DataError);
    expect(() => readIdx(bytes, 'images.gz')).toThrow(
      /images\.gz: not an IDX file: expected .*0x00 0x00, found 0x1f 0x8b/,
    );
  });

  it('throws DataError naming an unsupported type code', () => {
    const bytes = idxBytes([2], [0, 0, 0, 0, 0, 0, 0, 0], 0x0d);
    expect(() => readIdx(bytes, 'floats.idx')).toThrow(DataError);
    expect(() => readIdx(bytes, 'floats.idx')).toThrow(
      /floats\.idx: unsupported IDX type code 0x0d \(float32\); only 0x08/,
    );
    expect(() => readIdx(idxBytes([1], [0], 0x42), 'odd.idx')).toThrow(
      /odd\.idx: unsupported IDX type code 0x42 \(unknown type\)/,
    );
  });

  it('throws DataError for 0 or more than 4 dimensions', () => {
    expect(() => readIdx(idxBytes([], []), 'scalar.idx')).toThrow(DataError);
    expect(() => readIdx(idxBytes([], []), 'scalar.idx')).toThrow(
      /scalar\.idx: expected 1 to 4 dimensions .*found 0/,
    );
    expect(() => readIdx(idxBytes([1, 1, 1, 1, 1], [3]), 'deep.idx')).toThrow(
      /deep\.idx: expected 1 to 4 dimensions .*found 5/,
    );
  });

  it('throws DataError when the file is shorter than the 4-byte prefix', () => {
    expect(() => readIdx(Uint8Array.from([0, 0, 8]), 'tiny.idx')).toThrow(DataError);
    expect(() => readIdx(Uint8Array.from([0, 0, 8]), 'tiny.idx')).toThrow(
      /tiny\.idx: file is shorter than the IDX header: expected at least 4 bytes, found 3/,
    );
    expect(() => readIdx(new Uint8Array(0), 'zero.idx')).toThrow(/zero\.idx: .*found 0/);
  });

  it('throws DataError when the file ends inside the dimension list', () => {
    const bytes = idxBytes([2, 3, 3], images).subarray(0, 12);
    expect(() => readIdx(bytes, 'header.idx')).toThrow(DataError);
    expect(() => readIdx(bytes, 'header.idx')).toThrow(
      /header\.idx: file is shorter than the IDX header: expected at least 16 bytes for 3 dimensions, found 12/,
    );
  });
});

describe('readIdxFile and readIdxFileSync', () => {
  const directory = mkdtempSync(join(tmpdir(), 'backprop-idx-'));
  afterAll(() => rmSync(directory, { recursive: true, force: true }));
  const path = join(directory, 'images-idx3-ubyte');
  writeFileSync(path, idxBytes([2, 3, 3], images));
  const missing = join(directory, 'no-such-file');

  it('reads a file asynchronously', async () => {
    const result = await readIdxFile(path);
    expect(result.dims).toEqual([2, 3, 3]);
    expect(Array.from(result.data)).toEqual(images);
  });

  it('reads a file synchronously', () => {
    const result = readIdxFileSync(path);
    expect(result.dims).toEqual([2, 3, 3]);
    expect(Array.from(result.data)).toEqual(images);
  });

  it('names the path in format errors', () => {
    const bad = join(directory, 'bad-idx');
    writeFileSync(bad, idxBytes([4], [1, 2]));
    expect(() => readIdxFileSync(bad)).toThrow(/bad-idx: truncated: expected 4 bytes .*found 2/);
  });

  it('throws DataError naming the path when the file does not exist (async)', async () => {
    await expect(readIdxFile(missing)).rejects.toThrow(DataError);
    await expect(readIdxFile(missing)).rejects.toThrow(
      /cannot read IDX file .*no-such-file: no such file/,
    );
  });

  it('throws DataError naming the path when the file does not exist (sync), keeping the cause', () => {
    expect(() => readIdxFileSync(missing)).toThrow(DataError);
    expect(() => readIdxFileSync(missing)).toThrow(
      /cannot read IDX file .*no-such-file: no such file/,
    );
    try {
      readIdxFileSync(missing);
    } catch (error) {
      expect((error as Error).cause).toMatchObject({ code: 'ENOENT' });
    }
  });
});

describe('hostile IDX input (issue 15)', () => {
  const directory = mkdtempSync(join(tmpdir(), 'backprop-idx-hostile-'));
  afterAll(() => rmSync(directory, { recursive: true, force: true }));

  it('checks the header against the file size before reading the file whole', async () => {
    // 20 bytes declaring 4e9 bytes of data: refused from the header and fstat alone.
    const path = join(directory, 'huge-idx');
    writeFileSync(path, idxBytes([4_000_000_000], [1, 2, 3, 4, 5, 6, 7, 8]));
    const message = `${path}: truncated: expected 4000000000 bytes of data after the header for dims [4000000000], found 8`;
    await expect(readIdxFile(path)).rejects.toThrow(new DataError(message));
    expect(() => readIdxFileSync(path)).toThrow(new DataError(message));
  });

  it('refuses /dev/zero and a FIFO (files that never end) instead of reading forever', async () => {
    await expect(readIdxFile('/dev/zero')).rejects.toThrow(
      new DataError(
        'cannot read IDX file /dev/zero: expected a regular file, found a character device',
      ),
    );
    const fifo = join(directory, 'fifo');
    execFileSync('mkfifo', [fifo]);
    expect(() => readIdxFileSync(fifo)).toThrow(
      `cannot read IDX file ${fifo}: expected a regular file, found a FIFO (named pipe)`,
    );
    await expect(readIdxFile(fifo)).rejects.toThrow('found a FIFO (named pipe)');
  });

  it('readIdx of something that is not a Uint8Array is a ConfigError naming the argument', () => {
    for (const [value, found] of [
      [null, 'null'],
      [[0, 0, 8, 1], 'an array'],
      ['0008', 'string'],
    ] as const) {
      expect(() => readIdx(value as unknown as Uint8Array, 'x')).toThrow(
        new ConfigError(`readIdx: bytes: expected a Uint8Array (or a Node Buffer), found ${found}`),
      );
    }
  });
});
