import { ConfigError, DataError, ShapeError } from '../errors.js';

/** Element type of a matrix: `float32` (default, fast) or `float64` (checks and teaching). */
export type DType = 'float32' | 'float64';

/** The typed array behind a matrix of either dtype. */
export type FloatArray = Float32Array | Float64Array;

/** The valid dtypes, for validation and help texts. */
export const DTYPES: readonly DType[] = ['float32', 'float64'];

/**
 * Allocates a zero-filled typed array of the given dtype.
 * @param dtype - 'float32' or 'float64'
 * @param length - number of elements
 */
export function allocate(dtype: DType, length: number): FloatArray {
  return dtype === 'float64' ? new Float64Array(length) : new Float32Array(length);
}

/**
 * Zeros for a [rows, cols] matrix, or a ShapeError instead of V8's RangeError.
 * @throws {ConfigError} for an unknown dtype; {ShapeError} when the array cannot be allocated
 */
function allocateChecked(rows: number, cols: number, dtype: string): FloatArray {
  const checked = checkDType(dtype, "a matrix's dtype");
  try {
    return allocate(checked, rows * cols);
  } catch (error) {
    const bytes = rows * cols * (checked === 'float64' ? 8 : 4);
    throw new ShapeError(
      `a [${rows}, ${cols}] ${checked} matrix needs rows × cols = ${rows * cols} values ` +
        `(${(bytes / 2 ** 20).toFixed(1)} MiB), which cannot be allocated (${(error as Error).message})`,
      { cause: error },
    );
  }
}

function describeValue(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? String(value);
  return Array.isArray(value)
    ? `an array of ${value.length}`
    : `a ${value.constructor?.name ?? 'object'}`;
}

/** Returns the dtype of a typed array. */
export function dtypeOf(data: FloatArray): DType {
  return data instanceof Float64Array ? 'float64' : 'float32';
}

/**
 * Checks that a value names a dtype.
 * @throws {ConfigError} when it is not 'float32' or 'float64'.
 */
export function checkDType(value: unknown, option = 'dtype'): DType {
  if (value === 'float32' || value === 'float64') return value;
  throw new ConfigError(
    `${option} must be one of ${DTYPES.join(', ')}; received ${JSON.stringify(value)}`,
  );
}

/**
 * A dense row-major matrix of shape [rows, cols] over a Float32Array or Float64Array.
 *
 * Element (i, j) lives at `data[i * cols + j]`. Rows are examples wherever a matrix holds a
 * batch (`[batch, features]`); a layer's weights are `[outputs, inputs]` as in the lecture.
 * Matrices are plain storage: the arithmetic lives in the backend (`src/backend/`).
 *
 * @example
 * const m = Matrix.from([[1, 2, 3], [4, 5, 6]], 'float64');
 * m.shape; //=> [2, 3]
 * m.get(1, 2); //=> 6
 */
export class Matrix {
  /** Number of rows (the batch dimension for activations). */
  readonly rows: number;
  /** Number of columns (features or units). */
  readonly cols: number;
  #data: FloatArray;

  /**
   * Wraps `data` (not copied) as a [rows, cols] matrix, or allocates zeros when given a dtype.
   * @throws {ShapeError} when rows or cols is not a non-negative integer, data.length ≠ rows·cols,
   *   or rows·cols values cannot be allocated (names the shape, the count and the bytes)
   * @throws {ConfigError} when `data` is neither a float typed array nor a dtype name
   */
  constructor(rows: number, cols: number, data: FloatArray | DType = 'float32') {
    if (!Number.isInteger(rows) || rows < 0 || !Number.isInteger(cols) || cols < 0) {
      throw new ShapeError(
        `a matrix needs non-negative integer dimensions; received [${rows}, ${cols}]`,
      );
    }
    this.rows = rows;
    this.cols = cols;
    const values = typeof data === 'string' ? allocateChecked(rows, cols, data) : data;
    if (!(values instanceof Float32Array || values instanceof Float64Array)) {
      throw new ConfigError(
        `a matrix's data must be a Float32Array, a Float64Array or a dtype (${DTYPES.join(', ')}); ` +
          `received ${describeValue(values)}`,
      );
    }
    if (values.length !== rows * cols) {
      throw new ShapeError(
        `a [${rows}, ${cols}] matrix needs ${rows * cols} values; received ${values.length}`,
      );
    }
    this.#data = values;
  }

  /**
   * The row-major elements. Assigning copies the values into this matrix's own array (which
   * may live in a backend's memory, e.g. WASM): the new values must be rows·cols numbers, and
   * are rounded to this matrix's dtype.
   * @throws {ShapeError} when the new values have the wrong length.
   */
  get data(): FloatArray {
    return this.#data;
  }

  set data(values: ArrayLike<number>) {
    if (values.length !== this.#data.length) {
      throw new ShapeError(
        `${this.describe()} needs ${this.#data.length} values; received ${values.length}`,
      );
    }
    this.#data.set(values);
  }

  /** The element type of `data`. */
  get dtype(): DType {
    return dtypeOf(this.#data);
  }

  /** [rows, cols]. */
  get shape(): [number, number] {
    return [this.rows, this.cols];
  }

  /** A zero matrix of shape [rows, cols]. */
  static zeros(rows: number, cols: number, dtype: DType = 'float32'): Matrix {
    return new Matrix(rows, cols, dtype);
  }

  /**
   * Builds a matrix from nested arrays, one inner array per row.
   * @param values - number[][] of shape [rows, cols]; every row the same length
   * @param dtype - element type; default 'float32'
   * @throws {ShapeError} when the rows have different lengths (names the row and both lengths).
   * @throws {DataError} when an element is not a number.
   * @example
   * Matrix.from([[1, 2, 3]], 'float64').shape; //=> [1, 3]
   */
  static from(values: readonly (readonly number[])[], dtype: DType = 'float32'): Matrix {
    const rows = values.length;
    const cols = rows > 0 ? values[0]!.length : 0;
    const out = new Matrix(rows, cols, dtype);
    for (let i = 0; i < rows; i++) {
      const row = values[i]!;
      if (!Array.isArray(row) || row.length !== cols) {
        throw new ShapeError(
          `row ${i} has ${Array.isArray(row) ? row.length : 'no'} columns; expected ${cols} like row 0`,
        );
      }
      for (let j = 0; j < cols; j++) {
        const v = row[j];
        if (typeof v !== 'number') {
          throw new DataError(`row ${i}, column ${j}: expected a number, got ${JSON.stringify(v)}`);
        }
        out.#data[i * cols + j] = v;
      }
    }
    return out;
  }

  /** Element (i, j), with no bounds check. */
  get(i: number, j: number): number {
    return this.#data[i * this.cols + j]!;
  }

  /** Sets element (i, j), with no bounds check. */
  set(i: number, j: number, value: number): void {
    this.#data[i * this.cols + j] = value;
  }

  /** Row i as a view (no copy) of length cols. */
  row(i: number): FloatArray {
    return this.#data.subarray(i * this.cols, (i + 1) * this.cols);
  }

  /**
   * Rows from..to−1 as a [to − from, cols] matrix sharing this one's storage (no copy).
   * @throws {ShapeError} when the range is not within [0, rows].
   */
  rowRange(from: number, to: number): Matrix {
    checkRowRange(from, to, this.rows);
    return new Matrix(to - from, this.cols, this.#data.subarray(from * this.cols, to * this.cols));
  }

  /** A deep copy, optionally converted to another dtype. */
  clone(dtype: DType = this.dtype): Matrix {
    const copy = allocate(dtype, this.#data.length);
    copy.set(this.#data);
    return new Matrix(this.rows, this.cols, copy);
  }

  /** The elements as number[][] (one inner array per row). */
  toArray(): number[][] {
    const out: number[][] = [];
    for (let i = 0; i < this.rows; i++) out.push(Array.from(this.row(i)));
    return out;
  }

  /** 'Matrix[2, 3] float64', for messages. */
  describe(): string {
    return `Matrix[${this.rows}, ${this.cols}] ${this.dtype}`;
  }

  /** The shape and values, rows on separate lines. */
  toString(): string {
    return `${this.describe()}\n${this.toArray()
      .map((row) => `  [${row.join(', ')}]`)
      .join('\n')}`;
  }
}

/**
 * Accepts a Matrix or number[][] and returns a Matrix of the given dtype (converting if needed).
 * @throws {ShapeError} for ragged nested arrays.
 */
export function toMatrix(value: Matrix | readonly (readonly number[])[], dtype: DType): Matrix {
  if (value instanceof Matrix) return value.dtype === dtype ? value : value.clone(dtype);
  return Matrix.from(value, dtype);
}

/**
 * Checks a row range from..to−1 of a matrix with `rows` rows.
 * @throws {ShapeError} unless from and to are integers with 0 ≤ from ≤ to ≤ rows.
 */
export function checkRowRange(from: number, to: number, rows: number): void {
  if (!(Number.isInteger(from) && Number.isInteger(to) && from >= 0 && from <= to && to <= rows)) {
    throw new ShapeError(`rows ${from}..${to} are not within [0, ${rows}]`);
  }
}
