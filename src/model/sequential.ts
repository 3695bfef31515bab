import type { Backend } from '../backend/backend.js';
import { defaultBackend } from '../backend/registry.js';
import { ConfigError, ShapeError } from '../errors.js';
import { encodeModel, type ModelJSON } from '../io/model-format.js';
import { classNamesProblem, parseModelJSON, preprocessingProblem } from '../io/model-schema.js';
import type { Preprocessing } from '../data/preprocess.js';
import { Dense } from '../layers/dense.js';
import { Dropout } from '../layers/dropout.js';
import { getLoss, type Loss, type LossName } from '../losses.js';
import { checkDType, Matrix, type DType } from '../tensor/matrix.js';
import { Random } from '../tensor/random.js';
import {
  checkData,
  checkInputs,
  checkWidth,
  shapeOf,
  toNamedMatrix,
  type InputLike,
  type MatrixLike,
} from '../training/check-data.js';
import {
  checkEvaluateOptions,
  evaluate,
  predict,
  type EvaluateOptions,
} from '../training/evaluate.js';
import { fit, type FitOptions } from '../training/fit.js';
import type { History, Logs } from '../training/history.js';
import {
  allocateGradients,
  backendMatrix,
  viewWorkspace,
  allocateTrace,
  type Gradients,
  type Trace,
  type Workspace,
} from './trace.js';

/** Options of a {@link Sequential} model. */
export interface SequentialOptions {
  /** Element type of parameters and activations. Default 'float32'; 'float64' for checks. */
  dtype?: DType;
  /** Seed of the generator behind initialisation and shuffling. Default 1. */
  seed?: number;
  /** The kernels to compute with. Default: {@link defaultBackend} (WASM SIMD where available). */
  backend?: Backend;
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
 * Indices follow the lecture, once for the whole library: layers are numbered l = 1..L;
 * `layers[l − 1]` is layer l; `trace.a[0]` is the input x; `trace.z[l]`, `trace.a[l]`,
 * `gradients.delta[l]`, `gradients.weights[l]` and `gradients.bias[l]` belong to layer l, and
 * index 0 of z, delta and the gradients is an empty [0, 0] matrix.
 *
 * Batched equations (rows are examples, B of them): Zˡ = Aˡ⁻¹(Wˡ)ᵀ + bˡ, Aˡ = g(Zˡ);
 * Δᴸ = ∂ℓ/∂Aᴸ ⊙ g′(Zᴸ) (or Aᴸ − Y for softmax + cross-entropy and sigmoid + binary
 * cross-entropy); Δˡ⁻¹ = ΔˡWˡ ⊙ g′(Zˡ⁻¹); ∂L/∂Wˡ = (Δˡ)ᵀAˡ⁻¹ / B; ∂L/∂bˡ = column-sum(Δˡ) / B.
 * The loss L is the mean over the batch, so the gradients are too; δ stays per example.
 * With B = 1 these are exactly the lecture's equations.
 *
 * A {@link Dropout} in the list drops the input of the Dense layer after it while training;
 * it has no index of its own, so l = 1..L still counts the Dense layers (`layers` holds only
 * them, `dropouts[l − 1]` the Dropout before layer l), and Aˡ⁻¹ above reads
 * `trace.input[l]` = Aˡ⁻¹ ⊙ Mˡ for such a layer.
 *
 * @example
 * const model = new Sequential(
 *   [new Dense(3, 3, { activation: 'sigmoid' }), new Dense(3, 2, { activation: 'sigmoid' })],
 *   { dtype: 'float64', seed: 1 });
 * model.predict([[1, 2, 3]]).shape; //=> [1, 2]
 */
export class Sequential {
  /** The layers, in order: `layers[0]` is layer 1. */
  readonly layers: readonly Dense[];
  /** `dropouts[l − 1]` is the Dropout applied to layer l's input while training, or undefined. */
  readonly dropouts: readonly (Dropout | undefined)[];
  /** Element type of every parameter and activation. */
  readonly dtype: DType;
  /** The seed the model was created with. */
  readonly seed: number;
  /** The seeded generator used for initialisation and shuffling (its state advances). */
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
  /** The allocated batch buffers (for `rows` examples), and views of them by batch size. */
  #base: { rows: number; workspace: Workspace } | undefined;
  readonly #workspaces = new Map<number, Workspace>();
  #classNames: readonly string[] | undefined;
  #preprocessing: Preprocessing | undefined;

  /**
   * Builds every layer's parameters with the model's dtype and seeded generator, in order.
   * @param layers - Dense layers, each optionally preceded by a Dropout (which drops its input)
   * @throws {ConfigError} when there are no layers, an entry is neither a Dense nor a Dropout,
   *   a Dropout is not followed by a Dense (two in a row, or last), or a layer's inputs differ
   *   from the previous layer's outputs (names both layers and both sizes); when classNames or
   *   preprocessing do not fit the outputs or inputs.
   */
  constructor(layers: readonly (Dense | Dropout)[], options: SequentialOptions = {}) {
    if (!Array.isArray(layers) || layers.length === 0) {
      throw new ConfigError('a Sequential model needs at least one layer; received none');
    }
    const dense: Dense[] = [];
    const dropouts: (Dropout | undefined)[] = [];
    let pending: Dropout | undefined;
    layers.forEach((layer, i) => {
      if (layer instanceof Dropout) {
        const next: unknown = layers[i + 1];
        if (!(next instanceof Dense)) {
          throw new ConfigError(
            `layer ${i + 1} ${layer} must be followed by a Dense layer, whose input it drops; ` +
              `received ${next === undefined ? 'nothing after it' : String(next)}`,
          );
        }
        pending = layer;
        return;
      }
      if (!(layer instanceof Dense)) {
        throw new ConfigError(
          `layer ${i + 1} must be a Dense or Dropout layer; received ${String(layer)}`,
        );
      }
      const previous = dense[dense.length - 1];
      if (previous !== undefined && previous.outputs !== layer.inputs) {
        throw new ConfigError(
          `layer ${i + 1} ${layer} takes ${layer.inputs} inputs, but layer ` +
            `${layers.lastIndexOf(previous) + 1} ${previous} gives ${previous.outputs} outputs`,
        );
      }
      dense.push(layer);
      dropouts.push(pending !== undefined && pending.rate > 0 ? pending : undefined);
      pending = undefined;
    });
    this.layers = dense;
    this.dropouts = dropouts;
    this.dtype = checkDType(options.dtype ?? 'float32');
    this.seed = options.seed ?? 1;
    this.random = new Random(this.seed);
    this.backend = options.backend ?? defaultBackend();
    for (const layer of this.layers) layer.build(this.dtype, this.random, this.backend);
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
   * The model as a plain, JSON-serialisable object: the model file's content (version 2), with
   * parameters as base64 of their little-endian bytes, so {@link Sequential.fromJSON} restores
   * them bit for bit. `JSON.stringify(model)` calls it.
   * @throws never
   */
  toJSON(): ModelJSON {
    return encodeModel(this);
  }

  /**
   * Rebuilds a model from {@link Sequential.toJSON}'s output or a parsed model file (version 1
   * or 2), validated field by field; it predicts bit-identically to the saved model.
   * @param options.backend - the kernels to compute with; default {@link defaultBackend}
   * @throws {ModelFileError} naming the first wrong field, what was expected and what was found,
   *   e.g. `layers[1].weights: expected 1280 float32 values (5120 bytes), found 5116 bytes`.
   */
  static fromJSON(json: unknown, options: Pick<SequentialOptions, 'backend'> = {}): Sequential {
    const file = parseModelJSON(json);
    const layers = file.layers.map((layer) =>
      layer.type === 'Dropout'
        ? new Dropout(layer.rate)
        : new Dense(layer.inputs, layer.outputs, { activation: layer.activation }),
    );
    const model = new Sequential(layers, {
      dtype: file.dtype,
      seed: file.seed,
      backend: options.backend,
      classNames: file.classNames,
      preprocessing: file.preprocessing,
      metadata: file.metadata,
    });
    const dense = file.layers.filter((layer) => layer.type === 'Dense');
    model.layers.forEach((layer, i) => {
      layer.weights.data.set(dense[i]!.weights);
      layer.bias.data.set(dense[i]!.bias);
    });
    return model;
  }

  /** n⁰, the width of an input row. */
  get inputs(): number {
    return this.layers[0]!.inputs;
  }

  /** nᴸ, the width of an output row. */
  get outputs(): number {
    return this.layers[this.layers.length - 1]!.outputs;
  }

  /** The parameters in a fixed order, [W¹, b¹, W², b², …]; optimizers update them in place. */
  parameters(): Matrix[] {
    return this.layers.flatMap((layer) => [layer.weights, layer.bias]);
  }

  /**
   * Forward propagation (lecture: a⁰ = x; zˡ = Wˡaˡ⁻¹ + bˡ, aˡ = g(zˡ) for l = 1..L).
   * @param x - inputs [B, n⁰], a Matrix or number[][]
   * @param options.training - apply dropout, drawing fresh masks from `random` (Keras
   *   `model(x, training=True)`); default false, as in predict and evaluate
   * @returns a new trace: `a[l]` and `z[l]` [B, nˡ]; the prediction is `a[L]`
   * @throws {ShapeError} when x's rows are not n⁰ wide, e.g. `x must have 3 columns (the model's
   *   inputs); received shape [2, 4]`, or a number[][] is ragged.
   */
  forward(x: MatrixLike, options: { training?: boolean } = {}): Trace {
    const input = this.#input(x);
    const trace = allocateTrace(this.backend, this.layers, input, this.dtype, this.dropouts);
    this.forwardTrace(trace, options.training ?? false);
    return trace;
  }

  /**
   * Backpropagation (lecture: δᴸ = ∂L/∂aᴸ ⊙ g′(zᴸ); δˡ⁻¹ = (Wˡ)ᵀδˡ ⊙ g′(zˡ⁻¹);
   * ∂L/∂Wˡ = δˡ(aˡ⁻¹)ᵀ; ∂L/∂bˡ = δˡ), batched as in the class docstring.
   * @param trace - a trace from {@link Sequential.forward}
   * @param y - targets [B, nᴸ]
   * @param loss - a loss name ('mse', 'crossEntropy', 'binaryCrossEntropy') or a Loss
   * @returns new gradients: `delta[l]` [B, nˡ]; `weights[l]` [nˡ, nˡ⁻¹]; `bias[l]` [1, nˡ]
   * @throws {ShapeError} when y's shape differs from aᴸ's, e.g. `y must have shape [4, 1] (the
   *   shape of the output aᴸ); received shape [2, 1]`; {ConfigError} for an unknown loss.
   */
  backward(trace: Trace, y: MatrixLike, loss: LossName | Loss): Gradients {
    const output = trace.a[this.layers.length]!;
    const target = toNamedMatrix(y, 'y', this.dtype);
    if (target.rows !== output.rows || target.cols !== output.cols) {
      throw new ShapeError(
        `y must have shape ${shapeOf(output)} (the shape of the output aᴸ); received shape ` +
          shapeOf(target),
      );
    }
    const buffers = allocateGradients(this.backend, this.layers, output.rows, this.dtype);
    this.backwardTrace(trace, target, getLoss(loss), buffers);
    return buffers.gradients;
  }

  /**
   * Forward propagation into a preallocated trace (`trace.a[0]` holds the input). Used by the
   * training loop; no checks, no allocation.
   * @param training - apply dropout (fresh masks from `random`) and record the dropped inputs
   *   in `trace.input`; default false
   */
  forwardTrace(trace: Trace, training = false): void {
    for (let l = 1; l <= this.layers.length; l++) {
      const dropout = this.dropouts[l - 1];
      const buffers = trace.dropout[l];
      let input = trace.a[l - 1]!;
      if (training && dropout !== undefined && buffers !== undefined) {
        dropout.forward(this.random, input, buffers.mask, buffers.output);
        input = buffers.output;
      }
      trace.input[l] = input;
      this.layers[l - 1]!.forward(this.backend, input, trace.z[l]!, trace.a[l]!);
    }
  }

  /**
   * Backpropagation into preallocated buffers; no checks, no allocation. Without a learning
   * rate it writes δˡ, ∂L/∂Wˡ and ∂L/∂bˡ into `gradients`. With one it is the training loop's
   * fused SGD step: each layer passes ∂L/∂aˡ⁻¹ = ΔˡWˡ down first, then updates
   * Wˡ += −η·(Δˡ)ᵀAˡ⁻¹ / B and bˡ += −η·column-sum(Δˡ) / B in place, so the gradient matrices
   * are never written (δ still is). Every δ uses the weights from before the step, as in the
   * lecture, and with B = 1 the result is bit-identical to the unfused step.
   * @param buffers - `gradients` and the scratch `gradA` (∂L/∂aˡ) of a workspace
   */
  backwardTrace(
    trace: Trace,
    y: Matrix,
    loss: Loss,
    buffers: Pick<Workspace, 'gradients' | 'gradA'>,
    learningRate?: number,
  ): void {
    const { gradients, gradA } = buffers;
    const { delta } = gradients;
    const L = this.layers.length;
    const output = this.layers[L - 1]!;
    const backend = this.backend;
    if (loss.fusedActivation === output.activation.name) {
      backend.subtract(trace.a[L]!, y, delta[L]!);
    } else {
      loss.gradient(trace.a[L]!, y, gradA[L]!);
      output.activation.backward(backend, trace.z[L]!, trace.a[L]!, gradA[L]!, delta[L]!);
    }
    for (let l = L; l >= 1; l--) {
      const layer = this.layers[l - 1]!;
      const input = trace.input[l]!; // aˡ⁻¹, or aˡ⁻¹ ⊙ mˡ after dropout
      const below = l > 1 ? gradA[l - 1]! : null;
      if (learningRate === undefined) {
        layer.backward(backend, input, delta[l]!, gradients.weights[l]!, gradients.bias[l]!, below);
      } else {
        layer.descend(backend, input, delta[l]!, below, learningRate);
      }
      if (below !== null) {
        const aPrev = trace.a[l - 1]!;
        const dropped = trace.dropout[l];
        // Through dropout's mask: ∂L/∂aˡ⁻¹ = ∂L/∂ãˡ⁻¹ ⊙ mˡ.
        if (input !== aPrev && dropped !== undefined) {
          this.dropouts[l - 1]!.backward(dropped.mask, below);
        }
        const previous = this.layers[l - 2]!;
        previous.activation.backward(backend, trace.z[l - 1]!, aPrev, below, delta[l - 1]!);
      }
    }
  }

  /**
   * The mean loss over a batch, from a trace (computed from the logits zᴸ for the fused pairs).
   * @param y - targets [B, nᴸ] of the model's dtype
   */
  lossOf(trace: Trace, y: Matrix, loss: Loss): number {
    const L = this.layers.length;
    const fused = loss.fusedActivation === this.layers[L - 1]!.activation.name;
    return loss.value(trace.a[L]!, y, trace.z[L]!, fused);
  }

  /**
   * The buffers for batches of `rows` examples, reused. One set is allocated, for a power of
   * two of rows at least as large as any batch so far; smaller batches get views of its first
   * rows. So batches of ever new sizes (a last, smaller batch; predict on inputs of any length)
   * allocate memory only when the largest size doubles.
   */
  workspace(rows: number): Workspace {
    let workspace = this.#workspaces.get(rows);
    if (workspace === undefined) {
      if (this.#base === undefined || this.#base.rows < rows) {
        const capacity = 2 ** Math.ceil(Math.log2(rows));
        const input = backendMatrix(this.backend, capacity, this.inputs, this.dtype);
        this.#base = {
          rows: capacity,
          workspace: {
            trace: allocateTrace(this.backend, this.layers, input, this.dtype, this.dropouts),
            target: backendMatrix(this.backend, capacity, this.outputs, this.dtype),
            ...allocateGradients(this.backend, this.layers, capacity, this.dtype),
          },
        };
        this.#workspaces.clear();
      }
      if (this.#workspaces.size >= 8) this.#workspaces.clear();
      const base = this.#base;
      workspace = rows === base.rows ? base.workspace : viewWorkspace(base.workspace, rows);
      this.#workspaces.set(rows, workspace);
    }
    return workspace;
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
  fit(x: InputLike, y: MatrixLike, options: FitOptions = {}): Promise<History> {
    return fit(this, x, y, options);
  }

  /**
   * The mean loss (and accuracy for classification, and `metrics`) over a data set, in
   * batches, with dropout off.
   * @returns `{ loss, accuracy?, …metrics }`
   * @throws {ConfigError} for a bad or unknown option key (names it, lists loss, accuracy,
   *   batchSize, metrics) or metric name; {DataError}/{ShapeError} for bad data.
   */
  evaluate(x: InputLike, y: MatrixLike, options: EvaluateOptions = {}): Logs {
    checkEvaluateOptions(options);
    const data = checkData(x, y, this, this.dtype);
    return evaluate(this, data.x, data.y, options);
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
    const parts = this.layers.flatMap((layer, i) => {
      const dropout = this.dropouts[i];
      return dropout === undefined ? [String(layer)] : [String(dropout), String(layer)];
    });
    return `Sequential(${parts.join(', ')})`;
  }

  #input(x: MatrixLike): Matrix {
    return checkWidth(toNamedMatrix(x, 'x', this.dtype), 'x', this.inputs, 'inputs');
  }
}
