import { DataError } from '../errors.js';
import { checkOptionKeys } from '../training/check-data.js';
import { ownValue } from './own-value.js';
import {
  buildTabular,
  TABULAR_OPTION_KEYS,
  type Table,
  type TabularData,
  type TabularOptions,
} from './tabular.js';

/** A record: column name → value (a number, text, or null/absent for a missing value). */
export type JsonRecord = Readonly<Record<string, unknown>>;

/**
 * Fits a data set to records (an array of objects, one per example, as `fetch(…).json()` or a
 * parsed CSV gives them), in a page as in Node: the columns are the keys in the order they first
 * appear; numbers may be JSON numbers or numeric text; null, an absent key, NaN and the
 * missing-value texts are missing. It splits the rows (seeded, stratified), fits the scaling
 * (standard: x′ = (x − μ)/σ, or minmax: x′ = (x − min)/(max − min)) on the training rows only,
 * one-hot encodes the `categorical` columns and a text target (class names sorted), and returns
 * the `preprocessing` that {@link applyPreprocessing} repeats on new records bit for bit. The
 * same path as `loadCsv` and `loadRecords` of @backpropjs/datasets, without their files.
 * Shapes: x [n, n⁰], y [n, nᴸ] (one-hot for classification); rows are named `records[i]`.
 *
 * @param records - the examples
 * @param options - see {@link TabularOptions}; `target` is required
 * @param source - what to call the records in messages. Default 'records'
 * @returns the data set: x, y, train/validation/test parts, featureNames, classNames, preprocessing
 * @throws {ConfigError} for an unknown option, a target or feature that names no key (lists the
 *   keys), a bad fraction or scaling kind.
 * @throws {DataError} for records that are not an array of objects (names the first element that
 *   is not), no records, or a wrong or missing value (names `records[i]` and the column).
 * @example
 * const data = tableFromRecords(
 *   [{ x: 1, label: 'a' }, { x: 2, label: 'b' }, { x: 3, label: 'a' }, { x: 4, label: 'b' }],
 *   { target: 'label', test: 0 });
 * data.classNames; //=> ['a', 'b']
 */
export function tableFromRecords(
  records: readonly JsonRecord[],
  options: TabularOptions = {},
  source = 'records',
): TabularData {
  checkOptionKeys(options, TABULAR_OPTION_KEYS, 'tableFromRecords');
  return buildTabular(recordsTable(records, source), options, 'tableFromRecords');
}

/**
 * Checks records and views them as a table (the columns are the keys, in the order they first
 * appear; values are read as own properties, so `__proto__` is an ordinary column).
 * @param records - what should be an array of plain objects
 * @param source - what to call them in messages
 * @returns the table that {@link buildTabular} reads
 * @throws {DataError} when `records` is not an array of plain objects (names the first element
 *   that is not)
 */
export function recordsTable(records: unknown, source: string): Table {
  if (!Array.isArray(records)) {
    throw new DataError(
      `${source}: expected an array of records (objects), found ${kind(records)}`,
    );
  }
  const header: string[] = [];
  const seen = new Set<string>();
  records.forEach((record: unknown, i) => {
    if (typeof record !== 'object' || record === null || Array.isArray(record)) {
      throw new DataError(`${source}, records[${i}]: expected an object, found ${kind(record)}`);
    }
    for (const key of Object.keys(record)) {
      if (!seen.has(key)) header.push(key);
      seen.add(key);
    }
  });
  const rows = records as JsonRecord[];
  return {
    source,
    header,
    rows: rows.length,
    value: (i, c) => ownValue(rows[i]!, header[c]!),
    locate: (i) => `records[${i}]`,
  };
}

function kind(value: unknown): string {
  if (Array.isArray(value)) return 'an array';
  if (value === null) return 'null';
  return typeof value === 'object' ? 'an object' : `${typeof value} ${JSON.stringify(value)}`;
}
