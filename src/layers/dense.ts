import { getActivation, type Activation, type ActivationSpec } from '../activations.js';
import type { Backend } from '../backend/backend.js';
import { ConfigError, ShapeError } from '../errors.js';
import {
  defaultInitializer,
  getInitializer,
  type Initializer,
  type InitializerName,
} from '../initializers.js';
import { Matrix, type DType } from '../tensor/matrix.js';
import type { Random } from '../tensor/random.js';

/** Options of a {@link Dense} layer. */
export interface DenseOptions {
  /** The activation g. Default: 'linear'. */
  activation?: ActivationSpec;
  /** How the weights start. Default: 'heNormal' for relu/leakyRelu, else 'glorotUniform'. */
  weightInitializer?: InitializerName;
  /** How the bias starts. Default: 'zeros'. */
  biasInitializer?: InitializerName;
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
 * @example
 * const layer = new Dense(3, 2, { activation: 'sigmoid' });
 * String(layer); //=> 'Dense(3 => 2, sigmoid)'
 */
export class Dense {
  /** nˡ⁻¹, the width of the input. */
  readonly inputs: number;
  /** nˡ, the number of units. */
  readonly outputs: number;
  /** The activation g of this layer. */
  readonly activation: Activation;
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
    for (const [name, value] of [
      ['inputs', inputs],
      ['outputs', outputs],
    ] as const) {
      if (!Number.isInteger(value) || value < 1) {
        throw new ConfigError(`Dense ${name} must be a positive integer; received ${value}`);
      }
    }
    this.inputs = inputs;
    this.outputs = outputs;
    this.activation = getActivation(options.activation ?? 'linear');
    this.#weightInitializer = getInitializer(
      options.weightInitializer ?? defaultInitializer(this.activation.name),
      'weightInitializer',
    );
    this.#biasInitializer = getInitializer(options.biasInitializer ?? 'zeros', 'biasInitializer');
  }

  /**
   * Wˡ [outputs, inputs]. Assign a Matrix of that shape (its values are copied, rounded to the
   * model's dtype) or copy into `.data` to set the weights.
   * @throws {ConfigError} before the layer is built by a Sequential.
   * @throws {ShapeError} when an assigned matrix has another shape.
   */
  get weights(): Matrix {
    return this.#weights ?? this.#unbuilt();
  }

  set weights(value: Matrix) {
    this.#assign(value, this.weights, 'weights');
  }

  /** bˡ [1, outputs]; assignable like {@link Dense.weights}. */
  get bias(): Matrix {
    return this.#bias ?? this.#unbuilt();
  }

  set bias(value: Matrix) {
    this.#assign(value, this.bias, 'bias');
  }

  /** True once a Sequential has created the parameters. */
  get built(): boolean {
    return this.#weights !== undefined;
  }

  /**
   * Creates and initialises the weights and bias. Called by Sequential; idempotent shapes.
   * @param dtype - element type of the parameters
   * @param random - the model's seeded generator
   * @param backend - allocates the parameters where its kernels work
   */
  build(dtype: DType, random: Random, backend: Backend): void {
    const size = this.outputs * this.inputs;
    this.#weights = new Matrix(this.outputs, this.inputs, backend.allocate(dtype, size));
    this.#bias = new Matrix(1, this.outputs, backend.allocate(dtype, this.outputs));
    this.#weightInitializer(this.#weights, this.inputs, this.outputs, random);
    this.#biasInitializer(this.#bias, this.inputs, this.outputs, random);
  }

  /**
   * Forward propagation: z = aPrev·Wᵀ + b, a = g(z) (lecture: zˡ = Wˡaˡ⁻¹ + bˡ, aˡ = g(zˡ)).
   * @param aPrev - aˡ⁻¹ [B, inputs]; z and a [B, outputs] are written in place
   */
  forward(backend: Backend, aPrev: Matrix, z: Matrix, a: Matrix): void {
    backend.gemm(aPrev, false, this.weights, true, z, 1, 0);
    backend.addBias(z, this.bias);
    this.activation.forward(backend, z, a);
  }

  /**
   * The parameter gradients from this layer's δ, batch-mean (lecture: ∂L/∂Wˡ = δˡ(aˡ⁻¹)ᵀ,
   * ∂L/∂bˡ = δˡ; batched: ΔᵀA / B and column-sum(Δ) / B), and the gradient passed down,
   * ∂L/∂aˡ⁻¹ = ΔWˡ (per example), from which the layer below forms δˡ⁻¹ = (Wˡ)ᵀδˡ ⊙ g′(zˡ⁻¹).
   * @param aPrev - aˡ⁻¹ [B, inputs]
   * @param delta - δˡ [B, outputs]
   * @param gradWeights - ∂L/∂Wˡ [outputs, inputs], written
   * @param gradBias - ∂L/∂bˡ [1, outputs], written
   * @param gradAPrev - ∂L/∂aˡ⁻¹ [B, inputs], written; null for the first layer (not needed)
   */
  backward(
    backend: Backend,
    aPrev: Matrix,
    delta: Matrix,
    gradWeights: Matrix,
    gradBias: Matrix,
    gradAPrev: Matrix | null,
  ): void {
    const scale = 1 / delta.rows;
    backend.gemm(delta, true, aPrev, false, gradWeights, scale, 0);
    backend.sumColumns(delta, gradBias, scale, 0);
    if (gradAPrev !== null) backend.gemm(delta, false, this.weights, false, gradAPrev, 1, 0);
  }

  /**
   * The fused SGD step of the training loop: first ∂L/∂aˡ⁻¹ = ΔWˡ (with the weights before the
   * step), then Wˡ += −η·ΔᵀA / B and bˡ += −η·column-sum(Δ) / B in place, without storing
   * ∂L/∂Wˡ. Shapes as in {@link Dense.backward}.
   * @param learningRate - η > 0
   */
  descend(
    backend: Backend,
    aPrev: Matrix,
    delta: Matrix,
    gradAPrev: Matrix | null,
    learningRate: number,
  ): void {
    if (gradAPrev !== null) backend.gemm(delta, false, this.weights, false, gradAPrev, 1, 0);
    const step = -learningRate / delta.rows;
    backend.gemm(delta, true, aPrev, false, this.weights, step, 1);
    backend.sumColumns(delta, this.bias, step, 1);
  }

  /** 'Dense(784 => 128, relu)', the layer as the user built it. */
  toString(): string {
    return `Dense(${this.inputs} => ${this.outputs}, ${this.activation.name})`;
  }

  #unbuilt(): never {
    throw new ConfigError(
      `${this.toString()} has no parameters yet: add it to a Sequential, which builds it`,
    );
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
