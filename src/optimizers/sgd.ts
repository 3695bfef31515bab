import type { Backend } from '../backend/backend.js';
import { jsBackend } from '../backend/js.js';
import { ConfigError } from '../errors.js';
import type { Matrix } from '../tensor/matrix.js';

/** Options of {@link SGD}. */
export interface SGDOptions {
  /** η, the step size; a finite number > 0. Default 0.01 (Keras, PyTorch). */
  learningRate?: number;
}

/**
 * Stochastic gradient descent, the lecture's update: W ← W − η·∂L/∂W, b ← b − η·∂L/∂b.
 *
 * ```
 * parameter = parameter - learningRate * gradient
 * ```
 * @example
 * const sgd = new SGD({ learningRate: 0.5 });
 * // parameters [1, 2, 3, 4], gradients [1, 6, 7, 2] → [0.5, −1, −0.5, 3]
 */
export class SGD {
  /** η, dimensionless. */
  readonly learningRate: number;

  /** @throws {ConfigError} when learningRate is not a finite number > 0. */
  constructor(options: SGDOptions = {}) {
    this.learningRate = checkLearningRate(options.learningRate ?? 0.01);
  }

  /**
   * Updates every parameter in place: θ ← θ − η·g.
   * @param parameters - e.g. [W¹, b¹, W², b², …]
   * @param gradients - ∂L/∂θ for each, same shapes
   */
  step(parameters: readonly Matrix[], gradients: readonly Matrix[], backend: Backend = jsBackend) {
    for (let i = 0; i < parameters.length; i++) {
      backend.axpy(-this.learningRate, gradients[i]!, parameters[i]!);
    }
  }
}

/**
 * Checks a learning rate.
 * @throws {ConfigError} when it is not a finite number > 0 (echoes the value received).
 */
export function checkLearningRate(value: unknown, option = 'learningRate'): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new ConfigError(`${option} must be a finite number > 0; received ${String(value)}`);
  }
  return value;
}
