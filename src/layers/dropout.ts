import { ConfigError } from '../errors.js';
import type { Matrix } from '../tensor/matrix.js';
import type { Random } from '../tensor/random.js';

/** 2³², the number of values of a 32-bit draw. */
const UINT32_RANGE = 4294967296;

/**
 * Inverted dropout (Srivastava et al., 2014), as Keras `Dropout(rate)` and PyTorch
 * `nn.Dropout(p)`: while training, each input is zeroed with probability p and the kept ones
 * are scaled by 1/(1 − p), so the expected input is unchanged and prediction needs no rescaling.
 * In `predict` and `evaluate` it passes its input through.
 *
 * In a {@link Sequential} a Dropout is placed before a Dense layer and drops that layer's
 * input: `[Dense(784, 256), Dropout(0.2), Dense(256, 10)]` trains layer 2 on ã¹ = a¹ ⊙ m² with
 * the scaled mask m² ∈ {0, 1/(1 − p)}, drawn per element from the model's seeded generator. It
 * has no parameters and takes no index of its own, so layers stay numbered l = 1..L (here
 * L = 2). Batched, for layer l with dropout:
 * ```
 * Zˡ = (Aˡ⁻¹ ⊙ Mˡ)(Wˡ)ᵀ + bˡ          ∂L/∂Wˡ = (Δˡ)ᵀ(Aˡ⁻¹ ⊙ Mˡ) / B
 * ∂L/∂Aˡ⁻¹ = (ΔˡWˡ) ⊙ Mˡ             (then δˡ⁻¹ = ∂L/∂aˡ⁻¹ ⊙ g′(zˡ⁻¹) as usual)
 * ```
 * @example
 * const model = new Sequential([
 *   new Dense(784, 256, { activation: 'relu' }),
 *   new Dropout(0.2),
 *   new Dense(256, 10, { activation: 'softmax' }),
 * ]);
 * String(model.layers[1]); //=> 'Dense(256 => 10, softmax)'
 */
export class Dropout {
  static readonly className = 'Dropout';
  /** p, the probability of dropping each input, in [0, 1). */
  readonly rate: number;

  /**
   * @param rate - p in [0, 1); 0 keeps every input (the layer does nothing)
   * @throws {ConfigError} when rate is not a number in [0, 1), e.g. `Dropout rate must be a
   *   number in [0, 1); received 1`.
   */
  constructor(rate: number) {
    if (typeof rate !== 'number' || !(rate >= 0 && rate < 1)) {
      throw new ConfigError(`Dropout rate must be a number in [0, 1); received ${String(rate)}`);
    }
    this.rate = rate;
  }

  /**
   * Draws a fresh mask and applies it: mask ∈ {0, 1/(1 − p)} (0 with probability p), out =
   * a ⊙ mask. One 32-bit draw per element, row by row, so a seed gives the same masks on every
   * platform. All three matrices [B, n].
   * @param random - the model's generator (its state advances by B·n draws)
   */
  forward(random: Random, a: Matrix, mask: Matrix, out: Matrix): void {
    const threshold = this.rate * UINT32_RANGE;
    const scale = 1 / (1 - this.rate);
    const A = a.data;
    const M = mask.data;
    const O = out.data;
    for (let i = 0; i < A.length; i++) {
      const keep = random.nextUint32() >= threshold ? scale : 0;
      M[i] = keep;
      O[i] = A[i]! * keep;
    }
  }

  /**
   * Backpropagates through the mask in place: ∂L/∂a = ∂L/∂ã ⊙ mask, both [B, n].
   * @param mask - the mask of the forward pass
   * @param grad - ∂L/∂ã on entry, ∂L/∂a on return
   */
  backward(mask: Matrix, grad: Matrix): void {
    const M = mask.data;
    const G = grad.data;
    for (let i = 0; i < G.length; i++) G[i] = G[i]! * M[i]!;
  }

  /** `{ rate }`, so that `new Dropout(config.rate)` is an equal layer. */
  getConfig(): { rate: number } {
    return { rate: this.rate };
  }

  /** 'Dropout(0.2)', the layer as the user built it. */
  toString(): string {
    return `Dropout(${this.rate})`;
  }
}
