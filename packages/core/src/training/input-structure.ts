import { DataError, ShapeError } from '../errors.js';

/**
 * A value as an error message shows it, whatever it is (JSON.stringify throws on a BigInt):
 * strings quoted and cut to 40 characters, BigInts as `3n`, arrays by their length.
 * @throws never
 */
export function describeValue(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
    case 'bigint':
      return `the BigInt ${value}n`;
    case 'function':
    case 'symbol':
      return `a ${typeof value}`;
    case 'object':
      if (value === null) return 'null';
      if (Array.isArray(value)) return `an array of ${value.length}`;
      return ArrayBuffer.isView(value) ? `a ${value.constructor.name}` : 'an object';
    default:
      return String(value);
  }
}

/**
 * Explains why a value given as number[][] is not one: called when converting it failed, to
 * replace the converter's message by one that says what was given instead. Finds a string,
 * null, undefined or other non-array where the rows should be, a flat array of numbers (one
 * example written without its brackets), a row that is not an array, or a BigInt element.
 * Returns without throwing when it finds none of these (a ragged row, a string element): the
 * converter's own message says it.
 * @param name - what to call the value, e.g. 'x' or 'validationData[1]'
 * @throws {ShapeError} for a flat array of numbers, suggesting `[[1, 0]]`.
 * @throws {DataError} for the other cases, naming the argument or `name[i]` and what was found.
 */
export function explainBadRows(value: unknown, name: string): void {
  const expected = 'expected number[][] (one array of numbers per example) or a Matrix';
  if (typeof value === 'string') {
    throw new DataError(
      `${name} is a string (${describeValue(value)}); ${expected}: parse the text first, ` +
        'e.g. with JSON.parse',
    );
  }
  if (!Array.isArray(value)) {
    throw new DataError(`${name} is ${describeValue(value)}; ${expected}`);
  }
  const rows: readonly unknown[] = value;
  if (rows.length > 0 && rows.every((row) => typeof row === 'number')) {
    const shown = rows.length <= 8 ? rows.join(', ') : `${rows.slice(0, 8).join(', ')}, …`;
    throw new ShapeError(
      `${name} must have one row per example; received a flat array of ${rows.length} numbers: ` +
        `for one example write [[${shown}]]`,
    );
  }
  rows.forEach((row, i) => {
    if (typeof row === 'string') {
      throw new DataError(
        `${name}[${i}] is a string (${describeValue(row)}); expected an array of numbers: ` +
          'parse the text first, e.g. with JSON.parse',
      );
    }
    if (!Array.isArray(row)) {
      throw new DataError(`${name}[${i}] is ${describeValue(row)}; expected an array of numbers`);
    }
    const j = (row as readonly unknown[]).findIndex((v) => typeof v === 'bigint');
    if (j >= 0) {
      throw new DataError(
        `${name}: row ${i}, column ${j}: expected a number, got ${describeValue(row[j])}; ` +
          'convert it with Number()',
      );
    }
  });
}
