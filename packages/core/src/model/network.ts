import type { Backend } from '../backend/backend.js';
import { checkBackend, defaultBackend } from '../backend/registry.js';
import { ShapeError } from '../errors.js';
import type {
  BufferAllocator,
  GradientSink,
  Layer,
  LayerContext,
  LectureLayer,
  Parameter,
} from '../layers/layer.js';
import { getLoss, type Loss, type LossName } from '../losses.js';
import { checkDType, Matrix, type DType } from '../tensor/matrix.js';
import { Random } from '../tensor/random.js';
import { checkWidth, shapeOf, toNamedMatrix, type MatrixLike } from '../training/check-data.js';
import { buildLayers } from './build.js';
import { dataParallelFor, type DataParallelPropagation } from './data-parallel-hook.js';
import * as propagation from './propagation.js';
import { summary } from './summary.js';
import {
  allocateTrace,
  allocateWorkspace,
  backendMatrix,
  type Gradients,
  type Trace,
  type Workspace,
} from './trace.js';
import { getWeights, setWeights } from './weights.js';
import { Workspaces } from './workspaces.js';

/** Options of a {@link Network}. */
export interface NetworkOptions {
  /** Element type of parameters and activations. Default 'float32'; 'float64' for checks. */
  dtype?: DType;
  /** Seed of the generator behind initialisation, masks and shuffling. Default 1. */
  seed?: number;
  /** The kernels to compute with. Default: {@link defaultBackend} (WASM SIMD where available). */
  backend?: Backend;
  /** n⁰, the input width, needed when the first layer does not fix it (e.g. BatchNormalization). */
  inputs?: number;
}

/**
 * Layers applied in order with their buffers: forward and backward propagation over any
 * layers, the parameters and their gradient buffers, and the lecture's view of them. The
 * indices and equations are documented once, on {@link Sequential}, which adds training,
 * prediction and the model file.
 */
export class Network {
  /** Every layer, in order (Keras `model.layers`). */
  readonly layers: readonly Layer[];
  /** The lecture's layers l = 1..L (the Dense layers): `denseLayers[l − 1]` is layer l. */
  readonly denseLayers: readonly LectureLayer[];
  /** Element type of every parameter and activation. */
  readonly dtype: DType;
  /** The seed the model was created with. */
  readonly seed: number;
  /** The seeded generator used for initialisation, masks and shuffling (its state advances). */
  readonly random: Random;
  /** The kernels the model computes with. */
  readonly backend: Backend;
  readonly #network: propagation.Network;
  readonly #context: LayerContext;
  readonly #inputs: number;
  /** Each layer's gradient buffers, one per parameter (null where there is no gradient). */
  readonly #gradientSinks: (GradientSink | null)[][];
  #workspaces: Workspaces | undefined;
  /** Data-parallel propagation, where the backend runs programs (float32 'wasm'), else null. */
  #parallel: DataParallelPropagation | null | undefined;

  /**
   * Builds every layer's parameters with the model's dtype and seeded generator, in order. A
   * layer that is already built (e.g. taken from a trained model) keeps its parameters, which
   * the models then share (as in Keras).
   * @param layers - Layer instances, e.g. Dense, Dropout, BatchNormalization
   * @throws {ConfigError} when there are no layers, an entry is not a Layer, a layer's inputs
   *   differ from the previous layer's outputs (names both layers and both sizes), or the input
   *   width is unknown.
   */
  constructor(layers: readonly Layer[], options: NetworkOptions = {}) {
    this.dtype = checkDType(options.dtype ?? 'float32');
    this.seed = options.seed ?? 1;
    this.random = new Random(this.seed);
    this.backend = options.backend === undefined ? defaultBackend() : checkBackend(options.backend);
    this.#context = { dtype: this.dtype, random: this.random, backend: this.backend };
    this.#inputs = buildLayers(layers, this.#context, options.inputs);
    this.layers = Object.freeze([...layers]);
    this.denseLayers = Object.freeze(this.layers.filter((layer) => layer.isLectureLayer()));
    let l = 0;
    this.#network = {
      layers: this.layers,
      lecture: this.layers.map((layer) => (layer.isLectureLayer() ? ++l : 0)),
    };
    const allocator = this.#fresh(0);
    this.#gradientSinks = this.layers.map((layer) =>
      layer
        .parameters()
        .map(({ value, trainable }) =>
          trainable ? { target: allocator.fixed(value.rows, value.cols), scale: 1, beta: 0 } : null,
        ),
    );
  }

  /** n⁰, the width of an input row. */
  get inputs(): number {
    return this.#inputs;
  }

  /** The output layer's activation (e.g. 'softmax'), or undefined when it has none. */
  get outputActivation(): string | undefined {
    return this.layers[this.layers.length - 1]!.outputActivation?.();
  }

  /** nᴸ, the width of an output row. */
  get outputs(): number {
    return this.layers[this.layers.length - 1]!.outputs;
  }

  /**
   * The trainable parameters of every layer in order, e.g. [W¹, b¹, W², b²] (PyTorch
   * `model.parameters()`; frozen layers' parameters included, running statistics not).
   */
  parameters(): Matrix[] {
    return this.namedParameters()
      .filter((p) => p.trainable)
      .map((p) => p.value);
  }

  /** Every parameter with its layer (0-based index into `layers`), name and trainable flag. */
  namedParameters(): (Parameter & { layer: number })[] {
    return this.layers.flatMap((layer, k) => layer.parameters().map((p) => ({ ...p, layer: k })));
  }

  /**
   * Copies of every parameter's values (running statistics included), in the order of
   * {@link Sequential.namedParameters}, each in our layout (Wˡ as [nˡ, nˡ⁻¹]) — Keras's
   * `get_weights()`.
   */
  getWeights(): Matrix[] {
    return getWeights(this);
  }

  /**
   * Copies values into every parameter, in the order and shapes of {@link Sequential.getWeights}.
   * @throws {ShapeError} for a wrong count or shape (names the layer and parameter);
   *   {DataError} for a non-finite value.
   */
  setWeights(weights: readonly Matrix[]): void {
    setWeights(this, weights);
  }

  /**
   * A Keras-style table of the layers as a string: each layer's name, output width and number
   * of parameters, then the total, trainable and non-trainable parameter counts.
   */
  summary(): string {
    return summary(this);
  }

  /**
   * Forward propagation (lecture: a⁰ = x; zˡ = Wˡaˡ⁻¹ + bˡ, aˡ = g(zˡ) for l = 1..L).
   * @param x - inputs [B, n⁰], a Matrix or number[][]
   * @param options.training - training mode: dropout and noise on, batch statistics,
   *   drawing from `random` (Keras `model(x, training=True)`); default false
   * @returns a new trace: `a[l]` and `z[l]` [B, nˡ]; the prediction is `a[L]`
   * @throws {ShapeError} when x's rows are not n⁰ wide, e.g. `x must have 3 columns (the model's
   *   inputs); received shape [2, 4]`, or a number[][] is ragged.
   */
  forward(x: MatrixLike, options: { training?: boolean } = {}): Trace {
    const input = checkWidth(toNamedMatrix(x, 'x', this.dtype), 'x', this.inputs, 'inputs');
    const trace = allocateTrace(this.layers, this.#context, this.#fresh(input.rows), this.#inputs);
    trace.outputs[0]!.data.set(input.data);
    this.forwardTrace(trace, options.training ?? false);
    return trace;
  }

  /**
   * Backpropagation (lecture: δᴸ = ∂L/∂aᴸ ⊙ g′(zᴸ); δˡ⁻¹ = (Wˡ)ᵀδˡ ⊙ g′(zˡ⁻¹);
   * ∂L/∂Wˡ = δˡ(aˡ⁻¹)ᵀ; ∂L/∂bˡ = δˡ), batched as in the class docstring.
   * @param trace - a trace from {@link Network.forward}
   * @param y - targets [B, nᴸ]
   * @param loss - a loss name ('mse', 'crossEntropy', 'binaryCrossEntropy', …) or a Loss
   * @returns new gradients: `delta[l]` [B, nˡ]; `weights[l]` [nˡ, nˡ⁻¹]; `bias[l]` [1, nˡ]; and
   *   `parameters`, one per entry of {@link Sequential.parameters}
   * @throws {ShapeError} when y's shape differs from aᴸ's, e.g. `y must have shape [4, 1] (the
   *   shape of the output aᴸ); received shape [2, 1]`; {ConfigError} for an unknown loss.
   */
  backward(trace: Trace, y: MatrixLike, loss: LossName | Loss): Gradients {
    const output = trace.outputs[this.layers.length]!;
    const target = toNamedMatrix(y, 'y', this.dtype);
    if (target.rows !== output.rows || target.cols !== output.cols) {
      throw new ShapeError(
        `y must have shape ${shapeOf(output)} (the shape of the output aᴸ); received shape ` +
          shapeOf(target),
      );
    }
    const allocator = this.#fresh(output.rows);
    const sinks = this.#gradientSinks.map((perLayer) =>
      perLayer.map(
        (sink) => sink && { ...sink, target: allocator.fixed(sink.target.rows, sink.target.cols) },
      ),
    );
    const workspace = allocateWorkspace(trace, this.layers, allocator, sinks);
    this.backwardTrace(workspace, target, getLoss(loss), sinks);
    return workspace.gradients;
  }

  /**
   * Forward propagation into a workspace's trace (`trace.a[0]` holds the input). Used by the
   * training loop; no checks, no allocation. On the 'wasm' backend a batch of more than 16 rows
   * runs data-parallel on its threads (model/data-parallel.ts).
   * @param training - training mode (dropout, noise, batch statistics); default false
   */
  forwardTrace(trace: Trace, training = false): void {
    if (this.#dataParallel()?.forward(trace, training)) return;
    propagation.forwardTrace(this.#network, trace, training);
  }

  /**
   * Backpropagation into a workspace; no checks, no allocation. See model/propagation.ts, and
   * model/data-parallel.ts for batches of more than 16 rows on the 'wasm' backend.
   * @param sinks - per layer, where each parameter's gradient goes; default the workspace's
   *   gradient buffers (`gradients.weights`, …). The training loop passes the parameters
   *   themselves with scale −η for the fused SGD step, and null for frozen layers.
   * @param weights - per-example weights [B] (classWeight, sampleWeight), or undefined
   */
  backwardTrace(
    workspace: Workspace,
    y: Matrix,
    loss: Loss,
    sinks: readonly (readonly (GradientSink | null)[])[] = this.#gradientSinks,
    weights?: Float64Array,
  ): void {
    if (this.#dataParallel()?.backward(workspace, y, loss, sinks, weights)) return;
    propagation.backwardTrace(this.#network, workspace, y, loss, sinks, weights);
  }

  /**
   * The mean loss over a batch, from a trace (computed from the logits zᴸ for the fused pairs).
   * @param y - targets [B, nᴸ] of the model's dtype
   * @param weights - per-example weights [B] (Σᵢ wᵢℓᵢ / B), or undefined
   */
  lossOf(trace: Trace, y: Matrix, loss: Loss, weights?: Float64Array): number {
    return propagation.lossOf(this.#network, trace, y, loss, weights);
  }

  /**
   * The gradient buffers, one per parameter of each layer (null for running statistics), into
   * which `backwardTrace` writes by default; `gradients.parameters` lists them in order.
   */
  get gradientSinks(): readonly (readonly (GradientSink | null)[])[] {
    return this.#gradientSinks;
  }

  /**
   * The reused buffers for batches of `rows` examples (see model/workspaces.ts): allocation
   * happens only when the largest batch so far doubles.
   */
  workspace(rows: number): Workspace {
    this.#workspaces ??= new Workspaces(
      this.layers,
      this.#context,
      this.#inputs,
      this.#gradientSinks,
    );
    return this.#workspaces.get(rows);
  }

  /**
   * The architecture as built, e.g. 'Sequential(Dense(784 => 128, relu), Dropout(0.2),
   * Dense(128 => 10, softmax))'.
   */
  toString(): string {
    return `Sequential(${this.layers.map(String).join(', ')})`;
  }

  /**
   * The data-parallel propagation of the workspaces' traces (model/data-parallel.ts): made once
   * the first workspace is, for float32 models on a backend that runs programs.
   */
  #dataParallel(): DataParallelPropagation | null | undefined {
    if (this.#parallel !== undefined || this.#workspaces === undefined) return this.#parallel;
    this.#parallel = dataParallelFor(this.#network, this.#workspaces, this.#context);
    return this.#parallel;
  }

  /** New buffers of `rows` rows (forward and backward's new traces and gradients). */
  #fresh(rows: number): BufferAllocator {
    const { backend, dtype } = this.#context;
    return {
      batch: (cols) => backendMatrix(backend, rows, cols, dtype),
      fixed: (r, cols) => backendMatrix(backend, r, cols, dtype),
    };
  }
}
