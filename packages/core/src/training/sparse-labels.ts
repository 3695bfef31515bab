import { oneHot } from '../data/one-hot.js';
import { DataError } from '../errors.js';
import { position } from '../losses/targets.js';
import type { DType, Matrix } from '../tensor/matrix.js';
import { describeValue } from './input-structure.js';

/**
 * Integer class labels, as a sparse loss takes them, turned into one-hot rows: label c of row i
 * becomes yᵢ = e_c, a row of K values with a 1 in column c. So everything after (the fused
 * δᴸ = a − y, the loss value, accuracy) sees the same targets as crossEntropy on one-hot rows.
 *
 * Shapes: labels [n] → y [n, K].
 * @param labels - class indices, integers in [0, K)
 * @param name - what to call them in messages, e.g. 'y'
 * @param classes - K, the model's outputs
 * @param dtype - the model's dtype, of the result
 * @param loss - the loss's name, for messages
 * @returns a new [n, K] one-hot Matrix
 * @throws {DataError} for a label that is not an integer in [0, K): names the row (counting
 *   from 1) and the label, e.g. `y: row 3 (counting from 1) has label 3; sparseCrossEntropy
 *   expects an integer class index in [0, 3) (the model's 3 outputs)`.
 */
export function labelsToOneHot(
  labels: ArrayLike<unknown>,
  name: string,
  classes: number,
  dtype: DType,
  loss: string,
): Matrix {
  for (let i = 0; i < labels.length; i++) {
    const label = labels[i];
    if (typeof label !== 'number' || !Number.isInteger(label) || label < 0 || label >= classes) {
      throw new DataError(
        `${name}: ${position(i)} has label ${describeValue(label)}; ${loss} expects an integer ` +
          `class index in [0, ${classes}) (the model's ${classes} outputs)`,
      );
    }
  }
  return oneHot(labels as ArrayLike<number>, classes, dtype);
}
