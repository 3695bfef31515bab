import { ConfigError, DataError, ShapeError } from '../errors.js';
import { toMatrix, type DType, type Matrix } from '../tensor/matrix.js';

/** Inputs or targets as given by a user: a Matrix, or number[][] with one row per example. */
export type MatrixLike = Matrix | readonly (readonly number[])[];

/**
 * Converts x and y to matrices of the model's dtype and checks that they fit the model.
 * @param x - inputs [n, inputs]
 * @param y - targets [n, outputs]
 * @param shape - the model's input and output widths
 * @param dtype - the model's dtype
 * @throws {DataError} for empty data, or a NaN or ±Inf value (names x or y, the row, the column).
 * @throws {ShapeError} when a width differs from the model's, or x and y have different numbers
 *   of rows (states both).
 */
export function checkData(
  x: MatrixLike,
  y: MatrixLike,
  shape: { inputs: number; outputs: number },
  dtype: DType,
): { x: Matrix; y: Matrix } {
  const xm = checkInputs(x, shape.inputs, dtype);
  const ym = checkMatrix(y, 'y', 'targets', shape.outputs, dtype);
  if (xm.rows !== ym.rows) {
    throw new ShapeError(`found ${xm.rows} input rows (x) but ${ym.rows} target rows (y)`);
  }
  return { x: xm, y: ym };
}

/**
 * Converts inputs to a matrix of the model's dtype and checks width and values.
 * @throws {DataError} for empty data or a non-finite value; {ShapeError} for a wrong width.
 */
export function checkInputs(x: MatrixLike, inputs: number, dtype: DType): Matrix {
  return checkMatrix(x, 'x', 'inputs', inputs, dtype);
}

function checkMatrix(
  value: MatrixLike,
  name: string,
  what: string,
  width: number,
  dtype: DType,
): Matrix {
  const m = toMatrix(value, dtype);
  if (m.rows === 0) throw new DataError(`${name} is empty: ${what} need at least one row`);
  if (m.cols !== width) {
    throw new ShapeError(
      `each row of ${name} must have ${width} ${what} (the model's width); found rows of ${m.cols}`,
    );
  }
  const data = m.data;
  for (let i = 0; i < data.length; i++) {
    if (!Number.isFinite(data[i]!)) {
      const row = Math.floor(i / m.cols);
      throw new DataError(
        `${name} row ${row}, column ${i - row * m.cols} is ${data[i]}; ${what} must be finite numbers`,
      );
    }
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
