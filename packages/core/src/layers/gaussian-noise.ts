import { ConfigError } from '../errors.js';
import type { Matrix } from '../tensor/matrix.js';
import { Layer, type BufferAllocator, type LayerContext, type LayerState } from './layer.js';

/** A GaussianNoise layer's buffer: the noisy output [B, n]. */
export interface GaussianNoiseState extends LayerState {
  readonly output: Matrix;
}

/**
 * Additive zero-centred Gaussian noise, as Keras `GaussianNoise(stddev)`: while training,
 * y = x + ε with ε ~ N(0, σ²) drawn per element, row by row, from the model's seeded generator
 * (a regulariser); in predict and evaluate y = x. Backward: ∂L/∂x = ∂L/∂y (ε does not depend
 * on x).
 * @example
 * new Sequential([new GaussianNoise(0.1), new Dense(4, 3)], { inputs: 4 });
 */
export class GaussianNoise extends Layer<GaussianNoiseState> {
  readonly className = 'GaussianNoise';
  /** σ ≥ 0, the standard deviation of the noise, in the input's units. */
  readonly stddev: number;

  /** @throws {ConfigError} when stddev is not a finite number ≥ 0. */
  constructor(stddev: number) {
    super();
    if (typeof stddev !== 'number' || !Number.isFinite(stddev) || stddev < 0) {
      throw new ConfigError(
        `GaussianNoise stddev must be a finite number >= 0; received ${String(stddev)}`,
      );
    }
    this.stddev = stddev;
  }

  protected createParameters(inputs: number): number {
    return inputs;
  }

  allocate(allocator: BufferAllocator, context: LayerContext): GaussianNoiseState {
    return { context, output: allocator.batch(this.inputs) };
  }

  /** Training: y = x + σ·N(0, 1) per element; otherwise x itself. */
  forward(input: Matrix, state: GaussianNoiseState, training: boolean): Matrix {
    if (!training || this.stddev === 0) return input;
    const { random } = state.context;
    const X = input.data;
    const Y = state.output.data;
    for (let i = 0; i < X.length; i++) Y[i] = X[i]! + this.stddev * random.normal();
    return state.output;
  }

  /** ∂L/∂x = ∂L/∂y. */
  backward(
    _input: Matrix,
    _output: Matrix,
    _state: GaussianNoiseState,
    gradOutput: Matrix | null,
    gradInput: Matrix | null,
  ): void {
    if (gradInput !== null && gradOutput !== null) gradInput.data.set(gradOutput.data);
  }

  /** `{ stddev }`. */
  getConfig(): Record<string, unknown> {
    return { stddev: this.stddev };
  }

  /** 'GaussianNoise(0.1)'. */
  override toString(): string {
    return `GaussianNoise(${this.stddev})`;
  }
}
