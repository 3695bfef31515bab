import { ConfigError } from '../errors.js';
import type { Loss, LossSpec } from '../losses.js';
import type { Sequential } from '../model/sequential.js';
import { checkLearningRate, Optimizer } from '../optimizers/optimizer.js';
import { createOptimizer, type OptimizerName } from '../optimizers/registry.js';
import type { InputMatrix } from '../tensor/byte-matrix.js';
import type { Matrix } from '../tensor/matrix.js';
import type { Callback } from './callbacks.js';
import type { CheckpointOptions } from './checkpoint.js';
import { checkValidationData, type InputLike, type TargetLike } from './check-data.js';
import type { Logs } from './history.js';
import { describeValue } from './input-structure.js';
import type { MetricName } from './metrics.js';
import type { SampleWeightOptions } from './sample-weights.js';
import type { YieldEvery } from './yield.js';
import type { ScheduleConfig } from './schedules.js';

// The options of `fit`: their type, and the checks and defaults that turn them into what the
// training loop uses (the optimizer, the callbacks, the checkpoint to resume, the validation set).

/** Options of `fit`. */
export interface FitOptions {
  /** The loss to minimise: a name, a config with options, or a Loss. Default 'mse' (½Σ(y − a)²). */
  loss?: LossSpec | Loss;
  /**
   * The optimizer: a name ('sgd', 'momentum', 'nesterov', 'adagrad', 'rmsprop', 'adam',
   * 'adamw', with its defaults) or an Optimizer object (e.g. `new Adam({ learningRate: 1e-3 })`),
   * which keeps its state across fit calls. Default 'sgd', the lecture's update.
   */
  optimizer?: OptimizerName | Optimizer;
  /**
   * η of the update, for an optimizer given by name. Default: the optimizer's own (0.01 for
   * sgd, momentum, adagrad, rmsprop; 1e-3 for adam and adamw). Give an optimizer object its
   * learning rate instead.
   */
  learningRate?: number;
  /** Examples per update; 1 is the lecture's per-example SGD. Default 32. */
  batchSize?: number;
  /** Passes over the data. Default 1. */
  epochs?: number;
  /** Visit the examples in a fresh random order each epoch (Fisher–Yates). Default true. */
  shuffle?: boolean;
  /** Track accuracy. Default: true for the cross-entropies, false for mse. */
  accuracy?: boolean;
  /** More metrics, logged for training (running) and validation: 'mae', 'r2', 'top5Accuracy'… */
  metrics?: readonly MetricName[];
  /** λ₁ ≥ 0 of the L1 penalty λ₁Σ|w| on the weights (not biases), in loss and gradient. */
  l1?: number;
  /** λ₂ ≥ 0 of the L2 penalty ½λ₂Σw² on the weights (not biases), in loss and gradient. */
  l2?: number;
  /** Rescale the gradients when their global norm exceeds this (> 0), as clip_grad_norm_. */
  clipNorm?: number;
  /** Clamp every gradient element to [−clipValue, clipValue] (> 0), as clip_grad_value_. */
  clipValue?: number;
  /** A learning-rate schedule: step, exponential, cosine (with warm-up), reduceOnPlateau. */
  schedule?: ScheduleConfig;
  /**
   * Hold out the last fraction of the rows (before shuffling, as Keras does), in (0, 1), as
   * validation data, evaluated after each epoch as valLoss and val<Metric>.
   */
  validationSplit?: number;
  /** Held-out [x, y], evaluated after each epoch as valLoss (and valAccuracy, val<Metric>). */
  validationData?: [InputLike, TargetLike];
  /**
   * Weight per class index (Keras `class_weight`), e.g. `{ 0: 1, 1: 5 }`: each training row's
   * loss and gradient are multiplied by its class's weight (classes left out weigh 1).
   */
  classWeight?: SampleWeightOptions['classWeight'];
  /**
   * Weight per training row (Keras `sample_weight`), finite ≥ 0, multiplied with classWeight.
   * The batch loss is Σᵢ wᵢℓᵢ / B (Keras's sum over the batch size); metrics are unweighted;
   * with validationSplit the validation rows' weights are not used.
   */
  sampleWeight?: SampleWeightOptions['sampleWeight'];
  /** Hooks called during training; see {@link Callback}, e.g. `new EarlyStopping(…)`. */
  callbacks?: readonly Callback[];
  /** Save a checkpoint to `dir` after every epoch (or every n batches), atomically. */
  checkpoint?: CheckpointOptions;
  /**
   * Continue from a checkpoint: true reads `checkpoint.dir` (starting afresh when it has none),
   * a path reads that file (which must exist). The run then ends bit-identical to an
   * uninterrupted one. Default false.
   */
  resume?: boolean | string;
  /**
   * When to let the event loop run (timers, I/O, a page's frames): 'auto' (default: after a
   * batch once 100 ms passed), 'batch', 'epoch', a number of milliseconds, or 'never'. The
   * results are the same whatever the choice.
   */
  yieldEvery?: YieldEvery;
  /** Called after each batch with the running means of the epoch so far. */
  onBatchEnd?: (batch: number, logs: Logs) => void;
  /** Called after each epoch (1-based) with its logs; may return a Promise, which is awaited. */
  onEpochEnd?: (epoch: number, logs: Logs) => void | Promise<void>;
}

/** Every key of {@link FitOptions}; `satisfies` keeps the list and the interface in step. */
export const FIT_OPTION_KEYS = Object.keys({
  loss: true,
  optimizer: true,
  learningRate: true,
  batchSize: true,
  epochs: true,
  shuffle: true,
  accuracy: true,
  metrics: true,
  l1: true,
  l2: true,
  clipNorm: true,
  clipValue: true,
  schedule: true,
  validationSplit: true,
  validationData: true,
  classWeight: true,
  sampleWeight: true,
  callbacks: true,
  checkpoint: true,
  resume: true,
  onBatchEnd: true,
  onEpochEnd: true,
  yieldEvery: true,
} satisfies Record<keyof FitOptions, true>);

/**
 * The optimizer of a fit call: the given object, or a new one by name with `learningRate`.
 * @throws {ConfigError} for an unknown name, a bad learning rate, or a learning rate given with
 *   an optimizer object.
 */
export function fitOptimizer(options: FitOptions): Optimizer {
  const chosen = options.optimizer ?? 'sgd';
  if (chosen instanceof Optimizer) {
    if (options.learningRate !== undefined) {
      throw new ConfigError(
        `learningRate cannot be combined with an optimizer object (it has its own, ` +
          `${chosen.learningRate}); received learningRate ${options.learningRate}; help: pass ` +
          `it to the optimizer, e.g. new ${chosen.className}({ learningRate: ${options.learningRate} })`,
      );
    }
    return chosen;
  }
  const learningRate =
    options.learningRate === undefined
      ? chosen === 'sgd'
        ? 0.01
        : undefined
      : checkLearningRate(options.learningRate);
  return createOptimizer(chosen, { learningRate });
}

/** An optional option > 0. */
export function optionalPositive(value: unknown, option: string): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new ConfigError(`${option} must be a finite number > 0; received ${String(value)}`);
  }
  return value;
}

/** The callbacks of a fit call: `callbacks`, then the onBatchEnd and onEpochEnd functions. */
export function fitCallbacks(options: FitOptions): Callback[] {
  const callbacks = options.callbacks ?? [];
  if (!Array.isArray(callbacks)) {
    throw new ConfigError(`callbacks must be an array; received ${String(callbacks)}`);
  }
  callbacks.forEach((callback: unknown, i) => {
    if (typeof callback !== 'object' || callback === null) {
      throw new ConfigError(
        `callbacks[${i}] must be an object with hooks such as onEpochEnd; received ${String(callback)}`,
      );
    }
  });
  const { onBatchEnd, onEpochEnd } = options;
  checkHook(onBatchEnd, 'onBatchEnd');
  checkHook(onEpochEnd, 'onEpochEnd');
  const functions: Callback = {};
  if (onBatchEnd) functions.onBatchEnd = (batch, logs) => onBatchEnd(batch, logs);
  if (onEpochEnd) functions.onEpochEnd = (epoch, logs) => onEpochEnd(epoch, logs);
  return onBatchEnd || onEpochEnd ? [...callbacks, functions] : [...callbacks];
}

/**
 * Checks a hook option: undefined or a function (so that `onBatchEnd: 5` fails before training,
 * not as a TypeError at the first batch).
 * @throws {ConfigError} naming the option and what it received
 */
export function checkHook(value: unknown, option: string): void {
  if (value !== undefined && typeof value !== 'function') {
    throw new ConfigError(`${option} must be a function; received ${describeValue(value)}`);
  }
}

/** The checkpoint file to resume from, or undefined; `checkpointPath` is set when `dir` is. */
export function resumePath(
  resume: unknown,
  dir: string | undefined,
  checkpointPath: ((dir: string) => string) | undefined,
): string | undefined {
  if (resume === undefined || resume === false) return undefined;
  if (typeof resume === 'string' && resume !== '') return resume;
  if (resume !== true) {
    throw new ConfigError(
      `resume must be true, false or a checkpoint file path; received ${String(resume)}`,
    );
  }
  if (dir === undefined) {
    throw new ConfigError(
      'resume: true reads checkpoint.dir, but no checkpoint option was given; help: add ' +
        "checkpoint: { dir: 'ckpt' }, or pass the checkpoint file's path as resume",
    );
  }
  return checkpointPath!(dir);
}

/**
 * The training rows and the validation set: validationData, or the last validationSplit
 * fraction of the rows (taken before any shuffling, as Keras does).
 * @throws {ConfigError} when both are given, or the split is not in (0, 1) or leaves either
 *   part empty.
 */
export function splitValidation(
  model: Sequential,
  data: { x: InputMatrix; y: Matrix },
  options: FitOptions,
  loss: Loss,
): { x: InputMatrix; y: Matrix; validation?: { x: InputMatrix; y: Matrix } } {
  const split = options.validationSplit;
  if (options.validationData !== undefined) {
    if (split !== undefined) {
      throw new ConfigError(
        `give validationSplit or validationData, not both; received validationSplit ${split} ` +
          'and validationData',
      );
    }
    const validation = checkValidationData(
      options.validationData,
      model,
      model.dtype,
      loss,
      model.outputActivation,
    );
    return { ...data, validation };
  }
  if (split === undefined) return data;
  if (typeof split !== 'number' || !(split > 0 && split < 1)) {
    throw new ConfigError(`validationSplit must be a number in (0, 1); received ${String(split)}`);
  }
  const n = data.x.rows;
  const trainRows = Math.floor(n * (1 - split));
  if (trainRows < 1 || trainRows >= n) {
    throw new ConfigError(
      `validationSplit ${split} of ${n} rows leaves ${trainRows} for training and ` +
        `${n - trainRows} for validation; each needs at least one`,
    );
  }
  const { x, y } = data;
  return {
    x: x.rowRange(0, trainRows),
    y: y.rowRange(0, trainRows),
    validation: { x: x.rowRange(trainRows, n), y: y.rowRange(trainRows, n) },
  };
}
