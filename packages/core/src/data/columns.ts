/**
 * How one column of a table (a CSV file or JSON records) becomes model inputs: parsing of
 * numbers, dates and categories, and what counts as a missing value. Browser-safe.
 */

/**
 * One input column and how it is encoded into features.
 * - 'number': one feature, the value itself.
 * - 'date': an ISO 8601 date (2012-01-31, optionally followed by a time, which is ignored) gives
 *   three features: the fractional year (2012.0 for 1 January 2012) for trends, and
 *   sin and cos of 2π·(day of year − 1)/(days in the year) for the season, so that
 *   31 December and 1 January are neighbours.
 * - 'category': one feature per category, one-hot (1 for the row's category, 0 for the rest).
 */
export type InputColumn =
  | { name: string; kind: 'number' }
  | { name: string; kind: 'date' }
  | { name: string; kind: 'category'; categories: string[] };

/**
 * Text that means "no value" (compared after trimming, ignoring case); in JSON records also
 * `null`, an absent key, and NaN.
 */
export const MISSING_MARKERS: readonly string[] = ['', 'NA', 'N/A', 'NaN', 'null', 'None', '?'];

const missingText = new Set(MISSING_MARKERS.map((marker) => marker.toLowerCase()));
/** A decimal number as written in data files: 1, -2.5, .5, 1e-3 (no hex, no Infinity). */
export const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;
/** An ISO 8601 calendar date, optionally followed by a time: 2012-01-31, 2012-01-31T08:00Z. */
export const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})([T ].*)?$/;

/** Why a value could not be encoded: it is missing, or it is not what the column holds. */
export type Problem = { missing: true } | { missing: false; expected: string };

/**
 * True for a missing value: null, undefined, NaN, or a {@link MISSING_MARKERS} text.
 * @throws never
 */
export function isMissing(value: unknown): boolean {
  if (value === null || value === undefined) return true;
  if (typeof value === 'number') return Number.isNaN(value);
  return typeof value === 'string' && missingText.has(value.trim().toLowerCase());
}

/**
 * The finite number a value holds: a finite number, or decimal text (surrounding blanks allowed).
 * @returns the number, or undefined for anything else ("abc", "1,5", "Infinity", true, null)
 * @throws never
 */
export function parseNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  if (!DECIMAL.test(text)) return undefined;
  const number = Number(text);
  return Number.isFinite(number) ? number : undefined;
}

/**
 * The calendar position of an ISO 8601 date (UTC, proleptic Gregorian, years 0000–9999 as
 * written; a time after the date is ignored).
 * @returns `{ year, dayOfYear (1-based), daysInYear (365 or 366) }`, or undefined when the text is
 *   not such a date or names a day that does not exist (2021-02-29)
 * @throws never
 */
export function parseDate(
  value: unknown,
): { year: number; dayOfYear: number; daysInYear: number } | undefined {
  if (typeof value !== 'string') return undefined;
  const match = ISO_DATE.exec(value.trim());
  if (!match) return undefined;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day); // not Date.UTC: it maps years 0–99 to 1900–1999
  if (date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return undefined;
  const start = new Date(0);
  start.setUTCFullYear(year, 0, 1);
  const end = new Date(0);
  end.setUTCFullYear(year + 1, 0, 1);
  const dayOfYear = (date.getTime() - start.getTime()) / 86_400_000 + 1;
  const daysInYear = (end.getTime() - start.getTime()) / 86_400_000;
  return { year, dayOfYear, daysInYear };
}

/**
 * The names of the features a column gives: `name` for a number; `name (year)`,
 * `name (day of year, sin)`, `name (day of year, cos)` for a date; `name=category` per category.
 * @throws never
 */
export function featureNamesOf(column: InputColumn): string[] {
  switch (column.kind) {
    case 'number':
      return [column.name];
    case 'date':
      return ['year', 'day of year, sin', 'day of year, cos'].map(
        (part) => `${column.name} (${part})`,
      );
    case 'category':
      return column.categories.map((category) => `${column.name}=${category}`);
  }
}

/**
 * The category a value names: trimmed text, or a number's decimal text.
 * @returns the text, or undefined for other values (objects, booleans)
 * @throws never
 */
export function categoryOf(value: unknown): string | undefined {
  if (typeof value === 'string') return value.trim();
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}

/**
 * Writes a value's features (see {@link InputColumn}) into `out` from `offset`, as float64.
 * @returns undefined on success, or the problem (missing, or what was expected instead)
 * @throws never
 */
export function encodeValue(
  column: InputColumn,
  value: unknown,
  out: Float64Array,
  offset: number,
): Problem | undefined {
  if (isMissing(value)) return { missing: true };
  switch (column.kind) {
    case 'number': {
      const number = parseNumber(value);
      if (number === undefined) return { missing: false, expected: 'a number' };
      out[offset] = number;
      return undefined;
    }
    case 'date': {
      const date = parseDate(value);
      if (date === undefined) return { missing: false, expected: 'a date like 2012-01-31' };
      const turn = (date.dayOfYear - 1) / date.daysInYear;
      out[offset] = date.year + turn;
      out[offset + 1] = Math.sin(2 * Math.PI * turn);
      out[offset + 2] = Math.cos(2 * Math.PI * turn);
      return undefined;
    }
    case 'category': {
      const index = column.categories.indexOf(categoryOf(value) ?? '\u0000');
      if (index < 0) {
        return { missing: false, expected: `one of ${listed(column.categories)}` };
      }
      out.fill(0, offset, offset + column.categories.length);
      out[offset + index] = 1;
      return undefined;
    }
  }
}

/**
 * A value as messages show it: strings quoted, long text cut at 40 characters.
 * @throws never
 */
export function shown(value: unknown): string {
  if (value === undefined) return 'nothing';
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}

/**
 * Names in a message: `"a", "b", "c"`, or the first eight and how many more.
 * @throws never
 */
export function listed(names: readonly string[]): string {
  const quoted = names.slice(0, 8).map((name) => JSON.stringify(name));
  if (names.length > 8) quoted.push(`… (${names.length} in all)`);
  return quoted.join(', ');
}

/**
 * Sorts labels for a stable order independent of the rows': numerically when every label is a
 * number, else by UTF-16 code units.
 * @throws never
 */
export function sortLabels(labels: Iterable<string>): string[] {
  const list = [...labels];
  const numeric = list.every((label) => parseNumber(label) !== undefined);
  return numeric
    ? list.sort((a, b) => Number(a) - Number(b))
    : list.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}
