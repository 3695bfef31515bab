import type { Matrix } from '../../tensor/matrix.js';

/** The spread of the input columns over the sampled batches of an epoch. */
export interface InputSpread {
  /** The 0-based input column with the largest standard deviation. */
  readonly column: number;
  /** That column's standard deviation, in the input's units. */
  readonly std: number;
  /** The median standard deviation of the columns that vary (std > 0). */
  readonly medianStd: number;
}

/**
 * Per-column mean and variance of the inputs x [B, n⁰] of sampled batches, accumulated in
 * float64 as Σx and Σx² (population variance E[x²] − E[x]²). Allocates nothing per batch.
 */
export class InputSpreadMonitor {
  readonly #sum: Float64Array;
  readonly #squares: Float64Array;
  #rows = 0;

  /** @param inputs - n⁰, the input width */
  constructor(inputs: number) {
    this.#sum = new Float64Array(inputs);
    this.#squares = new Float64Array(inputs);
  }

  /** Clears the epoch's sums. */
  reset(): void {
    this.#sum.fill(0);
    this.#squares.fill(0);
    this.#rows = 0;
  }

  /** Adds a batch's inputs x [B, n⁰]. */
  observe(x: Matrix): void {
    const X = x.data;
    const n = x.cols;
    const sum = this.#sum;
    const squares = this.#squares;
    for (let i = 0; i < x.rows; i++) {
      for (let j = 0; j < n; j++) {
        const v = X[i * n + j]!;
        sum[j]! += v;
        squares[j]! += v * v;
      }
    }
    this.#rows += x.rows;
  }

  /** The widest column and the median spread; undefined before any batch. */
  result(): InputSpread | undefined {
    if (this.#rows === 0) return undefined;
    const stds: number[] = [];
    let column = 0;
    let widest = -1;
    for (let j = 0; j < this.#sum.length; j++) {
      const mean = this.#sum[j]! / this.#rows;
      const std = Math.sqrt(Math.max(0, this.#squares[j]! / this.#rows - mean * mean));
      if (std > widest) {
        widest = std;
        column = j;
      }
      if (std > 0) stds.push(std);
    }
    stds.sort((a, b) => a - b);
    const half = stds.length >> 1;
    const medianStd =
      stds.length === 0 ? 0 : stds.length % 2 ? stds[half]! : (stds[half - 1]! + stds[half]!) / 2;
    return { column, std: widest, medianStd };
  }
}
