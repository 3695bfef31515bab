import { BackpropError } from '../../errors.js';
import type { Matrix } from '../../tensor/matrix.js';
import type { WasmHeap } from './heap.js';
import { OP, type ProgramBuffer } from './program.js';

/** Rows of a gathered product's target per task of `sum` (a multiple of 4: see gemm.ts). */
const SUM_ROWS = 16;

/**
 * What was gathered for one target: one product C = α·AᵀB + β·C (or column sum) over all the
 * rows recorded so far, the shards' calls merged (see GatheredProducts).
 */
interface Gathered {
  active: boolean;
  /** Calls merged; 0 when nothing was recorded since `gather`. */
  calls: number;
  columnSum: boolean;
  /** Byte offsets of A (Δ) and B (the layer's input), C's shape and the rows k so far. */
  a: number;
  b: number;
  m: number;
  n: number;
  k: number;
  alpha: number;
  beta: number;
  /** The nonzero lists of B (gemm.ts listNonzeroBlocks), made on first use. */
  lists?: Float32Array;
}

/**
 * The parameter gradients of a batch's shards, gathered by a recording backend and computed as
 * one product per parameter. A shard's gradient is a product over its rows, ΔₛᵀAₛ, and the
 * shards are consecutive rows of the batch's Δ and A: their calls are merged into ΔᵀA over all
 * the rows in order (C = α·Σₚ ΔₚᵢAₚⱼ + β·C, p = 0..B−1, the shards' rows in shard order), which
 * tasks then compute by rows of C, each element on one thread. The sum over the rows is the
 * one the serial path computes (the same kernel, α of the first shard: scale/B).
 */
export class GatheredProducts {
  readonly #heap: WasmHeap;
  readonly #program: ProgramBuffer;
  readonly #gathered = new WeakMap<Matrix, Gathered>();
  /** The targets whose products still need their nonzero lists recorded (see `list`). */
  readonly #unlisted: Gathered[] = [];

  constructor(heap: WasmHeap, program: ProgramBuffer) {
    this.#heap = heap;
    this.#program = program;
  }

  /** Starts gathering the calls that write into `target` (ShardPrograms.gather). */
  gather(target: Matrix): void {
    let gathered = this.#gathered.get(target);
    if (gathered === undefined) {
      const [a, b, m, n, k, alpha, beta] = [0, 0, 0, 0, 0, 0, 0];
      gathered = { active: false, calls: 0, columnSum: false, a, b, m, n, k, alpha, beta };
      gathered.lists = undefined;
      this.#gathered.set(target, gathered);
    }
    gathered.active = true;
    gathered.calls = 0;
  }

  /**
   * Takes a product C = α·op(A)·B + β·C (pointers a, b) when C is gathered.
   * @returns false when C is not gathered
   * @throws {BackpropError} for a product that is not AᵀB over rows following the last call's
   */
  product(
    c: Matrix,
    transposeA: boolean,
    a: number,
    b: number,
    k: number,
    alpha: number,
    beta: number,
  ): boolean {
    const gathered = this.#gathered.get(c);
    if (!gathered?.active) return false;
    if (!transposeA) throw new BackpropError('the WASM recorder gathers products AᵀB only');
    this.#merge(gathered, false, a, b, c.rows, c.cols, k, alpha, beta);
    if (gathered.calls === 1) this.#unlisted.push(gathered);
    return true;
  }

  /**
   * Takes column sums out = α·Σᵢ a[i, :] + β·out (pointer a, rows k) when out is gathered.
   * @returns false when out is not gathered
   */
  columnSum(out: Matrix, a: number, k: number, alpha: number, beta: number): boolean {
    const gathered = this.#gathered.get(out);
    if (!gathered?.active) return false;
    this.#merge(gathered, true, a, 0, 1, out.cols, k, alpha, beta);
    return true;
  }

  /**
   * Records, as tasks of the current program, the nonzero lists of the products gathered since
   * the last call (they read only B, computed by an earlier program).
   */
  list(): void {
    for (const gathered of this.#unlisted) {
      const { b, k, n } = gathered;
      const length = (n >> 3) * (k + 1) + 1;
      if (gathered.lists === undefined || gathered.lists.length < length) {
        gathered.lists = this.#heap.allocate(length);
      }
      this.#program.task();
      this.#program.emit(OP.listNonzeroBlocks, b, k, n, gathered.lists.byteOffset);
    }
    this.#unlisted.length = 0;
  }

  /**
   * Records the tasks that compute the product gathered for `target` into it (at byte offset
   * `c`), split by rows; then stops gathering for it (ShardPrograms.sum).
   */
  sum(target: Matrix, c: number): void {
    const gathered = this.#gathered.get(target);
    if (!gathered?.active) return;
    gathered.active = false;
    if (gathered.calls === 0) return;
    const { a, b, m, n, k, alpha, beta } = gathered;
    if (gathered.columnSum) {
      this.#program.task();
      this.#program.emit(OP.sumColumns, a, c, k, n, alpha, beta);
      return;
    }
    const lists = gathered.lists!.byteOffset;
    for (let i0 = 0; i0 < m; i0 += SUM_ROWS) {
      this.#program.task();
      const i1 = Math.min(m, i0 + SUM_ROWS);
      this.#program.emit(OP.gemmXNRows, a, 1, b, c, m, n, k, alpha, beta, lists, i0, i1);
    }
  }

  /** Adds a call's rows to the gathered one; the first call sets α and β. */
  #merge(
    gathered: Gathered,
    columnSum: boolean,
    a: number,
    b: number,
    m: number,
    n: number,
    k: number,
    alpha: number,
    beta: number,
  ): void {
    if (gathered.calls === 0) {
      gathered.columnSum = columnSum;
      gathered.a = a;
      gathered.b = b;
      gathered.m = m;
      gathered.n = n;
      gathered.k = 0;
      gathered.alpha = alpha;
      gathered.beta = beta;
    }
    // The rows of A (Δ: [k, m] for AᵀB, [k, n] for column sums) and B ([k, n]) that follow.
    const width = columnSum ? n : m;
    const follows =
      gathered.columnSum === columnSum &&
      gathered.m === m &&
      gathered.n === n &&
      a === gathered.a + 4 * width * gathered.k &&
      (columnSum || b === gathered.b + 4 * n * gathered.k);
    if (!follows) {
      throw new BackpropError(
        'the WASM recorder gathers products over consecutive rows of the same matrices only',
      );
    }
    gathered.k += k;
    gathered.calls++;
  }
}
