import { DataError, ShapeError } from '../errors.js';
import { allocate, checkRowRange, Matrix, type DType, type FloatArray } from './matrix.js';

/** Inputs a model can read rows from: a float matrix, or a compact {@link ByteMatrix}. */
export type InputMatrix = Matrix | ByteMatrix;

/**
 * A compact [rows, cols] matrix of bytes that stand for real numbers through a
 * 256-entry table: element (i, j) = `values[bytes[i·cols + j]]`.
 *
 * A data set of 8-bit measurements (MNIST's pixels, say) takes a quarter of its float32 size
 * this way: 47 MB instead of 188 MB for the MNIST training images. `fit`, `evaluate` and
 * `predict` accept it as x and convert rows to the model's dtype one batch at a time, writing
 * each element as `values[byte]` rounded to that dtype, so results are bit-identical to those
 * from the float matrix {@link ByteMatrix.toMatrix} returns.
 *
 * @example
 * const x = ByteMatrix.scaled(1, 3, new Uint8Array([0, 51, 255]), 255);
 * x.get(0, 1); //=> 0.2
 * x.toMatrix('float64').toArray(); //=> [[0, 0.2, 1]]
 */
export class ByteMatrix {
  /** Number of rows (examples). */
  readonly rows: number;
  /** Number of columns (features). */
  readonly cols: number;
  /** The bytes, row-major: element (i, j) is coded by `bytes[i * cols + j]`. Not copied. */
  readonly bytes: Uint8Array;
  /** The value each byte stands for: 256 finite float64 numbers (changing one changes x). */
  readonly values: Float64Array;

  /**
   * Wraps `bytes` (not copied) as a [rows, cols] matrix decoded by `values`.
   * @param values - 256 finite numbers: values[b] is what byte b stands for
   * @throws {ShapeError} when rows or cols is not a non-negative integer, or
   *   bytes.length ≠ rows·cols.
   * @throws {DataError} when `bytes` is not a Uint8Array, or `values` does not hold 256 finite
   *   numbers.
   */
  constructor(rows: number, cols: number, bytes: Uint8Array, values: ArrayLike<number>) {
    if (!(bytes instanceof Uint8Array)) {
      throw new DataError(
        `a byte matrix's bytes must be a Uint8Array; received ${Object.prototype.toString.call(bytes).slice(8, -1)}`,
      );
    }
    if (!Number.isInteger(rows) || rows < 0 || !Number.isInteger(cols) || cols < 0) {
      throw new ShapeError(
        `a byte matrix needs non-negative integer dimensions; received [${rows}, ${cols}]`,
      );
    }
    if (bytes.length !== rows * cols) {
      throw new ShapeError(
        `a [${rows}, ${cols}] byte matrix needs ${rows * cols} bytes; received ${bytes.length}`,
      );
    }
    if (values.length !== 256) {
      throw new DataError(`a byte matrix needs 256 values; received ${values.length}`);
    }
    const table = Float64Array.from(values);
    const bad = table.findIndex((value) => !Number.isFinite(value));
    if (bad >= 0) {
      throw new DataError(
        `a byte matrix's values must be finite; received ${table[bad]} for byte ${bad}`,
      );
    }
    this.rows = rows;
    this.cols = cols;
    this.bytes = bytes;
    this.values = table;
  }

  /**
   * Bytes that stand for byte / divisor, e.g. a pixel / 255 in [0, 1].
   * @throws {ShapeError} as the constructor; {DataError} when divisor is 0 or not finite.
   */
  static scaled(rows: number, cols: number, bytes: Uint8Array, divisor: number): ByteMatrix {
    const values = new Float64Array(256);
    for (let b = 0; b < 256; b++) values[b] = b / divisor;
    return new ByteMatrix(rows, cols, bytes, values);
  }

  /** [rows, cols]. */
  get shape(): [number, number] {
    return [this.rows, this.cols];
  }

  /**
   * The value of element (i, j), in float64.
   * @throws never (indices are not checked, as in {@link Matrix.get})
   */
  get(i: number, j: number): number {
    return this.values[this.bytes[i * this.cols + j]!]!;
  }

  /**
   * Row i decoded to a new array of the given dtype.
   * @throws never
   */
  row(i: number, dtype: DType = 'float32'): FloatArray {
    const out = allocate(dtype, this.cols);
    decode(this, i * this.cols, out, 0, this.cols);
    return out;
  }

  /**
   * Rows from..to−1 as a byte matrix sharing this one's bytes (no copy).
   * @throws {ShapeError} when the range is not within [0, rows].
   */
  rowRange(from: number, to: number): ByteMatrix {
    checkRowRange(from, to, this.rows);
    const bytes = this.bytes.subarray(from * this.cols, to * this.cols);
    return new ByteMatrix(to - from, this.cols, bytes, this.values);
  }

  /**
   * All elements decoded to a new float matrix [rows, cols].
   * @throws never
   */
  toMatrix(dtype: DType = 'float32'): Matrix {
    const out = new Matrix(this.rows, this.cols, dtype);
    decode(this, 0, out.data, 0, this.bytes.length);
    return out;
  }
}

/**
 * Writes `count` decoded elements of `source` from byte `from` into `target` at `to`.
 * @throws never (the caller keeps both ranges in bounds)
 */
export function decode(
  source: ByteMatrix,
  from: number,
  target: FloatArray,
  to: number,
  count: number,
): void {
  const { bytes, values } = source;
  for (let k = 0; k < count; k++) target[to + k] = values[bytes[from + k]!]!;
}
