import {
  DataError,
  preprocessRows,
  readCsvRows,
  type CsvRow,
  type Matrix,
  type Preprocessing,
  type Sequential,
} from './api.js';

/** Rows per batch: bounds memory whatever the file's size. */
export const BATCH_ROWS = 1024;

/** A batch of CSV rows turned into model inputs. */
export interface Batch {
  /** The spreadsheet row number (header = row 1) of each row kept. */
  rows: number[];
  /** The model's inputs x [rows, n⁰], preprocessed as in training. */
  x: Matrix;
  /** The raw text of the target columns, per row kept (empty without targets). */
  targets: string[][];
  /** Rows of this batch left out for a missing value (with dropMissing). */
  dropped: number;
}

/** Options of {@link csvBatches}. */
export interface CsvBatchOptions {
  /** Target columns to read beside the inputs (and not to treat as inputs), by name. */
  targets?: readonly string[];
  /** Leave out rows with a missing input value instead of failing. */
  dropMissing?: boolean;
  /**
   * Read a model's input columns in order (the non-target columns) instead of by name; only
   * when the header names none of them (`--by-position`).
   */
  byPosition?: boolean;
}

/**
 * Streams a CSV file as batches of model inputs, never holding the whole file.
 *
 * Input columns: with preprocessing, the model's columns are picked by header name (other
 * columns are ignored), or, with `byPosition`, by position when the header names none of them
 * and has exactly as many non-target columns; each row is then encoded and scaled as in
 * training. Without
 * preprocessing, the non-target columns are the inputs, in order, as numbers, and there must
 * be n⁰ of them.
 * @throws {DataError} for a file that cannot be read, missing columns (names them), a header
 *   that names none of the model's columns without `byPosition` (names both headers), a
 *   wrong column count, a value that is not a number, a missing value (names the file, row,
 *   column), or, for an MNIST model without preprocessing, a value outside [0, 1].
 */
export async function* csvBatches(
  model: Sequential,
  path: string,
  options: CsvBatchOptions = {},
): AsyncGenerator<Batch, void, undefined> {
  let plan: { preprocessing: Preprocessing; columns: string[] | number[] } | undefined;
  let chunk: CsvRow[] = [];
  const flush = (): Batch => {
    const { preprocessing, columns } = plan!;
    const raw = chunk.map((row) =>
      typeof columns[0] === 'number'
        ? (columns as number[]).map((c) => row.values[c])
        : (columns as string[]).map((name) => row.record[name]),
    );
    const numbers = chunk.map((row) => row.row);
    const { x, kept, dropped } = preprocessRows(preprocessing, raw, {
      source: path,
      rows: numbers,
      dtype: model.dtype,
      dropMissing: options.dropMissing ?? false,
    });
    const rows = Array.from(kept, (i) => numbers[i]!);
    if (model.preprocessing === undefined) checkPixels(model, x, rows, path);
    const targets = Array.from(kept, (i) =>
      (options.targets ?? []).map((name) => chunk[i]!.record[name] ?? ''),
    );
    chunk = [];
    return { rows, x, targets, dropped };
  };
  for await (const row of readCsvRows(path)) {
    plan ??= planColumns(
      model,
      path,
      Object.keys(row.record),
      options.targets ?? [],
      options.byPosition ?? false,
    );
    chunk.push(row);
    if (chunk.length === BATCH_ROWS) yield flush();
  }
  if (chunk.length > 0) yield flush();
}

/**
 * Decides which columns feed the model, from the header.
 * @throws {DataError} naming the missing columns or the counts
 */
function planColumns(
  model: Sequential,
  path: string,
  header: string[],
  targets: readonly string[],
  byPosition: boolean,
): { preprocessing: Preprocessing; columns: string[] | number[] } {
  const missingTargets = targets.filter((name) => !header.includes(name));
  if (missingTargets.length > 0) {
    throw new DataError(
      `${path}: expected the target column ${listed(missingTargets)}, found the columns ${listed(header)}`,
    );
  }
  const free = header.map((_, c) => c).filter((c) => !targets.includes(header[c]!));
  const preprocessing = model.preprocessing;
  if (preprocessing !== undefined) {
    const names = preprocessing.columns.map((column) => column.name);
    const absent = names.filter((name) => !header.includes(name));
    if (absent.length === 0) return { preprocessing, columns: names };
    if (absent.length === names.length) {
      const found = listed(free.map((c) => header[c]!));
      if (free.length !== names.length) {
        throw new DataError(
          `${path}: the header names none of the model's ${names.length} input columns ` +
            `${listed(names)}, and its ${free.length} columns ${found} cannot stand for them ` +
            'by position either',
        );
      }
      if (byPosition) return { preprocessing, columns: free };
      throw new DataError(
        `${path}: expected the model's input columns ${listed(names)}, found ${found}; help: ` +
          "add --by-position to read the columns in this order as the model's",
      );
    }
    throw new DataError(
      `${path}: expected the model's input columns ${listed(names)}; missing ${listed(absent)}`,
    );
  }
  if (free.length !== model.inputs) {
    throw new DataError(
      `${path}: expected ${model.inputs} input columns (the model's inputs; it has no ` +
        `preprocessing to pick columns by name), found ${free.length}` +
        (targets.length > 0 ? ` besides the target` : '') +
        `: ${listed(free.map((c) => header[c]!))}`,
    );
  }
  const featureNames = free.map((c) => header[c]!);
  return {
    preprocessing: {
      columns: featureNames.map((name) => ({ name, kind: 'number' })),
      featureNames,
      scaling: {
        kind: 'none',
        offset: featureNames.map(() => 0),
        scale: featureNames.map(() => 1),
      },
      task: 'regression',
      targetNames: ['output'],
    },
    columns: free,
  };
}

/**
 * An MNIST model saved without preprocessing takes pixel / 255; raw 0–255 values would give
 * confident nonsense, so they are refused.
 * @throws {DataError} naming the row and the value
 */
function checkPixels(model: Sequential, x: Matrix, rows: number[], path: string): void {
  const data = model.metadata['data'] as { name?: unknown } | undefined;
  if (data?.name !== 'MNIST') return;
  const index = x.data.findIndex((value) => value < 0 || value > 1);
  if (index < 0) return;
  const row = rows[Math.floor(index / x.cols)];
  throw new DataError(
    `${path}, row ${row} (header = row 1), column ${(index % x.cols) + 1}: expected a pixel ` +
      `value in [0, 1], found ${x.data[index]}; this MNIST model has no stored preprocessing ` +
      'and takes pixel / 255: divide the values by 255',
  );
}

/** `"a", "b", "c"`, or the first eight and how many more. */
export function listed(names: readonly string[]): string {
  const quoted = names.slice(0, 8).map((name) => JSON.stringify(name));
  if (names.length > 8) quoted.push(`… (${names.length} in all)`);
  return quoted.join(', ');
}
