import type { ActivationName } from '../activations.js';
import { ShapeError } from '../errors.js';
import type { FloatArray, Matrix } from '../tensor/matrix.js';

/** The loss functions, by name. */
export type LossName =
  | 'mse'
  | 'crossEntropy'
  | 'binaryCrossEntropy'
  | 'sparseCrossEntropy'
  | 'mae'
  | 'huber'
  | 'hinge'
  | 'klDivergence';

/**
 * A loss as options and model files give it: its name when its options are the defaults, else
 * a config object with the name and the options, e.g. `{ name: 'huber', delta: 2 }` or
 * `{ name: 'crossEntropy', labelSmoothing: 0.1 }`.
 */
export type LossSpec =
  | LossName
  | { name: 'huber'; delta?: number }
  | { name: 'crossEntropy' | 'binaryCrossEntropy'; labelSmoothing?: number }
  | { name: Exclude<LossName, 'huber' | 'crossEntropy' | 'binaryCrossEntropy'> };

/**
 * A loss L(aᴸ, y) between the network's output a and the target y, both [batch, outputs].
 * Per example it sums over the outputs (ℓᵢ = Σⱼ …); over a batch it is Σᵢ wᵢℓᵢ / B with the
 * per-example weights wᵢ (all 1 by default): the batch mean, and Keras's `sum_over_batch_size`
 * with weights. In nats for the cross-entropies and the KL divergence.
 *
 * `value`, `gradient` and the fused δᴸ = a − y take the *prepared* targets: what
 * `checkData(…, { loss })` returns (one-hot rows for sparse labels, smoothed labels), which is
 * y itself for the losses without `sparse` or `prepareTargets`.
 */
export interface Loss {
  /** The name used in options and model files. */
  readonly name: LossName;
  /**
   * The loss as a model file records it: the plain name when the options are the defaults,
   * else `{ name, ...options }`; `getLoss(loss.config)` gives the same loss back. Absent for a
   * user's own Loss.
   */
  readonly config?: LossSpec;
  /**
   * The output activation this loss fuses with: then δᴸ = ∂L/∂zᴸ = a − y exactly, and the
   * loss value is computed from the logits zᴸ without taking the log of a rounded probability.
   */
  readonly fusedActivation?: ActivationName;
  /**
   * True when the targets are integer class labels [n, 1] (or a flat number[]), which
   * `checkData` turns into one-hot rows [n, K] of the model's K outputs.
   */
  readonly sparse?: boolean;
  /** True when the targets are classes, so that fit and evaluate report accuracy by default. */
  readonly classification?: boolean;
  /**
   * The weighted batch mean Σᵢ wᵢℓᵢ / B (B = batch rows; divided by B, not by Σw).
   * @param a - the output aᴸ [batch, outputs]
   * @param y - the prepared target [batch, outputs]
   * @param z - the logits zᴸ [batch, outputs]; used when the output activation is the fused one
   * @param fused - true when the output layer's activation is `fusedActivation`
   * @param weights - wᵢ ≥ 0 per example [batch]; default all 1
   * @throws {ShapeError} when `weights` does not have one entry per row of a.
   */
  value(a: Matrix, y: Matrix, z: Matrix, fused: boolean, weights?: FloatArray): number;
  /** ∂ℓ/∂a for each example (no 1/batch factor, no weight), written into `out` [batch, outputs]. */
  gradient(a: Matrix, y: Matrix, out: Matrix): void;
  /**
   * Checks the targets of a data set before training (values this loss is not defined for).
   * @param y - the targets [n, outputs] as converted by checkData, before `prepareTargets`
   * @param name - what to call y in messages, e.g. 'y' or 'validationData[1]'
   * @param outputActivation - the model's output activation, e.g. 'softmax', when known
   * @throws {DataError} naming the row (counting from 1), the value and what is expected.
   */
  checkTargets?(y: Matrix, name: string, outputActivation?: string): void;
  /** The targets that value, gradient and the fused δ use (label smoothing): a new matrix. */
  prepareTargets?(y: Matrix): Matrix;
}

/**
 * Probabilities are clamped to [ε, 1 − ε] before a log or a division when the loss is used
 * without its fused activation, so that a saturated output gives a large finite loss, not Inf.
 */
export const PROBABILITY_EPSILON = 1e-7;

/**
 * p clamped to [ε, 1 − ε], ε = {@link PROBABILITY_EPSILON}.
 * @throws never
 */
export function clamp(p: number): number {
  return p < PROBABILITY_EPSILON
    ? PROBABILITY_EPSILON
    : p > 1 - PROBABILITY_EPSILON
      ? 1 - PROBABILITY_EPSILON
      : p;
}

/**
 * Checks per-example weights against the batch: one weight per row, or none.
 * @throws {ShapeError} when `weights` has another length than `rows`.
 */
export function checkWeights(weights: FloatArray | undefined, rows: number): void {
  if (weights !== undefined && weights.length !== rows) {
    throw new ShapeError(
      `loss weights must have one entry per example of the batch (${rows}); received ${weights.length}`,
    );
  }
}

/**
 * Σᵢ wᵢ Σⱼ f(aᵢⱼ, yᵢⱼ, zᵢⱼ) / B: the weighted batch mean of per-example sums of an
 * element-wise loss f.
 * @param weights - wᵢ per row, or undefined for all 1
 * @throws {ShapeError} when `weights` has another length than a's rows.
 */
export function elementwiseMean(
  a: Matrix,
  y: Matrix,
  z: Matrix,
  weights: FloatArray | undefined,
  perElement: (a: number, y: number, z: number) => number,
): number {
  checkWeights(weights, a.rows);
  const A = a.data;
  const Y = y.data;
  const Z = z.data;
  const cols = a.cols;
  let total = 0;
  for (let i = 0, k = 0; i < a.rows; i++) {
    let sum = 0;
    for (const end = k + cols; k < end; k++) sum += perElement(A[k]!, Y[k]!, Z[k]!);
    total += weights === undefined ? sum : weights[i]! * sum;
  }
  return total / a.rows;
}

/**
 * Writes out[k] = f(a[k], y[k]) for every element: ∂ℓ/∂a of an element-wise loss.
 * @throws never (a, y and out have the same shape in every caller)
 */
export function elementwiseGradient(
  a: Matrix,
  y: Matrix,
  out: Matrix,
  derivative: (a: number, y: number) => number,
): void {
  const A = a.data;
  const Y = y.data;
  const O = out.data;
  for (let k = 0; k < A.length; k++) O[k] = derivative(A[k]!, Y[k]!);
}
