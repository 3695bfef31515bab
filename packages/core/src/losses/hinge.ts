import { DataError } from '../errors.js';
import type { Matrix } from '../tensor/matrix.js';
import { elementwiseGradient, elementwiseMean, type Loss } from './loss.js';
import { position } from './targets.js';

/** A target as the hinge loss reads it: labels 0 stand for −1 (Keras converts {0, 1} to {−1, 1}). */
function sign(y: number): number {
  return y === 0 ? -1 : y;
}

/**
 * Checks hinge targets: every value −1, 0 or 1, and not both −1 and 0 in one data set (0 means
 * −1 in {0, 1} labels; in {−1, 0, 1} it would be ambiguous).
 * @throws {DataError} naming the first bad row and column and its value, or the first row of
 *   each kind when −1 and 0 are mixed.
 */
function checkHingeTargets(y: Matrix, name: string): void {
  const Y = y.data;
  let zero = -1;
  let minusOne = -1;
  for (let k = 0; k < Y.length; k++) {
    const v = Y[k]!;
    if (v !== -1 && v !== 0 && v !== 1) {
      const row = Math.floor(k / y.cols);
      throw new DataError(
        `${name}: ${position(row, k - row * y.cols)} is ${v}; hinge expects labels -1 or 1 ` +
          '(or 0 or 1)',
      );
    }
    if (v === 0 && zero < 0) zero = k;
    if (v === -1 && minusOne < 0) minusOne = k;
  }
  if (zero >= 0 && minusOne >= 0) {
    throw new DataError(
      `${name}: ${position(Math.floor(minusOne / y.cols))} has a -1 and ` +
        `${position(Math.floor(zero / y.cols))} a 0; hinge expects labels -1 or 1, or 0 or 1, ` +
        'not both kinds',
    );
  }
}

/**
 * The hinge loss (Keras `Hinge`; Cortes & Vapnik 1995), summed over outputs:
 * ℓ = Σⱼ max(0, 1 − yⱼaⱼ) per example, for labels yⱼ ∈ {−1, 1}; ∂ℓ/∂aⱼ = −yⱼ where
 * 1 − yⱼaⱼ > 0, else 0 (the subgradient 0 at the kink). Labels in {0, 1} are read as {−1, 1}
 * (0 → −1), as Keras converts a {0, 1} batch; targets other than −1, 0, 1, or −1 and 0 in one
 * data set, are refused (`checkTargets`). Keras averages over the outputs; we sum, as mse does.
 * Use it with a tanh or linear output.
 */
export const hinge: Loss = {
  name: 'hinge',
  config: 'hinge',
  value: (a, y, z, _fused, weights) =>
    elementwiseMean(a, y, z, weights, (ai, yi) => Math.max(0, 1 - sign(yi) * ai)),
  gradient: (a, y, out) =>
    elementwiseGradient(a, y, out, (ai, yi) => (1 - sign(yi) * ai > 0 ? -sign(yi) : 0)),
  checkTargets: checkHingeTargets,
};
