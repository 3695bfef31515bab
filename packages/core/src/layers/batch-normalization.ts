import { ConfigError } from '../errors.js';
import type { Matrix } from '../tensor/matrix.js';
import {
  Layer,
  type BufferAllocator,
  type GradientSink,
  type LayerContext,
  type LayerState,
  type Parameter,
} from './layer.js';
import { ones, scaleShiftParameters, writeScaleShiftGradients } from './normalization.js';

/** Options of {@link BatchNormalization} (Keras names and defaults). */
export interface BatchNormalizationOptions {
  /** m in [0, 1): moving statistic ← m·moving + (1 − m)·batch statistic. Default 0.99. */
  momentum?: number;
  /** ε > 0 added to the variance before the square root. Default 1e-3. */
  epsilon?: number;
}

/** A BatchNormalization's buffers: y and x̂ [B, n]; the batch's μ and 1/√(σ² + ε) [1, n]. */
export interface BatchNormalizationState extends LayerState {
  readonly output: Matrix;
  readonly xhat: Matrix;
  readonly mean: Matrix;
  readonly inverseStd: Matrix;
  /** Whether the last forward pass used the batch's statistics (training) or the moving ones. */
  batchStatistics: boolean;
}

/**
 * Batch normalisation (Ioffe & Szegedy, 2015), as Keras `BatchNormalization()` over the units:
 * for each unit j over the batch, μⱼ = (1/B)Σᵢxᵢⱼ, σ²ⱼ = (1/B)Σᵢ(xᵢⱼ − μⱼ)² (biased),
 * x̂ = (x − μ)/√(σ² + ε), y = γx̂ + β; the moving statistics follow
 * moving ← m·moving + (1 − m)·batch (Keras: the biased σ²). In predict and evaluate, and
 * while the layer is frozen (`trainable = false`, as Keras), y = γ(x − movingMean)/√(movingVariance + ε) + β.
 *
 * Backward (training, per unit, g = ∂ℓ/∂y per example): ∂L/∂γ = mean(g·x̂), ∂L/∂β = mean(g),
 * ∂ℓ/∂x = (γ/√(σ² + ε))·(g − mean(g) − x̂·mean(g·x̂)) (the batch statistics depend on x).
 * Parameters: `gamma` (ones), `beta` (zeros), `movingMean` (zeros) and `movingVariance` (ones),
 * each [1, n]; the moving ones are not trainable.
 * @example
 * new Sequential([new Dense(4, 8), new BatchNormalization(), new ActivationLayer('relu'), new Dense(8, 3)]);
 */
export class BatchNormalization extends Layer<BatchNormalizationState> {
  readonly className = 'BatchNormalization';
  /** m, the moving statistics' momentum. */
  readonly momentum: number;
  /** ε, added to the variance. */
  readonly epsilon: number;
  #gamma: Matrix | undefined;
  #beta: Matrix | undefined;
  #movingMean: Matrix | undefined;
  #movingVariance: Matrix | undefined;

  /** @throws {ConfigError} for momentum outside [0, 1) or epsilon ≤ 0 or an unknown option. */
  constructor(options: BatchNormalizationOptions = {}) {
    super();
    checkOptions(options, ['momentum', 'epsilon'], 'BatchNormalization');
    const momentum = options.momentum ?? 0.99;
    const epsilon = options.epsilon ?? 1e-3;
    if (typeof momentum !== 'number' || !(momentum >= 0 && momentum < 1)) {
      throw new ConfigError(
        `BatchNormalization momentum must be a number in [0, 1); received ${String(momentum)}`,
      );
    }
    checkEpsilon(epsilon, 'BatchNormalization');
    this.momentum = momentum;
    this.epsilon = epsilon;
  }

  protected createParameters(inputs: number, context: LayerContext): number {
    this.#gamma = ones(this.parameterMatrix(1, inputs, context));
    this.#beta = this.parameterMatrix(1, inputs, context);
    this.#movingMean = this.parameterMatrix(1, inputs, context);
    this.#movingVariance = ones(this.parameterMatrix(1, inputs, context));
    return inputs;
  }

  /** gamma, beta (trainable); movingMean, movingVariance (updated by the layer). */
  override parameters(): Parameter[] {
    const built = (m: Matrix | undefined) => m ?? this.notBuilt();
    return [
      ...scaleShiftParameters(built(this.#gamma), built(this.#beta)),
      { name: 'movingMean', value: built(this.#movingMean), trainable: false, penalized: false },
      {
        name: 'movingVariance',
        value: built(this.#movingVariance),
        trainable: false,
        penalized: false,
      },
    ];
  }

  allocate(allocator: BufferAllocator, context: LayerContext): BatchNormalizationState {
    const n = this.inputs;
    return {
      context,
      output: allocator.batch(n),
      xhat: allocator.batch(n),
      mean: allocator.fixed(1, n),
      inverseStd: allocator.fixed(1, n),
      batchStatistics: false,
    };
  }

  /** y = γx̂ + β with the batch's statistics (training, not frozen) or the moving ones. */
  forward(input: Matrix, state: BatchNormalizationState, training: boolean): Matrix {
    const { rows, cols } = input;
    const X = input.data;
    const mean = state.mean.data;
    const inverseStd = state.inverseStd.data;
    const batch = training && this.trainable;
    state.batchStatistics = batch;
    const movingMean = this.#movingMean!.data;
    const movingVariance = this.#movingVariance!.data;
    for (let j = 0; j < cols; j++) {
      if (batch) {
        let sum = 0;
        for (let i = 0; i < rows; i++) sum += X[i * cols + j]!;
        const mu = sum / rows;
        let squares = 0;
        for (let i = 0; i < rows; i++) squares += (X[i * cols + j]! - mu) ** 2;
        const variance = squares / rows;
        mean[j] = mu;
        inverseStd[j] = 1 / Math.sqrt(variance + this.epsilon);
        const m = this.momentum;
        movingMean[j] = m * movingMean[j]! + (1 - m) * mu;
        movingVariance[j] = m * movingVariance[j]! + (1 - m) * variance;
      } else {
        mean[j] = movingMean[j]!;
        inverseStd[j] = 1 / Math.sqrt(movingVariance[j]! + this.epsilon);
      }
    }
    const gamma = this.#gamma!.data;
    const beta = this.#beta!.data;
    const XH = state.xhat.data;
    const Y = state.output.data;
    for (let i = 0; i < rows; i++) {
      for (let j = 0; j < cols; j++) {
        const k = i * cols + j;
        const xhat = (X[k]! - mean[j]!) * inverseStd[j]!;
        XH[k] = xhat;
        Y[k] = gamma[j]! * xhat + beta[j]!;
      }
    }
    return state.output;
  }

  /** ∂ℓ/∂x (through the batch statistics when training), then ∂L/∂γ and ∂L/∂β. */
  backward(
    _input: Matrix,
    _output: Matrix,
    state: BatchNormalizationState,
    gradOutput: Matrix | null,
    gradInput: Matrix | null,
    sinks: readonly (GradientSink | null)[],
  ): void {
    if (gradOutput === null) return;
    const { rows, cols } = gradOutput;
    const G = gradOutput.data;
    const XH = state.xhat.data;
    const gamma = this.#gamma!.data;
    const inverseStd = state.inverseStd.data;
    if (gradInput !== null) {
      const D = gradInput.data;
      for (let j = 0; j < cols; j++) {
        let meanG = 0;
        let meanGX = 0;
        if (state.batchStatistics) {
          for (let i = 0; i < rows; i++) {
            meanG += G[i * cols + j]!;
            meanGX += G[i * cols + j]! * XH[i * cols + j]!;
          }
          meanG /= rows;
          meanGX /= rows;
        }
        const factor = gamma[j]! * inverseStd[j]!;
        for (let i = 0; i < rows; i++) {
          const k = i * cols + j;
          D[k] = factor * (G[k]! - meanG - XH[k]! * meanGX);
        }
      }
    }
    writeScaleShiftGradients(gradOutput, state.xhat, sinks[0] ?? null, sinks[1] ?? null);
  }

  /** `{ momentum, epsilon }`. */
  getConfig(): Record<string, unknown> {
    return { momentum: this.momentum, epsilon: this.epsilon };
  }

  /** 'BatchNormalization(momentum=0.99, epsilon=0.001)'. */
  override toString(): string {
    return `BatchNormalization(momentum=${this.momentum}, epsilon=${this.epsilon})`;
  }
}

/**
 * Checks that an options object has only known keys.
 * @throws {ConfigError} naming the unknown key and the valid ones.
 */
export function checkOptions(options: object, valid: readonly string[], layer: string): void {
  if (typeof options !== 'object' || options === null) {
    throw new ConfigError(`${layer} options must be an object; received ${String(options)}`);
  }
  for (const key of Object.keys(options)) {
    if (!valid.includes(key)) {
      throw new ConfigError(
        `${layer} has no option ${JSON.stringify(key)}; valid options are ${valid.join(', ')}`,
      );
    }
  }
}

/** @throws {ConfigError} unless ε is a finite number > 0. */
export function checkEpsilon(epsilon: unknown, layer: string): void {
  if (typeof epsilon !== 'number' || !Number.isFinite(epsilon) || epsilon <= 0) {
    throw new ConfigError(
      `${layer} epsilon must be a finite number > 0; received ${String(epsilon)}`,
    );
  }
}
