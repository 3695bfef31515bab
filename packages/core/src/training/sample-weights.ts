import { ConfigError, DataError, ShapeError } from '../errors.js';
import { position } from '../losses/targets.js';
import type { Matrix } from '../tensor/matrix.js';
import { describeValue } from './input-structure.js';

/** Per-example weights as fit and evaluate take them (Keras `class_weight`, `sample_weight`). */
export interface SampleWeightOptions {
  /**
   * Weight per class, by class index (Keras `class_weight`): `{ 0: 1, 1: 5 }`. The class of a
   * row is the argmax of its target (one-hot or sparse labels), or round(y) for a single output.
   * Classes left out weigh 1.
   */
  classWeight?: Readonly<Record<number | string, number>>;
  /** Weight per row of the data, finite and ≥ 0 (Keras `sample_weight`). */
  sampleWeight?: readonly number[] | Float64Array;
}

/**
 * The per-example weights wᵢ of a data set, for the loss Σᵢ wᵢℓᵢ / B (Keras
 * `sum_over_batch_size`): `sampleWeight[i]` times `classWeight[class of row i]`; both given,
 * they multiply, as in Keras. The class of row i is the argmax of yᵢ for several outputs (the
 * first maximum; the label for sparse targets, which checkData has made one-hot), or round(yᵢ)
 * for one output (0.5 rounds to 1, as this library's accuracy counts it; −1 stays −1).
 *
 * Shapes: y [n, outputs] → w [n].
 * @param y - the targets as checkData returns them
 * @param options - `classWeight` and/or `sampleWeight`
 * @param name - what to call y in messages; default 'y'
 * @returns w [n] as a new Float64Array, or undefined when neither option is given
 * @throws {ConfigError} when sampleWeight is not number[] or a Float64Array, classWeight is not
 *   an object, has a key that is not an integer class index (in [0, outputs) for several
 *   outputs), or a weight that is not a finite number ≥ 0 (names the class and the value).
 * @throws {ShapeError} when sampleWeight does not have one weight per row of y.
 * @throws {DataError} when a sample weight is not a finite number ≥ 0 (names the row, counting
 *   from 1, and the value).
 * @example
 * sampleWeights(Matrix.from([[1, 0], [0, 1]]), { classWeight: { 1: 3 }, sampleWeight: [2, 2] });
 * //=> Float64Array [2, 6]
 */
export function sampleWeights(
  y: Matrix,
  options: SampleWeightOptions,
  name = 'y',
): Float64Array | undefined {
  const { classWeight, sampleWeight } = options;
  if (classWeight === undefined && sampleWeight === undefined) return undefined;
  const weights = new Float64Array(y.rows).fill(1);
  if (sampleWeight !== undefined) checkSampleWeight(sampleWeight, y.rows, name, weights);
  if (classWeight !== undefined) {
    const byClass = checkClassWeight(classWeight, y.cols);
    for (let i = 0; i < y.rows; i++) weights[i]! *= byClass.get(classOf(y, i)) ?? 1;
  }
  return weights;
}

/**
 * Multiplies `weights` by a checked sampleWeight.
 * @throws {ConfigError}, {ShapeError}, {DataError} as {@link sampleWeights}.
 */
function checkSampleWeight(value: unknown, rows: number, name: string, weights: Float64Array) {
  if (!Array.isArray(value) && !(value instanceof Float64Array)) {
    throw new ConfigError(
      `sampleWeight must be number[] or a Float64Array, one weight per row of ${name}; ` +
        `received ${describeValue(value)}`,
    );
  }
  const given: ArrayLike<unknown> = value;
  if (given.length !== rows) {
    throw new ShapeError(
      `sampleWeight must have one weight per row of ${name} (${rows}); received ${given.length}`,
    );
  }
  for (let i = 0; i < rows; i++) {
    const w = given[i];
    if (typeof w !== 'number' || !(w >= 0 && w < Infinity)) {
      throw new DataError(
        `sampleWeight: ${position(i)} is ${describeValue(w)}; expected a finite number >= 0`,
      );
    }
    weights[i]! *= w;
  }
}

/**
 * classWeight as a map from class index to weight.
 * @throws {ConfigError} as {@link sampleWeights}.
 */
function checkClassWeight(value: unknown, outputs: number): Map<number, number> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ConfigError(
      `classWeight must be an object of class index to weight, e.g. { 0: 1, 1: 5 }; ` +
        `received ${describeValue(value)}`,
    );
  }
  const byClass = new Map<number, number>();
  for (const [key, weight] of Object.entries(value)) {
    const c = Number(key);
    const classes =
      outputs > 1 ? `an integer in [0, ${outputs}) (the targets' classes)` : 'an integer';
    if (key.trim() === '' || !Number.isInteger(c) || (outputs > 1 && (c < 0 || c >= outputs))) {
      throw new ConfigError(`classWeight has class ${JSON.stringify(key)}; expected ${classes}`);
    }
    if (typeof weight !== 'number' || !(weight >= 0 && weight < Infinity)) {
      throw new ConfigError(
        `classWeight[${key}] must be a finite number >= 0; received ${describeValue(weight)}`,
      );
    }
    byClass.set(c, weight);
  }
  return byClass;
}

/** The class of row i: the first argmax of yᵢ, or round(yᵢ) for one column. */
function classOf(y: Matrix, i: number): number {
  const Y = y.data;
  const cols = y.cols;
  if (cols === 1) return Math.round(Y[i]!);
  let best = 0;
  for (let j = 1; j < cols; j++) if (Y[i * cols + j]! > Y[i * cols + best]!) best = j;
  return best;
}
