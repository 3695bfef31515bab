import { Option, type Command } from 'commander';
import {
  ACTIVATION_NAMES,
  BACKEND_NAMES,
  defaultThreads,
  DTYPES,
  LOSS_NAMES,
  wasmAvailable,
  type ActivationName,
  type BackendName,
  type DType,
  type LossName,
} from '../index.js';
import { integer, layerSizes, oneOf, pointToHelp, positiveNumber } from './options.js';
import { train } from './train.js';

/** The number of MNIST training images; a larger `--limit` uses all of them. */
const MNIST_TRAIN_IMAGES = 60000;

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
  /** The kernels: 'wasm' (default where WebAssembly SIMD is available) or 'js'. */
  backend: BackendName;
  /** Threads of the 'wasm' backend, 1 to 64; the 'js' backend ignores it. */
  threads: number;
  /** The model file to write. */
  output: string;
  /** Train on the first `limit` training examples only; undefined for all 60000. */
  limit?: number;
  /** One JSON object per epoch on stdout, and nothing else there. */
  json: boolean;
}

/** Shown after `backprop train --help`. */
const EXAMPLES = `
Examples:
  backprop train                                  784-128-10, 5 epochs, saves model.json
  backprop train --layers 784,256,64,10 --epochs 10 --output runs/big.json
  backprop train --limit 2000 --epochs 1 --json   a quick run; JSON lines on stdout
  backprop train --backend js                     the reference TypeScript kernels`;

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
 * Adds the `train` command, with its options and defaults, to the program. Commander's own
 * errors (an unknown option, a missing value) end with `; see backprop train --help`.
 * @returns the new subcommand
 * @throws never; bad option values throw ConfigError later, when commander parses them.
 */
export function defineTrainCommand(program: Command): Command {
  const command = program
    .command('train')
    .description('train a network on the MNIST digits by SGD and save it as a JSON model file')
    .configureOutput({ outputError: pointToHelp('backprop train --help') });
  const threads = Math.min(64, defaultThreads());
  const options = [
    option(
      '--layers <sizes>',
      'layer sizes, 784 first and 10 last',
      layerSizes('--layers'),
      [784, 128, 10],
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
    option(
      '--backend <name>',
      `kernels: ${BACKEND_NAMES.join(', ')} (wasm: WebAssembly SIMD; js: plain TypeScript)`,
      oneOf('--backend', BACKEND_NAMES),
      wasmAvailable() ? 'wasm' : 'js',
    ),
    option(
      '--threads <n>',
      'threads of the wasm backend, 1 to 64 (js ignores it)',
      integer('--threads', 1, 64),
      threads,
      `${threads}, the number of cores`,
    ),
    option(
      '--output <path>',
      'the model file to write, atomically; missing parent directories are created',
      undefined,
      'model.json',
    ),
    option(
      '--limit <n>',
      `train on the first n of the ${MNIST_TRAIN_IMAGES} training images only; a larger n uses ` +
        'all of them, with a note on stderr (default: all)',
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
