import type { FloatArray } from '../tensor/matrix.js';
import { checkBoolean } from '../training/check-data.js';
import {
  checkNonNegative,
  checkOptimizerOptions,
  checkUnitInterval,
  Optimizer,
  type OptimizerConfig,
} from './optimizer.js';

/** Options of {@link RMSprop}. */
export interface RMSpropOptions {
  /** γ (PyTorch `lr`), a finite number > 0. Default 0.01 (PyTorch). */
  learningRate?: number;
  /** α, the decay of the average of squared gradients, in [0, 1) (Keras `rho`). Default 0.99. */
  alpha?: number;
  /** ε, added to the denominator, ≥ 0 (PyTorch `eps`). Default 1e-8. */
  epsilon?: number;
  /** μ, momentum on the scaled step, in [0, 1). Default 0. */
  momentum?: number;
  /** Divide by an estimate of the gradient's variance instead of its second moment. */
  centered?: boolean;
  /** λ of PyTorch's `weight_decay`: adds λθ to the gradient (an L2 term); ≥ 0. Default 0. */
  weightDecay?: number;
}

const KEYS = ['learningRate', 'alpha', 'epsilon', 'momentum', 'centered', 'weightDecay'];

/**
 * RMSprop (Hinton, Coursera lecture 6e, 2012): divides each step by a running root mean square
 * of the gradients. PyTorch `torch.optim.RMSprop`
 * (https://pytorch.org/docs/stable/generated/torch.optim.RMSprop.html); per step, with the
 * square average v (slot `squareAverage`), and when used the gradient average ḡ
 * (`gradAverage`, centered) and buffer b (`momentumBuffer`, momentum μ > 0), all from 0:
 * ```
 * g ← ∇θ L(θ) + λθ                (only when weightDecay λ ≠ 0)
 * v ← α v + (1 − α) g²
 * ṽ ← v
 * if centered:  ḡ ← α ḡ + (1 − α) g;  ṽ ← ṽ − ḡ²
 * if μ > 0:     b ← μ b + g / (√ṽ + ε);  θ ← θ − γ b
 * else:         θ ← θ − γ g / (√ṽ + ε)
 * ```
 * @example
 * new RMSprop({ learningRate: 0.001, alpha: 0.9 });
 */
export class RMSprop extends Optimizer {
  readonly className = 'RMSprop';
  /** α ∈ [0, 1). */
  readonly alpha: number;
  /** ε ≥ 0. */
  readonly epsilon: number;
  /** μ ∈ [0, 1). */
  readonly momentum: number;
  /** Centered RMSprop when true. */
  readonly centered: boolean;
  protected readonly slotNames: readonly string[];

  /**
   * @throws {ConfigError} for a learning rate ≤ 0, α or momentum outside [0, 1), a negative ε
   *   or λ, or an unknown option.
   */
  constructor(options: RMSpropOptions = {}) {
    checkOptimizerOptions(options, KEYS, 'RMSprop');
    super(options.learningRate ?? 0.01, options.weightDecay ?? 0);
    this.alpha = checkUnitInterval(options.alpha ?? 0.99, 'alpha');
    this.epsilon = checkNonNegative(options.epsilon ?? 1e-8, 'epsilon');
    this.momentum = checkUnitInterval(options.momentum ?? 0, 'momentum');
    this.centered = checkBoolean(options.centered ?? false, 'centered');
    this.slotNames = [
      'squareAverage',
      ...(this.centered ? ['gradAverage'] : []),
      ...(this.momentum > 0 ? ['momentumBuffer'] : []),
    ];
  }

  getConfig(): OptimizerConfig {
    return {
      learningRate: this.learningRate,
      alpha: this.alpha,
      epsilon: this.epsilon,
      momentum: this.momentum,
      centered: this.centered,
      weightDecay: this.weightDecay,
    };
  }

  protected update(
    theta: FloatArray,
    gradient: FloatArray,
    slots: Readonly<Record<string, FloatArray>>,
  ): void {
    const v = slots['squareAverage']!;
    const average = slots['gradAverage'];
    const b = slots['momentumBuffer'];
    const lr = this.learningRate;
    const wd = this.weightDecay;
    const alpha = this.alpha;
    const rest = 1 - alpha;
    const eps = this.epsilon;
    const mu = this.momentum;
    for (let i = 0; i < theta.length; i++) {
      const g = wd === 0 ? gradient[i]! : gradient[i]! + wd * theta[i]!;
      v[i] = alpha * v[i]! + rest * g * g;
      let tilde = v[i]!;
      if (average !== undefined) {
        average[i] = alpha * average[i]! + rest * g;
        tilde -= average[i]! * average[i]!;
      }
      const scaled = g / (Math.sqrt(tilde) + eps);
      if (b !== undefined) {
        b[i] = mu * b[i]! + scaled;
        theta[i] = theta[i]! - lr * b[i]!;
      } else {
        theta[i] = theta[i]! - lr * scaled;
      }
    }
  }
}
