import { ModelFileError } from '../errors.js';
import { describe } from './describe.js';

/** The safetensors dtypes this library reads and writes (IEEE 754 floats, signed 64-bit ints). */
export type SafetensorsDType = 'F32' | 'F64' | 'I64';

const BYTES: Readonly<Record<SafetensorsDType, number>> = { F32: 4, F64: 8, I64: 8 };
/** The specification's limit on the JSON header (100 MB), which also bounds a bad length. */
const MAX_HEADER = 100_000_000;

/** One tensor of a safetensors file: its dtype, shape and little-endian bytes (row-major). */
export interface SafetensorsTensor {
  readonly dtype: SafetensorsDType;
  readonly shape: readonly number[];
  readonly bytes: Uint8Array;
}

/** A safetensors file's content: named tensors (in data order) and string metadata. */
export interface Safetensors {
  readonly tensors: ReadonlyMap<string, SafetensorsTensor>;
  readonly metadata: Readonly<Record<string, string>>;
}

/**
 * Encodes tensors as a safetensors file (huggingface/safetensors): 8 bytes of little-endian
 * u64 N, N bytes of a JSON header `{ name: { dtype, shape, data_offsets: [begin, end] }, …,
 * __metadata__: { key: string } }` padded with spaces to a multiple of 8, then the tensors'
 * bytes back to back in the given order (offsets relative to the end of the header).
 * @param tensors - name → tensor; `bytes.length` must be the shape's product × the dtype's size
 * @param metadata - string values only (the format allows nothing else)
 * @returns the file's bytes
 * @throws {ModelFileError} when a tensor's byte count does not match its dtype and shape
 */
export function encodeSafetensors(
  tensors: ReadonlyMap<string, SafetensorsTensor>,
  metadata: Readonly<Record<string, string>>,
): Uint8Array {
  const header: Record<string, unknown> = { __metadata__: metadata };
  let offset = 0;
  for (const [name, { dtype, shape, bytes }] of tensors) {
    const size = shape.reduce((a, b) => a * b, 1) * BYTES[dtype];
    if (bytes.length !== size) {
      throw new ModelFileError(
        `safetensors tensor ${name}: expected ${size} bytes for ${dtype} [${shape.join(', ')}], found ${bytes.length}`,
      );
    }
    header[name] = { dtype, shape, data_offsets: [offset, offset + size] };
    offset += size;
  }
  let json = new TextEncoder().encode(JSON.stringify(header));
  const padded = Math.ceil(json.length / 8) * 8;
  if (padded !== json.length) {
    const spaces = new Uint8Array(padded).fill(0x20);
    spaces.set(json);
    json = spaces;
  }
  const out = new Uint8Array(8 + json.length + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(json.length), true);
  out.set(json, 8);
  let at = 8 + json.length;
  for (const { bytes } of tensors.values()) {
    out.set(bytes, at);
    at += bytes.length;
  }
  return out;
}

/**
 * Decodes a safetensors file and checks everything the specification requires: the header
 * length fits the file, the header is a JSON object, each entry has a known dtype (F32, F64,
 * I64), a shape of non-negative integers and `data_offsets` whose length matches them, the
 * tensors do not overlap and cover the data with no gap and nothing after, and
 * `__metadata__` holds strings only.
 * @param bytes - the whole file
 * @param file - the file's name, for messages
 * @returns the tensors (views into `bytes`, ordered by offset) and the metadata
 * @throws {ModelFileError} naming the file and what is wrong, e.g.
 *   `m.safetensors: header length 4096 exceeds the 120 bytes after the 8-byte length prefix`
 */
export function decodeSafetensors(bytes: Uint8Array, file: string): Safetensors {
  const fail = (message: string): never => {
    throw new ModelFileError(`${file}: ${message}`);
  };
  if (bytes.length < 8)
    fail(`expected a safetensors file of at least 8 bytes, found ${bytes.length}`);
  const length = new DataView(bytes.buffer, bytes.byteOffset, 8).getBigUint64(0, true);
  if (length > BigInt(Math.min(MAX_HEADER, bytes.length - 8))) {
    fail(
      `header length ${length} exceeds the ${bytes.length - 8} bytes after the 8-byte length prefix`,
    );
  }
  const start = 8 + Number(length);
  let header: unknown;
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, start)));
  } catch (error) {
    fail(
      `the ${length}-byte header is not UTF-8 JSON (${(error as Error).message.split('\n')[0]})`,
    );
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header)) {
    return fail(`expected a JSON object as the header, found ${describe(header)}`);
  }
  const metadata = readMetadata((header as Record<string, unknown>)['__metadata__'], fail);
  const entries = Object.entries(header).filter(([name]) => name !== '__metadata__');
  const tensors = entries.map(([name, entry]) => readEntry(name, entry, fail));
  tensors.sort((a, b) => a.begin - b.begin);
  let expected = 0;
  for (const { name, begin, end } of tensors) {
    if (begin !== expected) {
      fail(
        begin < expected
          ? `tensor ${name}: data_offsets start at ${begin}, inside the previous tensor (ends at ${expected})`
          : `tensor ${name}: data_offsets start at ${begin}, leaving a gap after ${expected}`,
      );
    }
    expected = end;
  }
  if (start + expected !== bytes.length) {
    fail(
      `the tensors take ${expected} bytes of data, found ${bytes.length - start} after the header`,
    );
  }
  const map = new Map<string, SafetensorsTensor>();
  for (const { name, dtype, shape, begin, end } of tensors) {
    map.set(name, { dtype, shape, bytes: bytes.subarray(start + begin, start + end) });
  }
  return { tensors: map, metadata };
}

interface Entry {
  name: string;
  dtype: SafetensorsDType;
  shape: number[];
  begin: number;
  end: number;
}

function readEntry(name: string, entry: unknown, fail: (message: string) => never): Entry {
  const at = `tensor ${name}`;
  if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
    return fail(
      `${at}: expected an object with dtype, shape and data_offsets, found ${describe(entry)}`,
    );
  }
  const { dtype, shape, data_offsets: offsets } = entry as Record<string, unknown>;
  if (typeof dtype !== 'string' || !Object.hasOwn(BYTES, dtype)) {
    return fail(
      `${at}: dtype: expected one of ${Object.keys(BYTES).join(', ')}, found ${describe(dtype)}`,
    );
  }
  const isCount = (v: unknown) => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
  if (!Array.isArray(shape) || !shape.every(isCount)) {
    return fail(
      `${at}: shape: expected an array of non-negative integers, found ${describe(shape)}`,
    );
  }
  if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every(isCount)) {
    return fail(`${at}: data_offsets: expected [begin, end], found ${describe(offsets)}`);
  }
  const [begin, end] = offsets as [number, number];
  const size = (shape as number[]).reduce((a, b) => a * b, 1) * BYTES[dtype as SafetensorsDType];
  if (end - begin !== size) {
    return fail(
      `${at}: data_offsets [${begin}, ${end}] hold ${end - begin} bytes, expected ${size} for ${dtype} [${shape.join(', ')}]`,
    );
  }
  return { name, dtype: dtype as SafetensorsDType, shape: shape as number[], begin, end };
}

function readMetadata(value: unknown, fail: (message: string) => never): Record<string, string> {
  if (value === undefined) return {};
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return fail(`__metadata__: expected an object of strings, found ${describe(value)}`);
  }
  for (const [key, text] of Object.entries(value)) {
    if (typeof text !== 'string')
      fail(`__metadata__.${key}: expected a string, found ${describe(text)}`);
  }
  return value as Record<string, string>;
}
