import type { Matrix } from '../tensor/matrix.js';

/** A matrix with more rows or columns than this is summarised unless `full` is asked for. */
export const SUMMARY_LIMIT = 10;
/** How many leading rows and columns a summary shows. */
export const SUMMARY_CORNER = 5;
/** How many of the largest entries (by magnitude) a summary lists. */
export const SUMMARY_LARGEST = 5;

/** One entry of a matrix, 0-based. */
export interface Entry {
  row: number;
  col: number;
  value: number;
}

/** What a summary of a large matrix says about it. */
export interface MatrixSummary {
  rows: number;
  cols: number;
  /** The Frobenius norm, √(Σ entry²) (the Euclidean norm for a vector). */
  norm: number;
  min: number;
  max: number;
  /** The {@link SUMMARY_LARGEST} entries of largest magnitude, largest first. */
  largest: Entry[];
}

/**
 * True when a [rows, cols] matrix is too big to print whole.
 * @throws never
 */
export function isLarge(rows: number, cols: number): boolean {
  return rows > SUMMARY_LIMIT || cols > SUMMARY_LIMIT;
}

/**
 * The indices 0..n−1 a display shows along one dimension: all of them, or the first
 * {@link SUMMARY_CORNER} when the matrix is summarised.
 * @throws never
 */
export function shownIndices(n: number, summarised: boolean): number[] {
  const count = summarised && n > SUMMARY_LIMIT ? SUMMARY_CORNER : n;
  return Array.from({ length: count }, (_, i) => i);
}

/**
 * Shape, norm, range and largest entries of a matrix.
 * @throws never
 */
export function summarise(matrix: Matrix): MatrixSummary {
  const values = matrix.data;
  let squares = 0;
  let min = Infinity;
  let max = -Infinity;
  for (const value of values) {
    squares += value * value;
    if (value < min) min = value;
    if (value > max) max = value;
  }
  return {
    rows: matrix.rows,
    cols: matrix.cols,
    norm: Math.sqrt(squares),
    min,
    max,
    largest: largestEntries(matrix, SUMMARY_LARGEST),
  };
}

/**
 * The `count` entries of largest magnitude, largest first (ties: the earlier entry first).
 * @throws never
 */
export function largestEntries(matrix: Matrix, count: number): Entry[] {
  const values = matrix.data;
  const best: number[] = [];
  for (let i = 0; i < values.length; i++) {
    const magnitude = Math.abs(values[i]!);
    if (best.length === count && magnitude <= Math.abs(values[best[count - 1]!]!)) continue;
    let at = best.length;
    while (at > 0 && Math.abs(values[best[at - 1]!]!) < magnitude) at--;
    best.splice(at, 0, i);
    if (best.length > count) best.pop();
  }
  return best.map((i) => ({
    row: Math.floor(i / matrix.cols),
    col: i % matrix.cols,
    value: values[i]!,
  }));
}
