import type { Backend } from '../backend/backend.js';
import { ByteMatrix, type InputMatrix } from '../tensor/byte-matrix.js';
import type { Matrix } from '../tensor/matrix.js';

/**
 * Gathers rows into a batch: target row r = source row order[start + r], for r < target.rows.
 * Keeps inputs and targets together when called with the same `order` for x and y. A
 * {@link ByteMatrix} source is decoded to the target's dtype on the way by the backend, so
 * compact data sets cost no float copy of their own.
 * @param source - [n, cols]; @param target - [B, cols], written
 * @param backend - decodes a ByteMatrix (the model's backend)
 * @throws never (indices are trusted)
 */
export function gatherRows(
  source: InputMatrix,
  order: Uint32Array,
  start: number,
  target: Matrix,
  backend: Backend,
): void {
  if (source instanceof ByteMatrix) return backend.decodeRows(source, order, start, target);
  const cols = source.cols;
  const from = source.data;
  const to = target.data;
  for (let r = 0; r < target.rows; r++) {
    const offset = order[start + r]! * cols;
    if (cols >= 32) {
      to.set(from.subarray(offset, offset + cols), r * cols); // a memcpy
    } else {
      for (let j = 0; j < cols; j++) to[r * cols + j] = from[offset + j]!;
    }
  }
}

/**
 * Copies rows start..start+B−1 of `source` [n, cols] into `target` [B, cols], a
 * {@link ByteMatrix} decoded to the target's dtype by the backend.
 * @throws never (callers size `target` to fit)
 */
export function sliceRows(
  source: InputMatrix,
  start: number,
  target: Matrix,
  backend: Backend,
): void {
  if (source instanceof ByteMatrix) return backend.decodeRows(source, undefined, start, target);
  const from = start * source.cols;
  target.data.set(source.data.subarray(from, from + target.data.length));
}

/**
 * Gathers per-row weights into a batch's buffer: target[r] = weights[order[start + r]] for
 * r < target.length (the same order as {@link gatherRows}), or rows start.. without an order.
 * @returns target
 * @throws never (indices are trusted)
 */
export function gatherWeights(
  weights: Float64Array,
  order: Uint32Array | undefined,
  start: number,
  target: Float64Array,
): Float64Array {
  for (let r = 0; r < target.length; r++)
    target[r] = weights[order ? order[start + r]! : start + r]!;
  return target;
}
