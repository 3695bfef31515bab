import type { Matrix } from '../tensor/matrix.js';
import { checkEpsilon, checkOptions } from './batch-normalization.js';
import {
  Layer,
  type BufferAllocator,
  type GradientSink,
  type LayerContext,
  type LayerState,
  type Parameter,
} from './layer.js';
import { ones, scaleShiftParameters, writeScaleShiftGradients } from './normalization.js';

/** Options of {@link LayerNormalization}. */
export interface LayerNormalizationOptions {
  /** ε > 0 added to the variance. Default 1e-3 (Keras; PyTorch uses 1e-5). */
  epsilon?: number;
}

/** A LayerNormalization's buffers: y and x̂ [B, n]; each row's 1/√(σ² + ε) [B, 1]. */
export interface LayerNormalizationState extends LayerState {
  readonly output: Matrix;
  readonly xhat: Matrix;
  readonly inverseStd: Matrix;
}

/**
 * Layer normalisation (Ba, Kiros & Hinton, 2016), as Keras `LayerNormalization()` over the last
 * axis: for each example i over its n units, μᵢ = (1/n)Σⱼxᵢⱼ, σ²ᵢ = (1/n)Σⱼ(xᵢⱼ − μᵢ)²,
 * x̂ = (x − μ)/√(σ² + ε), y = γ ⊙ x̂ + β; the same in training and inference.
 * Backward (per example, g = ∂ℓ/∂y, ĝ = g ⊙ γ): ∂ℓ/∂x = (ĝ − mean(ĝ) − x̂·mean(ĝ ⊙ x̂))/√(σ² + ε),
 * ∂L/∂γ = (1/B)Σᵢ gᵢ ⊙ x̂ᵢ, ∂L/∂β = (1/B)Σᵢ gᵢ. Parameters `gamma` (ones) and `beta` (zeros), [1, n].
 * @example
 * new Sequential([new Dense(4, 8), new LayerNormalization(), new ActivationLayer('relu'), new Dense(8, 3)]);
 */
export class LayerNormalization extends Layer<LayerNormalizationState> {
  readonly className = 'LayerNormalization';
  /** ε, added to the variance. */
  readonly epsilon: number;
  #gamma: Matrix | undefined;
  #beta: Matrix | undefined;

  /** @throws {ConfigError} for epsilon ≤ 0 or an unknown option. */
  constructor(options: LayerNormalizationOptions = {}) {
    super();
    checkOptions(options, ['epsilon'], 'LayerNormalization');
    const epsilon = options.epsilon ?? 1e-3;
    checkEpsilon(epsilon, 'LayerNormalization');
    this.epsilon = epsilon;
  }

  protected createParameters(inputs: number, context: LayerContext): number {
    this.#gamma = ones(this.parameterMatrix(1, inputs, context));
    this.#beta = this.parameterMatrix(1, inputs, context);
    return inputs;
  }

  /** gamma and beta, trainable. */
  override parameters(): Parameter[] {
    const built = (m: Matrix | undefined) => m ?? this.notBuilt();
    return [...scaleShiftParameters(built(this.#gamma), built(this.#beta))];
  }

  allocate(allocator: BufferAllocator, context: LayerContext): LayerNormalizationState {
    const n = this.inputs;
    return {
      context,
      output: allocator.batch(n),
      xhat: allocator.batch(n),
      inverseStd: allocator.batch(1),
    };
  }

  /** y = γ ⊙ x̂ + β, each row normalised over its units. */
  forward(input: Matrix, state: LayerNormalizationState): Matrix {
    const { rows, cols } = input;
    const X = input.data;
    const XH = state.xhat.data;
    const Y = state.output.data;
    const S = state.inverseStd.data;
    const gamma = this.#gamma!.data;
    const beta = this.#beta!.data;
    for (let i = 0; i < rows; i++) {
      const row = i * cols;
      let sum = 0;
      for (let j = 0; j < cols; j++) sum += X[row + j]!;
      const mu = sum / cols;
      let squares = 0;
      for (let j = 0; j < cols; j++) squares += (X[row + j]! - mu) ** 2;
      const inverseStd = 1 / Math.sqrt(squares / cols + this.epsilon);
      S[i] = inverseStd;
      for (let j = 0; j < cols; j++) {
        const xhat = (X[row + j]! - mu) * inverseStd;
        XH[row + j] = xhat;
        Y[row + j] = gamma[j]! * xhat + beta[j]!;
      }
    }
    return state.output;
  }

  /** ∂ℓ/∂x per example, then ∂L/∂γ and ∂L/∂β. */
  backward(
    _input: Matrix,
    _output: Matrix,
    state: LayerNormalizationState,
    gradOutput: Matrix | null,
    gradInput: Matrix | null,
    sinks: readonly (GradientSink | null)[],
  ): void {
    if (gradOutput === null) return;
    const { rows, cols } = gradOutput;
    if (gradInput !== null) {
      const G = gradOutput.data;
      const XH = state.xhat.data;
      const S = state.inverseStd.data;
      const D = gradInput.data;
      const gamma = this.#gamma!.data;
      for (let i = 0; i < rows; i++) {
        const row = i * cols;
        let meanG = 0;
        let meanGX = 0;
        for (let j = 0; j < cols; j++) {
          const g = G[row + j]! * gamma[j]!;
          meanG += g;
          meanGX += g * XH[row + j]!;
        }
        meanG /= cols;
        meanGX /= cols;
        for (let j = 0; j < cols; j++) {
          const g = G[row + j]! * gamma[j]!;
          D[row + j] = (g - meanG - XH[row + j]! * meanGX) * S[i]!;
        }
      }
    }
    writeScaleShiftGradients(gradOutput, state.xhat, sinks[0] ?? null, sinks[1] ?? null);
  }

  /** `{ epsilon }`. */
  getConfig(): Record<string, unknown> {
    return { epsilon: this.epsilon };
  }

  /** 'LayerNormalization(epsilon=0.001)'. */
  override toString(): string {
    return `LayerNormalization(epsilon=${this.epsilon})`;
  }
}
