import { readFile } from 'node:fs/promises';
import {
  buildTabular,
  checkOptionKeys,
  DataError,
  oneLine,
  recordsTable,
  TABULAR_OPTION_KEYS,
  type JsonRecord,
  type TabularData,
  type TabularOptions,
} from '@backpropjs/core';

export type { JsonRecord } from '@backpropjs/core';

/**
 * Loads JSON records (an array of objects, one per example, as vega-datasets ships them) as a
 * split, scaled data set, by the same path as {@link loadCsv} (in a page, use core's
 * `tableFromRecords`, which does the same with records in memory): the columns are the keys, in the
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
