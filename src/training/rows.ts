import { ByteMatrix, decode, type InputMatrix } from '../tensor/byte-matrix.js';
import type { Matrix } from '../tensor/matrix.js';

/**
 * Gathers rows into a batch: target row r = source row order[start + r], for r < target.rows.
 * Keeps inputs and targets together when called with the same `order` for x and y. A
 * {@link ByteMatrix} source is decoded to the target's dtype on the way (one table lookup per
 * element), so compact data sets cost no float copy of their own.
 * @param source - [n, cols]; @param target - [B, cols], written
 * @throws never (indices are trusted)
 */
export function gatherRows(
  source: InputMatrix,
  order: Uint32Array,
  start: number,
  target: Matrix,
): void {
  const cols = source.cols;
  const to = target.data;
  for (let r = 0; r < target.rows; r++) {
    const offset = order[start + r]! * cols;
    if (source instanceof ByteMatrix) {
      decode(source, offset, to, r * cols, cols);
    } else if (cols >= 32) {
      to.set(source.data.subarray(offset, offset + cols), r * cols); // a memcpy
    } else {
      const from = source.data;
      for (let j = 0; j < cols; j++) to[r * cols + j] = from[offset + j]!;
    }
  }
}

/**
 * Copies rows start..start+B−1 of `source` [n, cols] into `target` [B, cols], decoding a
 * {@link ByteMatrix} to the target's dtype.
 * @throws never (callers size `target` to fit)
 */
export function sliceRows(source: InputMatrix, start: number, target: Matrix): void {
  const from = start * source.cols;
  if (source instanceof ByteMatrix) {
    decode(source, from, target.data, 0, target.data.length);
  } else {
    target.data.set(source.data.subarray(from, from + target.data.length));
  }
}
