import { centralDifference } from '../gradcheck.js';
import type { Loss } from '../losses.js';
import { copyModel } from '../model/copy.js';
import type { Sequential } from '../model/sequential.js';
import type { Matrix } from '../tensor/matrix.js';

/** A parameter to estimate: layer l (1-based), W or b, and the 0-based row and column. */
export interface ParameterIndex {
  layer: number;
  parameter: 'weights' | 'bias';
  row: number;
  col: number;
}

/**
 * Central-difference estimates (L(θ + h) − L(θ − h)) / 2h of ∂L/∂θ for the given parameters,
 * computed on a float64 copy of the model (TypeScript kernels), so that a float32 model's
 * backprop gradients are compared with estimates that are accurate to about 1e-10, not to the
 * 1e-3 that float32 differences give. The model itself is not touched.
 * @param x - one example [1, n⁰]; @param y - its target [1, nᴸ]
 * @param h - the step; 1e-5 is near the float64 optimum ∛ε
 * @returns one estimate per index, in order
 * @throws never for indices inside the model's parameters
 */
export function centralDifferences(
  model: Sequential,
  x: Matrix,
  y: Matrix,
  loss: Loss,
  indices: readonly ParameterIndex[],
  h: number,
): number[] {
  const copy = copyModel(model);
  const x64 = x.clone('float64');
  const y64 = y.clone('float64');
  const lossAt = (): number => copy.lossOf(copy.forward(x64), y64, loss);
  return indices.map(({ layer, parameter, row, col }) => {
    const matrix = copy.denseLayers[layer - 1]![parameter];
    return centralDifference(matrix.data, row * matrix.cols + col, h, lossAt);
  });
}
