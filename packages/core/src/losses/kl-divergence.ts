import { clamp, elementwiseGradient, elementwiseMean, type Loss } from './loss.js';
import { checkInRange } from './targets.js';

/**
 * Kullback–Leibler divergence (Kullback & Leibler 1951; Keras `KLDivergence`) of the output from
 * the target distribution, per example: ℓ = Σⱼ yⱼ log(yⱼ / aⱼ), with a clamped to [ε, 1 − ε]
 * and the terms with yⱼ = 0 taken as 0 (Keras clamps y too); ∂ℓ/∂aⱼ = −yⱼ / aⱼ. In nats.
 * Targets must be ≥ 0 (`checkTargets`). Not fused: with softmax, δᴸ goes through softmax's
 * Jacobian.
 */
export const klDivergence: Loss = {
  name: 'klDivergence',
  config: 'klDivergence',
  value: (a, y, z, _fused, weights) =>
    elementwiseMean(a, y, z, weights, (ai, yi) => (yi === 0 ? 0 : yi * Math.log(yi / clamp(ai)))),
  gradient: (a, y, out) => elementwiseGradient(a, y, out, (ai, yi) => -yi / clamp(ai)),
  checkTargets: (y, name) => checkInRange(y, name, 'klDivergence', 0, Infinity),
};
