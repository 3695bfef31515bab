import type { Backend } from '../backend/backend.js';
import { checkBackend, defaultBackend } from '../backend/registry.js';
import { ConfigError, ShapeError } from '../errors.js';
import { encodeModel, type ModelJSON, type TrainingConfig } from '../io/model-format.js';
import {
  checkNames,
  classNamesProblem,
  decodeParameters,
  parseModelJSON,
  preprocessingProblem,
} from '../io/model-schema.js';
import type { Preprocessing } from '../data/preprocess.js';
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
import {
  checkInputs,
  checkWidth,
  shapeOf,
  toNamedMatrix,
  type InputLike,
  type MatrixLike,
  type TargetLike,
} from '../training/check-data.js';
import { evaluateData, predict, type EvaluateOptions } from '../training/evaluate.js';
import { fit, type FitOptions } from '../training/fit.js';
import type { History, Logs } from '../training/history.js';
import { buildLayers } from './build.js';
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

/** Options of a {@link Sequential} model. */
export interface SequentialOptions {
  /** Element type of parameters and activations. Default 'float32'; 'float64' for checks. */
  dtype?: DType;
  /** Seed of the generator behind initialisation and shuffling. Default 1. */
  seed?: number;
  /** The kernels to compute with. Default: {@link defaultBackend} (WASM SIMD where available). */
  backend?: Backend;
  /** n⁰, the input width, needed when the first layer does not fix it (e.g. BatchNormalization). */
  inputs?: number;
  /** Names of the classes, in output order; see {@link Sequential.classNames}. */
  classNames?: readonly string[];
  /** How raw rows become x; see {@link Sequential.preprocessing}. */
  preprocessing?: Preprocessing;
  /** Free-form, JSON-serialisable notes kept in the model file. Default `{}`. */
  metadata?: Record<string, unknown>;
}

/**
 * A feed-forward network: layers applied in order, trained by backpropagation.
 *
 * Indices follow the lecture, once for the whole library: the Dense layers are numbered
 * l = 1..L (`denseLayers[l − 1]` is layer l); `trace.a[0]` is the input x; `trace.z[l]`,
 * `trace.a[l]`, `gradients.delta[l]`, `gradients.weights[l]` and `gradients.bias[l]` belong to
 * Dense layer l, and index 0 of z, delta and the gradients is an empty [0, 0] matrix. Other
 * layers (Dropout, BatchNormalization, LayerNormalization, Activation, GaussianNoise) sit
 * between them without an index of their own; `model.layers` lists every layer, and
 * `trace.outputs[k]` is the output of `layers[k − 1]` (see model/trace.ts).
 *
 * Batched equations (rows are examples, B of them): Zˡ = Aˡ⁻¹(Wˡ)ᵀ + bˡ, Aˡ = g(Zˡ);
 * Δᴸ = ∂ℓ/∂Aᴸ ⊙ g′(Zᴸ) (or Aᴸ − Y for softmax + cross-entropy and sigmoid + binary
 * cross-entropy); Δˡ⁻¹ = ΔˡWˡ ⊙ g′(Zˡ⁻¹); ∂L/∂Wˡ = (Δˡ)ᵀAˡ⁻¹ / B; ∂L/∂bˡ = column-sum(Δˡ) / B.
 * The loss L is the mean over the batch, so the gradients are too; δ stays per example.
 * With B = 1 these are exactly the lecture's equations. Aˡ⁻¹ is `trace.input[l]`, the output
 * of whatever layer comes before Dense layer l.
 *
 * @example
 * const model = new Sequential(
 *   [new Dense(3, 3, { activation: 'sigmoid' }), new Dense(3, 2, { activation: 'sigmoid' })],
 *   { dtype: 'float64', seed: 1 });
 * model.predict([[1, 2, 3]]).shape; //=> [1, 2]
 */
export class Sequential {
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
  /**
   * Set to true (e.g. by a callback) to end `fit` after the current batch, as Keras's
   * `model.stop_training`; `fit` resets it to false when it starts.
   */
  stopTraining = false;
  /** Free-form, JSON-serialisable notes saved in the model file (e.g. how it was trained). */
  metadata: Record<string, unknown>;
  /**
   * How the model was last trained: set by `fit` (loss, optimizer and its settings, metrics),
   * saved in the model file; `evaluate` without a loss option uses its loss.
   */
  trainingConfig: TrainingConfig | undefined;
  readonly #network: propagation.Network;
  readonly #context: LayerContext;
  readonly #inputs: number;
  /** Each layer's gradient buffers, one per parameter (null where there is no gradient). */
  readonly #gradientSinks: (GradientSink | null)[][];
  #workspaces: Workspaces | undefined;
  #classNames: readonly string[] | undefined;
  #preprocessing: Preprocessing | undefined;

  /**
   * Builds every layer's parameters with the model's dtype and seeded generator, in order. A
   * layer that is already built (e.g. taken from a trained model) keeps its parameters, which
   * the models then share (as in Keras).
   * @param layers - Layer instances, e.g. Dense, Dropout, BatchNormalization
   * @throws {ConfigError} when there are no layers, an entry is not a Layer, a layer's inputs
   *   differ from the previous layer's outputs (names both layers and both sizes), the input
   *   width is unknown, or classNames or preprocessing do not fit the outputs or inputs.
   */
  constructor(layers: readonly Layer[], options: SequentialOptions = {}) {
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
    this.classNames = options.classNames;
    this.preprocessing = options.preprocessing;
    this.metadata = options.metadata ?? {};
  }

  /**
   * Names of the classes, in output order: one per output, or two (negative class first) for a
   * single sigmoid output; by default the preprocessing's. Stored in model files and used by
   * `backprop predict` and `evaluate`; undefined for regression or when unknown.
   * @throws {ConfigError} (on assignment) for a wrong count or a repeated name.
   */
  get classNames(): readonly string[] | undefined {
    return this.#classNames ?? this.#preprocessing?.classNames;
  }

  set classNames(names: readonly string[] | undefined) {
    const problem = classNamesProblem(names, this.outputs);
    if (problem !== undefined) throw new ConfigError(`classNames: ${problem}`);
    this.#classNames = names === undefined ? undefined : Object.freeze([...names]);
  }

  /**
   * How raw rows (CSV columns, JSON records) become the network's input x, and outputs become
   * answers, fitted on the training split (`data.preprocessing` from loadCsv or loadDataset).
   * The network itself (forward, fit, predict) takes x; the model file keeps this step,
   * `backprop predict` applies it, and the ONNX export includes its scaling as nodes.
   * Undefined when x is the raw input.
   * @throws {ConfigError} (on assignment) when it does not describe n⁰ features and nᴸ classes
   *   or targets.
   */
  get preprocessing(): Preprocessing | undefined {
    return this.#preprocessing;
  }

  set preprocessing(value: Preprocessing | undefined) {
    const problem =
      value === undefined ? undefined : preprocessingProblem(value, this.inputs, this.outputs);
    if (problem !== undefined) throw new ConfigError(`preprocessing.${problem}`);
    this.#preprocessing = value;
  }

  /**
   * The model as a plain, JSON-serialisable object: the model file's content, with parameters
   * as base64 of their little-endian bytes, so `modelFromJSON` restores them bit for bit.
   * `JSON.stringify(model)` calls it.
   * @throws {ConfigError} for a layer or activation that a model file cannot hold (a custom
   *   activation given as functions).
   */
  toJSON(): ModelJSON {
    return encodeModel(this);
  }

  /**
   * Rebuilds a model from {@link Sequential.toJSON}'s output or a parsed model file (version 1,
   * 2 or 3), validated field by field; it predicts bit-identically to the saved model.
   * @param options.backend - the kernels to compute with; default {@link defaultBackend}
   * @throws {ModelFileError} naming the first wrong field, what was expected and what was found,
   *   e.g. `layers[1].weights: expected 1280 float32 values (5120 bytes), found 5116 bytes`.
   */
  static fromJSON(json: unknown, options: Pick<SequentialOptions, 'backend'> = {}): Sequential {
    const parsed = parseModelJSON(json);
    const model = new Sequential(
      parsed.layers.map(({ layer }) => layer),
      {
        dtype: parsed.dtype,
        seed: parsed.seed,
        backend: options.backend,
        inputs: parsed.inputs,
        metadata: parsed.metadata,
      },
    );
    decodeParameters(parsed.layers, parsed.dtype);
    checkNames(parsed, model.inputs, model.outputs);
    model.classNames = parsed.classNames;
    model.preprocessing = parsed.preprocessing;
    model.trainingConfig = parsed.training;
    return model;
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
   * @param trace - a trace from {@link Sequential.forward}
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
   * training loop; no checks, no allocation.
   * @param training - training mode (dropout, noise, batch statistics); default false
   */
  forwardTrace(trace: Trace, training = false): void {
    propagation.forwardTrace(this.#network, trace, training);
  }

  /**
   * Backpropagation into a workspace; no checks, no allocation. See model/propagation.ts.
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
   * Trains the model by minibatch gradient descent: the lecture's SGD by default, or another
   * optimizer, with penalties, clipping, dropout, a schedule, validation, callbacks and
   * checkpoints; see {@link fit} in training/fit.ts for every option.
   * @param x - inputs [n, n⁰]: a Matrix, number[][] or compact ByteMatrix
   * @param y - targets [n, nᴸ]
   * @returns a Promise of the History (loss, metrics, val*, learningRate per epoch)
   * @throws {ConfigError} (rejects) for a bad or unknown option key, e.g. `fit has no option
   *   "learningrate" (did you mean learningRate?); valid options are loss, optimizer, …`, or a
   *   checkpoint from another architecture; {DataError}/{ShapeError} for bad data;
   *   {NumericalError} when training diverges; {ModelFileError} for checkpoint files.
   */
  fit(x: InputLike, y: TargetLike, options: FitOptions = {}): Promise<History> {
    return fit(this, x, y, options);
  }

  /**
   * The mean loss (and accuracy for classification, and `metrics`) over a data set, in
   * batches, in inference mode.
   * @returns `{ loss, accuracy?, …metrics }`
   * @throws {ConfigError} for a bad or unknown option key (names it, lists loss, accuracy,
   *   batchSize, metrics) or metric name; {DataError}/{ShapeError} for bad data.
   */
  evaluate(x: InputLike, y: TargetLike, options: EvaluateOptions = {}): Logs {
    return evaluateData(this, x, y, options);
  }

  /**
   * The network's output aᴸ for each input row, computed in batches.
   * @param x - inputs [n, n⁰]: a Matrix, number[][] or compact ByteMatrix (decoded per batch)
   * @returns aᴸ [n, nᴸ], a new matrix
   * @throws {ShapeError} for a wrong width; {DataError} for empty input or a non-finite value.
   */
  predict(x: InputLike): Matrix {
    return predict(this, checkInputs(x, this.inputs, this.dtype));
  }

  /**
   * The architecture as built, e.g. 'Sequential(Dense(784 => 128, relu), Dropout(0.2),
   * Dense(128 => 10, softmax))'.
   */
  toString(): string {
    return `Sequential(${this.layers.map(String).join(', ')})`;
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
