import {
  ConfigError,
  createBackend,
  Dense,
  loadMnist,
  NumericalError,
  saveModel,
  Sequential,
  type Backend,
  type Logs,
} from '../index.js';
import { checkOutput } from './output.js';
import { createProgress } from './progress.js';
import type { TrainOptions } from './train-command.js';

/** n⁰ for MNIST: 28·28 pixels. */
const MNIST_INPUTS = 784;
/** nᴸ for MNIST: the digits 0–9. */
const MNIST_CLASSES = 10;

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

/**
 * Trains on MNIST and saves the model: the whole `backprop train` command. Checks the layers
 * and `--output` first, so that nothing is trained for a model that could not be saved.
 * Prints one line (or, with `--json`, one JSON object) per epoch on stdout, then the saved path.
 * @throws {ConfigError} when the layers do not start with 784 and end with 10, `--output`
 *   cannot be written (see checkOutput), or the wasm backend is unavailable.
 * @throws {NumericalError} when the loss becomes non-finite (names epoch and batch, suggests a
 *   smaller --learning-rate). Also DataError (MNIST files) and ModelFileError (writing).
 */
export async function train(options: TrainOptions): Promise<void> {
  checkMnistLayers(options.layers);
  checkOutput(options.output);
  const backend = buildBackend(options);
  const model = buildModel(options, backend);
  const mnist = loadMnist({ dtype: options.dtype, limit: { train: options.limit } });
  const { x, y } = mnist.train;
  const examples = x.rows;
  if (options.limit !== undefined && options.limit > examples) {
    process.stderr.write(
      `note: --limit ${options.limit} is more than the ${count.format(examples)} MNIST ` +
        `training images; using all ${count.format(examples)}\n`,
    );
  }
  const batches = Math.ceil(examples / options.batchSize);
  const out = (line: string) => process.stdout.write(`${line}\n`);
  if (!options.json) {
    out(
      `training ${model} on ${count.format(examples)} MNIST images (${options.dtype}, ` +
        `seed ${options.seed}, backend ${backend.name})`,
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
      backend: backend.name,
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

/**
 * The backend of `--backend` and `--threads`.
 * @throws {ConfigError} `--backend wasm: …` where WebAssembly SIMD or shared memory is missing.
 */
function buildBackend(options: TrainOptions): Backend {
  try {
    return createBackend(options.backend, { threads: options.threads });
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    throw new ConfigError(`--backend ${options.backend}: ${error.message}`, { cause: error });
  }
}

/** n⁰-…-nᴸ Dense layers: `activation` on the hidden ones, `outputActivation` on the last. */
function buildModel(options: TrainOptions, backend: Backend): Sequential {
  const { layers } = options;
  const dense = layers.slice(1).map((outputs, i) => {
    const activation = i === layers.length - 2 ? options.outputActivation : options.activation;
    return new Dense(layers[i]!, outputs, { activation });
  });
  return new Sequential(dense, { dtype: options.dtype, seed: options.seed, backend });
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
