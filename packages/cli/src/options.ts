import { ConfigError } from './api.js';

/** A decimal number as people type it: 0.1, .5, 1e-3, -2 (no hex, no blanks, no Infinity). */
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;
/** A decimal integer: 32, +1, -4. */
const INTEGER = /^[+-]?\d+$/;

/** The value as typed, for messages; quoted when empty or with blanks around it (`" 5"`). */
function echo(text: string): string {
  return text === '' || text.trim() !== text ? JSON.stringify(text) : text;
}

/** What a numeric option accepts: the syntax, the range, and the words for the message. */
export interface NumberRule {
  /** Only decimal integers (no point, no exponent). */
  integer?: boolean;
  /** The least value, and whether it is excluded (> instead of >=). */
  min?: number;
  minExcluded?: boolean;
  /** The greatest value, and whether it is excluded (< instead of <=). */
  max?: number;
  maxExcluded?: boolean;
  /** What is expected, for the message, e.g. 'a finite number >= 0'. */
  expected: string;
}

/**
 * The one number parser of every numeric option and value of the command line (issue 15, item
 * 10): a decimal number as people type it (`0.1`, `.5`, `1e-3`, `-2`; integers without point
 * or exponent), with no hex (`0x10`), no blanks (` 5`), no `Infinity`, then the range check.
 * @param option - the flag or key, e.g. '--l2', named in the error
 * @param text - the argument as typed
 * @returns the number
 * @throws {ConfigError} e.g. `--l2 must be a finite number >= 0; received 0x10`
 */
export function parseNumber(option: string, text: string, rule: NumberRule): number {
  const value = Number(text);
  const { min, max } = rule;
  const valid =
    (rule.integer ? INTEGER : DECIMAL).test(text) &&
    (rule.integer ? Number.isSafeInteger(value) : Number.isFinite(value)) &&
    (min === undefined || (rule.minExcluded ? value > min : value >= min)) &&
    (max === undefined || (rule.maxExcluded ? value < max : value <= max));
  if (!valid) throw new ConfigError(`${option} must be ${rule.expected}; received ${echo(text)}`);
  return value;
}

/**
 * A commander argument parser for a finite number > 0 (see {@link parseNumber}).
 * @param option - the flag, e.g. '--learning-rate', named in the error
 * @throws {ConfigError} e.g. `--learning-rate must be a finite number > 0; received abc`
 */
export function positiveNumber(option: string): (text: string) => number {
  const rule = { min: 0, minExcluded: true, expected: 'a finite number > 0' };
  return (text) => parseNumber(option, text, rule);
}

/**
 * A commander argument parser for a finite number >= 0, e.g. a penalty λ (see {@link parseNumber}).
 * @throws {ConfigError} e.g. `--l1 must be a finite number >= 0; received 0x10`
 */
export function nonNegative(option: string): (text: string) => number {
  const rule = { min: 0, expected: 'a finite number >= 0' };
  return (text) => parseNumber(option, text, rule);
}

/**
 * A commander argument parser for an integer in [min, max] (see {@link parseNumber}).
 * @throws {ConfigError} e.g. `--batch-size must be an integer >= 1; received 0`
 */
export function integer(option: string, min: number, max?: number): (text: string) => number {
  const range = max === undefined ? `>= ${min}` : `from ${min} to ${max}`;
  const rule = { integer: true, min, max, expected: `an integer ${range}` };
  return (text) => parseNumber(option, text, rule);
}

/**
 * A commander argument parser for a fraction in [0, 1), e.g. a test split (see
 * {@link parseNumber}).
 * @throws {ConfigError} e.g. `--test-split must be a fraction from 0 up to (not including) 1; received 1`
 */
export function fraction(option: string): (text: string) => number {
  const rule = {
    min: 0,
    max: 1,
    maxExcluded: true,
    expected: 'a fraction from 0 up to (not including) 1',
  };
  return (text) => parseNumber(option, text, rule);
}

/**
 * A commander argument parser for one of a list of names.
 * @throws {ConfigError} listing the valid names, e.g.
 *   `--loss must be one of mse, crossEntropy, binaryCrossEntropy; received foo`
 */
export function oneOf<T extends string>(option: string, names: readonly T[]): (text: string) => T {
  return (text) => {
    if (!names.includes(text as T)) {
      throw new ConfigError(`${option} must be one of ${names.join(', ')}; received ${echo(text)}`);
    }
    return text as T;
  };
}

/**
 * A commander argument parser for layer sizes n⁰,n¹,…,nᴸ, e.g. '784,128,10' → [784, 128, 10].
 * @throws {ConfigError} unless it is a comma list of at least two integers >= 1.
 */
export function layerSizes(option: string): (text: string) => number[] {
  return (text) => {
    const parts = text.split(',').map((part) => part.trim());
    const sizes = parts.map(Number);
    if (parts.length < 2 || !parts.every((part) => INTEGER.test(part) && Number(part) >= 1)) {
      throw new ConfigError(
        `${option} must be a comma-separated list of at least two integers >= 1, ` +
          `e.g. 784,128,10; received ${echo(text)}`,
      );
    }
    return sizes;
  };
}

/**
 * A commander `outputError` that prints commander's own error (an unknown command or option, a
 * missing value) as one line that points to the help, e.g.
 * `error: unknown command 'trian' (Did you mean train?); see backprop --help`.
 * @param help - the command that shows the help, e.g. 'backprop train --help'
 * @throws never
 */
export function pointToHelp(help: string): (text: string, write: (text: string) => void) => void {
  return (text, write) => {
    const line = text
      .trim()
      .replace(/\s*\n\s*/g, ' ')
      .replace(/\.$/, '');
    write(`${line}; see ${help}\n`);
  };
}
