import { DataError, ShapeError } from '../errors.js';
import { Matrix } from '../tensor/matrix.js';
import type { Sequential } from './sequential.js';

/**
 * Copies of every parameter's values, running statistics included, in the order of
 * `model.namedParameters()` and our layout (Wˡ [nˡ, nˡ⁻¹]): Keras's `get_weights()`.
 * @throws never
 */
export function getWeights(model: Sequential): Matrix[] {
  return model.namedParameters().map(({ value }) => {
    const copy = new Matrix(value.rows, value.cols, model.dtype);
    copy.data.set(value.data);
    return copy;
  });
}

/**
 * Copies values into every parameter, in the order and shapes of {@link getWeights} (Keras's
 * `set_weights()`); checks everything before changing anything.
 * @param weights - one Matrix per parameter
 * @throws {ShapeError} for a wrong count, or a matrix of the wrong shape (names the layer and
 *   parameter, expected vs received); {DataError} for a non-finite value (names its position).
 */
export function setWeights(model: Sequential, weights: readonly Matrix[]): void {
  const named = model.namedParameters();
  if (!Array.isArray(weights) || weights.length !== named.length) {
    throw new ShapeError(
      `setWeights expects ${named.length} matrices (one per parameter, in the order of ` +
        `getWeights()); received ${Array.isArray(weights) ? weights.length : typeof weights}`,
    );
  }
  named.forEach(({ layer, name, value }, i) => {
    const given: unknown = weights[i];
    const where = `setWeights[${i}] (layer ${layer + 1} ${model.layers[layer]} ${name})`;
    if (!(given instanceof Matrix) || given.rows !== value.rows || given.cols !== value.cols) {
      const got = given instanceof Matrix ? `[${given.shape.join(', ')}]` : typeof given;
      throw new ShapeError(
        `${where} must be a Matrix [${value.shape.join(', ')}]; received ${got}`,
      );
    }
    const bad = given.data.findIndex((v) => !Number.isFinite(v));
    if (bad >= 0) {
      throw new DataError(`${where} has the non-finite value ${given.data[bad]} at index ${bad}`);
    }
  });
  named.forEach(({ value }, i) => value.data.set(weights[i]!.data));
}
