import { ConfigError } from '../errors.js';
import { elementwiseGradient, elementwiseMean, type Loss } from './loss.js';

/** Lecture's loss: ℓ = ½Σⱼ(yⱼ − aⱼ)² per example; ∂ℓ/∂a = a − y. */
export const mse: Loss = {
  name: 'mse',
  config: 'mse',
  value: (a, y, z, _fused, weights) =>
    elementwiseMean(a, y, z, weights, (ai, yi) => 0.5 * (yi - ai) * (yi - ai)),
  gradient: (a, y, out) => elementwiseGradient(a, y, out, (ai, yi) => ai - yi),
};

/**
 * Mean absolute error, summed over outputs: ℓ = Σⱼ|aⱼ − yⱼ| per example (Keras
 * `MeanAbsoluteError` averages over the outputs; we sum, as mse does). ∂ℓ/∂aⱼ = sign(aⱼ − yⱼ),
 * with the subgradient 0 at aⱼ = yⱼ.
 */
export const mae: Loss = {
  name: 'mae',
  config: 'mae',
  value: (a, y, z, _fused, weights) =>
    elementwiseMean(a, y, z, weights, (ai, yi) => Math.abs(ai - yi)),
  gradient: (a, y, out) => elementwiseGradient(a, y, out, (ai, yi) => Math.sign(ai - yi)),
};

/** Keras Huber's default δ. */
export const HUBER_DELTA = 1;

/**
 * The Huber loss (Huber 1964, "Robust Estimation of a Location Parameter"; Keras `Huber`) with
 * threshold δ, summed over outputs: for r = aⱼ − yⱼ, ℓⱼ = ½r² when |r| ≤ δ, δ(|r| − ½δ)
 * otherwise; ∂ℓ/∂aⱼ = r when |r| ≤ δ, δ·sign(r) otherwise. Keras averages over the outputs;
 * we sum, as mse does (with δ = ∞ it is mse).
 * @param delta - δ > 0, in the targets' units; default 1
 * @throws {ConfigError} when δ is not a finite number > 0 (echoes the value received).
 */
export function huber(delta: number = HUBER_DELTA): Loss {
  if (typeof delta !== 'number' || !(delta > 0 && delta < Infinity)) {
    throw new ConfigError(
      `loss huber: delta must be a finite number > 0; received ${String(delta)}`,
    );
  }
  return {
    name: 'huber',
    config: delta === HUBER_DELTA ? 'huber' : { name: 'huber', delta },
    value: (a, y, z, _fused, weights) =>
      elementwiseMean(a, y, z, weights, (ai, yi) => {
        const r = Math.abs(ai - yi);
        return r <= delta ? 0.5 * r * r : delta * (r - 0.5 * delta);
      }),
    gradient: (a, y, out) =>
      elementwiseGradient(a, y, out, (ai, yi) => {
        const r = ai - yi;
        return Math.abs(r) <= delta ? r : delta * Math.sign(r);
      }),
  };
}
