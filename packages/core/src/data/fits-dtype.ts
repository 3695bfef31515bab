import { DataError } from '../errors.js';
import type { Matrix } from '../tensor/matrix.js';

/** Where {@link checkFitsDType} reports a value: the file, and row i as a person counts it. */
export interface FitsContext {
  /** The file or records, e.g. 'cars.csv'; undefined for rows passed in code. */
  source: string | undefined;
  /** Row i (0-based index into `values`) as messages name it: `row 5 (header = row 1)`. */
  locate: (i: number) => string;
}

/**
 * Checks that scaled float64 values survived the conversion to the matrix's dtype: a value
 * such as 1e300 in a float32 data set would silently become Infinity (float32 holds magnitudes
 * up to about 3.4e38) and surface later as a NaN loss or an error naming internal indices.
 * @param matrix - the data [n, names.length] in its dtype, filled from `values`
 * @param values - the same data in float64, after scaling
 * @param names - the column (feature or target) of each matrix column, as the file names it
 * @throws {DataError} naming the file, the row (1-based, header = row 1 for CSV files), the
 *   column by name, the dtype and the value found
 */
export function checkFitsDType(
  matrix: Matrix,
  values: Float64Array,
  names: readonly string[],
  context: FitsContext,
): void {
  const index = matrix.data.findIndex((value) => !Number.isFinite(value));
  if (index < 0) return;
  const [i, j] = [Math.floor(index / matrix.cols), index % matrix.cols];
  const where = context.source === undefined ? '' : `${context.source}, `;
  throw new DataError(
    `${where}${context.locate(i)}, column ${JSON.stringify(names[j])}: expected a value that ` +
      `fits ${matrix.dtype} after scaling (magnitude up to ${LIMITS[matrix.dtype]}), found ` +
      `${values[index]} after scaling`,
  );
}

const LIMITS = { float32: '3.4e38', float64: '1.8e308' } as const;
