import { ConfigError } from '../errors.js';
import type { Matrix } from '../tensor/matrix.js';
import type { Random } from '../tensor/random.js';
import { Layer, type BufferAllocator, type LayerContext, type LayerState } from './layer.js';

/** 2³², the number of values of a 32-bit draw. */
const UINT32_RANGE = 4294967296;

/** A Dropout's buffers for a batch, both [B, n]. */
export interface DropoutState extends LayerState {
  /** The scaled mask m ∈ {0, 1/(1 − p)} of the last training forward pass. */
  readonly mask: Matrix;
  /** The dropped input a ⊙ m. */
  readonly output: Matrix;
}

/**
 * Draws a dropout mask and applies it: mask ∈ {0, 1/(1 − p)} (0 with probability p),
 * out = a ⊙ mask. One 32-bit draw per element, row by row, so a seed gives the same masks on
 * every platform. All three matrices [B, n].
 * @param rate - p in [0, 1)
 * @param random - the generator (its state advances by B·n draws)
 */
export function applyDropout(
  rate: number,
  random: Random,
  a: Matrix,
  mask: Matrix,
  out: Matrix,
): void {
  const threshold = rate * UINT32_RANGE;
  const scale = 1 / (1 - rate);
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
 * Inverted dropout (Srivastava et al., 2014), as Keras `Dropout(rate)` and PyTorch
 * `nn.Dropout(p)`: while training, each input is zeroed with probability p and the kept ones
 * are scaled by 1/(1 − p), so the expected input is unchanged and prediction needs no rescaling.
 * In `predict` and `evaluate` (and with p = 0) it passes its input through and draws nothing.
 *
 * `[Dense(784, 256), Dropout(0.2), Dense(256, 10)]` trains the second Dense layer on
 * ã = a ⊙ m with the scaled mask m ∈ {0, 1/(1 − p)}, drawn per element from the model's seeded
 * generator. Dropout is not a Dense layer, so the lecture's l = 1..L still counts the Dense
 * layers (here L = 2); the mask is `trace.dropout[2].mask`. Batched:
 * ```
 * forward: Ã = A ⊙ M          backward: ∂L/∂A = ∂L/∂Ã ⊙ M
 * ```
 * @example
 * const model = new Sequential([
 *   new Dense(784, 256, { activation: 'relu' }),
 *   new Dropout(0.2),
 *   new Dense(256, 10, { activation: 'softmax' }),
 * ]);
 * String(model.layers[2]); //=> 'Dense(256 => 10, softmax)'
 */
export class Dropout extends Layer<DropoutState> {
  readonly className = 'Dropout';
  /** p, the probability of dropping each input, in [0, 1). */
  readonly rate: number;

  /**
   * @param rate - p in [0, 1); 0 keeps every input (the layer does nothing)
   * @throws {ConfigError} when rate is not a number in [0, 1), e.g. `Dropout rate must be a
   *   number in [0, 1); received 1`.
   */
  constructor(rate: number) {
    super();
    if (typeof rate !== 'number' || !(rate >= 0 && rate < 1)) {
      throw new ConfigError(`Dropout rate must be a number in [0, 1); received ${String(rate)}`);
    }
    this.rate = rate;
  }

  protected createParameters(inputs: number): number {
    return inputs;
  }

  allocate(allocator: BufferAllocator, context: LayerContext): DropoutState {
    const n = this.inputs;
    return { context, mask: allocator.batch(n), output: allocator.batch(n) };
  }

  /** Training: ã = a ⊙ m with a fresh mask from the model's generator; otherwise a itself. */
  forward(input: Matrix, state: DropoutState, training: boolean): Matrix {
    if (!training || this.rate === 0) return input;
    applyDropout(this.rate, state.context.random, input, state.mask, state.output);
    return state.output;
  }

  /** ∂L/∂a = ∂L/∂ã ⊙ m after a training pass; ∂L/∂a = ∂L/∂ã after a pass-through. */
  backward(
    input: Matrix,
    output: Matrix,
    state: DropoutState,
    gradOutput: Matrix | null,
    gradInput: Matrix | null,
  ): void {
    if (gradInput === null || gradOutput === null) return;
    const G = gradOutput.data;
    const D = gradInput.data;
    if (output === input) {
      D.set(G);
      return;
    }
    const M = state.mask.data;
    for (let i = 0; i < D.length; i++) D[i] = G[i]! * M[i]!;
  }

  override dropoutMask(state: DropoutState): DropoutState {
    return state;
  }

  /** `{ rate }`, so that `new Dropout(config.rate)` is an equal layer. */
  getConfig(): { rate: number } {
    return { rate: this.rate };
  }

  /** 'Dropout(0.2)', the layer as the user built it. */
  override toString(): string {
    return `Dropout(${this.rate})`;
  }
}
