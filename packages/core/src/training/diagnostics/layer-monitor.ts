import type { Backend } from '../../backend/backend.js';
import type { LectureLayer } from '../../layers/layer.js';
import { backendMatrix } from '../../model/trace.js';
import { Matrix } from '../../tensor/matrix.js';

/** g′ below this counts as saturated (a sigmoid or tanh unit that barely passes a gradient). */
export const SATURATION_THRESHOLD = 1e-3;

/** One Dense layer's diagnostics for one epoch (lecture index l = 1..L). */
export interface LayerDiagnostics {
  /** The lecture's index l of the Dense layer, 1..L. */
  readonly layer: number;
  /** Its activation g, e.g. 'relu'. */
  readonly activation: string;
  /** nˡ, its units. */
  readonly units: number;
  /** True when the layer is frozen (`trainable = false`): it gets no updates. */
  readonly frozen: boolean;
  /**
   * ‖∂L/∂Wˡ‖ (Frobenius), the batch-mean gradient of the data loss, ‖(Δˡ)ᵀAˡ⁻¹‖ / B, averaged
   * over the sampled batches; NaN when no batch was sampled.
   */
  readonly gradientNorm: number;
  /**
   * ‖Wˡ after − Wˡ before‖ / ‖Wˡ before‖ of one update, averaged over the sampled batches
   * (whatever the optimizer: the weights are compared around the update); 0 when frozen.
   */
  readonly updateRatio: number;
  /** ReLU layers: the fraction of units with aˡ = 0 on every example of the epoch; else null. */
  readonly dead: number | null;
  /**
   * Sigmoid and tanh layers: the fraction of units with g′(z) < 10⁻³ on more than half of the
   * epoch's examples; else null.
   */
  readonly saturated: number | null;
}

/**
 * Accumulates one Dense layer's statistics over an epoch: dead and saturated units on every
 * batch (a scan of aˡ, [B, nˡ]), the gradient norm and update ratio on sampled batches. Buffers
 * are allocated once; the per-batch methods allocate nothing.
 */
export class LayerMonitor {
  readonly #layer: LectureLayer;
  readonly #index: number;
  readonly #kind: 'relu' | 'saturating' | 'other';
  readonly #backend: Backend;
  /** ∂L/∂Wˡ of a sampled batch, then Wˡ after − Wˡ before, [nˡ, nˡ⁻¹]; and as one row. */
  readonly #scratch: Matrix;
  readonly #scratchRow: Matrix;
  /** Wˡ before the sampled update; and as one row. */
  readonly #before: Matrix;
  readonly #beforeRow: Matrix;
  /** [1, 1], for ‖v‖² = v·vᵀ. */
  readonly #square: Matrix;
  /** ReLU: 1 for units positive on some example of the epoch. */
  readonly #alive: Uint8Array;
  /** Sigmoid/tanh: the examples of the epoch on which each unit was saturated. */
  readonly #saturatedCount: Float64Array;
  #examples = 0;
  #aliveCount = 0;
  /** ‖Wˡ before‖, computed with the copy. */
  #beforeNorm = 0;
  #gradientSum = 0;
  #gradientCount = 0;
  #ratioSum = 0;
  #ratioCount = 0;
  #copied = false;

  /**
   * @param layer - Dense layer l, built
   * @param index - its lecture index l, 1..L
   * @param backend - the model's backend, for the gradient buffer
   */
  constructor(layer: LectureLayer, index: number, backend: Backend) {
    this.#layer = layer;
    this.#index = index;
    const name = layer.activation.name;
    this.#kind =
      name === 'relu' ? 'relu' : name === 'sigmoid' || name === 'tanh' ? 'saturating' : 'other';
    const { rows, cols } = layer.weights;
    const dtype = layer.weights.dtype;
    this.#backend = backend;
    this.#scratch = backendMatrix(backend, rows, cols, dtype);
    this.#scratchRow = new Matrix(1, rows * cols, this.#scratch.data);
    this.#before = backendMatrix(backend, rows, cols, dtype);
    this.#beforeRow = new Matrix(1, rows * cols, this.#before.data);
    this.#square = backendMatrix(backend, 1, 1, dtype);
    this.#alive = new Uint8Array(layer.outputs);
    this.#saturatedCount = new Float64Array(layer.outputs);
  }

  /** Clears the epoch's accumulators. */
  reset(): void {
    this.#alive.fill(0);
    this.#aliveCount = 0;
    this.#saturatedCount.fill(0);
    this.#examples = 0;
    this.#gradientSum = this.#gradientCount = this.#ratioSum = this.#ratioCount = 0;
    this.#copied = false;
  }

  /** Copies Wˡ before a sampled update. */
  copyWeights(): void {
    this.#before.data.set(this.#layer.weights.data);
    this.#beforeNorm = this.#norm(this.#beforeRow);
    this.#copied = true;
  }

  /**
   * Scans a batch's aˡ [B, nˡ] for dead (ReLU: a > 0 marks a unit alive) or saturated units
   * (sigmoid: g′ = a(1 − a); tanh: g′ = 1 − a²).
   */
  observe(a: Matrix): void {
    const n = a.cols;
    const B = a.rows;
    this.#examples += B;
    if (this.#kind === 'other') return;
    const A = a.data;
    if (this.#kind === 'relu') {
      // Units found alive stay alive: once all are, the scan ends at once.
      const alive = this.#alive;
      for (let j = this.#aliveCount < n ? 0 : n; j < n; j++) {
        if (alive[j] === 1) continue;
        for (let i = j; i < B * n; i += n) {
          if (A[i]! > 0) {
            alive[j] = 1;
            this.#aliveCount++;
            break;
          }
        }
      }
      return;
    }
    const sigmoid = this.#layer.activation.name === 'sigmoid';
    const count = this.#saturatedCount;
    for (let i = 0; i < B; i++) {
      for (let j = 0; j < n; j++) {
        const v = A[i * n + j]!;
        const slope = sigmoid ? v * (1 - v) : 1 - v * v;
        if (slope < SATURATION_THRESHOLD) count[j]! += 1;
      }
    }
  }

  /**
   * On a sampled batch, after its update: ∂L/∂Wˡ = (Δˡ)ᵀAˡ⁻¹ / B from the batch's δˡ [B, nˡ]
   * and input Aˡ⁻¹ [B, nˡ⁻¹] (the fused SGD step never stores it), and the update's ratio
   * ‖Wˡ − Wˡ before‖ / ‖Wˡ before‖ when the weights were copied before it.
   */
  sample(delta: Matrix, input: Matrix): void {
    this.#backend.gemm(delta, true, input, false, this.#scratch, 1 / delta.rows, 0);
    this.#gradientSum += this.#norm(this.#scratchRow);
    this.#gradientCount++;
    if (!this.#copied) return;
    this.#copied = false;
    this.#backend.subtract(this.#layer.weights, this.#before, this.#scratch);
    if (this.#beforeNorm > 0) {
      this.#ratioSum += this.#norm(this.#scratchRow) / this.#beforeNorm;
      this.#ratioCount++;
    }
  }

  /** ‖v‖ = √(v·vᵀ) of a row v [1, k] in the backend's memory, by the backend's gemm. */
  #norm(row: Matrix): number {
    this.#backend.gemm(row, false, row, true, this.#square, 1, 0);
    return Math.sqrt(this.#square.data[0]!);
  }

  /** The epoch's diagnostics of this layer. */
  result(): LayerDiagnostics {
    const units = this.#layer.outputs;
    let dead = 0;
    let saturated = 0;
    for (let j = 0; j < units; j++) {
      if (this.#alive[j] === 0) dead++;
      if (this.#saturatedCount[j]! > this.#examples / 2) saturated++;
    }
    const frozen = !this.#layer.trainable;
    return {
      layer: this.#index,
      activation: this.#layer.activation.name,
      units,
      frozen,
      gradientNorm: this.#gradientCount > 0 ? this.#gradientSum / this.#gradientCount : NaN,
      updateRatio: frozen || this.#ratioCount === 0 ? 0 : this.#ratioSum / this.#ratioCount,
      dead: this.#kind === 'relu' && this.#examples > 0 ? dead / units : null,
      saturated: this.#kind === 'saturating' && this.#examples > 0 ? saturated / units : null,
    };
  }
}
