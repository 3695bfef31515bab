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
