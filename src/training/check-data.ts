import { ConfigError, DataError, ShapeError } from '../errors.js';
import { ByteMatrix, type InputMatrix } from '../tensor/byte-matrix.js';
import { toMatrix, type DType, type Matrix } from '../tensor/matrix.js';

/** Inputs or targets as given by a user: a Matrix, or number[][] with one row per example. */
export type MatrixLike = Matrix | readonly (readonly number[])[];

/** Inputs as given to fit, evaluate and predict: a {@link MatrixLike} or a compact ByteMatrix. */
export type InputLike = MatrixLike | ByteMatrix;

/**
 * Converts x and y to matrices of the model's dtype and checks that they fit the model.
 * Messages follow one pattern, `<name> must …; received …`, e.g.
 * `x must have 3 columns (the model's inputs); received shape [2, 4]`.
 * @param x - inputs [n, inputs]
 * @param y - targets [n, outputs]
 * @param shape - the model's input and output widths
 * @param dtype - the model's dtype
 * @param names - what to call x and y in messages; default `['x', 'y']`
 * @throws {DataError} for empty data, or a NaN or ±Inf value (names x or y, the row, the column).
 * @throws {ShapeError} when a width differs from the model's, x and y have different numbers
 *   of rows, or a number[][] is ragged (states both).
 */
export function checkData<X extends InputLike>(
  x: X,
  y: MatrixLike,
  shape: { inputs: number; outputs: number },
  dtype: DType,
  names?: readonly [string, string],
): { x: X extends ByteMatrix ? ByteMatrix : Matrix; y: Matrix };
export function checkData(
  x: InputLike,
  y: MatrixLike,
  shape: { inputs: number; outputs: number },
  dtype: DType,
  names: readonly [string, string] = ['x', 'y'],
): { x: InputMatrix; y: Matrix } {
  const [xName, yName] = names;
  const xm = checkMatrix(x, xName, shape.inputs, 'inputs', dtype);
  const ym = checkMatrix(y, yName, shape.outputs, 'outputs', dtype);
  if (xm.rows !== ym.rows) {
    throw new ShapeError(
      `${yName} must have as many rows as ${xName} (${xm.rows}); received shape ${shapeOf(ym)}`,
    );
  }
  return { x: xm, y: ym };
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
 * naming it in the errors of the conversion, e.g. `x: row 1 has 1 columns; expected 2 like row 0`.
 * @throws {ShapeError} for ragged rows; {DataError} for an element that is not a number.
 */
export function toNamedMatrix(value: InputLike, name: string, dtype: DType): Matrix {
  if (value instanceof ByteMatrix) return value.toMatrix(dtype);
  try {
    return toMatrix(value, dtype);
  } catch (error) {
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
