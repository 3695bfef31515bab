import { ConfigError } from '../errors.js';
import { encodeModel, type ModelJSON, type TrainingConfig } from '../io/model-format.js';
import { classNamesProblem, preprocessingProblem } from '../io/model-names.js';
import type { Preprocessing } from '../data/preprocess.js';
import type { Layer } from '../layers/layer.js';
import type { Matrix } from '../tensor/matrix.js';
import { checkInputs, type InputLike, type TargetLike } from '../training/check-data.js';
import { evaluateData, predict, type EvaluateOptions } from '../training/evaluate.js';
import { evaluateAsync, predictAsync, type AsyncOptions } from '../training/evaluate-async.js';
import { fit, type FitOptions } from '../training/fit.js';
import type { History, Logs } from '../training/history.js';
import { Network, type NetworkOptions } from './network.js';

/** Options of a {@link Sequential} model. */
export interface SequentialOptions extends NetworkOptions {
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
export class Sequential extends Network {
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
    super(layers, options);
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
   * {@link Sequential.predict} with the event loop let run between batches of rows (timers,
   * I/O, a page's frames); bit-identical results.
   * @param options.yieldEvery - 'auto' (default, every 100 ms), 'batch', a number of ms, 'never'
   * @throws as predict (rejects)
   */
  predictAsync(x: InputLike, options: AsyncOptions & { batchSize?: number } = {}): Promise<Matrix> {
    return predictAsync(this, x, options);
  }

  /**
   * {@link Sequential.evaluate} with the event loop let run between batches of rows;
   * bit-identical logs.
   * @throws as evaluate (rejects)
   */
  evaluateAsync(
    x: InputLike,
    y: TargetLike,
    options: EvaluateOptions & AsyncOptions = {},
  ): Promise<Logs> {
    return evaluateAsync(this, x, y, options);
  }
}
