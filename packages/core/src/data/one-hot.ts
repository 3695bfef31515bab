import { ConfigError, DataError } from '../errors.js';
import { Matrix, type DType } from '../tensor/matrix.js';

/**
 * One-hot encodes class labels: y[i][j] = 1 if labels[i] = j, else 0.
 *
 * Shapes: labels [n] → y [n, classes]; each row sums to 1.
 *
 * @param labels - class index per row; integers in [0, classes − 1].
 * @param classes - number of classes (columns); integer ≥ 1.
 * @param dtype - element type of the result. Default: 'float32'.
 * @returns a [n, classes] matrix of zeros and ones.
 * @throws {ConfigError} when classes is not a positive integer (echoes the value received).
 * @throws {DataError} when a label is not an integer in [0, classes − 1] (names the row and label).
 * @example
 * oneHot([2, 0], 3).toArray(); //=> [[0, 0, 1], [1, 0, 0]]
 */
export function oneHot(
  labels: ArrayLike<number>,
  classes: number,
  dtype: DType = 'float32',
): Matrix {
  if (!Number.isInteger(classes) || classes < 1) {
    throw new ConfigError(`classes must be a positive integer; received ${classes}`);
  }
  const n = labels.length;
  const y = new Matrix(n, classes, dtype);
  const data = y.data;
  for (let i = 0; i < n; i++) {
    const label = labels[i]!;
    if (!Number.isInteger(label) || label < 0 || label >= classes) {
      throw new DataError(
        `row ${i}: label ${label} is not an integer class index in [0, ${classes - 1}]`,
      );
    }
    data[i * classes + label] = 1;
  }
  return y;
}
