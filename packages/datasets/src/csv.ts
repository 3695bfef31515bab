/**
 * CSV files as data sets, through csv-parse's stream API: a header row, then one example per
 * row; a UTF-8 byte order mark, CRLF or LF line ends, quoted fields (with delimiters, quotes
 * and line breaks inside), blank lines and a trailing newline are all handled.
 *
 * Rows are numbered as a spreadsheet numbers them: the first line is row 1 (normally the
 * header), a quoted field spanning several lines stays one row, and blank lines count. Every
 * message names the file, that row number, and the column by its header name.
 */
import { createReadStream } from 'node:fs';
import { utf8Check } from './utf8-check.js';
import type { Info } from 'csv-parse';
import { ConfigError, DataError } from '@backpropjs/core';
import { checkOptionKeys } from '@backpropjs/core';
import {
  buildTabular,
  TABULAR_OPTION_KEYS,
  type TabularData,
  type TabularOptions,
} from '@backpropjs/core';

/**
 * The longest record (row) read, in characters: 16 MiB. A longer one, such as a file without
 * line ends or /dev/zero, is a DataError instead of a hang; a file's total size is not limited.
 */
export const MAX_RECORD_CHARS = 16 * 2 ** 20;

/** Options of {@link readCsvRows}. */
export interface CsvReadOptions {
  /** The field delimiter, one character. Default ','. */
  delimiter?: string;
}

/** Options of {@link loadCsv}: the table options and the CSV dialect. */
export interface CsvOptions extends TabularOptions, CsvReadOptions {}

/** One data row of a CSV file, as {@link readCsvRows} yields it. */
export interface CsvRow {
  /** The row number as a spreadsheet shows it (the header is normally row 1). */
  row: number;
  /** The fields, in header order, as text (not trimmed). */
  values: string[];
  /** The fields by header name (names trimmed), in an object without prototype. */
  record: Record<string, string>;
}

/**
 * Loads a CSV file as a split, scaled data set: the header names the columns, `target` picks
 * the target column(s), the other columns (or `features`) are inputs.
 *
 * Targets: a single column holding text labels gives classification: `classNames` sorted,
 * y one-hot [n, classes], labels [n]. Numeric target column(s) give regression: y [n, targets],
 * standardised with the training rows' mean and standard deviation unless `scaleTargets: false`.
 * Inputs: numbers; ISO dates (2012-01-31) become the fractional year and sin/cos of the day of
 * the year; `categorical` columns are one-hot encoded. Features are scaled (`scale`, default
 * 'standard') with statistics of the training rows only, then the split is returned along
 * with `preprocessing` to store in the model file.
 *
 * Shapes: x [n, n⁰], y [n, nᴸ] for the n kept rows in file order; `train`, `validation`,
 * `test` hold the rows of `split` (default 80% / 0% / 20%, seed 1, stratified by class).
 *
 * @param path - a UTF-8 CSV file with a header row
 * @param options - see {@link TabularOptions}; `target` is required; `delimiter` default ','
 * @returns `{ x, y, labels?, featureNames, targetNames, classNames?, dropped, preprocessing,
 *   train, validation, test, split, task, source }`
 * @throws {ConfigError} for an unknown option, no `target`, a target or feature naming no
 *   column (lists the columns, suggests the nearest name), an index out of range.
 * @throws {DataError} naming the file (and row and column where there is one) for: a file that
 *   cannot be read, an empty file, a header without data rows, an unnamed or duplicated header
 *   column, a row with more or fewer fields than the header ("expected 5 fields like the
 *   header, found 4"), a malformed quote, a value that is not a number (or date, or known
 *   category), a missing value (unless `dropMissing`), or a target with one class.
 * @example
 * const iris = await loadCsv('iris.csv', { target: 'species' });
 * iris.x.shape; //=> [150, 4]
 * iris.classNames; //=> ['setosa', 'versicolor', 'virginica']
 * iris.train.x.shape; //=> [120, 4]
 */
export async function loadCsv(path: string, options: CsvOptions = {}): Promise<TabularData> {
  checkOptionKeys(options, [...TABULAR_OPTION_KEYS, 'delimiter'], 'loadCsv');
  const { delimiter, ...tabular } = options;
  const rows = csvRecords(path, { delimiter });
  const first = await rows.next();
  if (first.done) throw emptyFile(path);
  const { header, headerRow } = checkHeader(path, first.value);
  const values: string[][] = [];
  const numbers: number[] = [];
  for await (const { row, values: fields } of rows) {
    checkWidth(path, row, headerRow, fields.length, header.length);
    values.push(fields);
    numbers.push(row);
  }
  return buildTabular(
    {
      source: path,
      header,
      rows: values.length,
      value: (i, c) => values[i]![c],
      locate: (i) => rowName(numbers[i]!, headerRow),
    },
    tabular,
    'loadCsv',
  );
}

/**
 * Streams the data rows of a CSV file without holding the file in memory (for predicting on
 * files larger than memory): the header is read and checked first, then each row is yielded as
 * it is parsed. Stop early with `break`; the file is closed.
 *
 * @param path - a UTF-8 CSV file with a header row
 * @returns an async iterator of `{ row, values, record }`; a file with only a header yields nothing
 * @throws {DataError} (while iterating) for a file that cannot be read, an empty file, an
 *   unnamed or duplicated header column, a ragged row (names the row and both counts), a
 *   malformed quote, or a row longer than `MAX_RECORD_CHARS` (16 MiB) (names the row).
 * @example
 * for await (const { row, record } of readCsvRows('big.csv')) {
 *   console.log(row, record['species']); // 2 'setosa', then 3 …
 * }
 */
export async function* readCsvRows(
  path: string,
  options: CsvReadOptions = {},
): AsyncGenerator<CsvRow, void, undefined> {
  checkOptionKeys(options, ['delimiter'], 'readCsvRows');
  const rows = csvRecords(path, options);
  const first = await rows.next();
  if (first.done) throw emptyFile(path);
  const { header, headerRow } = checkHeader(path, first.value);
  for await (const { row, values } of rows) {
    checkWidth(path, row, headerRow, values.length, header.length);
    // No prototype: a column named __proto__ or constructor is a field like any other.
    const record = Object.create(null) as Record<string, string>;
    header.forEach((name, c) => (record[name] = values[c]!));
    yield { row, values, record };
  }
}

/** The records of a CSV file, each with its spreadsheet row number; errors become DataErrors. */
async function* csvRecords(
  path: string,
  options: CsvReadOptions,
): AsyncGenerator<{ row: number; values: string[] }, void, undefined> {
  const delimiter = options.delimiter ?? ',';
  if (typeof delimiter !== 'string' || delimiter.length !== 1) {
    throw new ConfigError(`delimiter must be one character; received ${JSON.stringify(delimiter)}`);
  }
  // Loaded on first use, so that importing the library (and starting the CLI) does not pay for it.
  const { parse } = await import('csv-parse');
  const input = createReadStream(path);
  const parser = parse({
    bom: true,
    delimiter,
    info: true,
    max_record_size: MAX_RECORD_CHARS,
    relax_column_count: true, // ragged rows are reported by checkWidth, with the row number
    skip_empty_lines: true,
  });
  const checked = utf8Check(path);
  input.on('error', (error) => parser.destroy(error));
  checked.on('error', (error) => parser.destroy(error));
  input.pipe(checked).pipe(parser);
  try {
    for await (const { record, info } of parser as AsyncIterable<{
      record: string[];
      info: Info;
    }>) {
      yield { row: info.records + info.empty_lines, values: record };
    }
  } catch (error) {
    throw readError(path, error);
  } finally {
    input.destroy();
    checked.destroy();
    parser.destroy();
  }
}

/** `row 5 (header = row 1)`. */
function rowName(row: number, headerRow: number): string {
  return `row ${row} (header = row ${headerRow})`;
}

function emptyFile(path: string): DataError {
  return new DataError(`${path}: the file is empty; expected a header row, then data rows`);
}

/**
 * The trimmed header names.
 * @throws {DataError} for an unnamed or a duplicated column.
 */
function checkHeader(
  path: string,
  first: { row: number; values: string[] },
): { header: string[]; headerRow: number } {
  const header = first.values.map((name) => name.trim());
  const where = `${path}, row ${first.row} (the header)`;
  header.forEach((name, c) => {
    if (name === '') {
      throw new DataError(`${where}: column ${c + 1} has no name; every column needs one`);
    }
    const earlier = header.indexOf(name);
    if (earlier !== c) {
      throw new DataError(
        `${where}: columns ${earlier + 1} and ${c + 1} are both named ${JSON.stringify(name)}`,
      );
    }
  });
  return { header, headerRow: first.row };
}

/** @throws {DataError} `data.csv, row 4 (header = row 1): expected 5 fields like the header, found 4`. */
function checkWidth(path: string, row: number, headerRow: number, found: number, expected: number) {
  if (found !== expected) {
    throw new DataError(
      `${path}, ${rowName(row, headerRow)}: expected ${expected} fields like the header, found ${found}`,
    );
  }
}

/** A read or parse failure as a DataError naming the file; our own errors pass through. */
function readError(path: string, error: unknown): Error {
  if (error instanceof DataError || error instanceof ConfigError) return error;
  const code = (error as { code?: unknown } | null)?.code;
  if (code === 'CSV_MAX_RECORD_SIZE') {
    const { records, empty_lines } = error as { records: number; empty_lines: number };
    return new DataError(
      `${path}, row ${records + empty_lines + 1}: expected a line end within ` +
        `${MAX_RECORD_CHARS} characters (16 MiB), found a longer record; is it a CSV file?`,
      { cause: error },
    );
  }
  const reason =
    code === 'ENOENT'
      ? 'no such file'
      : code === 'EISDIR'
        ? 'it is a directory'
        : error instanceof Error
          ? error.message
          : String(error);
  const what =
    typeof code === 'string' && code.startsWith('CSV_') ? 'malformed CSV' : 'cannot read CSV file';
  return new DataError(`${what} ${path}: ${reason}`, { cause: error });
}
