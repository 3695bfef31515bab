import { Adam, type AdamOptions } from './adam.js';

/**
 * AdamW (Loshchilov & Hutter, "Decoupled weight decay regularization", 2019): Adam whose
 * weight decay shrinks the parameters directly instead of adding λθ to the gradient, so the
 * decay is not rescaled by the adaptive denominator. PyTorch `torch.optim.AdamW`
 * (https://pytorch.org/docs/stable/generated/torch.optim.AdamW.html); per step t:
 * ```
 * θ ← θ − γλθ
 * m ← β₁ m + (1 − β₁) g;  v ← β₂ v + (1 − β₂) g²
 * m̂ ← m / (1 − β₁ᵗ);  v̂ ← v / (1 − β₂ᵗ)       (v_max as in Adam with amsgrad)
 * θ ← θ − γ m̂ / (√v̂ + ε)
 * ```
 * The decay applies to every parameter given to `step`, biases included, as in PyTorch.
 * Options and defaults are Adam's, except weightDecay, default 0.01 (PyTorch).
 * @example
 * new AdamW({ learningRate: 1e-3, weightDecay: 0.01 });
 */
export class AdamW extends Adam {
  protected override readonly decoupled: boolean = true;

  /** @throws {ConfigError} as {@link Adam}'s constructor. */
  constructor(options: AdamOptions = {}) {
    super({ ...options, weightDecay: options.weightDecay ?? 0.01 });
  }

  override get className(): string {
    return 'AdamW';
  }
}
