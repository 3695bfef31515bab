/**
 * The preprocessing of a tabular model as plain data: which columns it reads, how they become
 * features, how features are scaled, and what the outputs mean. Saved in the model file as its
 * top-level `preprocessing` field (version 2; older files kept it under `metadata`), so that
 * predictions on new rows repeat training's steps exactly.
 * Browser-safe: no Node built-ins.
 */
import { ownValue } from './own-value.js';
import { parsePreprocessing } from './preprocessing-schema.js';
import { ConfigError, DataError, ShapeError } from '../errors.js';
import { Matrix, type DType } from '../tensor/matrix.js';
import {
  encodeValue,
  featureNamesOf,
  MISSING_MARKERS,
  shown,
  type InputColumn,
} from './columns.js';
import { checkFitsDType } from './fits-dtype.js';
import { applyScaling, invertScaling, type Scaling } from './scaling.js';

/** What the outputs are: class probabilities (one-hot targets) or real values. */
export type Task = 'classification' | 'regression';

/**
 * Everything needed to turn raw rows into model inputs and outputs back into answers; a plain,
 * JSON-serialisable object (arrays, strings and finite numbers only).
 *
 * Shapes: `columns` are the c input columns read from each row, in order; they encode to the
 * n⁰ = `featureNames.length` model inputs; `scaling.offset` and `.scale` have n⁰ entries. The
 * model's nᴸ outputs are `classNames` (classification, one-hot, one target column) or
 * `targetNames` (regression, one output per target column).
 *
 * @example
 * const { preprocessing } = await loadDataset('iris');
 * preprocessing.featureNames; //=> ['sepal length (cm)', 'sepal width (cm)', …]
 * preprocessing.classNames; //=> ['setosa', 'versicolor', 'virginica']
 */
export interface Preprocessing {
  /** The input columns, by name, and how each is encoded (number, date, category). */
  columns: InputColumn[];
  /** The model's inputs after encoding, in order; n⁰ names. */
  featureNames: string[];
  /** Feature scaling x′ = (x − offset) / scale, fitted on the training rows only. */
  scaling: Scaling;
  task: Task;
  /** The target column(s) of the training data: one for classification. */
  targetNames: string[];
  /** Classification: the class of each output, in output order (sorted when fitted). */
  classNames?: string[];
  /** Regression: the scaling of the targets; predictions are scaled values until inverted. */
  targetScaling?: Scaling;
}

/**
 * Raw rows: objects keyed by column name (JSON records, or CSV rows from `readCsvRows`), or
 * arrays holding the values of `preprocessing.columns` in order. Values: numbers, or text as
 * in a CSV file; missing values are null, absent, NaN, or one of the {@link MISSING_MARKERS}.
 */
export type RawRows =
  readonly Readonly<Record<string, unknown>>[] | readonly (readonly unknown[])[];

/** Options of {@link preprocessRows} and {@link applyPreprocessing}. */
export interface PreprocessOptions {
  /** The file the rows come from, named in errors. */
  source?: string;
  /** Row numbers to name in errors, as a spreadsheet counts them (the header is row 1). */
  rows?: readonly number[];
  /** Element type of the result. Default 'float32'. */
  dtype?: DType;
  /** Leave out rows with a missing value instead of throwing. Default false. */
  dropMissing?: boolean;
}

/**
 * Encodes and scales raw rows as the model was trained: x′ = (encode(row) − offset) / scale.
 * Computed in float64 and then rounded to `dtype`, exactly as at training time, so the same
 * row gives bit-identical inputs.
 *
 * Shapes: n rows → x [k, n⁰] with k = n − dropped.
 *
 * @param preprocessing - from the loader (`data.preprocessing`) or the model file
 * @param rows - objects by column name, or arrays in `preprocessing.columns` order
 * @returns x, the indices of the rows kept (ascending), and the number dropped
 * @throws {DataError} for a value that is not what its column holds (names the source, the row
 *   and the column, and the value found), a missing value unless `dropMissing`, or an array row
 *   of the wrong length.
 */
export function preprocessRows(
  preprocessing: Preprocessing,
  rows: RawRows,
  options: PreprocessOptions = {},
): { x: Matrix; kept: Uint32Array; dropped: number } {
  const { columns } = preprocessing;
  const locate = (i: number) =>
    options.rows?.[i] !== undefined ? `row ${options.rows[i]} (header = row 1)` : `rows[${i}]`;
  const value = (i: number, c: number): unknown => {
    const row = rows[i]!;
    if (!Array.isArray(row)) return ownValue(row, columns[c]!.name);
    if (row.length !== columns.length) {
      throw new DataError(
        `${prefix(options.source)}${locate(i)}: expected ${columns.length} values (` +
          `${columns.map((column) => column.name).join(', ')}), found ${row.length}`,
      );
    }
    return row[c];
  };
  const table = encodeTable(columns, rows.length, value, {
    source: options.source,
    locate,
    dropMissing: options.dropMissing ?? false,
  });
  applyScaling(table.values, preprocessing.scaling);
  const x = new Matrix(table.kept.length, table.width, options.dtype ?? 'float32');
  x.data.set(table.values);
  checkFitsDType(x, table.values, preprocessing.featureNames, {
    source: options.source,
    locate: (i) => locate(table.kept[i]!),
  });
  return { x, kept: Uint32Array.from(table.kept), dropped: rows.length - table.kept.length };
}

/**
 * Turns raw rows, or already encoded features, into the model's inputs: the preprocessing of
 * training applied to new data (see {@link preprocessRows}; missing values throw).
 *
 * Shapes: rows (n) or features [n, n⁰] → x [n, n⁰].
 *
 * @param input - raw rows, or a Matrix of encoded, unscaled features [n, n⁰] (then only the
 *   scaling is applied, to a copy)
 * @returns a new matrix of scaled inputs
 * @throws {ConfigError} when `preprocessing` is not a valid preprocessing (null, {}; names the
 *   first wrong field) or `input` is neither a Matrix nor an array.
 * @throws {ShapeError} for a Matrix whose width is not n⁰ (names both).
 * @throws {DataError} as {@link preprocessRows} does, for any missing value too.
 * @example
 * const x = applyPreprocessing(preprocessing, [{ 'sepal length (cm)': 5.1, … }]);
 * model.predict(x);
 */
export function applyPreprocessing(
  preprocessing: Preprocessing,
  input: Matrix | RawRows,
  options: Omit<PreprocessOptions, 'dropMissing'> = {},
): Matrix {
  try {
    parsePreprocessing(preprocessing, 'preprocessing');
  } catch (error) {
    throw new ConfigError(`applyPreprocessing: ${(error as Error).message}`, { cause: error });
  }
  if (!(input instanceof Matrix) && !Array.isArray(input)) {
    throw new ConfigError(
      `applyPreprocessing: input must be a Matrix or an array of rows; received ${input === null ? 'null' : typeof input}`,
    );
  }
  if (!(input instanceof Matrix)) return preprocessRows(preprocessing, input, options).x;
  const width = preprocessing.featureNames.length;
  if (input.cols !== width) {
    throw new ShapeError(
      `features must have ${width} columns (${preprocessing.featureNames.join(', ')}); ` +
        `received shape [${input.rows}, ${input.cols}]`,
    );
  }
  const values = Float64Array.from(input.data);
  applyScaling(values, preprocessing.scaling);
  const x = new Matrix(input.rows, width, options.dtype ?? input.dtype);
  x.data.set(values);
  return x;
}

/**
 * Model outputs in the targets' units: regression outputs with the target scaling undone
 * (y = y′·scale + offset); classification outputs (probabilities) unchanged. A new matrix.
 * @param output - aᴸ [n, nᴸ]
 * @throws {ShapeError} when nᴸ differs from the number of targets or classes.
 */
export function unscaleTargets(preprocessing: Preprocessing, output: Matrix): Matrix {
  const names = preprocessing.classNames ?? preprocessing.targetNames;
  if (output.cols !== names.length) {
    throw new ShapeError(
      `outputs must have ${names.length} columns (${names.join(', ')}); received shape ` +
        `[${output.rows}, ${output.cols}]`,
    );
  }
  const result = output.clone();
  if (preprocessing.targetScaling) invertScaling(result.data, preprocessing.targetScaling);
  return result;
}

/**
 * The predicted class name of each row: the class of the largest output (argmax).
 * @param output - aᴸ [n, classes]
 * @returns n class names
 * @throws {ShapeError} when the preprocessing has no classes or nᴸ differs from their number.
 */
export function predictedClasses(preprocessing: Preprocessing, output: Matrix): string[] {
  const classes = preprocessing.classNames;
  if (classes === undefined || output.cols !== classes.length) {
    throw new ShapeError(
      `outputs must have one column per class (${classes?.length ?? 'none: not a classifier'}); ` +
        `received shape [${output.rows}, ${output.cols}]`,
    );
  }
  const names: string[] = [];
  for (let i = 0; i < output.rows; i++) {
    const row = output.row(i);
    let best = 0;
    for (let j = 1; j < row.length; j++) if (row[j]! > row[best]!) best = j;
    names.push(classes[best]!);
  }
  return names;
}

/** `source, ` or nothing. */
function prefix(source: string | undefined): string {
  return source === undefined ? '' : `${source}, `;
}

/** Where {@link encodeTable} reports problems and what it does with missing values. */
export interface EncodeContext {
  source: string | undefined;
  /** Row i as messages name it: `row 5 (header = row 1)` or `records[3]`. */
  locate: (i: number) => string;
  dropMissing: boolean;
  /** Appended to the message for a number column holding something else. */
  numberHint?: string;
}

/**
 * Encodes n rows of `columns` into a float64 table [k, features], skipping rows with a missing
 * value when `dropMissing` (else throwing after counting them all). Shared by the loaders and
 * {@link preprocessRows} so that training and prediction encode identically.
 * @param value - the raw value of row i, column c
 * @throws {DataError} for a wrong value (at once) or a missing one (names the first, counts all).
 */
export function encodeTable(
  columns: readonly InputColumn[],
  n: number,
  value: (i: number, c: number) => unknown,
  context: EncodeContext,
): { values: Float64Array; width: number; kept: number[] } {
  const offsets: number[] = [];
  let width = 0;
  for (const column of columns) {
    offsets.push(width);
    width += featureNamesOf(column).length;
  }
  let values = new Float64Array(Math.max(1, n) * width);
  const kept: number[] = [];
  let firstMissing: { i: number; c: number; raw: unknown } | undefined;
  let missingRows = 0;
  for (let i = 0; i < n; i++) {
    let missing = false;
    const base = kept.length * width;
    for (let c = 0; c < columns.length; c++) {
      const raw = value(i, c);
      const problem = encodeValue(columns[c]!, raw, values, base + offsets[c]!);
      if (problem === undefined) continue;
      if (!problem.missing) {
        throw new DataError(
          `${prefix(context.source)}${context.locate(i)}, column ${JSON.stringify(columns[c]!.name)}: ` +
            `expected ${problem.expected}, found ${shown(raw)}` +
            (columns[c]!.kind === 'number'
              ? `; a missing value is empty or one of ${MISSING_MARKERS.slice(1).join(', ')}` +
                (context.numberHint ?? '')
              : ''),
        );
      }
      if (!missing) {
        missing = true;
        missingRows++;
        firstMissing ??= { i, c, raw };
      }
    }
    if (!missing) kept.push(i);
  }
  if (firstMissing !== undefined && !context.dropMissing) {
    const { i, c, raw } = firstMissing;
    throw new DataError(
      `${prefix(context.source)}${context.locate(i)}, column ${JSON.stringify(columns[c]!.name)}: ` +
        `missing value (${shown(raw)}); ${missingRows} of ${n} rows have a missing value; ` +
        `help: drop them with --drop-missing (dropMissing: true in the library)`,
    );
  }
  if (kept.length * width < values.length) values = values.slice(0, kept.length * width);
  return { values, width, kept };
}
