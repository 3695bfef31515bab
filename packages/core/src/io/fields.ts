import { ModelFileError } from '../errors.js';
import { describe, fieldOf } from './describe.js';

/** A path into a JSON document, e.g. ['layers', 1, 'weights'] (printed `layers[1].weights`). */
export type FieldPath = readonly PropertyKey[];

/**
 * Throws the model file's error for a field: `<field>: <message>`.
 * @throws {ModelFileError} always
 */
export function failAt(path: FieldPath, message: string): never {
  throw new ModelFileError(`${fieldOf(path, 'the model file')}: ${message}`);
}

/** `expected <what>, found <value>` at a field. @throws {ModelFileError} always */
export function expectedAt(path: FieldPath, what: string, found: unknown): never {
  return failAt(path, `expected ${what}, found ${describe(found)}`);
}

/** A plain object (not null, not an array), or the error. @throws {ModelFileError} */
export function objectAt(value: unknown, path: FieldPath): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return expectedAt(path, 'an object', value);
  }
  return value as Record<string, unknown>;
}

/** An integer ≥ min. @throws {ModelFileError} `expected a positive integer, found 0` */
export function integerAt(value: unknown, path: FieldPath, min: number): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min) {
    return expectedAt(path, min === 1 ? 'a positive integer' : 'a non-negative integer', value);
  }
  return value;
}

/** A finite number in [min, max) (or [min, max] when `closed`). @throws {ModelFileError} */
export function numberAt(
  value: unknown,
  path: FieldPath,
  min: number,
  max = Infinity,
  closed = false,
): number {
  const ok =
    typeof value === 'number' &&
    Number.isFinite(value) &&
    value >= min &&
    (closed ? value <= max : value < max);
  if (!ok) {
    const range =
      max === Infinity
        ? min === 0
          ? 'a finite number >= 0'
          : `a finite number >= ${min}`
        : `a number in [${min}, ${max}${closed ? ']' : ')'}`;
    return expectedAt(path, range, value);
  }
  return value as number;
}

/** A boolean. @throws {ModelFileError} */
export function booleanAt(value: unknown, path: FieldPath): boolean {
  if (typeof value !== 'boolean') return expectedAt(path, 'true or false', value);
  return value;
}

/** A string. @throws {ModelFileError} `expected a base64 string, found an array of 2` */
export function stringAt(value: unknown, path: FieldPath, what = 'a string'): string {
  if (typeof value !== 'string') return expectedAt(path, what, value);
  return value;
}
