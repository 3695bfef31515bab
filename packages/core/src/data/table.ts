/**
 * A table as the loaders read it (CSV rows or JSON records), and what its columns hold: the
 * task a target implies, each feature column's encoding, the classes of a classifier.
 */
import { DataError } from '../errors.js';
import {
  categoryOf,
  isMissing,
  listed,
  parseDate,
  parseNumber,
  sortLabels,
  type InputColumn,
} from './columns.js';
import type { Task } from './preprocess.js';

/** A table as the loaders read it. */
export interface Table {
  /** The file or name, for messages. */
  source: string;
  /** Column names, in order. */
  header: string[];
  /** Number of data rows. */
  rows: number;
  /** The raw value of data row i, column c. */
  value: (i: number, c: number) => unknown;
  /** Row i as messages name it, e.g. `row 5 (header = row 1)` or `records[3]`. */
  locate: (i: number) => string;
}

/** Largest number of classes: labels are stored as bytes. */
const MAX_CLASSES = 256;

/** Classification when the single target holds a value that is neither missing nor a number. */
export function inferTask(table: Table, targets: readonly number[]): Task {
  if (targets.length !== 1) return 'regression';
  for (let i = 0; i < table.rows; i++) {
    const value = table.value(i, targets[0]!);
    if (!isMissing(value) && parseNumber(value) === undefined) return 'classification';
  }
  return 'regression';
}

/** A feature column's encoding: categorical if asked, a date if its first value is one, else a number. */
export function describeColumn(table: Table, c: number, categorical: boolean): InputColumn {
  const name = table.header[c]!;
  if (categorical) return { name, kind: 'category', categories: distinct(table, c) };
  for (let i = 0; i < table.rows; i++) {
    const value = table.value(i, c);
    if (isMissing(value)) continue;
    return parseNumber(value) === undefined && parseDate(value) !== undefined
      ? { name, kind: 'date' }
      : { name, kind: 'number' };
  }
  return { name, kind: 'number' };
}

/** The sorted distinct non-missing values of a column, as text. */
export function distinct(table: Table, c: number): string[] {
  const seen = new Set<string>();
  for (let i = 0; i < table.rows; i++) {
    const value = table.value(i, c);
    if (isMissing(value)) continue;
    const category = categoryOf(value);
    if (category === undefined) {
      throw new DataError(
        `${table.source}, ${table.locate(i)}, column ${JSON.stringify(table.header[c])}: ` +
          `expected a text label, found ${JSON.stringify(value)}`,
      );
    }
    seen.add(category);
  }
  return sortLabels(seen);
}

/** A column's categories, none unless it is categorical. */
export function categoriesOf(column: InputColumn): string[] {
  return column.kind === 'category' ? column.categories : [];
}

/** @throws {DataError} for fewer than 2 or more than 256 classes. */
export function checkClasses(classNames: readonly string[], source: string, target: string): void {
  if (classNames.length < 2) {
    throw new DataError(
      `${source}: the target column ${JSON.stringify(target)} holds ${classNames.length} ` +
        `class${classNames.length === 1 ? ` (${listed(classNames)})` : 'es'}; a classifier needs at least 2`,
    );
  }
  if (classNames.length > MAX_CLASSES) {
    throw new DataError(
      `${source}: the target column ${JSON.stringify(target)} holds ${classNames.length} ` +
        `distinct values; at most ${MAX_CLASSES} classes are supported (for numbers, use task: 'regression')`,
    );
  }
}
