import { ConfigError } from '../errors.js';
import type { Matrix } from '../tensor/matrix.js';
import { ConfusionMatrix } from './confusion-matrix.js';

export { ConfusionMatrix, type ClassScores } from './confusion-matrix.js';

/**
 * Counts the rows whose predicted class equals the target's: the index of the largest output
 * (argmax) for several outputs, or the side of 0.5 for a single output (binary).
 * @param a - predictions [B, outputs]
 * @param y - targets [B, outputs], one-hot (or 0/1 for one output)
 * @returns the number of correct rows, an integer in [0, B]
 * @throws never (shapes are trusted: a and y must both be [B, outputs])
 */
export function countCorrect(a: Matrix, y: Matrix): number {
  const n = a.cols;
  const A = a.data;
  const Y = y.data;
  let correct = 0;
  for (let i = 0; i < a.rows; i++) {
    const row = i * n;
    if (n === 1) {
      if (A[row]! >= 0.5 === Y[row]! >= 0.5) correct++;
      continue;
    }
    let predicted = 0;
    let expected = 0;
    for (let j = 1; j < n; j++) {
      if (A[row + j]! > A[row + predicted]!) predicted = j;
      if (Y[row + j]! > Y[row + expected]!) expected = j;
    }
    if (predicted === expected) correct++;
  }
  return correct;
}

/**
 * The metrics `fit` and `evaluate` can report, by name (each is also its key in the logs):
 * - `accuracy`: fraction of rows whose argmax (or side of 0.5, one output) matches the target's;
 * - `topKAccuracy` for a number K, e.g. `top5Accuracy`: the target class is among the K
 *   largest outputs (fewer than K outputs are strictly larger than the target's);
 * - `mse`: mean over every element of (a − y)², and `mae`: of |a − y| (Keras's and
 *   scikit-learn's metrics; the `mse` loss is ½Σ(y − a)² per example, summed over outputs);
 * - `r2`: the coefficient of determination 1 − Σ(y − a)² / Σ(y − ȳ)² per output, averaged over
 *   the outputs (scikit-learn's `r2_score`, uniform average; an output with constant targets
 *   counts 1 when predicted exactly, else 0);
 * - `precision`, `recall`, `f1`: macro averages over the classes that occur in the targets or
 *   the predictions (scikit-learn's `average='macro'`; 0 where a ratio is 0/0).
 */
export type MetricName =
  'accuracy' | `top${number}Accuracy` | 'mse' | 'mae' | 'r2' | 'precision' | 'recall' | 'f1';

/** The metric names other than the top-K family, for messages. */
const FIXED_METRICS = ['accuracy', 'mse', 'mae', 'r2', 'precision', 'recall', 'f1'];

/**
 * A metric computed over batches: `update` with each batch's predictions and targets, then
 * `result` gives the value over every row seen (not a mean of batch values).
 */
export interface MetricAccumulator {
  /** The metric's name and log key, e.g. 'top5Accuracy'. */
  readonly name: MetricName;
  /** Forgets every row seen. */
  reset(): void;
  /** Adds a batch: predictions a and targets y, both [B, outputs]. */
  update(a: Matrix, y: Matrix): void;
  /** The value over every row seen so far (NaN before any row). */
  result(): number;
  /** The sums behind the result, as numbers (for checkpoints). */
  getState(): number[];
  /** Restores {@link MetricAccumulator.getState}'s numbers. */
  setState(state: readonly number[]): void;
}

/**
 * Checks a list of metric names.
 * @throws {ConfigError} when it is not an array of known names, e.g. `metrics: unknown metric
 *   "acc"; expected accuracy, mse, mae, r2, precision, recall, f1 or topKAccuracy (e.g.
 *   top5Accuracy)`.
 */
export function checkMetrics(value: unknown, option = 'metrics'): MetricName[] {
  if (!Array.isArray(value)) {
    throw new ConfigError(`${option} must be an array of metric names; received ${String(value)}`);
  }
  for (const name of value) {
    if (!FIXED_METRICS.includes(name) && topK(name) === undefined) {
      throw new ConfigError(
        `${option}: unknown metric ${JSON.stringify(name)}; expected ${FIXED_METRICS.join(', ')} ` +
          'or topKAccuracy (e.g. top5Accuracy)',
      );
    }
  }
  return [...new Set(value as MetricName[])];
}

/** K of a `topKAccuracy` name, or undefined. */
function topK(name: unknown): number | undefined {
  const match = typeof name === 'string' ? /^top([1-9]\d*)Accuracy$/.exec(name) : null;
  return match ? Number(match[1]) : undefined;
}

/**
 * A fresh accumulator for a metric (names as checked by {@link checkMetrics}).
 * @param outputs - nᴸ, the width of predictions and targets
 * @throws {ConfigError} for an unknown name.
 */
export function createMetric(name: MetricName, outputs: number): MetricAccumulator {
  const k = topK(name);
  if (k !== undefined) return new CountMetric(name, (a, y) => countTopK(a, y, k));
  switch (name) {
    case 'accuracy':
      return new CountMetric(name, countCorrect);
    case 'mse':
      return new MeanMetric(name, (d) => d * d);
    case 'mae':
      return new MeanMetric(name, Math.abs);
    case 'r2':
      return new R2Metric(outputs);
    case 'precision':
    case 'recall':
    case 'f1':
      return new ConfusionMetric(name, outputs);
    default:
      checkMetrics([name]);
      throw new ConfigError(`unknown metric ${JSON.stringify(name)}`);
  }
}

/**
 * The rows whose target class (argmax of y) is among the k largest outputs: fewer than k
 * outputs are strictly larger than the output at the target class.
 * @throws never (a and y are trusted to be [B, outputs])
 */
export function countTopK(a: Matrix, y: Matrix, k: number): number {
  const n = a.cols;
  const A = a.data;
  const Y = y.data;
  let correct = 0;
  for (let i = 0; i < a.rows; i++) {
    const row = i * n;
    let target = 0;
    for (let j = 1; j < n; j++) if (Y[row + j]! > Y[row + target]!) target = j;
    let larger = 0;
    for (let j = 0; j < n; j++) if (A[row + j]! > A[row + target]!) larger++;
    if (larger < k) correct++;
  }
  return correct;
}

/**
 * A running ratio of two sums, with the state a checkpoint saves: accuracy is correct rows /
 * rows, MSE and MAE are Σ f(a − y) / elements.
 */
abstract class RatioMetric implements MetricAccumulator {
  readonly name: MetricName;
  /** Running numerator and denominator. */
  protected sum = 0;
  protected count = 0;

  constructor(name: MetricName) {
    this.name = name;
  }

  abstract update(a: Matrix, y: Matrix): void;

  reset(): void {
    this.sum = 0;
    this.count = 0;
  }

  result(): number {
    return this.sum / this.count;
  }

  getState(): number[] {
    return [this.sum, this.count];
  }

  setState(state: readonly number[]): void {
    [this.sum, this.count] = [state[0] ?? 0, state[1] ?? 0];
  }
}

/** A fraction of rows: Σ correct(batch) / rows. */
class CountMetric extends RatioMetric {
  readonly #correct: (a: Matrix, y: Matrix) => number;

  constructor(name: MetricName, correct: (a: Matrix, y: Matrix) => number) {
    super(name);
    this.#correct = correct;
  }

  update(a: Matrix, y: Matrix): void {
    this.sum += this.#correct(a, y);
    this.count += a.rows;
  }
}

/** A mean over every element of f(a − y). */
class MeanMetric extends RatioMetric {
  readonly #f: (difference: number) => number;

  constructor(name: MetricName, f: (difference: number) => number) {
    super(name);
    this.#f = f;
  }

  update(a: Matrix, y: Matrix): void {
    const A = a.data;
    const Y = y.data;
    let sum = 0;
    for (let i = 0; i < A.length; i++) sum += this.#f(A[i]! - Y[i]!);
    this.sum += sum;
    this.count += A.length;
  }
}

/** R² per output, from running sums: Welford's mean and M2 of y, and Σ(y − a)². */
class R2Metric implements MetricAccumulator {
  readonly name = 'r2';
  readonly #outputs: number;
  #rows = 0;
  readonly #mean: Float64Array;
  readonly #m2: Float64Array;
  readonly #residual: Float64Array;

  constructor(outputs: number) {
    this.#outputs = outputs;
    this.#mean = new Float64Array(outputs);
    this.#m2 = new Float64Array(outputs);
    this.#residual = new Float64Array(outputs);
  }

  reset(): void {
    this.#rows = 0;
    this.#mean.fill(0);
    this.#m2.fill(0);
    this.#residual.fill(0);
  }

  update(a: Matrix, y: Matrix): void {
    const n = this.#outputs;
    const A = a.data;
    const Y = y.data;
    for (let i = 0; i < a.rows; i++) {
      const rows = ++this.#rows;
      for (let j = 0; j < n; j++) {
        const target = Y[i * n + j]!;
        const d = target - this.#mean[j]!;
        this.#mean[j] = this.#mean[j]! + d / rows;
        this.#m2[j] = this.#m2[j]! + d * (target - this.#mean[j]!);
        const r = target - A[i * n + j]!;
        this.#residual[j] = this.#residual[j]! + r * r;
      }
    }
  }

  result(): number {
    if (this.#rows === 0) return NaN;
    let sum = 0;
    for (let j = 0; j < this.#outputs; j++) {
      const total = this.#m2[j]!;
      const residual = this.#residual[j]!;
      sum += total > 0 ? 1 - residual / total : residual === 0 ? 1 : 0;
    }
    return sum / this.#outputs;
  }

  getState(): number[] {
    return [this.#rows, ...this.#mean, ...this.#m2, ...this.#residual];
  }

  setState(state: readonly number[]): void {
    const n = this.#outputs;
    this.#rows = state[0] ?? 0;
    this.#mean.set(state.slice(1, 1 + n));
    this.#m2.set(state.slice(1 + n, 1 + 2 * n));
    this.#residual.set(state.slice(1 + 2 * n, 1 + 3 * n));
  }
}

/** Macro precision, recall or F1 from a running confusion matrix. */
class ConfusionMetric implements MetricAccumulator {
  readonly name: MetricName;
  readonly #matrix: ConfusionMatrix;

  constructor(name: 'precision' | 'recall' | 'f1', outputs: number) {
    this.name = name;
    this.#matrix = new ConfusionMatrix(outputs);
  }

  reset(): void {
    this.#matrix.reset();
  }

  update(a: Matrix, y: Matrix): void {
    this.#matrix.update(a, y);
  }

  result(): number {
    return this.#matrix.scores().macro[this.name as 'precision' | 'recall' | 'f1'];
  }

  getState(): number[] {
    return Array.from(this.#matrix.counts);
  }

  setState(state: readonly number[]): void {
    this.#matrix.counts.set(state);
  }
}
