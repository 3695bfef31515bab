import { Option, type Command } from 'commander';
import {
  ACTIVATION_NAMES,
  BACKEND_NAMES,
  defaultThreads,
  DATASET_NAMES,
  DTYPES,
  LOSS_NAMES,
  SCALING_KINDS,
  wasmAvailable,
  type ActivationName,
  type BackendName,
  type DType,
  type LossName,
  type ScalingKind,
  type Task,
} from './api.js';
import { onClosedPipe } from './closed-pipe.js';
import { fraction, integer, layerSizes, oneOf, pointToHelp, positiveNumber } from './options.js';
import { train } from './train.js';
import { resolveTraining, trainingFlags, type TrainingFlags } from './training-flags.js';

/** The number of MNIST training images; a larger `--limit` uses all of them. */
const MNIST_TRAIN_IMAGES = 60000;

/** The parsed options of `backprop train`. */
export interface TrainOptions extends TrainingFlags {
  /** n⁰,…,nᴸ; must start with the data's inputs (784 for MNIST) and end with its outputs (10). */
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
  /** The 'wasm' backend's fused multiply-add kernels (relaxed SIMD): last bits differ. */
  relaxedSimd: boolean;
  /** The model file to write. */
  output: string;
  /** Train on the first `limit` training examples only; undefined for all 60000. */
  limit?: number;
  /** One JSON object per epoch on stdout, and nothing else there. */
  json: boolean;
  /** A directory for the training report (report.html, loss/accuracy .svg and .png). */
  report?: string;
  /** A data set by name (see DATASET_NAMES); undefined (or 'mnist') for MNIST. */
  dataset?: string;
  /** A CSV file to train on, with a header row; needs `target`. */
  input?: string;
  /** `--input`: the target column(s), by name or 0-based index, comma-separated. */
  target?: string;
  /** `--input`: the input columns, comma-separated; default all but the target. */
  features?: string;
  /** `--input`: text columns to one-hot encode, comma-separated. */
  categorical?: string;
  /** `--input`: classification or regression; default from the target column. */
  task?: Task;
  /** Tables: drop rows with a missing value instead of stopping. */
  dropMissing: boolean;
  /** Tables: feature scaling fitted on the training rows. */
  scale: ScalingKind;
  /** Tables: the fraction of rows held out for testing. */
  testSplit: number;
  /** The options typed on the command line (the rest took their defaults); all when absent. */
  given?: ReadonlySet<string>;
}

/** Shown after `backprop train --help`. */
const EXAMPLES = `
Examples:
  backprop train                                  784-128-10, 5 epochs, saves model.json
  backprop train --layers 784,256,64,10 --epochs 10 --output runs/big.json
  backprop train --limit 2000 --epochs 1 --json   a quick run; JSON lines on stdout
  backprop train --backend js                     the reference TypeScript kernels
  backprop train --preset mnist-best              Adam, dropout, cosine schedule: >= 98.2% test accuracy
  backprop train --optimizer adam --dropout 0.2 --validation-split 0.1 --patience 3
  backprop train --checkpoint-dir ckpt --resume   continue where an interrupted run stopped
  backprop train --dataset iris                   4-16-3, Adam, epochs sized to the data, 20% held out
  backprop train --input weather.csv --target weather --drop-missing
  backprop train --epochs 2 --report out          curves and confusion matrix in out/report.html`;

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
    .description(
      'train a network on the MNIST digits (or --dataset, or a CSV --input) by SGD and save ' +
        'it as a JSON model file',
    )
    .configureOutput({ outputError: pointToHelp('backprop train --help') });
  const threads = Math.min(64, defaultThreads());
  const options = [
    option(
      '--layers <sizes>',
      'layer sizes, the inputs first and the outputs last: 784 and 10 for MNIST; for tables ' +
        'the default is one hidden layer, a power of two >= 2·(inputs + outputs)',
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
      'step size η > 0 (for sgd; another --optimizer has its own default, e.g. 0.001 for adam)',
      positiveNumber('--learning-rate'),
      0.1,
    ),
    option('--batch-size <int>', 'examples per update, >= 1', integer('--batch-size', 1), 32),
    option(
      '--epochs <int>',
      'passes over the training set (tables: default about 2000 updates)',
      integer('--epochs', 1),
      5,
    ),
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
      '--relaxed-simd',
      'wasm kernels with fused multiply-adds (WebAssembly relaxed SIMD; Node 20 gets its V8 ' +
        'flag set): faster where the processor fuses, results differ in the last bits',
      undefined,
      false,
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
    option(
      '--report <dir>',
      'write a training report there: report.html (self-contained: curves of loss, accuracy ' +
        'and learning rate, the confusion matrix, the settings) and the curves as SVG and PNG',
      undefined,
    ),
    option(
      '--dataset <name>',
      `a data set that ships with backprop: ${DATASET_NAMES.join(', ')} (default: mnist)`,
      oneOf('--dataset', DATASET_NAMES),
    ),
    option(
      '--input <file.csv>',
      'train on a CSV file with a header row instead (needs --target)',
      undefined,
    ),
    option(
      '--target <columns>',
      '--input: the target column by name or 0-based index (-1: the last); several, ' +
        'comma-separated, for multi-output regression',
      undefined,
    ),
    option(
      '--features <columns>',
      '--input: the input columns, comma-separated (default: all but the target)',
      undefined,
    ),
    option(
      '--categorical <columns>',
      '--input: text input columns to one-hot encode, comma-separated',
      undefined,
    ),
    option(
      '--task <task>',
      '--input: classification or regression (default: classification when the target holds text)',
      oneOf('--task', ['classification', 'regression'] as const),
    ),
    option(
      '--drop-missing',
      'tables: drop rows with a missing value (their count is printed) instead of stopping at ' +
        'the first; the shipped data sets always drop them',
      undefined,
      false,
    ),
    option(
      '--scale <kind>',
      `tables: feature scaling fitted on the training rows only: ${SCALING_KINDS.join(', ')}`,
      oneOf('--scale', SCALING_KINDS),
      'standard',
      'standard; iris: none, its columns are all centimetres',
    ),
    option(
      '--test-split <fraction>',
      'tables: the fraction of rows held out for testing, stratified by class, seeded by --seed',
      fraction('--test-split'),
      0.2,
    ),
  ];
  for (const each of [...options, ...trainingFlags()]) command.addOption(each);
  return command.addHelpText('after', EXAMPLES).action((parsed: TrainOptions, self: Command) => {
    // A closed stdout or stderr must not lose the model being trained (issue 15, item 4).
    onClosedPipe('drop');
    return train(resolveTraining({ ...parsed, given: typedOptions(self, parsed) }));
  });
}

/** The keys of the options typed on the command line, as opposed to defaults. */
function typedOptions(command: Command, parsed: TrainOptions): ReadonlySet<string> {
  return new Set(Object.keys(parsed).filter((key) => command.getOptionValueSource(key) === 'cli'));
}
