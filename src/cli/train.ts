import { Option, type Command } from 'commander';
import {
  ACTIVATION_NAMES,
  ConfigError,
  Dense,
  DTYPES,
  LOSS_NAMES,
  loadMnist,
  NumericalError,
  saveModel,
  Sequential,
  type ActivationName,
  type DType,
  type Logs,
  type LossName,
} from '../index.js';
import { integer, layerSizes, oneOf, positiveNumber } from './options.js';
import { createProgress } from './progress.js';

/** n⁰ for MNIST: 28·28 pixels. */
const MNIST_INPUTS = 784;
/** nᴸ for MNIST: the digits 0–9. */
const MNIST_CLASSES = 10;

/** The parsed options of `backprop train`. */
export interface TrainOptions {
  /** n⁰,…,nᴸ; must start with 784 and end with 10. */
  layers: number[];
  /** Activation of the hidden layers. */
  activation: ActivationName;
  /** Activation of the output layer. */
  outputActivation: ActivationName;
  loss: LossName;
  learningRate: number;
  batchSize: number;
  epochs: number;
  seed: number;
  dtype: DType;
  /** The model file to write. */
  output: string;
  /** Train on the first `limit` training examples only; undefined for all 60000. */
  limit?: number;
  /** One JSON object per epoch on stdout, and nothing else there. */
  json: boolean;
}

/** One epoch's results, as printed (`--json`) and stored in the model file's metadata. */
export interface EpochRecord {
  epoch: number;
  epochs: number;
  /** Mean training loss over the epoch (nats for the cross-entropies). */
  loss: number;
  /** Fraction of training examples classified correctly during the epoch, in [0, 1]. */
  trainAccuracy: number;
  /** Loss on the 10000 test images after the epoch. */
  testLoss: number;
  /** Fraction of the 10000 test images classified correctly after the epoch, in [0, 1]. */
  testAccuracy: number;
  /** Training time of the epoch in seconds (without the test evaluation). */
  seconds: number;
  /** Training examples per second. */
  examplesPerSecond: number;
}

/** Shown after `backprop train --help`. */
const EXAMPLES = `
Examples:
  backprop train                                  784-128-10, 5 epochs, saves model.json
  backprop train --layers 784,256,64,10 --epochs 10 --output big.json
  backprop train --limit 2000 --epochs 1 --json   a quick run; JSON lines on stdout`;

/** A commander option with a strict parser and a default shown in the help. */
function option<T>(
  flags: string,
  description: string,
  parse: ((text: string) => T) | undefined,
  fallback?: T,
  shown?: string,
): Option {
  const result = new Option(flags, description);
  if (parse) result.argParser(parse);
  return fallback === undefined ? result : result.default(fallback, shown);
}

/**
 * Adds the `train` command, with its options and defaults, to the program.
 * @returns the new subcommand
 */
export function defineTrainCommand(program: Command): Command {
  const command = program
    .command('train')
    .description('train a network on the MNIST digits by SGD and save it as a JSON model file');
  const options = [
    option(
      '--layers <sizes>',
      'layer sizes, 784 first and 10 last',
      layerSizes('--layers'),
      [MNIST_INPUTS, 128, MNIST_CLASSES],
      '784,128,10',
    ),
    option(
      '--activation <name>',
      `hidden-layer activation: ${ACTIVATION_NAMES.join(', ')}`,
      oneOf('--activation', ACTIVATION_NAMES),
      'relu',
    ),
    option(
      '--output-activation <name>',
      'output-layer activation (same choices)',
      oneOf('--output-activation', ACTIVATION_NAMES),
      'softmax',
    ),
    option(
      '--loss <name>',
      `loss: ${LOSS_NAMES.join(', ')}`,
      oneOf('--loss', LOSS_NAMES),
      'crossEntropy',
    ),
    option(
      '--learning-rate <number>',
      'SGD step size η, a number > 0',
      positiveNumber('--learning-rate'),
      0.1,
    ),
    option('--batch-size <int>', 'examples per update, >= 1', integer('--batch-size', 1), 32),
    option('--epochs <int>', 'passes over the training set', integer('--epochs', 1), 5),
    option(
      '--seed <int>',
      'seed of initialisation and shuffling, 0 to 4294967295',
      integer('--seed', 0, 2 ** 32 - 1),
      1,
    ),
    option(
      '--dtype <dtype>',
      `element type: ${DTYPES.join(', ')}`,
      oneOf('--dtype', DTYPES),
      'float32',
    ),
    option('--output <path>', 'the model file to write', undefined, 'model.json'),
    option(
      '--limit <n>',
      'train on the first n of the 60000 training images only (default: all)',
      integer('--limit', 1),
    ),
    option(
      '--json',
      'print one JSON object per epoch on stdout and nothing else',
      undefined,
      false,
    ),
  ];
  for (const each of options) command.addOption(each);
  return command.addHelpText('after', EXAMPLES).action((parsed: TrainOptions) => train(parsed));
}

/**
 * Trains on MNIST and saves the model: the whole `backprop train` command.
 * Prints one line (or, with `--json`, one JSON object) per epoch on stdout, then the saved path.
 * @throws {ConfigError} when the layers do not start with 784 and end with 10.
 * @throws {NumericalError} when the loss becomes non-finite (names epoch and batch, suggests a
 *   smaller --learning-rate). Also DataError (MNIST files) and ModelFileError (writing).
 */
export async function train(options: TrainOptions): Promise<void> {
  checkMnistLayers(options.layers);
  const model = buildModel(options);
  const mnist = loadMnist({ dtype: options.dtype, limit: { train: options.limit } });
  const { x, y } = mnist.train;
  const examples = x.rows;
  const batches = Math.ceil(examples / options.batchSize);
  const out = (line: string) => process.stdout.write(`${line}\n`);
  if (!options.json) {
    out(
      `training ${model} on ${count.format(examples)} MNIST images (${options.dtype}, seed ${options.seed})`,
    );
  }
  const progress = createProgress({
    epochs: options.epochs,
    batches,
    batchSize: options.batchSize,
    examples,
    enabled: !options.json && process.stderr.isTTY === true,
  });
  const history: EpochRecord[] = [];
  const onEpochEnd = (epoch: number, logs: Logs): void => {
    progress.stop();
    const test = model.evaluate(mnist.test.x, mnist.test.y, { loss: options.loss, accuracy: true });
    const record: EpochRecord = {
      epoch,
      epochs: options.epochs,
      loss: logs['loss']!,
      trainAccuracy: logs['accuracy']!,
      testLoss: test['loss']!,
      testAccuracy: test['accuracy']!,
      seconds: logs['seconds']!,
      examplesPerSecond: logs['examplesPerSecond']!,
    };
    history.push(record);
    out(options.json ? JSON.stringify(record) : formatEpoch(record));
    if (epoch < options.epochs) progress.start(epoch + 1);
  };
  progress.start(1);
  try {
    await model.fit(x, y, {
      loss: options.loss,
      learningRate: options.learningRate,
      batchSize: options.batchSize,
      epochs: options.epochs,
      accuracy: true,
      onBatchEnd: (batch, logs) => progress.update(batch, logs),
      onEpochEnd,
    });
  } catch (error) {
    if (!(error instanceof NumericalError)) throw error;
    throw new NumericalError(
      `${error.message.replace(/; help:.*$/, '')}; help: training diverged, ` +
        `try a smaller --learning-rate than ${options.learningRate}`,
      error.epoch,
      error.batch,
    );
  } finally {
    progress.stop();
  }
  await saveModel(model, options.output, {
    createdBy: 'backprop train',
    data: { name: 'MNIST', trainExamples: examples, testExamples: mnist.test.x.rows },
    training: {
      optimizer: 'sgd',
      loss: options.loss,
      learningRate: options.learningRate,
      batchSize: options.batchSize,
      epochs: options.epochs,
    },
    history,
  });
  (options.json ? process.stderr : process.stdout).write(`saved the model to ${options.output}\n`);
}

/**
 * Checks that layer sizes fit MNIST: 784 inputs (28·28 pixels), 10 outputs (digits).
 * @throws {ConfigError} naming the expected and the received size.
 */
function checkMnistLayers(layers: readonly number[]): void {
  const first = layers[0];
  const last = layers[layers.length - 1];
  if (first !== MNIST_INPUTS) {
    throw new ConfigError(
      `--layers must start with ${MNIST_INPUTS} (the pixels of an MNIST image); received ` +
        `${layers.join(',')}, which starts with ${first}`,
    );
  }
  if (last !== MNIST_CLASSES) {
    throw new ConfigError(
      `--layers must end with ${MNIST_CLASSES} (the MNIST digit classes); received ` +
        `${layers.join(',')}, which ends with ${last}`,
    );
  }
}

/** n⁰-…-nᴸ Dense layers: `activation` on the hidden ones, `outputActivation` on the last. */
function buildModel(options: TrainOptions): Sequential {
  const { layers } = options;
  const dense = layers.slice(1).map((outputs, i) => {
    const activation = i === layers.length - 2 ? options.outputActivation : options.activation;
    return new Dense(layers[i]!, outputs, { activation });
  });
  return new Sequential(dense, { dtype: options.dtype, seed: options.seed });
}

const count = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

/** 'epoch 1/5  loss 0.2968  train acc 91.28%  test acc 95.10%  13.9 s  4,302 ex/s' */
function formatEpoch(record: EpochRecord): string {
  const width = String(record.epochs).length;
  return [
    `epoch ${String(record.epoch).padStart(width)}/${record.epochs}`,
    `loss ${record.loss.toFixed(4)}`,
    `train acc ${(100 * record.trainAccuracy).toFixed(2)}%`,
    `test acc ${(100 * record.testAccuracy).toFixed(2)}%`,
    `${record.seconds.toFixed(1)} s`,
    `${count.format(record.examplesPerSecond)} ex/s`,
  ].join('  ');
}
