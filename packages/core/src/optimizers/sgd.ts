import type { FloatArray } from '../tensor/matrix.js';
import { checkOptimizerOptions, Optimizer, type OptimizerConfig } from './optimizer.js';

export { checkLearningRate } from './optimizer.js';

/** Options of {@link SGD}. */
export interface SGDOptions {
  /** γ (PyTorch `lr`), the step size; a finite number > 0. Default 0.01 (Keras, PyTorch). */
  learningRate?: number;
  /** λ of PyTorch's `weight_decay`: adds λθ to the gradient (an L2 term); ≥ 0. Default 0. */
  weightDecay?: number;
}

/**
 * Stochastic gradient descent, the lecture's update: W ← W − η·∂L/∂W, b ← b − η·∂L/∂b.
 *
 * PyTorch `torch.optim.SGD` without momentum
 * (https://pytorch.org/docs/stable/generated/torch.optim.SGD.html), per step t:
 * ```
 * g ← ∇θ L(θ) + λθ        (only when weightDecay λ ≠ 0)
 * θ ← θ − γ g
 * ```
 * The lecture's step is fused into the backward pass: with λ = 0 (and no penalties or
 * clipping in `fit`), {@link SGD.fusedScale} lets each layer add −γ·∂L/∂θ straight into θ
 * while it backpropagates (W += −γ·ΔᵀA / B in one product with β = 1), after it has passed
 * ∂L/∂aˡ⁻¹ down with the old weights; ∂L/∂W is never stored. At batch size 1 this is
 * bit-identical to storing the gradient and stepping.
 * @example
 * const sgd = new SGD({ learningRate: 0.5 });
 * // parameters [1, 2, 3, 4], gradients [1, 6, 7, 2] → [0.5, −1, −0.5, 3]
 */
export class SGD extends Optimizer {
  readonly className = 'SGD';
  protected readonly slotNames: readonly string[] = [];

  /** @throws {ConfigError} for a learning rate ≤ 0, a weight decay < 0, or an unknown option. */
  constructor(options: SGDOptions = {}) {
    checkOptimizerOptions(options, ['learningRate', 'weightDecay'], 'SGD');
    super(options.learningRate ?? 0.01, options.weightDecay ?? 0);
  }

  getConfig(): OptimizerConfig {
    return { learningRate: this.learningRate, weightDecay: this.weightDecay };
  }

  /** −γ when λ = 0 (the lecture's step, fusable into backpropagation); undefined otherwise. */
  override fusedScale(): number | undefined {
    return this.weightDecay === 0 ? -this.learningRate : undefined;
  }

  protected update(theta: FloatArray, g: FloatArray): void {
    const lr = this.learningRate;
    const wd = this.weightDecay;
    if (wd === 0) {
      for (let i = 0; i < theta.length; i++) theta[i] = theta[i]! - lr * g[i]!;
    } else {
      for (let i = 0; i < theta.length; i++) theta[i] = theta[i]! - lr * (g[i]! + wd * theta[i]!);
    }
  }
}
