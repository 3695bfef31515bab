import type { FloatArray } from '../tensor/matrix.js';
import { checkBoolean } from '../training/check-data.js';
import {
  checkNonNegative,
  checkOptimizerOptions,
  checkUnitInterval,
  Optimizer,
  type OptimizerConfig,
} from './optimizer.js';

/** Options of {@link Adam} and {@link AdamW}. */
export interface AdamOptions {
  /** γ (PyTorch `lr`), a finite number > 0. Default 1e-3. */
  learningRate?: number;
  /** β₁, the decay of the first-moment average, in [0, 1). Default 0.9. */
  beta1?: number;
  /** β₂, the decay of the second-moment average, in [0, 1). Default 0.999. */
  beta2?: number;
  /** ε, added to the denominator, ≥ 0. Default 1e-8. */
  epsilon?: number;
  /**
   * λ ≥ 0. Adam: PyTorch's `weight_decay`, an L2 term λθ added to the gradient (default 0).
   * AdamW: decoupled weight decay θ ← θ − γλθ (default 0.01).
   */
  weightDecay?: number;
  /** AMSGrad (Reddi et al., 2018): divide by the largest second moment so far. Default false. */
  amsgrad?: boolean;
}

const KEYS = ['learningRate', 'beta1', 'beta2', 'epsilon', 'weightDecay', 'amsgrad'];

/**
 * Adam (Kingma & Ba, 2015): steps by bias-corrected running averages of the gradient and of
 * its square. PyTorch `torch.optim.Adam`
 * (https://pytorch.org/docs/stable/generated/torch.optim.Adam.html); per step t, with the
 * moments m (slot `m`) and v (slot `v`) from 0, and v_max (`vMax`) with amsgrad:
 * ```
 * g ← ∇θ L(θ) + λθ             (only when weightDecay λ ≠ 0)
 * m ← β₁ m + (1 − β₁) g
 * v ← β₂ v + (1 − β₂) g²
 * m̂ ← m / (1 − β₁ᵗ)
 * if amsgrad:  v_max ← max(v_max, v);  v̂ ← v_max / (1 − β₂ᵗ)
 * else:        v̂ ← v / (1 − β₂ᵗ)
 * θ ← θ − γ m̂ / (√v̂ + ε)
 * ```
 * @example
 * const adam = new Adam({ learningRate: 1e-3, beta1: 0.9, beta2: 0.999, epsilon: 1e-8 });
 * adam.step(model.parameters(), gradients); // in place
 */
export class Adam extends Optimizer {
  /** 'Adam' (or 'AdamW' in the subclass). */
  get className(): string {
    return 'Adam';
  }

  /** β₁ ∈ [0, 1). */
  readonly beta1: number;
  /** β₂ ∈ [0, 1). */
  readonly beta2: number;
  /** ε ≥ 0. */
  readonly epsilon: number;
  /** AMSGrad when true. */
  readonly amsgrad: boolean;
  protected readonly slotNames: readonly string[];
  /** True for AdamW: λ decays θ directly instead of entering the gradient. */
  protected readonly decoupled: boolean = false;

  /**
   * @throws {ConfigError} for a learning rate ≤ 0, β₁ or β₂ outside [0, 1), a negative ε or λ,
   *   or an unknown option (e.g. `betas`).
   */
  constructor(options: AdamOptions = {}) {
    super(options.learningRate ?? 1e-3, options.weightDecay ?? 0);
    checkOptimizerOptions(options, KEYS, this.className);
    this.beta1 = checkUnitInterval(options.beta1 ?? 0.9, 'beta1');
    this.beta2 = checkUnitInterval(options.beta2 ?? 0.999, 'beta2');
    this.epsilon = checkNonNegative(options.epsilon ?? 1e-8, 'epsilon');
    this.amsgrad = checkBoolean(options.amsgrad ?? false, 'amsgrad');
    this.slotNames = this.amsgrad ? ['m', 'v', 'vMax'] : ['m', 'v'];
  }

  getConfig(): OptimizerConfig {
    return {
      learningRate: this.learningRate,
      beta1: this.beta1,
      beta2: this.beta2,
      epsilon: this.epsilon,
      weightDecay: this.weightDecay,
      amsgrad: this.amsgrad,
    };
  }

  protected update(
    theta: FloatArray,
    gradient: FloatArray,
    slots: Readonly<Record<string, FloatArray>>,
    t: number,
  ): void {
    const m = slots['m']!;
    const v = slots['v']!;
    const vMax = slots['vMax'];
    const lr = this.learningRate;
    const wd = this.weightDecay;
    const coupled = this.decoupled ? 0 : wd;
    const decay = this.decoupled ? 1 - lr * wd : 1;
    const b1 = this.beta1;
    const b2 = this.beta2;
    const correction1 = 1 - b1 ** t;
    const correction2 = 1 - b2 ** t;
    const eps = this.epsilon;
    for (let i = 0; i < theta.length; i++) {
      if (decay !== 1) theta[i] = theta[i]! * decay;
      const g = coupled === 0 ? gradient[i]! : gradient[i]! + coupled * theta[i]!;
      m[i] = b1 * m[i]! + (1 - b1) * g;
      v[i] = b2 * v[i]! + (1 - b2) * g * g;
      let second = v[i]!;
      if (vMax !== undefined) {
        if (second > vMax[i]!) vMax[i] = second;
        second = vMax[i]!;
      }
      const mHat = m[i]! / correction1;
      const vHat = second / correction2;
      theta[i] = theta[i]! - (lr * mHat) / (Math.sqrt(vHat) + eps);
    }
  }
}
