import type { Activation } from '../activations.js';
import type { ByteMatrix } from '../tensor/byte-matrix.js';
import type { DType, FloatArray, Matrix } from '../tensor/matrix.js';

/**
 * The kernels every layer, loss and optimizer computes with. A backend is the only code that
 * loops over matrix elements; a faster one (WASM, threads) replaces the reference
 * TypeScript backend without touching the layers. All outputs are written in place into
 * preallocated matrices, so training allocates nothing per batch. Kernels trust their
 * callers on shapes and dtypes (the layers check them at the public boundary). Outputs never
 * alias inputs unless a method says so.
 */
export interface Backend {
  /** Short name shown in logs and benchmarks, e.g. 'js' or 'wasm×2'. */
  readonly name: string;

  /**
   * Where the backend runs recorded programs on its threads (the 'wasm' backend with threads,
   * once src/data-parallel.ts is loaded): the model then trains and predicts a batch of several
   * shards in parallel (model/data-parallel.ts). Undefined for backends that run each call at
   * once, which compute the same bits serially.
   */
  readonly programs?: ShardPrograms | undefined;

  /**
   * A zero-filled array for a matrix the kernels will work on (parameters, traces, gradients).
   * A backend may place it in its own memory (WASM linear memory) so kernels need no copies.
   */
  allocate(dtype: DType, length: number): FloatArray;

  /**
   * General matrix product C = α·op(A)·op(B) + β·C, where op(X) is X or Xᵀ (BLAS sgemm/dgemm).
   * Shapes: op(A) [m, k], op(B) [k, n], C [m, n]. With β = 0, C's old contents are ignored.
   */
  gemm(
    a: Matrix,
    transposeA: boolean,
    b: Matrix,
    transposeB: boolean,
    c: Matrix,
    alpha: number,
    beta: number,
  ): void;

  /** Adds the row vector `bias` [1, n] to every row of `z` [m, n], in place. */
  addBias(z: Matrix, bias: Matrix): void;

  /**
   * out[0, j] = α·Σᵢ a[i, j] + β·out[0, j]: column sums of a [m, n] into out [1, n]. With β = 0,
   * out's old contents are ignored.
   */
  sumColumns(a: Matrix, out: Matrix, alpha: number, beta: number): void;

  /** a = g(z) for an activation g (element-wise, or row-wise softmax); z, a [m, n]. */
  activate(activation: Activation, z: Matrix, a: Matrix): void;

  /**
   * δ = ∂L/∂z from ∂L/∂a: gradA ⊙ g′(z) for element-wise g, or for softmax the Jacobian-vector
   * product per row δᵢ = aᵢ·(gᵢ − Σⱼ gⱼaⱼ), since ∂aⱼ/∂zᵢ = aⱼ(𝟙[i=j] − aᵢ). All [m, n], with
   * a = g(z).
   */
  activateBackward(
    activation: Activation,
    z: Matrix,
    a: Matrix,
    gradA: Matrix,
    delta: Matrix,
  ): void;

  /** out = a − b element-wise (the fused output error δᴸ = aᴸ − y); all the same shape. */
  subtract(a: Matrix, b: Matrix, out: Matrix): void;

  /** y ← y + α·x element-wise (BLAS axpy); x and y have equal shapes. */
  axpy(alpha: number, x: Matrix, y: Matrix): void;

  /**
   * Gathers rows of a compact byte matrix into a float batch, decoding each byte through the
   * source's table: target[r, j] = values[bytes[i·cols + j]] rounded to target's dtype, where
   * i = order[start + r], or start + r when there is no order. source [n, cols], target
   * [B, cols]; the rows are trusted to exist.
   */
  decodeRows(
    source: ByteMatrix,
    order: Uint32Array | undefined,
    start: number,
    target: Matrix,
  ): void;
}

/**
 * A backend's way of running work on several threads deterministically: the calling thread
 * records a program of tasks by calling `recorder`'s kernels (which only note the call and its
 * buffers), then `run` executes the tasks, each on one thread, in any order and concurrently.
 * A task must therefore only read what was computed before `run` or earlier in itself, and
 * write what no other task reads or writes; then results never depend on the thread count.
 */
export interface ShardPrograms {
  /** Threads that run the tasks, the calling one included. */
  readonly threads: number;
  /**
   * Records its kernel calls into the current task. Its matrices must be float32 arrays of
   * this backend's memory (`allocate`); element-wise activations need their kernel.
   */
  readonly recorder: Backend;
  /** Forgets the last program: the tasks recorded from now on form the next one. */
  begin(): void;
  /**
   * Starts a new task. Its matrix products get the scratch memory numbered `scratch` (e.g. the
   * shard's index): two tasks of one program that record products need different numbers.
   */
  task(scratch: number): void;
  /**
   * Gathers the products and column sums that write into `target` (a parameter gradient's, as
   * a layer writes it with the recorder: `gemm(Δ, true, A, false, target, α, β)` or
   * `sumColumns(Δ, target, α, β)`): from now on they are not run by their task but kept, in
   * the order recorded, for {@link ShardPrograms.sum}. Tasks still compute what they need first.
   */
  gather(target: Matrix): void;
  /**
   * Records, in the current program, the tasks that run the calls gathered for `target`, in the
   * order they were recorded, each adding into `target` (the first with its own β, the others
   * with β = 1): target = β·target + α₀·P₀ + α₁·P₁ + …, summed in that order for every element,
   * the products split by rows of `target` over the tasks. Then gathering for it stops.
   */
  sum(target: Matrix): void;
  /**
   * Makes the tasks recorded from now on start only once all those recorded before are
   * finished: two phases in one program, without waking the threads twice.
   */
  barrier(): void;
  /**
   * Runs the program's tasks on the threads; returns when every one is done.
   * @throws {BackpropError} when a thread fails or does not answer within 30 s
   */
  run(): void;
}
