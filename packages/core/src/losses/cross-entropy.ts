import type { Matrix } from '../tensor/matrix.js';
import { checkWeights, clamp, elementwiseGradient, elementwiseMean, type Loss } from './loss.js';
import {
  checkInRange,
  checkLabelSmoothing,
  checkProbabilityRows,
  smoothLabels,
} from './targets.js';

/** The value of categorical cross-entropy (with weights), fused or from probabilities. */
const categoricalValue: Loss['value'] = (a, y, z, fused, weights) => {
  if (!fused) {
    return elementwiseMean(a, y, z, weights, (ai, yi) =>
      yi === 0 ? 0 : -yi * Math.log(clamp(ai)),
    );
  }
  checkWeights(weights, z.rows);
  const Y = y.data;
  const Z = z.data;
  const n = z.cols;
  let total = 0;
  for (let i = 0; i < z.rows; i++) {
    const row = i * n;
    let max = -Infinity;
    for (let j = 0; j < n; j++) max = Math.max(max, Z[row + j]!);
    let exps = 0;
    for (let j = 0; j < n; j++) exps += Math.exp(Z[row + j]! - max);
    const logSumExp = max + Math.log(exps);
    let sum = 0;
    for (let j = 0; j < n; j++) {
      const yj = Y[row + j]!;
      if (yj !== 0) sum -= yj * (Z[row + j]! - logSumExp);
    }
    total += weights === undefined ? sum : weights[i]! * sum;
  }
  return total / z.rows;
};

/** ∂ℓ/∂aⱼ = −yⱼ / aⱼ with a clamped. */
const categoricalGradient = (a: Matrix, y: Matrix, out: Matrix): void =>
  elementwiseGradient(a, y, out, (ai, yi) => -yi / clamp(ai));

/**
 * Categorical cross-entropy ℓ = −Σⱼ yⱼ log aⱼ per example, for one-hot (or probability) targets.
 * With softmax it is computed from the logits as −Σⱼ yⱼ(zⱼ − log Σₖ e^(zₖ)) (log-sum-exp with the
 * row max subtracted), and δᴸ = a − y. Otherwise ∂ℓ/∂aⱼ = −yⱼ / aⱼ with a clamped.
 *
 * With label smoothing ε (Keras `CategoricalCrossentropy(label_smoothing)`) the targets are
 * y(1 − ε) + ε/K for K = nᴸ classes, prepared once by checkData (`prepareTargets`), so the
 * fused δᴸ = a − y_smoothed. Targets must be non-negative rows summing to 1 (`checkTargets`).
 * @param labelSmoothing - ε in [0, 1); default 0
 * @throws {ConfigError} when ε is not a number in [0, 1).
 */
export function crossEntropy(labelSmoothing = 0): Loss {
  const epsilon = checkLabelSmoothing(labelSmoothing, 'crossEntropy');
  return {
    name: 'crossEntropy',
    config: epsilon === 0 ? 'crossEntropy' : { name: 'crossEntropy', labelSmoothing: epsilon },
    fusedActivation: 'softmax',
    classification: true,
    value: categoricalValue,
    gradient: categoricalGradient,
    // δ = a − y is ∂L/∂z only for rows summing to 1; with another output (multi-label sigmoid)
    // −Σ y log a is exact for any non-negative targets.
    checkTargets: (y, name, output) =>
      output === 'softmax'
        ? checkProbabilityRows(y, name, 'crossEntropy')
        : checkInRange(y, name, 'crossEntropy', 0, Infinity),
    ...(epsilon === 0 ? {} : { prepareTargets: (y: Matrix) => smoothLabels(y, epsilon, y.cols) }),
  };
}

/**
 * Sparse categorical cross-entropy (Keras `SparseCategoricalCrossentropy`): the targets are
 * integer class labels, [n, 1] or a flat number[], which checkData turns into one-hot rows of the
 * model's K outputs; then it is {@link crossEntropy} exactly (fused with softmax, δᴸ = a − y).
 */
export const sparseCrossEntropy: Loss = {
  name: 'sparseCrossEntropy',
  config: 'sparseCrossEntropy',
  fusedActivation: 'softmax',
  sparse: true,
  classification: true,
  value: categoricalValue,
  gradient: categoricalGradient,
};
