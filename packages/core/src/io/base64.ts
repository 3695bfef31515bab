import type { DType, FloatArray } from '../tensor/matrix.js';

/** Bytes per element of each dtype (IEEE 754 binary32 / binary64). */
export const BYTES_PER_ELEMENT: Readonly<Record<DType, number>> = { float32: 4, float64: 8 };

/** Characters per String.fromCharCode call: well below every engine's argument limit. */
const CHUNK = 0x2000;

/**
 * Encodes floats as base64 of their little-endian IEEE 754 bytes, whatever the platform's byte
 * order. Uses `btoa`, so it runs in Node ≥ 16 and in browsers (no Buffer).
 * @param values - a Float32Array (4 bytes per value) or Float64Array (8 bytes per value)
 * @returns base64 text of `values.length · bytesPerElement` bytes, with `=` padding
 * @example
 * floatsToBase64(new Float32Array([1])); //=> 'AACAPw=='
 */
export function floatsToBase64(values: FloatArray): string {
  const bytes = new Uint8Array(values.byteLength);
  const view = new DataView(bytes.buffer);
  if (values instanceof Float64Array) {
    for (let i = 0; i < values.length; i++) view.setFloat64(8 * i, values[i]!, true);
  } else {
    for (let i = 0; i < values.length; i++) view.setFloat32(4 * i, values[i]!, true);
  }
  let binary = '';
  for (let i = 0; i < bytes.length; i += CHUNK) {
    binary += String.fromCharCode(...bytes.subarray(i, i + CHUNK));
  }
  return btoa(binary);
}

/**
 * Decodes base64 text to bytes (with `atob`: padding optional, ASCII whitespace ignored).
 * @returns the bytes, or `undefined` when the text is not valid base64
 */
export function base64ToBytes(text: string): Uint8Array | undefined {
  let binary: string;
  try {
    binary = atob(text);
  } catch {
    return undefined;
  }
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/**
 * Reads little-endian IEEE 754 floats from bytes (the inverse of {@link floatsToBase64}).
 * @param bytes - length a multiple of the dtype's bytes per element (extra bytes are ignored)
 * @returns a new Float32Array or Float64Array of `⌊bytes.length / bytesPerElement⌋` values
 */
export function bytesToFloats(bytes: Uint8Array, dtype: DType): FloatArray {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (dtype === 'float64') {
    const out = new Float64Array(Math.floor(bytes.length / 8));
    for (let i = 0; i < out.length; i++) out[i] = view.getFloat64(8 * i, true);
    return out;
  }
  const out = new Float32Array(Math.floor(bytes.length / 4));
  for (let i = 0; i < out.length; i++) out[i] = view.getFloat32(4 * i, true);
  return out;
}
