import type { DType, FloatArray, Matrix } from '../tensor/matrix.js';

/** An element-wise scalar function, e.g. the activation g(z). */
export type UnaryFunction = (x: number) => number;

/** An element-wise function of two arguments, e.g. g′ from (z, a). */
export type BinaryFunction = (x: number, y: number) => number;

/**
 * The kernels every layer, loss and optimizer computes with. A backend is the only code that
 * loops over matrix elements; a faster one (WASM, threads) replaces the reference
 * TypeScript backend without touching the layers. All outputs are written in place into
 * preallocated matrices, so training allocates nothing per batch. Kernels trust their
 * callers on shapes and dtypes (the layers check them at the public boundary).
 */
export interface Backend {
  /** Short name shown in logs and benchmarks, e.g. 'js'. */
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

  /** out[0, j] = α·Σᵢ a[i, j]: column sums of a [m, n] into out [1, n], scaled by α. */
  sumColumns(a: Matrix, out: Matrix, alpha: number): void;

  /** out = f(a) element-wise; a and out have equal shapes (out may be a). */
  map(a: Matrix, f: UnaryFunction, out: Matrix): void;

  /** out = f(a, b) element-wise; all three have equal shapes (out may be a or b). */
  zip(a: Matrix, b: Matrix, f: BinaryFunction, out: Matrix): void;

  /** y ← y + α·x element-wise (BLAS axpy); x and y have equal shapes. */
  axpy(alpha: number, x: Matrix, y: Matrix): void;

  /** Row-wise softmax of z [m, n] into out [m, n], stabilised by subtracting each row's max. */
  softmaxRows(z: Matrix, out: Matrix): void;

  /**
   * Softmax Jacobian-vector product per row: δᵢ = aᵢ·(gᵢ − Σⱼ gⱼaⱼ), where a = softmax(z) and
   * g = ∂L/∂a, all [m, n]. This is Jᵀg for the Jacobian ∂aⱼ/∂zᵢ = aⱼ(𝟙[i=j] − aᵢ).
   */
  softmaxBackward(a: Matrix, gradA: Matrix, delta: Matrix): void;
}
