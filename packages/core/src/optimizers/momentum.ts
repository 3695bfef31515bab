import { ConfigError } from '../errors.js';
import type { FloatArray } from '../tensor/matrix.js';
import { checkBoolean } from '../training/check-data.js';
import {
  checkOptimizerOptions,
  checkUnitInterval,
  Optimizer,
  type OptimizerConfig,
} from './optimizer.js';

/** Options of {@link Momentum}. */
export interface MomentumOptions {
  /** γ (PyTorch `lr`), a finite number > 0. Default 0.01. */
  learningRate?: number;
  /** μ, the fraction of the previous step kept, in [0, 1). Default 0.9. */
  momentum?: number;
  /** τ, damping of the new gradient in the buffer, in [0, 1); 0 with nesterov. Default 0. */
  dampening?: number;
  /** Nesterov's accelerated gradient (Sutskever et al., 2013) instead of classical momentum. */
  nesterov?: boolean;
  /** λ of PyTorch's `weight_decay`: adds λθ to the gradient (an L2 term); ≥ 0. Default 0. */
  weightDecay?: number;
}

const KEYS = ['learningRate', 'momentum', 'dampening', 'nesterov', 'weightDecay'];

/**
 * SGD with momentum, classical or Nesterov: PyTorch `torch.optim.SGD` with `momentum`
 * (https://pytorch.org/docs/stable/generated/torch.optim.SGD.html). Per step t and parameter θ,
 * with the momentum buffer b (state slot `momentumBuffer`):
 * ```
 * g ← ∇θ L(θ) + λθ                        (only when weightDecay λ ≠ 0)
 * b ← g                   if t = 1
 * b ← μ b + (1 − τ) g     if t > 1
 * g ← g + μ b             if nesterov, else  g ← b
 * θ ← θ − γ g
 * ```
 * (Keras writes the same classical update as velocity = μ·velocity − η·g; θ += velocity.)
 * @example
 * new Momentum({ learningRate: 0.1, momentum: 0.9, nesterov: true });
 */
export class Momentum extends Optimizer {
  readonly className = 'Momentum';
  /** μ ∈ [0, 1). */
  readonly momentum: number;
  /** τ ∈ [0, 1). */
  readonly dampening: number;
  /** Nesterov momentum when true. */
  readonly nesterov: boolean;
  protected readonly slotNames: readonly string[] = ['momentumBuffer'];

  /**
   * @throws {ConfigError} for a learning rate ≤ 0, momentum or dampening outside [0, 1), a
   *   weight decay < 0, nesterov with dampening ≠ 0 (as PyTorch), or an unknown option.
   */
  constructor(options: MomentumOptions = {}) {
    checkOptimizerOptions(options, KEYS, 'Momentum');
    super(options.learningRate ?? 0.01, options.weightDecay ?? 0);
    this.momentum = checkUnitInterval(options.momentum ?? 0.9, 'momentum');
    this.dampening = checkUnitInterval(options.dampening ?? 0, 'dampening');
    this.nesterov = checkBoolean(options.nesterov ?? false, 'nesterov');
    if (this.nesterov && this.dampening !== 0) {
      throw new ConfigError(
        `Nesterov momentum requires dampening 0 (as in PyTorch); received dampening ${this.dampening}`,
      );
    }
  }

  getConfig(): OptimizerConfig {
    return {
      learningRate: this.learningRate,
      momentum: this.momentum,
      dampening: this.dampening,
      nesterov: this.nesterov,
      weightDecay: this.weightDecay,
    };
  }

  protected update(
    theta: FloatArray,
    gradient: FloatArray,
    slots: Readonly<Record<string, FloatArray>>,
    t: number,
  ): void {
    const b = slots['momentumBuffer']!;
    const lr = this.learningRate;
    const wd = this.weightDecay;
    const mu = this.momentum;
    const keep = 1 - this.dampening;
    for (let i = 0; i < theta.length; i++) {
      const g = wd === 0 ? gradient[i]! : gradient[i]! + wd * theta[i]!;
      const buffer = t === 1 ? g : mu * b[i]! + keep * g;
      b[i] = buffer;
      // The stored (rounded) buffer is used, as PyTorch uses its buffer tensor.
      const step = this.nesterov ? g + mu * b[i]! : b[i]!;
      theta[i] = theta[i]! - lr * step;
    }
  }
}
