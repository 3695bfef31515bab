import { ConfigError, DataError, ShapeError } from '../errors.js';
import type { Loss } from '../losses/loss.js';
import { ByteMatrix, type InputMatrix } from '../tensor/byte-matrix.js';
import { Matrix, toMatrix, type DType } from '../tensor/matrix.js';
import { describeValue, explainBadRows } from './input-structure.js';
import { labelsToOneHot } from './sparse-labels.js';

/** Inputs or targets as given by a user: a Matrix, or number[][] with one row per example. */
export type MatrixLike = Matrix | readonly (readonly number[])[];

/** Inputs as given to fit, evaluate and predict: a {@link MatrixLike} or a compact ByteMatrix. */
export type InputLike = MatrixLike | ByteMatrix;

/** Targets as given by a user: a {@link MatrixLike}, or a flat number[] of class labels. */
export type TargetLike = MatrixLike | readonly number[];

/** What {@link checkData} needs besides the data. */
export interface CheckDataOptions {
  /** What to call x and y in messages; default `['x', 'y']`. */
  names?: readonly [string, string];
  /**
   * The loss the targets are for. A sparse loss takes class labels and gets one-hot rows;
   * the loss's `checkTargets` runs, then its `prepareTargets` (label smoothing).
   */
  loss?: Loss;
  /** The model's output activation (`model.outputActivation`), for the loss's target checks. */
  outputActivation?: string;
}

/**
 * Converts x and y to matrices of the model's dtype and checks that they fit the model.
 * Messages follow one pattern, `<name> must …; received …`, e.g.
 * `x must have 3 columns (the model's inputs); received shape [2, 4]`.
 *
 * With `options.loss`: for a sparse loss (`loss.sparse`), y is integer class labels [n, 1]
 * or a flat number[] and comes back one-hot [n, outputs]; then `loss.checkTargets(y)`
 * validates the values (e.g. crossEntropy rows summing to 1) and `loss.prepareTargets(y)`
 * gives the targets the loss works on (label smoothing; a new matrix, the user's is untouched).
 * @param x - inputs [n, inputs]
 * @param y - targets [n, outputs], or labels [n, 1] / [n] for a sparse loss
 * @param shape - the model's input and output widths
 * @param dtype - the model's dtype
 * @param options - `{ names, loss }`, or the names alone (`[xName, yName]`)
 * @throws {DataError} for empty data, a NaN or ±Inf value (names x or y, the row, the column),
 *   a string, null or undefined where numbers or rows belong (says what was given), a bad
 *   class label, or targets the loss refuses (names the row, counting from 1).
 * @throws {ShapeError} when a width differs from the model's, x and y have different numbers
 *   of rows, a number[][] is ragged (states both), or x is a flat array (suggests `[[1, 0]]`).
 */
export function checkData<X extends InputLike>(
  x: X,
  y: TargetLike,
  shape: { inputs: number; outputs: number },
  dtype: DType,
  options?: CheckDataOptions | readonly [string, string],
): { x: X extends ByteMatrix ? ByteMatrix : Matrix; y: Matrix };
export function checkData(
  x: InputLike,
  y: TargetLike,
  shape: { inputs: number; outputs: number },
  dtype: DType,
  options: CheckDataOptions | readonly [string, string] = {},
): { x: InputMatrix; y: Matrix } {
  const {
    names = ['x', 'y'],
    loss,
    outputActivation,
  } = isNames(options) ? { names: options } : options;
  const [xName, yName] = names;
  const xm = checkMatrix(x, xName, shape.inputs, 'inputs', dtype);
  const ym =
    loss?.sparse === true
      ? checkLabels(y, yName, shape.outputs, dtype, loss.name)
      : checkMatrix(y as MatrixLike, yName, shape.outputs, 'outputs', dtype);
  if (xm.rows !== ym.rows) {
    throw new ShapeError(
      `${yName} must have as many rows as ${xName} (${xm.rows}); received shape ${shapeOf(ym)}`,
    );
  }
  loss?.checkTargets?.(ym, yName, outputActivation);
  return { x: xm, y: loss?.prepareTargets?.(ym) ?? ym };
}

function isNames(
  options: CheckDataOptions | readonly [string, string],
): options is readonly [string, string] {
  return Array.isArray(options);
}

/**
 * Checks `fit`'s validationData, a pair [x, y], as {@link checkData} checks the training data
 * (named `validationData[0]` and `validationData[1]` in messages).
 * @throws {ConfigError} when the value is not an array of two, e.g.
 *   `validationData must be a pair [x, y]; received 5`.
 * @throws {DataError}/{ShapeError} as checkData.
 */
export function checkValidationData(
  value: unknown,
  shape: { inputs: number; outputs: number },
  dtype: DType,
  loss?: Loss,
  outputActivation?: string,
): { x: InputMatrix; y: Matrix } {
  if (!Array.isArray(value) || value.length !== 2) {
    throw new ConfigError(`validationData must be a pair [x, y]; received ${describeValue(value)}`);
  }
  const [x, y] = value as [InputLike, TargetLike];
  return checkData(x, y, shape, dtype, {
    names: ['validationData[0]', 'validationData[1]'],
    ...(loss === undefined ? {} : { loss }),
    ...(outputActivation === undefined ? {} : { outputActivation }),
  });
}

/**
 * Class labels for a sparse loss, [n, 1] or a flat number[], as one-hot rows [n, classes].
 * @throws {DataError} for no labels or a bad label; {ShapeError} for more than one column.
 */
function checkLabels(
  y: TargetLike,
  name: string,
  classes: number,
  dtype: DType,
  loss: string,
): Matrix {
  const flat = Array.isArray(y) && y.length > 0 && !y.some((label) => Array.isArray(label));
  const labels = flat ? (y as readonly unknown[]) : toNamedMatrix(y as MatrixLike, name, dtype);
  if (labels instanceof Matrix) {
    if (labels.rows === 0) {
      throw new DataError(`${name} must have at least one row; received shape ${shapeOf(labels)}`);
    }
    if (labels.cols !== 1) {
      throw new ShapeError(
        `${name} must be integer class labels for ${loss}, [n, 1] or a flat array; received ` +
          `shape ${shapeOf(labels)} (for one-hot rows use crossEntropy)`,
      );
    }
  }
  return labelsToOneHot(
    labels instanceof Matrix ? labels.data : labels,
    name,
    classes,
    dtype,
    loss,
  );
}

/**
 * Converts inputs to a matrix of the model's dtype (a ByteMatrix stays as it is, its values
 * being finite by construction) and checks width and values.
 * @throws {DataError} for empty data or a non-finite value; {ShapeError} for a wrong width.
 */
export function checkInputs(x: InputLike, inputs: number, dtype: DType): InputMatrix {
  return checkMatrix(x, 'x', inputs, 'inputs', dtype);
}

/**
 * Converts a number[][] or Matrix to a matrix of `dtype` (a ByteMatrix is decoded whole),
 * naming it in the errors of the conversion, e.g. `x: row 1 has 1 columns; expected 2 like row 0`,
 * and saying what was given when it is no number[][] at all (see {@link explainBadRows}).
 * @throws {ShapeError} for ragged rows, or a flat array of numbers (suggests `[[1, 0]]`).
 * @throws {DataError} for an element that is not a number (a BigInt too), or a string, null,
 *   undefined or other non-array given as the matrix or as a row (`x[0] is a string (…)`).
 */
export function toNamedMatrix(value: InputLike, name: string, dtype: DType): Matrix {
  if (value instanceof ByteMatrix) return value.toMatrix(dtype);
  try {
    return toMatrix(value, dtype);
  } catch (error) {
    explainBadRows(value, name);
    if (error instanceof ShapeError) throw new ShapeError(`${name}: ${error.message}`);
    if (error instanceof DataError) throw new DataError(`${name}: ${error.message}`);
    throw error;
  }
}

/**
 * Checks a matrix's width: `x must have 3 columns (the model's inputs); received shape [2, 4]`.
 * @param what - whose width it is, e.g. 'inputs' or 'outputs'
 * @throws {ShapeError} when `m.cols` differs from `width`.
 */
export function checkWidth<M extends InputMatrix>(
  m: M,
  name: string,
  width: number,
  what: string,
): M {
  if (m.cols !== width) {
    throw new ShapeError(
      `${name} must have ${width} columns (the model's ${what}); received shape ${shapeOf(m)}`,
    );
  }
  return m;
}

/**
 * A shape as messages print it: `[2, 4]`.
 * @throws never
 */
export function shapeOf(m: InputMatrix): string {
  return `[${m.shape.join(', ')}]`;
}

function checkMatrix<T extends InputLike>(
  value: T,
  name: string,
  width: number,
  what: string,
  dtype: DType,
): T extends ByteMatrix ? ByteMatrix : Matrix;
function checkMatrix(
  value: InputLike,
  name: string,
  width: number,
  what: string,
  dtype: DType,
): InputMatrix {
  const m = value instanceof ByteMatrix ? value : toNamedMatrix(value, name, dtype);
  if (m.rows === 0) {
    throw new DataError(`${name} must have at least one row; received shape ${shapeOf(m)}`);
  }
  checkWidth(m, name, width, what);
  if (m instanceof ByteMatrix) return checkByteValues(m, name, dtype);
  const data = m.data;
  for (let i = 0; i < data.length; i++) {
    if (!Number.isFinite(data[i]!)) {
      const row = Math.floor(i / m.cols);
      throw new DataError(
        `${name} must contain only finite numbers; received ${data[i]} at row ${row}, ` +
          `column ${i - row * m.cols}`,
      );
    }
  }
  return m;
}

/**
 * Checks that every value of a byte matrix's table stays finite in `dtype` (a float64 value
 * beyond 3.4e38 is ±Inf in float32), as the values of a float matrix are checked.
 * @throws {DataError} naming the byte, its value and the dtype.
 */
function checkByteValues(m: ByteMatrix, name: string, dtype: DType): ByteMatrix {
  const bad = m.values.findIndex((v) => !Number.isFinite(dtype === 'float32' ? Math.fround(v) : v));
  if (bad >= 0) {
    throw new DataError(
      `${name} must contain only finite numbers; byte ${bad} stands for ${m.values[bad]}, ` +
        `which is not finite in ${dtype}`,
    );
  }
  return m;
}

/**
 * Checks an integer option ≥ 1 (batchSize, epochs).
 * @throws {ConfigError} echoing the option's name and the value received.
 */
export function checkCount(value: unknown, option: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw new ConfigError(`${option} must be an integer >= 1; received ${String(value)}`);
  }
  return value;
}

/**
 * Checks a boolean option (`nesterov`, `compact`, …): no truthy strings or numbers.
 * @throws {ConfigError} echoing the option's name and the value received.
 */
export function checkBoolean(value: unknown, option: string): boolean {
  if (typeof value !== 'boolean') {
    throw new ConfigError(`${option} must be true or false; received ${String(value)}`);
  }
  return value;
}

/**
 * Checks that an options object has only known keys, as Keras and PyTorch reject unknown
 * keyword arguments: a misspelt `learningrate` must not be silently ignored.
 * @param options - what the caller passed; undefined means no options
 * @param valid - the known keys
 * @param method - the method the options belong to, e.g. 'fit', named in the error
 * @throws {ConfigError} when `options` is not a plain object, or has a key not in `valid`
 *   (names the key, suggests a key differing only in case, and lists the valid ones).
 */
export function checkOptionKeys(options: unknown, valid: readonly string[], method: string): void {
  if (options === undefined) return;
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new ConfigError(
      `${method} options must be an object; received ${Array.isArray(options) ? 'an array' : String(options)}`,
    );
  }
  for (const key of Object.keys(options)) {
    if (valid.includes(key)) continue;
    const near = valid.find((name) => name.toLowerCase() === key.toLowerCase());
    throw new ConfigError(
      `${method} has no option ${JSON.stringify(key)}${near ? ` (did you mean ${near}?)` : ''}; ` +
        `valid options are ${valid.join(', ')}`,
    );
  }
}
