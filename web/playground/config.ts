import {
  ConfigError,
  Dense,
  Matrix,
  Random,
  Sequential,
  jsBackend,
  type ActivationName,
} from '../../packages/core/src/browser.js';
import { DATASET_NAMES, generate, type DatasetName } from './datasets.js';

// What decides a playground run, read from the page's controls: the data, the network and the
// optimisation settings, checked, and the model and data they make.

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
