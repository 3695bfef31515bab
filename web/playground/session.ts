import {
  ConfigError,
  Dense,
  Matrix,
  Random,
  Sequential,
  getLoss,
  jsBackend,
  type ActivationName,
  type Gradients,
  type Logs,
  type Trace,
} from '../../src/browser.js';
import { DATASET_NAMES, generate, type DatasetName } from './datasets.js';

/**
 * The losses offered: binary cross-entropy, fused with the sigmoid output (δᴸ = a − y), or the
 * lecture's ½(y − a)².
 */
export type PlaygroundLoss = 'binaryCrossEntropy' | 'mse';

/** Losses in menu order. */
export const PLAYGROUND_LOSSES: readonly PlaygroundLoss[] = ['binaryCrossEntropy', 'mse'];

/** Activations offered for the hidden layers (the output is always one sigmoid unit). */
export const HIDDEN_ACTIVATIONS: readonly ActivationName[] = [
  'tanh',
  'sigmoid',
  'relu',
  'leakyRelu',
  'linear',
];

/** Hidden layers at most, and units per layer at most: what the network drawing can show. */
export const MAX_HIDDEN_LAYERS = 6;
export const MAX_UNITS = 12;

/** Everything that decides a playground run; the same config gives the same run everywhere. */
export interface PlaygroundConfig {
  dataset: DatasetName;
  /** Training points; as many test points are drawn after them from the same generator. */
  points: number;
  /** Standard deviation of the noise added to each coordinate. */
  noise: number;
  /** Seed of the data's generator and of the model's (two generators, same seed). */
  seed: number;
  /** Units per hidden layer, e.g. [4] or [8, 8]; [] is logistic regression. */
  hidden: number[];
  /** Activation of every hidden layer. */
  activation: ActivationName;
  loss: PlaygroundLoss;
  learningRate: number;
  batchSize: number;
}

/** The page's starting settings: XOR, one hidden layer of 4 tanh units. */
export const DEFAULT_CONFIG: PlaygroundConfig = {
  dataset: 'xor',
  points: 200,
  noise: 0,
  seed: 1,
  hidden: [4],
  activation: 'tanh',
  loss: 'binaryCrossEntropy',
  learningRate: 0.1,
  batchSize: 10,
};

/**
 * Reads hidden-layer sizes: comma- or space-separated positive integers, e.g. "8, 8"; "" is
 * no hidden layer.
 * @throws {ConfigError} for anything else, or more than {@link MAX_HIDDEN_LAYERS} layers or
 *   {@link MAX_UNITS} units in a layer (echoes the text).
 */
export function parseHidden(text: string): number[] {
  const parts = text.split(/[\s,]+/).filter((part) => part !== '');
  const sizes = parts.map(Number);
  if (!sizes.every((n) => Number.isInteger(n) && n >= 1 && n <= MAX_UNITS)) {
    throw new ConfigError(
      `hidden layers must be sizes from 1 to ${MAX_UNITS}, separated by commas; received "${text}"`,
    );
  }
  if (sizes.length > MAX_HIDDEN_LAYERS) {
    throw new ConfigError(
      `at most ${MAX_HIDDEN_LAYERS} hidden layers; received ${sizes.length} ("${text}")`,
    );
  }
  return sizes;
}

/**
 * Checks a config read from the page.
 * @throws {ConfigError} naming the first bad setting and the value received.
 */
export function checkConfig(config: PlaygroundConfig): PlaygroundConfig {
  const bad = (what: string, value: unknown): never => {
    throw new ConfigError(`${what}; received ${String(value)}`);
  };
  if (!DATASET_NAMES.includes(config.dataset)) {
    bad(`data set must be one of ${DATASET_NAMES.join(', ')}`, config.dataset);
  }
  if (!Number.isInteger(config.points) || config.points < 4 || config.points > 5000) {
    bad('points must be an integer from 4 to 5000', config.points);
  }
  if (!(config.noise >= 0 && config.noise <= 1)) bad('noise must be from 0 to 1', config.noise);
  if (!Number.isInteger(config.seed) || config.seed < 0 || config.seed >= 2 ** 32) {
    bad('seed must be an integer from 0 to 2^32 − 1', config.seed);
  }
  if (!HIDDEN_ACTIVATIONS.includes(config.activation)) {
    bad(`activation must be one of ${HIDDEN_ACTIVATIONS.join(', ')}`, config.activation);
  }
  if (!PLAYGROUND_LOSSES.includes(config.loss)) {
    bad(`loss must be one of ${PLAYGROUND_LOSSES.join(', ')}`, config.loss);
  }
  if (!(config.learningRate > 0 && Number.isFinite(config.learningRate))) {
    bad('the learning rate must be a number > 0', config.learningRate);
  }
  if (!Number.isInteger(config.batchSize) || config.batchSize < 1) {
    bad('the batch size must be an integer >= 1', config.batchSize);
  }
  return config;
}

/**
 * The playground's network for a config: 2 inputs, the hidden layers, 1 sigmoid output; float64
 * on the TypeScript backend, so a page and Node compute the same numbers (see web/README.md).
 */
export function buildModel(config: PlaygroundConfig): Sequential {
  const sizes = [2, ...config.hidden, 1];
  const layers = sizes.slice(1).map(
    (outputs, i) =>
      new Dense(sizes[i]!, outputs, {
        activation: i === sizes.length - 2 ? 'sigmoid' : config.activation,
      }),
  );
  return new Sequential(layers, { dtype: 'float64', seed: config.seed, backend: jsBackend });
}

/** The training and test points of a config, as float64 matrices. */
export function buildData(config: PlaygroundConfig): { train: Labelled; test: Labelled } {
  const random = new Random(config.seed);
  const options = { points: config.points, noise: config.noise };
  const train = generate(config.dataset, random, options);
  const test = generate(config.dataset, random, options);
  return {
    train: { x: Matrix.from(train.x, 'float64'), y: Matrix.from(train.y, 'float64') },
    test: { x: Matrix.from(test.x, 'float64'), y: Matrix.from(test.y, 'float64') },
  };
}

/** Points x [n, 2] with labels y [n, 1]. */
export interface Labelled {
  x: Matrix;
  y: Matrix;
}

/** One example run forward and backward alone (batch of 1: the lecture's equations exactly). */
export interface Inspection {
  /** The row of the training set. */
  example: number;
  /** x = a⁰, two numbers. */
  x: number[];
  /** The target, 0 or 1. */
  y: number;
  /** Loss of this example alone. */
  loss: number;
  /** zˡ, aˡ as [1, nˡ] matrices. */
  trace: Trace;
  /** δˡ [1, nˡ], ∂L/∂Wˡ [nˡ, nˡ⁻¹] and ∂L/∂bˡ [1, nˡ] of this example. */
  gradients: Gradients;
}

/** The current scores of the model: train loss and accuracy, and test loss and accuracy. */
export interface Scores {
  loss: number;
  accuracy: number;
  testLoss: number;
  testAccuracy: number;
}

/** The epochs of the one `fit` call a run makes: more than anyone will watch. */
const FIT_EPOCHS = 1_000_000_000;

/** Ends a suspended `fit` call (rejects its pending onEpochEnd); caught, never shown. */
class FitEnded extends Error {}

/**
 * A playground run: the data, the model and its training so far.
 *
 * Training is one call of the library's `fit` for as many epochs as the run lasts, handed out
 * in chunks: `trainEpochs(n)` lets it run n more epochs, and its `onEpochEnd` callback then
 * suspends it (returns a Promise, which `fit` awaits) until the next chunk. So a run of E epochs
 * in chunks of any sizes, paused as often as you like, is exactly `fit(x, y, { …, epochs: E })`
 * from the same seed. Changing the learning rate or the batch size ends that call; the next
 * chunk starts a new `fit` with the new settings from the current weights.
 */
export class Session {
  readonly config: PlaygroundConfig;
  readonly model: Sequential;
  readonly train: Labelled;
  readonly test: Labelled;
  /** Epochs trained so far. */
  epoch = 0;
  /** The training loss of each epoch (the mean over its batches, as `fit` reports it). */
  readonly losses: number[] = [];
  #learningRate: number;
  #batchSize: number;
  /** Epochs left in the current chunk. */
  #budget = 0;
  /** Settles the current chunk's promise. */
  #chunk: { done: () => void; failed: (error: unknown) => void } | undefined;
  /** Resumes (or ends) the suspended fit call; undefined when no fit call is in progress. */
  #suspended: { resume: () => void; end: (error: FitEnded) => void } | undefined;
  /** Chunks run one after another, whoever asks. */
  #queue: Promise<void> = Promise.resolve();

  constructor(config: PlaygroundConfig) {
    this.config = checkConfig(config);
    this.model = buildModel(config);
    ({ train: this.train, test: this.test } = buildData(config));
    this.#learningRate = config.learningRate;
    this.#batchSize = config.batchSize;
  }

  /** The SGD step size η of the next chunk. */
  get learningRate(): number {
    return this.#learningRate;
  }

  /** Examples per update in the next chunk. */
  get batchSize(): number {
    return this.#batchSize;
  }

  /**
   * Changes η and the batch size; when either differs, the current `fit` call ends and the
   * next chunk starts a new one.
   * @throws {ConfigError} for a learning rate that is not > 0 or a batch size that is not an
   *   integer >= 1.
   */
  setOptimization(learningRate: number, batchSize: number): void {
    checkConfig({ ...this.config, learningRate, batchSize });
    if (learningRate === this.#learningRate && batchSize === this.#batchSize) return;
    this.#learningRate = learningRate;
    this.#batchSize = batchSize;
    this.end();
  }

  /** Ends the `fit` call in progress, if any (call it when the session is dropped). */
  end(): void {
    const suspended = this.#suspended;
    this.#suspended = undefined;
    suspended?.end(new FitEnded());
  }

  /**
   * Trains `epochs` more epochs (an integer >= 1), continuing the run's `fit` call.
   * @throws {NumericalError} (rejects) when training diverges.
   */
  trainEpochs(epochs: number): Promise<void> {
    const chunk = this.#queue.then(() => this.#run(epochs));
    this.#queue = chunk.catch(() => undefined);
    return chunk;
  }

  #run(epochs: number): Promise<void> {
    return new Promise<void>((done, failed) => {
      this.#budget = epochs;
      this.#chunk = { done, failed };
      const suspended = this.#suspended;
      this.#suspended = undefined;
      if (suspended !== undefined) suspended.resume();
      else this.#startFit();
    });
  }

  #startFit(): void {
    const settle = (error?: unknown) => {
      const chunk = this.#chunk;
      this.#chunk = undefined;
      if (error === undefined) chunk?.done();
      else chunk?.failed(error);
    };
    this.model
      .fit(this.train.x, this.train.y, {
        loss: this.config.loss,
        learningRate: this.#learningRate,
        batchSize: this.#batchSize,
        epochs: FIT_EPOCHS,
        onEpochEnd: (_, logs) => {
          this.epoch++;
          this.losses.push(logs['loss']!);
          if (--this.#budget > 0) return;
          // The chunk is done: suspend this fit call until the next chunk (or its end).
          return new Promise<void>((resume, end) => {
            this.#suspended = { resume, end };
            settle();
          });
        },
      })
      .then(
        () => settle(),
        (error: unknown) => {
          if (!(error instanceof FitEnded)) settle(error);
        },
      );
  }

  /** Loss and accuracy of the current weights on the training and the test points. */
  scores(): Scores {
    const options = { loss: this.config.loss, accuracy: true };
    const train: Logs = this.model.evaluate(this.train.x, this.train.y, options);
    const test: Logs = this.model.evaluate(this.test.x, this.test.y, options);
    return {
      loss: train['loss']!,
      accuracy: train['accuracy']!,
      testLoss: test['loss']!,
      testAccuracy: test['accuracy']!,
    };
  }

  /** Forward and backward for training example `example` alone. */
  inspect(example: number): Inspection {
    const x = Array.from(this.train.x.row(example));
    const y = this.train.y.get(example, 0);
    const trace = this.model.forward([x]);
    const gradients = this.model.backward(trace, [[y]], this.config.loss);
    const target = Matrix.from([[y]], 'float64');
    const loss = this.model.lossOf(trace, target, getLoss(this.config.loss));
    return { example, x, y, loss, trace, gradients };
  }
}
