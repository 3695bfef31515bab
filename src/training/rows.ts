import type { Matrix } from '../tensor/matrix.js';

/**
 * Gathers rows into a batch: target row r = source row order[start + r], for r < target.rows.
 * Keeps inputs and targets together when called with the same `order` for x and y.
 * @param source - [n, cols]; @param target - [B, cols], written
 * @throws never (indices are trusted)
 */
export function gatherRows(source: Matrix, order: Uint32Array, start: number, target: Matrix) {
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
 * Copies rows start..start+B−1 of `source` [n, cols] into `target` [B, cols].
 * @throws never (callers size `target` to fit)
 */
export function sliceRows(source: Matrix, start: number, target: Matrix): void {
  const cols = source.cols;
  target.data.set(source.data.subarray(start * cols, (start + target.rows) * cols));
}
