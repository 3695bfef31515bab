import { getActivation, type Activation, type ActivationSpec } from '../activations.js';
import { ConfigError, ShapeError } from '../errors.js';
import {
  defaultInitializer,
  getInitializer,
  type Initializer,
  type InitializerSpec,
} from '../initializers.js';
import { Matrix } from '../tensor/matrix.js';
import {
  Layer,
  type BufferAllocator,
  type GradientSink,
  type LayerContext,
  type LayerState,
  type LectureLayer,
  type Parameter,
} from './layer.js';

/** Options of a {@link Dense} layer. */
export interface DenseOptions {
  /** The activation g. Default: 'linear'. */
  activation?: ActivationSpec;
  /**
   * How the weights start: a name or `{ name, …options }`. Default: 'heNormal' for
   * relu/leakyRelu, 'lecunNormal' for selu, else 'glorotUniform'.
   */
  weightInitializer?: InitializerSpec;
  /** How the bias starts. Default: 'zeros'. */
  biasInitializer?: InitializerSpec;
}

/** A Dense layer's buffers for a batch: z, a = g(z) and δ = ∂L/∂z, all [B, outputs]. */
export interface DenseState extends LayerState {
  readonly z: Matrix;
  readonly a: Matrix;
  readonly delta: Matrix;
  /** The logits view for fused losses, made once (no allocation per batch). */
  readonly logits: { activation: string; z: Matrix; delta: Matrix };
}

/**
 * A fully connected layer: zˡ = Wˡaˡ⁻¹ + bˡ, aˡ = g(zˡ) (batched, rows are examples:
 * Z = A Wᵀ + b).
 *
 * Shapes (B = batch): input aˡ⁻¹ [B, inputs] → z, a [B, outputs]; weights Wˡ [outputs, inputs]
 * (w_jk connects input k to unit j, as in the lecture, PyTorch and Flux; Keras and tfjs store
 * the transpose); bias bˡ [1, outputs]. The parameters are created when a {@link Sequential}
 * builds the layer with its dtype and seeded generator.
 *
 * Backward (lecture: δˡ = ∂L/∂aˡ ⊙ g′(zˡ); ∂L/∂Wˡ = δˡ(aˡ⁻¹)ᵀ; ∂L/∂bˡ = δˡ; ∂L/∂aˡ⁻¹ = (Wˡ)ᵀδˡ,
 * from which the layer below forms δˡ⁻¹), batched: Δ = ∂L/∂A ⊙ g′(Z), ∂L/∂W = ΔᵀA / B,
 * ∂L/∂b = column-sum(Δ) / B, ∂L/∂Aˡ⁻¹ = ΔW.
 *
 * @example
 * const layer = new Dense(3, 2, { activation: 'sigmoid' });
 * String(layer); //=> 'Dense(3 => 2, sigmoid)'
 */
export class Dense extends Layer<DenseState> implements LectureLayer {
  readonly className = 'Dense';
  /** The activation g of this layer. */
  readonly activation: Activation;
  readonly #inputs: number;
  readonly #outputs: number;
  readonly #weightInitializer: Initializer;
  readonly #biasInitializer: Initializer;
  #weights: Matrix | undefined;
  #bias: Matrix | undefined;

  /**
   * @param inputs - nˡ⁻¹, a positive integer
   * @param outputs - nˡ, a positive integer
   * @throws {ConfigError} for a non-positive or non-integer size, or an unknown activation or
   *   initializer name (listing the valid ones).
   */
  constructor(inputs: number, outputs: number, options: DenseOptions = {}) {
    super();
    for (const [name, value] of [
      ['inputs', inputs],
      ['outputs', outputs],
    ] as const) {
      if (!Number.isInteger(value) || value < 1) {
        throw new ConfigError(`Dense ${name} must be a positive integer; received ${value}`);
      }
    }
    this.#inputs = inputs;
    this.#outputs = outputs;
    this.activation = getActivation(options.activation ?? 'linear');
    this.#weightInitializer = getInitializer(
      options.weightInitializer ?? defaultInitializer(this.activation.name),
      'weightInitializer',
    );
    this.#biasInitializer = getInitializer(options.biasInitializer ?? 'zeros', 'biasInitializer');
  }

  /** nˡ⁻¹, the width of the input (fixed at construction). */
  override get inputs(): number {
    return this.#inputs;
  }

  override get expectedInputs(): number {
    return this.#inputs;
  }

  /** nˡ, the number of units. */
  override get outputs(): number {
    return this.#outputs;
  }

  /**
   * Wˡ [outputs, inputs]. Assign a Matrix of that shape (its values are copied, rounded to the
   * model's dtype) or copy into `.data` to set the weights.
   * @throws {ConfigError} before the layer is built by a Sequential.
   * @throws {ShapeError} when an assigned matrix has another shape.
   */
  get weights(): Matrix {
    return this.#weights ?? this.notBuilt();
  }

  set weights(value: Matrix) {
    this.#assign(value, this.weights, 'weights');
  }

  /** bˡ [1, outputs]; assignable like {@link Dense.weights}. */
  get bias(): Matrix {
    return this.#bias ?? this.notBuilt();
  }

  set bias(value: Matrix) {
    this.#assign(value, this.bias, 'bias');
  }

  protected createParameters(inputs: number, context: LayerContext): number {
    if (inputs !== this.#inputs) {
      throw new ConfigError(`${this} takes ${this.#inputs} inputs; received ${inputs}`);
    }
    this.#weights = this.parameterMatrix(this.#outputs, inputs, context);
    this.#bias = this.parameterMatrix(1, this.#outputs, context);
    this.#weightInitializer(this.#weights, inputs, this.#outputs, context.random);
    this.#biasInitializer(this.#bias, inputs, this.#outputs, context.random);
    return this.#outputs;
  }

  /** `weights` (penalised by L1/L2) and `bias`, both trainable. */
  override parameters(): Parameter[] {
    return [
      { name: 'weights', value: this.weights, trainable: true, penalized: true },
      { name: 'bias', value: this.bias, trainable: true, penalized: false },
    ];
  }

  allocate(allocator: BufferAllocator, context: LayerContext): DenseState {
    const n = this.#outputs;
    const [z, a, delta] = [allocator.batch(n), allocator.batch(n), allocator.batch(n)];
    return { context, z, a, delta, logits: { activation: this.activation.name, z, delta } };
  }

  /** Forward propagation: z = aPrev·Wᵀ + b, a = g(z) (lecture: zˡ = Wˡaˡ⁻¹ + bˡ, aˡ = g(zˡ)). */
  forward(input: Matrix, state: DenseState): Matrix {
    const { backend } = state.context;
    backend.gemm(input, false, this.weights, true, state.z, 1, 0);
    backend.addBias(state.z, this.bias);
    this.activation.forward(backend, state.z, state.a);
    return state.a;
  }

  /**
   * δ = ∂L/∂a ⊙ g′(z) (unless a fused loss wrote δ), then ∂L/∂aˡ⁻¹ = ΔWˡ with the weights of the
   * forward pass, then sinks[0] ← ΔᵀA / B and sinks[1] ← column-sum(Δ) / B.
   */
  backward(
    input: Matrix,
    output: Matrix,
    state: DenseState,
    gradOutput: Matrix | null,
    gradInput: Matrix | null,
    sinks: readonly (GradientSink | null)[],
  ): void {
    const { backend } = state.context;
    const { z, delta } = state;
    if (gradOutput !== null) this.activation.backward(backend, z, output, gradOutput, delta);
    if (gradInput !== null) backend.gemm(delta, false, this.weights, false, gradInput, 1, 0);
    const [weights, bias] = sinks;
    const rows = delta.rows;
    if (weights)
      backend.gemm(delta, true, input, false, weights.target, weights.scale / rows, weights.beta);
    if (bias) backend.sumColumns(delta, bias.target, bias.scale / rows, bias.beta);
  }

  /** True unless the activation is a custom one (JavaScript functions, no kernel). */
  override computesRowsOnBackend(): boolean {
    return this.activation.kind === 'softmax' || this.activation.kernel !== undefined;
  }

  override outputActivation(): string {
    return this.activation.name;
  }

  override logits(state: DenseState): { activation: string; z: Matrix; delta: Matrix } {
    return state.logits;
  }

  override lectureView(state: DenseState): DenseState {
    return state;
  }

  override isLectureLayer(): this is LectureLayer {
    return true;
  }

  /** `{ inputs, outputs, activation, … }`: `new Dense(c.inputs, c.outputs, c)` is an equal layer. */
  getConfig(): Record<string, unknown> {
    return {
      inputs: this.#inputs,
      outputs: this.#outputs,
      activation: this.activation.config,
    };
  }

  /** 'Dense(784 => 128, relu)', the layer as the user built it. */
  override toString(): string {
    return `Dense(${this.#inputs} => ${this.#outputs}, ${this.activation.label})`;
  }

  /** Copies an assigned matrix's values into the parameter (which stays in backend memory). */
  #assign(value: Matrix, current: Matrix, name: string): void {
    if (!(value instanceof Matrix) || value.rows !== current.rows || value.cols !== current.cols) {
      const got = value instanceof Matrix ? `[${value.shape.join(', ')}]` : typeof value;
      throw new ShapeError(
        `${this.toString()} ${name} must be a Matrix [${current.shape.join(', ')}]; received ${got}`,
      );
    }
    current.data = value.data;
  }
}
