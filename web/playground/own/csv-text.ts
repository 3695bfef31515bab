import { parse } from 'csv-parse/browser/esm/sync';
import { DataError } from '../../../packages/core/src/browser.js';
// The library's own readers of a cell, so that a column is text here exactly when it is there.
import { isMissing, parseDate, parseNumber } from '../../../packages/core/src/data/columns.js';

/** A CSV file read in the page: its header and one record per data row. */
export interface CsvText {
  /** The file's name, for messages and the exported code. */
  source: string;
  /** The column names, trimmed, in order. */
  header: string[];
  /** The data rows as records by column name (objects without prototype), values as text. */
  records: Record<string, string>[];
}

/**
 * Reads a CSV file's text in the page as `loadCsv` of @backpropjs/datasets reads the file in
 * Node, with the same csv-parse options (browser ESM build): a byte order mark, CRLF or LF,
 * quoted fields and blank lines handled; the header names trimmed. The records then go to the
 * library's `tableFromRecords`, so that a page and `loadCsv` build the same data set.
 * @param text - the file's contents
 * @param source - the file's name
 * @throws {DataError} naming the file (and the row, as a spreadsheet counts them) for an empty
 *   file, a header without data rows, an unnamed or duplicated column, a ragged row, or a
 *   malformed quote
 */
export function parseCsvText(text: string, source: string): CsvText {
  let rows: { record: string[]; info: { records: number; empty_lines: number } }[];
  try {
    rows = parse(text, {
      bom: true,
      info: true,
      record_delimiter: recordDelimiter(text),
      relax_column_count: true,
      skip_empty_lines: true,
    }) as unknown as typeof rows;
  } catch (error) {
    throw new DataError(`${source}: ${error instanceof Error ? error.message : String(error)}`, {
      cause: error,
    });
  }
  const row = (i: number) => rows[i]!.info.records + rows[i]!.info.empty_lines;
  if (rows.length === 0) {
    throw new DataError(`${source}: the file is empty; expected a header row, then data rows`);
  }
  const header = rows[0]!.record.map((name) => name.trim());
  const seen = new Set<string>(); // not header.indexOf: 40 000 columns took 1.9 s, now 0.1 s
  header.forEach((name, c) => {
    if (name === '') throw new DataError(`${source}, row ${row(0)}: column ${c + 1} has no name`);
    if (seen.has(name)) {
      throw new DataError(
        `${source}, row ${row(0)}: two columns are named ${JSON.stringify(name)}`,
      );
    }
    seen.add(name);
  });
  if (rows.length === 1) throw new DataError(`${source}: a header row and no data rows`);
  const records = rows.slice(1).map(({ record }, i) => {
    if (record.length !== header.length) {
      throw new DataError(
        `${source}, row ${row(i + 1)}: expected ${header.length} fields like the header, found ${record.length}`,
      );
    }
    const named = Object.create(null) as Record<string, string>;
    header.forEach((name, c) => (named[name] = record[c]!));
    return named;
  });
  return { source, header, records };
}

/**
 * The record delimiter csv-parse discovers: the first line break outside quotes (\r\n, \n or
 * \r), '\n' when there is none (the same records then). Given up front, it spares the
 * discovery, which tests every character of the first line (a 10 MB header row: 10–17 s, measured in Node 20).
 */
function recordDelimiter(text: string): string {
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 34)
      quoted = !quoted; // '"'
    else if (quoted || (c !== 10 && c !== 13)) continue;
    else if (c === 10) return '\n';
    else return text.charCodeAt(i + 1) === 10 ? '\r\n' : '\r';
  }
  return '\n';
}

/**
 * The columns holding text that is neither a number, an ISO date (2012-01-31) nor a missing
 * marker, as the library reads them (0x10, Infinity, 1_000 and 2012-13-45 are text): the ones
 * to one-hot encode (`categorical`), since the library reads every other input column as
 * numbers or dates.
 * @throws never
 */
export function textColumns(csv: CsvText): string[] {
  return csv.header.filter((name) =>
    csv.records.some((record) => {
      const value = record[name]!;
      return !isMissing(value) && parseNumber(value) === undefined && !parseDate(value);
    }),
  );
}
