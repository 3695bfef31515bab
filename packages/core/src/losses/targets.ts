import { ConfigError, DataError } from '../errors.js';
import { Matrix } from '../tensor/matrix.js';

/**
 * Where an element sits, as a person counts: `row 3, column 2 (counting from 1)` for the
 * 0-based index i·cols + j (or `row 3 (counting from 1)` without a column).
 * @throws never
 */
export function position(row: number, column?: number): string {
  return column === undefined
    ? `row ${row + 1} (counting from 1)`
    : `row ${row + 1}, column ${column + 1} (counting from 1)`;
}

/**
 * How far from 1 a row of probabilities may sum: 1e-5 in float32 (a few roundings of 2⁻²⁴),
 * 1e-12 in float64.
 */
export function sumTolerance(y: Matrix): number {
  return y.dtype === 'float32' ? 1e-5 : 1e-12;
}

/**
 * Checks that every row of y is a probability distribution: yᵢⱼ ≥ 0 and |Σⱼ yᵢⱼ − 1| within
 * {@link sumTolerance} (one-hot rows are). A row such as [1, 0.5, 0, 0] is refused.
 * @param loss - the loss's name, for the message
 * @throws {DataError} naming the first bad row (and column), its value or sum, and the tolerance.
 */
export function checkProbabilityRows(y: Matrix, name: string, loss: string): void {
  checkInRange(y, name, loss, 0, Infinity);
  const Y = y.data;
  const tolerance = sumTolerance(y);
  for (let i = 0; i < y.rows; i++) {
    let sum = 0;
    for (let k = i * y.cols; k < (i + 1) * y.cols; k++) sum += Y[k]!;
    if (!(Math.abs(sum - 1) <= tolerance)) {
      throw new DataError(
        `${name}: ${position(i)} sums to ${sum}; ${loss} expects each row to sum to 1 ` +
          `(one-hot, or a probability distribution) within ${tolerance} in ${y.dtype}`,
      );
    }
  }
}

/**
 * Checks low ≤ yᵢⱼ ≤ high for every element.
 * @throws {DataError} naming the first element outside, its row and column and the range.
 */
export function checkInRange(
  y: Matrix,
  name: string,
  loss: string,
  low: number,
  high: number,
): void {
  const Y = y.data;
  for (let k = 0; k < Y.length; k++) {
    const v = Y[k]!;
    if (!(v >= low && v <= high)) {
      const row = Math.floor(k / y.cols);
      const range = high === Infinity ? `>= ${low}` : `in [${low}, ${high}]`;
      throw new DataError(
        `${name}: ${position(row, k - row * y.cols)} is ${v}; ${loss} expects targets ${range}`,
      );
    }
  }
}

/**
 * Checks a label smoothing factor ε ∈ [0, 1).
 * @throws {ConfigError} echoing the loss, the option and the value received.
 */
export function checkLabelSmoothing(value: unknown, loss: string): number {
  if (typeof value !== 'number' || !(value >= 0 && value < 1)) {
    throw new ConfigError(
      `loss ${loss}: labelSmoothing must be a number in [0, 1); received ${String(value)}`,
    );
  }
  return value;
}

/**
 * Label smoothing (Szegedy et al. 2016, "Rethinking the Inception Architecture", §7; Keras
 * `label_smoothing`): y ← y(1 − ε) + ε/K, as a new matrix of y's dtype.
 * @param classes - K: the number of classes (y.cols for softmax outputs, 2 for sigmoid ones)
 * @throws never
 */
export function smoothLabels(y: Matrix, epsilon: number, classes: number): Matrix {
  const out = new Matrix(y.rows, y.cols, y.dtype);
  const Y = y.data;
  const O = out.data;
  for (let k = 0; k < Y.length; k++) O[k] = Y[k]! * (1 - epsilon) + epsilon / classes;
  return out;
}
