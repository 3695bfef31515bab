import { centralDifference } from '../gradcheck.js';
import { copyModel } from '../model/copy.js';
import type { Sequential } from '../model/sequential.js';
import type { Explanation } from './explanation.js';
import type { Loss } from '../losses.js';
import type { RandomState } from '../tensor/random.js';

/** How the estimates are computed. */
export interface CheckSettings {
  loss: Loss;
  /** h of the central differences. */
  epsilon: number;
  /** Every entry, not only those a summary shows. */
  full: boolean;
  /** The generator's state before the explained pass (a training pass draws the same masks). */
  random: RandomState;
}

/** A parameter entry to estimate: its layer's 1-based position, its name, 0-based row and column. */
export interface ParameterIndex {
  /** The layer's 1-based position in `model.layers`. */
  layer: number;
  /** 'weights', 'bias', 'gamma', 'beta', … */
  parameter: string;
  row: number;
  col: number;
}

/**
 * Central-difference estimates (L(θ + h) − L(θ − h)) / 2h of ∂L/∂θ for the given parameter
 * entries, computed on a float64 copy of the model (TypeScript kernels), so that a float32
 * model's backprop gradients are compared with estimates that are accurate to about 1e-10, not
 * to the 1e-3 that float32 differences give. A training explanation's passes run in training
 * mode from the generator state of the explained pass, so they draw the same masks and noise.
 * The model itself is not touched.
 * @returns one estimate per index, in order
 * @throws never for indices inside the model's parameters
 */
export function centralDifferences(
  model: Sequential,
  explanation: Explanation,
  settings: CheckSettings,
  indices: readonly ParameterIndex[],
): number[] {
  const copy = copyModel(model);
  const x64 = explanation.x.clone('float64');
  const y64 = explanation.y.clone('float64');
  const training = explanation.training;
  const lossAt = (): number => {
    copy.random.setState(settings.random);
    return copy.lossOf(copy.forward(x64, { training }), y64, settings.loss);
  };
  return indices.map(({ layer, parameter, row, col }) => {
    const matrix = copy.layers[layer - 1]!.parameters().find((p) => p.name === parameter)!.value;
    return centralDifference(matrix.data, row * matrix.cols + col, settings.epsilon, lossAt);
  });
}
