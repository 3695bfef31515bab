import type { Matrix } from '../tensor/matrix.js';
import { clamp, elementwiseGradient, elementwiseMean, type Loss } from './loss.js';
import { checkInRange, checkLabelSmoothing, smoothLabels } from './targets.js';

/**
 * Binary cross-entropy ℓ = −Σⱼ [yⱼ log aⱼ + (1 − yⱼ) log(1 − aⱼ)] per example (summed over
 * outputs, like the other losses). With sigmoid it is computed from the logits as
 * max(z, 0) − z·y + log(1 + e^(−|z|)), and δᴸ = a − y. Otherwise ∂ℓ/∂a = (a − y) / (a(1 − a))
 * with a clamped. Targets must lie in [0, 1] (`checkTargets`).
 *
 * With label smoothing ε (Keras `BinaryCrossentropy(label_smoothing)`) the targets are
 * y(1 − ε) + ε/2, prepared once by checkData (`prepareTargets`).
 * @param labelSmoothing - ε in [0, 1); default 0
 * @throws {ConfigError} when ε is not a number in [0, 1).
 */
export function binaryCrossEntropy(labelSmoothing = 0): Loss {
  const epsilon = checkLabelSmoothing(labelSmoothing, 'binaryCrossEntropy');
  return {
    name: 'binaryCrossEntropy',
    config:
      epsilon === 0
        ? 'binaryCrossEntropy'
        : { name: 'binaryCrossEntropy', labelSmoothing: epsilon },
    fusedActivation: 'sigmoid',
    classification: true,
    value(a, y, z, fused, weights) {
      if (fused) {
        return elementwiseMean(
          a,
          y,
          z,
          weights,
          (_ai, yi, zi) => Math.max(zi, 0) - zi * yi + Math.log1p(Math.exp(-Math.abs(zi))),
        );
      }
      return elementwiseMean(a, y, z, weights, (ai, yi) => {
        const p = clamp(ai);
        return -(yi * Math.log(p) + (1 - yi) * Math.log(1 - p));
      });
    },
    gradient: (a, y, out) =>
      elementwiseGradient(a, y, out, (ai, yi) => {
        const p = clamp(ai);
        return (p - yi) / (p * (1 - p));
      }),
    checkTargets: (y, name) => checkInRange(y, name, 'binaryCrossEntropy', 0, 1),
    ...(epsilon === 0 ? {} : { prepareTargets: (y: Matrix) => smoothLabels(y, epsilon, 2) }),
  };
}
