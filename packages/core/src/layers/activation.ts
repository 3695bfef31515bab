import {
  getActivation,
  type Activation as ActivationFunction,
  type ActivationSpec,
} from '../activations.js';
import type { Matrix } from '../tensor/matrix.js';
import { Layer, type BufferAllocator, type LayerContext, type LayerState } from './layer.js';

/** An Activation layer's buffers: its input z (set by forward), a = g(z) and δ, [B, n]. */
export interface ActivationState extends LayerState {
  readonly a: Matrix;
  readonly delta: Matrix;
  /** The logits view for fused losses: z is the last forward pass's input. */
  readonly logits: { activation: string; z: Matrix; delta: Matrix };
}

/**
 * An activation on its own, as Keras `Activation("relu")` (here `ActivationLayer`; its model file type is `Activation`): a = g(z) element-wise (or softmax
 * per row), with no parameters; backward δ = ∂L/∂a ⊙ g′(z) (the Jacobian-vector product for
 * softmax). `Dense(n, m)` followed by `Activation(g)` computes what `Dense(n, m, { activation: g })`
 * does; the Dense layer's own a is then its z. A loss fused with g (softmax + cross-entropy)
 * fuses with this layer too.
 * @example
 * new Sequential([new Dense(4, 3), new ActivationLayer("softmax")]);
 */
export class ActivationLayer extends Layer<ActivationState> {
  readonly className = 'Activation';
  /** The activation g. */
  readonly activation: ActivationFunction;

  /** @throws {ConfigError} for an unknown activation (listing the valid ones). */
  constructor(activation: ActivationSpec) {
    super();
    this.activation = getActivation(activation);
  }

  protected createParameters(inputs: number): number {
    return inputs;
  }

  allocate(allocator: BufferAllocator, context: LayerContext): ActivationState {
    const a = allocator.batch(this.inputs);
    const delta = allocator.batch(this.inputs);
    return { context, a, delta, logits: { activation: this.activation.name, z: a, delta } };
  }

  /** a = g(z), z the input [B, n]. */
  forward(input: Matrix, state: ActivationState): Matrix {
    state.logits.z = input;
    this.activation.forward(state.context.backend, input, state.a);
    return state.a;
  }

  /** ∂L/∂z = ∂L/∂a ⊙ g′(z), or the δ a fused loss wrote. */
  backward(
    input: Matrix,
    output: Matrix,
    state: ActivationState,
    gradOutput: Matrix | null,
    gradInput: Matrix | null,
  ): void {
    if (gradInput === null) return;
    if (gradOutput === null) gradInput.data.set(state.delta.data);
    else this.activation.backward(state.context.backend, input, output, gradOutput, gradInput);
  }

  override outputActivation(): string {
    return this.activation.name;
  }

  override logits(state: ActivationState): { activation: string; z: Matrix; delta: Matrix } {
    return state.logits;
  }

  /** `{ activation }`. */
  getConfig(): Record<string, unknown> {
    return { activation: this.activation.config };
  }

  /** 'Activation(relu)'. */
  override toString(): string {
    return `Activation(${this.activation.label})`;
  }
}
