// The bench's arithmetic and tables (pure functions, tested by test/bench-stats.test.ts): medians
// with min–max over interleaved rounds, per-round ratios, percentiles of latencies, Markdown.

/**
 * The median of numbers (the mean of the middle two for an even count).
 * @throws {RangeError} for no values
 */
export function median(values) {
  if (values.length === 0) throw new RangeError('median of no values');
  const sorted = [...values].sort((a, b) => a - b);
  const half = sorted.length >> 1;
  return sorted.length % 2 ? sorted[half] : (sorted[half - 1] + sorted[half]) / 2;
}

/** Median, min and max of the rounds' values, and how many rounds. */
export function summary(values) {
  return {
    median: median(values),
    min: Math.min(...values),
    max: Math.max(...values),
    n: values.length,
  };
}

/**
 * The p-th percentile by nearest rank: the smallest value with at least p% of the values at or
 * below it (p50 of 1..100 is 50, p99 is 99).
 * @throws {RangeError} for no values or p outside (0, 100]
 */
export function percentile(values, p) {
  if (values.length === 0 || !(p > 0 && p <= 100)) {
    throw new RangeError(`percentile ${p} of ${values.length} values`);
  }
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.ceil((p / 100) * sorted.length) - 1];
}

/**
 * The ratio a/b of each round (both measured in that round), summarised: so a ratio's spread is
 * that of the rounds, not of two independent medians.
 * @throws {RangeError} when the two lists differ in length
 */
export function ratioSummary(a, b) {
  if (a.length !== b.length) throw new RangeError(`ratio of ${a.length} and ${b.length} rounds`);
  return summary(a.map((value, i) => value / b[i]));
}

/** The element-wise maximum of lists of the same length: "our best" of each round. */
export function best(...lists) {
  return lists[0].map((_, i) => Math.max(...lists.map((list) => list[i])));
}

/** A number with thousands separators and at most `digits` decimals; '—' for none. */
export function formatNumber(value, digits = 0) {
  return value === undefined || value === null || Number.isNaN(value)
    ? '—'
    : value.toLocaleString('en-US', {
        minimumFractionDigits: digits,
        maximumFractionDigits: digits,
      });
}

/** "median (min–max)", each number formatted with `digits` decimals and `unit` appended. */
export function formatSummary(s, digits = 0, unit = '') {
  if (s === undefined) return '—';
  const f = (v) => `${formatNumber(v, digits)}${unit}`;
  return `${f(s.median)} (${f(s.min)}–${f(s.max)})`;
}

/** A Markdown table: a header row, the separator, and the rows (cells are strings). */
export function markdownTable(header, rows) {
  const line = (cells) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

/**
 * FLOP per example of an MLP with these layer widths, counting the products only: inference
 * 2·Σ nˡ⁻¹nˡ; training adds ∂L/∂Wˡ (as many) and ∂L/∂Aˡ⁻¹ for l ≥ 2 (none below the inputs).
 */
export function flopPerExample(layers, training) {
  const products = layers.slice(1).map((n, i) => 2 * n * layers[i]);
  const forward = products.reduce((a, b) => a + b, 0);
  return training ? 3 * forward - products[0] : forward;
}
