import type { FloatArray } from '../tensor/matrix.js';
import {
  checkNonNegative,
  checkOptimizerOptions,
  Optimizer,
  type OptimizerConfig,
} from './optimizer.js';

/** Options of {@link Adagrad}. */
export interface AdagradOptions {
  /** γ (PyTorch `lr`), a finite number > 0. Default 0.01 (PyTorch). */
  learningRate?: number;
  /** τ, the accumulator's starting value, ≥ 0 (PyTorch `initial_accumulator_value`). Default 0. */
  initialAccumulatorValue?: number;
  /** ε, added to the denominator, ≥ 0 (PyTorch `eps`). Default 1e-10. */
  epsilon?: number;
  /** λ of PyTorch's `weight_decay`: adds λθ to the gradient (an L2 term); ≥ 0. Default 0. */
  weightDecay?: number;
}

const KEYS = ['learningRate', 'initialAccumulatorValue', 'epsilon', 'weightDecay'];

/**
 * Adagrad (Duchi, Hazan & Singer, 2011): each parameter's step shrinks with the sum of its
 * squared gradients. PyTorch `torch.optim.Adagrad` with lr_decay 0
 * (https://pytorch.org/docs/stable/generated/torch.optim.Adagrad.html); per step, with the
 * accumulator s (state slot `sum`, starting at τ):
 * ```
 * g ← ∇θ L(θ) + λθ          (only when weightDecay λ ≠ 0)
 * s ← s + g²
 * θ ← θ − γ g / (√s + ε)
 * ```
 * @example
 * new Adagrad({ learningRate: 0.1 });
 */
export class Adagrad extends Optimizer {
  readonly className = 'Adagrad';
  /** τ ≥ 0. */
  readonly initialAccumulatorValue: number;
  /** ε ≥ 0. */
  readonly epsilon: number;
  protected readonly slotNames: readonly string[] = ['sum'];

  /** @throws {ConfigError} for a learning rate ≤ 0, a negative τ, ε or λ, or an unknown option. */
  constructor(options: AdagradOptions = {}) {
    checkOptimizerOptions(options, KEYS, 'Adagrad');
    super(options.learningRate ?? 0.01, options.weightDecay ?? 0);
    this.initialAccumulatorValue = checkNonNegative(
      options.initialAccumulatorValue ?? 0,
      'initialAccumulatorValue',
    );
    this.epsilon = checkNonNegative(options.epsilon ?? 1e-10, 'epsilon');
  }

  getConfig(): OptimizerConfig {
    return {
      learningRate: this.learningRate,
      initialAccumulatorValue: this.initialAccumulatorValue,
      epsilon: this.epsilon,
      weightDecay: this.weightDecay,
    };
  }

  protected override initialValue(): number {
    return this.initialAccumulatorValue;
  }

  protected update(
    theta: FloatArray,
    gradient: FloatArray,
    slots: Readonly<Record<string, FloatArray>>,
  ): void {
    const s = slots['sum']!;
    const lr = this.learningRate;
    const wd = this.weightDecay;
    const eps = this.epsilon;
    for (let i = 0; i < theta.length; i++) {
      const g = wd === 0 ? gradient[i]! : gradient[i]! + wd * theta[i]!;
      s[i] = s[i]! + g * g;
      theta[i] = theta[i]! - (lr * g) / (Math.sqrt(s[i]!) + eps);
    }
  }
}
