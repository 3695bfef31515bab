import type { ActivationName } from './activations.js';
import { ConfigError } from './errors.js';
import type { Matrix } from './tensor/matrix.js';

/** The loss functions, by name. */
export type LossName = 'mse' | 'crossEntropy' | 'binaryCrossEntropy';

/**
 * A loss L(aᴸ, y) between the network's output a and the target y, both [batch, outputs].
 * Per example it sums over the outputs; over a batch it is the mean of the examples' losses,
 * in nats for the cross-entropies.
 */
export interface Loss {
  /** The name used in options and model files. */
  readonly name: LossName;
  /**
   * The output activation this loss fuses with: then δᴸ = ∂L/∂zᴸ = a − y exactly, and the
   * loss value is computed from the logits zᴸ without taking the log of a rounded probability.
   */
  readonly fusedActivation?: ActivationName;
  /**
   * Mean loss over the batch.
   * @param a - the output aᴸ [batch, outputs]
   * @param y - the target [batch, outputs]
   * @param z - the logits zᴸ [batch, outputs]; used when the output activation is the fused one
   * @param fused - true when the output layer's activation is `fusedActivation`
   */
  value(a: Matrix, y: Matrix, z: Matrix, fused: boolean): number;
  /** ∂ℓ/∂a for each example (no 1/batch factor), written into `out` [batch, outputs]. */
  gradient(a: Matrix, y: Matrix, out: Matrix): void;
}

/**
 * Probabilities are clamped to [ε, 1 − ε] before a log or a division when the loss is used
 * without its fused activation, so that a saturated output gives a large finite loss, not Inf.
 */
export const PROBABILITY_EPSILON = 1e-7;

function clamp(p: number): number {
  return p < PROBABILITY_EPSILON
    ? PROBABILITY_EPSILON
    : p > 1 - PROBABILITY_EPSILON
      ? 1 - PROBABILITY_EPSILON
      : p;
}

/** Σ over a batch of `perElement`, divided by the batch size: the batch-mean of per-example sums. */
function batchMean(
  a: Matrix,
  y: Matrix,
  z: Matrix,
  perElement: (a: number, y: number, z: number) => number,
): number {
  const A = a.data;
  const Y = y.data;
  const Z = z.data;
  let sum = 0;
  for (let i = 0; i < A.length; i++) sum += perElement(A[i]!, Y[i]!, Z[i]!);
  return sum / a.rows;
}

/** Lecture's loss: ℓ = ½Σⱼ(yⱼ − aⱼ)² per example; ∂ℓ/∂a = a − y. */
const mse: Loss = {
  name: 'mse',
  value: (a, y, z) => batchMean(a, y, z, (ai, yi) => 0.5 * (yi - ai) * (yi - ai)),
  gradient(a, y, out) {
    const A = a.data;
    const Y = y.data;
    const O = out.data;
    for (let i = 0; i < A.length; i++) O[i] = A[i]! - Y[i]!;
  },
};

/**
 * Categorical cross-entropy ℓ = −Σⱼ yⱼ log aⱼ per example, for one-hot (or probability) targets.
 * With softmax it is computed from the logits as −Σⱼ yⱼ(zⱼ − log Σₖ e^(zₖ)) (log-sum-exp with the
 * row max subtracted), and δᴸ = a − y. Otherwise ∂ℓ/∂aⱼ = −yⱼ / aⱼ with a clamped.
 */
const crossEntropy: Loss = {
  name: 'crossEntropy',
  fusedActivation: 'softmax',
  value(a, y, z, fused) {
    if (!fused) return batchMean(a, y, z, (ai, yi) => (yi === 0 ? 0 : -yi * Math.log(clamp(ai))));
    const Y = y.data;
    const Z = z.data;
    const n = z.cols;
    let sum = 0;
    for (let i = 0; i < z.rows; i++) {
      const row = i * n;
      let max = -Infinity;
      for (let j = 0; j < n; j++) max = Math.max(max, Z[row + j]!);
      let exps = 0;
      for (let j = 0; j < n; j++) exps += Math.exp(Z[row + j]! - max);
      const logSumExp = max + Math.log(exps);
      for (let j = 0; j < n; j++) {
        const yj = Y[row + j]!;
        if (yj !== 0) sum -= yj * (Z[row + j]! - logSumExp);
      }
    }
    return sum / z.rows;
  },
  gradient(a, y, out) {
    const A = a.data;
    const Y = y.data;
    const O = out.data;
    for (let i = 0; i < A.length; i++) O[i] = -Y[i]! / clamp(A[i]!);
  },
};

/**
 * Binary cross-entropy ℓ = −Σⱼ [yⱼ log aⱼ + (1 − yⱼ) log(1 − aⱼ)] per example (summed over
 * outputs, like the other losses). With sigmoid it is computed from the logits as
 * max(z, 0) − z·y + log(1 + e^(−|z|)), and δᴸ = a − y. Otherwise ∂ℓ/∂a = (a − y) / (a(1 − a))
 * with a clamped.
 */
const binaryCrossEntropy: Loss = {
  name: 'binaryCrossEntropy',
  fusedActivation: 'sigmoid',
  value(a, y, z, fused) {
    if (fused) {
      return batchMean(
        a,
        y,
        z,
        (_ai, yi, zi) => Math.max(zi, 0) - zi * yi + Math.log1p(Math.exp(-Math.abs(zi))),
      );
    }
    return batchMean(a, y, z, (ai, yi) => {
      const p = clamp(ai);
      return -(yi * Math.log(p) + (1 - yi) * Math.log(1 - p));
    });
  },
  gradient(a, y, out) {
    const A = a.data;
    const Y = y.data;
    const O = out.data;
    for (let i = 0; i < A.length; i++) {
      const p = clamp(A[i]!);
      O[i] = (p - Y[i]!) / (p * (1 - p));
    }
  },
};

/** The losses, by name. */
export const losses: Readonly<Record<LossName, Loss>> = { mse, crossEntropy, binaryCrossEntropy };

/** The valid loss names, for help texts and errors. */
export const LOSS_NAMES = Object.keys(losses) as LossName[];

/**
 * Looks a loss up by name, or passes a Loss object through.
 * @throws {ConfigError} for an unknown name, listing the valid ones.
 */
export function getLoss(loss: string | Loss, option = 'loss'): Loss {
  if (typeof loss !== 'string') return loss;
  if (Object.hasOwn(losses, loss)) return losses[loss as LossName];
  throw new ConfigError(
    `unknown ${option} ${JSON.stringify(loss)}; expected one of ${LOSS_NAMES.join(', ')}`,
  );
}
