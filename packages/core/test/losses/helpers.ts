import {
  activations,
  jsBackend,
  Matrix,
  type DType,
  type FloatArray,
  type Loss,
} from '../../src/index.js';

/** The loss value of outputs a against targets y (not fused: a stands in for z too). */
export function lossOf(loss: Loss, a: number[][], y: number[][], weights?: FloatArray): number {
  const am = Matrix.from(a, 'float64');
  return loss.value(am, Matrix.from(y, 'float64'), am, false, weights);
}

/** The loss value with a = g(z) for the output activation g, fused when the pair fuses. */
export function lossFromLogits(
  loss: Loss,
  output: 'softmax' | 'sigmoid',
  z: number[][],
  y: number[][],
  dtype: DType = 'float64',
  weights?: FloatArray,
): number {
  const zm = Matrix.from(z, dtype);
  const a = new Matrix(zm.rows, zm.cols, dtype);
  activations[output].forward(jsBackend, zm, a);
  return loss.value(a, Matrix.from(y, dtype), zm, loss.fusedActivation === output, weights);
}

/** ∂ℓ/∂a per example, as number[][]. */
export function gradientOf(loss: Loss, a: number[][], y: number[][]): number[][] {
  const out = new Matrix(a.length, a[0]!.length, 'float64');
  loss.gradient(Matrix.from(a, 'float64'), Matrix.from(y, 'float64'), out);
  return out.toArray();
}

/**
 * Asserts ∂ℓ/∂a against central differences (h = 1e-6) of B·L, the batch sum, element by
 * element: |analytic − numeric| < 1e-6 · max(1, |numeric|) (float64).
 */
export function expectGradientMatchesDifferences(loss: Loss, a: number[][], y: number[][]): void {
  const h = 1e-6;
  const analytic = gradientOf(loss, a, y);
  a.forEach((row, i) =>
    row.forEach((_, j) => {
      const shifted = (step: number): number => {
        const copy = a.map((r) => [...r]);
        copy[i]![j]! += step;
        return lossOf(loss, copy, y) * a.length;
      };
      const numeric = (shifted(h) - shifted(-h)) / (2 * h);
      const error = Math.abs(analytic[i]![j]! - numeric) / Math.max(1, Math.abs(numeric));
      if (!(error < 1e-6)) {
        throw new Error(
          `∂ℓ/∂a[${i}][${j}] = ${analytic[i]![j]} but central differences give ${numeric}`,
        );
      }
    }),
  );
}
