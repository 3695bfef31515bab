import { ConfigError, DataError } from '../errors.js';
import { Matrix } from '../tensor/matrix.js';
import { Random } from '../tensor/random.js';
import type { Dataset } from './dataset.js';

/** Options of {@link splitIndices}. */
export interface SplitOptions {
  /** Fraction of the rows held out for testing, in [0, 1). Default 0.2. */
  test?: number;
  /** Fraction of the rows held out for validation, in [0, 1); test + validation < 1. Default 0. */
  validation?: number;
  /** Seed of the shuffle, an integer in [0, 2^32). Default 1. */
  seed?: number;
  /**
   * Class index per row (length n): split each class in the same proportions (stratified).
   * Omit for a plain shuffled split (regression).
   */
  stratify?: ArrayLike<number>;
}

/** Row indices of the three parts of a split; together they are 0..n−1 once. */
export interface SplitIndices {
  /**
   * In a seeded random order, classes mixed, so that any tail of it (e.g. Keras-style
   * `validation_split`, which takes the last rows) is a random sample, not the last class.
   */
  train: Uint32Array;
  /** Ascending. */
  validation: Uint32Array;
  /** Ascending. */
  test: Uint32Array;
}

/**
 * Splits the row indices 0..n−1 into train, validation and test parts by a seeded shuffle.
 *
 * Sizes: test gets round(n·test) rows and validation round(n·validation); the rest train.
 * Stratified (with `stratify`), each class c of m_c rows gives m_c·test rows to the test part,
 * rounded so that the class quotas sum to round(n·test) (largest remainders first, ties to the
 * lower class index), and likewise for validation, so every part keeps the class proportions
 * to within one row per class. The same seed, n and labels give the same split on every platform.
 *
 * @param n - number of rows; integer ≥ 1
 * @returns the indices of each part: train shuffled, validation and test ascending
 * @throws {ConfigError} when a fraction is outside [0, 1), test + validation ≥ 1, the seed is
 *   not an integer in [0, 2^32), or the split would leave no training rows (names the counts).
 * @throws {DataError} when `stratify` does not have n entries.
 * @example
 * const { train, test } = splitIndices(10, { test: 0.2, seed: 1 });
 * [train.length, test.length]; //=> [8, 2]
 */
export function splitIndices(n: number, options: SplitOptions = {}): SplitIndices {
  const test = checkFraction(options.test ?? 0.2, 'test');
  const validation = checkFraction(options.validation ?? 0, 'validation');
  if (test + validation >= 1) {
    throw new ConfigError(
      `test + validation must be less than 1 to leave rows for training; received ` +
        `test ${test} + validation ${validation} = ${test + validation}`,
    );
  }
  const random = new Random(options.seed ?? 1);
  const groups = options.stratify ? groupByClass(n, options.stratify) : [range(n)];
  const testQuota = quotas(
    groups.map((group) => group.length),
    test,
    Math.round(n * test),
  );
  const validationQuota = quotas(
    groups.map((group, c) => group.length - testQuota[c]!),
    validation / (1 - test),
    Math.round(n * validation),
  );
  const parts: Record<keyof SplitIndices, number[]> = { train: [], validation: [], test: [] };
  groups.forEach((group, c) => {
    random.shuffle(group);
    const t = testQuota[c]!;
    const v = validationQuota[c]!;
    parts.test.push(...group.slice(0, t));
    parts.validation.push(...group.slice(t, t + v));
    parts.train.push(...group.slice(t + v));
  });
  if (parts.train.length === 0) {
    throw new ConfigError(
      `the split leaves no training rows: ${n} rows, ${parts.test.length} for test ` +
        `(test ${test}), ${parts.validation.length} for validation (validation ${validation})`,
    );
  }
  const sorted = (part: number[]) => Uint32Array.from(part).sort();
  const train = sorted(parts.train);
  random.shuffle(train);
  return {
    train,
    validation: sorted(parts.validation),
    test: sorted(parts.test),
  };
}

/**
 * The rows `indices` of a data set, in that order, as a new data set (copies).
 * Shapes: x [n, inputs] → [k, inputs], y [n, outputs] → [k, outputs], labels [n] → [k].
 * @throws never for indices in [0, n)
 */
export function takeRows(dataset: Dataset, indices: ArrayLike<number>): Dataset {
  const part: Dataset = { x: gather(dataset.x, indices), y: gather(dataset.y, indices) };
  if (dataset.labels) part.labels = Uint8Array.from(indices, (i) => dataset.labels![i]!);
  return part;
}

/** Rows `indices` of m, copied into a new matrix of m's dtype. */
function gather(m: Matrix, indices: ArrayLike<number>): Matrix {
  const out = new Matrix(indices.length, m.cols, m.dtype);
  for (let r = 0; r < indices.length; r++) {
    const from = indices[r]! * m.cols;
    out.data.set(m.data.subarray(from, from + m.cols), r * m.cols);
  }
  return out;
}

/** 0..n−1. */
function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}

/** The row indices of each class, classes in index order (empty classes kept, as empty). */
function groupByClass(n: number, labels: ArrayLike<number>): number[][] {
  if (labels.length !== n) {
    throw new DataError(
      `stratify must have one class index per row (${n}); received ${labels.length}`,
    );
  }
  const groups: number[][] = [];
  for (let i = 0; i < n; i++) {
    const label = labels[i]!;
    while (groups.length <= label) groups.push([]);
    groups[label]!.push(i);
  }
  return groups;
}

/**
 * Integer quotas q_c ≤ counts[c] with Σq_c = total (capped by Σcounts), each near counts[c]·fraction:
 * floors first, then one more to the largest remainders (ties to the lower index).
 */
function quotas(counts: readonly number[], fraction: number, total: number): number[] {
  const exact = counts.map((count) => count * fraction);
  const result = exact.map(Math.floor);
  let remaining =
    Math.min(
      total,
      counts.reduce((a, b) => a + b, 0),
    ) - sum(result);
  const order = exact
    .map((value, c) => ({ c, remainder: value - Math.floor(value) }))
    .sort((a, b) => b.remainder - a.remainder || a.c - b.c);
  while (remaining > 0) {
    let given = false;
    for (const { c } of order) {
      if (remaining === 0) break;
      if (result[c]! < counts[c]!) {
        result[c] = result[c]! + 1;
        remaining--;
        given = true;
      }
    }
    if (!given) break;
  }
  return result;
}

function sum(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0);
}

/**
 * Checks a split fraction.
 * @throws {ConfigError} unless it is a number in [0, 1) (echoes the option and the value).
 */
export function checkFraction(value: unknown, option: string): number {
  if (typeof value !== 'number' || !(value >= 0 && value < 1)) {
    throw new ConfigError(`${option} must be a fraction in [0, 1); received ${String(value)}`);
  }
  return value;
}
