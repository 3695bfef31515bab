import type { Matrix } from '../tensor/matrix.js';
import { isLarge, SUMMARY_CORNER, summarise } from './summary.js';

/**
 * Formats a group of numbers (one matrix or vector) alike, so that a column of them lines up:
 * fixed-point with as many decimals as give the smallest non-zero magnitude `digits`
 * significant digits (0.7211, -0.09457, 1.6000 → 1.6000), or, when the magnitudes span more
 * than four orders or leave [1e-4, 1e6), scientific with `digits` significant digits
 * (-7.358e-3). Zero prints as 0; NaN and ±Infinity as JavaScript writes them.
 * @param digits - significant digits, an integer from 1 to 17
 * @returns one string per value, in order
 * @throws never
 */
export function formatNumbers(values: ArrayLike<number>, digits: number): string[] {
  const list = Array.from(values);
  const magnitudes = list.filter((v) => Number.isFinite(v) && v !== 0).map(Math.abs);
  if (magnitudes.length === 0) return list.map((v) => (v === 0 ? '0' : String(v)));
  const highest = Math.floor(Math.log10(Math.max(...magnitudes)));
  const lowest = Math.floor(Math.log10(Math.min(...magnitudes)));
  const scientific = highest >= 6 || lowest < -4 || highest - lowest > 4;
  const decimals = Math.min(17, Math.max(0, digits - 1 - lowest));
  return list.map((v) => {
    if (!Number.isFinite(v)) return String(v);
    if (v === 0) return '0';
    return scientific ? v.toExponential(digits - 1) : v.toFixed(decimals);
  });
}

/** One number as {@link formatNumbers} writes it on its own. */
export function formatNumber(value: number, digits: number): string {
  return formatNumbers([value], digits)[0]!;
}

/**
 * A line that describes a summarised matrix: its shape, what is shown, its norm and range, and
 * its largest entries with 1-based indices, e.g. `W¹: 128×784, the first 5 rows and columns
 * shown; ‖W¹‖ = 9.532, from -0.2891 to 0.3102; largest: [12,403] 0.3102, …`. Vectors (one row
 * or one column) give one index per entry.
 * @param name - the matrix's name as printed, e.g. 'W¹' or 'W^{1}'
 * @param norm - how to write ‖name‖
 * @returns the line, or undefined when the matrix is small enough to print whole
 * @throws never
 */
export function summaryLine(
  name: string,
  matrix: Matrix,
  digits: number,
  norm: (name: string) => string = (n) => `‖${n}‖`,
): string | undefined {
  if (!isLarge(matrix.rows, matrix.cols)) return undefined;
  const summary = summarise(matrix);
  const vector = matrix.rows === 1 || matrix.cols === 1;
  const shape = vector ? `${matrix.data.length} entries` : `${matrix.rows}×${matrix.cols}`;
  const shown = vector
    ? `the first ${SUMMARY_CORNER} shown`
    : `the first ${SUMMARY_CORNER} rows and columns shown`;
  const [low, high, length] = formatNumbers([summary.min, summary.max, summary.norm], digits);
  const largest = formatNumbers(
    summary.largest.map((entry) => entry.value),
    digits,
  ).map((value, i) => {
    const { row, col } = summary.largest[i]!;
    const index = vector ? `${row + col + 1}` : `${row + 1},${col + 1}`;
    return `[${index}] ${value}`;
  });
  return (
    `${name}: ${shape}, ${shown}; ${norm(name)} = ${length}, from ${low} to ${high}; ` +
    `largest: ${largest.join(', ')}`
  );
}
