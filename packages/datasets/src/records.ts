import { oneLine } from '@backpropjs/core';
import { ownValue } from '@backpropjs/core';
import { readFile } from 'node:fs/promises';
import { DataError } from '@backpropjs/core';
import { checkOptionKeys } from '@backpropjs/core';
import {
  buildTabular,
  TABULAR_OPTION_KEYS,
  type TabularData,
  type TabularOptions,
} from '@backpropjs/core';

/** A JSON record: column name → value (number, text, or null for a missing value). */
export type JsonRecord = Readonly<Record<string, unknown>>;

/**
 * Loads JSON records (an array of objects, one per example, as vega-datasets ships them) as a
 * split, scaled data set, by the same path as {@link loadCsv}: the columns are the keys, in the
 * order they first appear; null, an absent key, NaN and the missing-value texts are missing.
 * Numbers may be JSON numbers or text. Rows are named `records[i]` (0-based, as in JSON).
 *
 * @param input - the records, or the path of a JSON file holding such an array
 * @param options - see {@link TabularOptions}; `target` is required
 * @param source - what to call the records in messages. Default: the path, or 'records'
 * @returns the data set, as {@link loadCsv} returns it
 * @throws {ConfigError} as loadCsv does (options, target, features).
 * @throws {DataError} for a file that cannot be read or is not JSON, JSON that is not an array
 *   of objects (names the first element that is not), no records, or a bad or missing value
 *   (names the source, `records[i]` and the column).
 * @example
 * const data = await loadRecords([{ a: 1, label: 'x' }, { a: 2, label: 'y' }], { target: 'label', test: 0 });
 * data.classNames; //=> ['x', 'y']
 */
export async function loadRecords(
  input: readonly JsonRecord[] | string,
  options: TabularOptions = {},
  source?: string,
): Promise<TabularData> {
  checkOptionKeys(options, TABULAR_OPTION_KEYS, 'loadRecords');
  const name = source ?? (typeof input === 'string' ? input : 'records');
  const records = typeof input === 'string' ? await readJson(input) : input;
  return buildTabular(recordsTable(records, name), options, 'loadRecords');
}

/**
 * Checks records and views them as a table.
 * @throws {DataError} when `records` is not an array of plain objects.
 */
export function recordsTable(records: unknown, source: string) {
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
    value: (i: number, c: number) => ownValue(rows[i]!, header[c]!),
    locate: (i: number) => `records[${i}]`,
  };
}

/** @throws {DataError} naming the path when it cannot be read or is not JSON. */
async function readJson(path: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    throw new DataError(
      `cannot read JSON file ${path}: ${code === 'ENOENT' ? 'no such file' : String(code ?? error)}`,
      { cause: error },
    );
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new DataError(
      `${path}: expected JSON records, found text that is not JSON (${oneLine((error as Error).message)})`,
      {
        cause: error,
      },
    );
  }
}

function kind(value: unknown): string {
  if (Array.isArray(value)) return 'an array';
  if (value === null) return 'null';
  return typeof value === 'object' ? 'an object' : `${typeof value} ${JSON.stringify(value)}`;
}
