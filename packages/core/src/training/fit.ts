import { ConfigError, NumericalError } from '../errors.js';
import { getLoss, type Loss, type LossSpec } from '../losses.js';
import type { Sequential } from '../model/sequential.js';
import { checkNonNegative, checkLearningRate, Optimizer } from '../optimizers/optimizer.js';
import { createOptimizer, type OptimizerName } from '../optimizers/registry.js';
import type { InputMatrix } from '../tensor/byte-matrix.js';
import type { Matrix } from '../tensor/matrix.js';
import type { Callback, CallbackResult } from './callbacks.js';
import type {
  CheckpointOptions,
  CheckpointPosition,
  RunningLogs,
  TrainingState,
} from './checkpoint.js';
import {
  checkCount,
  checkData,
  checkOptionKeys,
  checkValidationData,
  type InputLike,
  type TargetLike,
} from './check-data.js';
import { evaluate, metricNames } from './evaluate.js';
import { History, type Logs } from './history.js';
import { createMetric, type MetricName } from './metrics.js';
import { claimLayers } from './claim.js';
import { gatherRows, gatherWeights } from './rows.js';
import { sampleWeights, type SampleWeightOptions } from './sample-weights.js';
import { trainingUpdate } from './update.js';
import { Yielder, type YieldEvery } from './yield.js';
import { createSchedule, type ScheduleConfig } from './schedules.js';

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
const FIT_OPTION_KEYS = Object.keys({
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
 * Trains by minibatch gradient descent (lecture: for each example in random order: forward,
 * backward, W ← W − η∂L/∂W, b ← b − η∂L/∂b; minibatches average the gradient over `batchSize`
 * examples, and batchSize 1 with plain SGD is exactly the lecture's loop).
 *
 * Each epoch shuffles the example indices with the model's seeded generator (Fisher–Yates;
 * inputs and targets stay together), then visits them in batches; the last batch may be smaller.
 * Per batch: the learning rate from the schedule; forward in training mode (dropout on);
 * L = mean loss + ½λ₂Σw² + λ₁Σ|w|; backward; then either the fused SGD step (plain SGD without
 * penalties or clipping, bit-exact to the lecture) or ∂L/∂θ + penalty gradients → clipping →
 * `optimizer.step`. Epoch `loss` and metrics are running means over the epoch's batches (as
 * Keras reports them), weighted by batch size; loss in nats for the cross-entropies, including
 * the penalty; `valLoss` is the data loss only. Logs also hold `learningRate` (of the epoch's
 * last batch), `seconds` and `examplesPerSecond`.
 *
 * @param x - inputs [n, n⁰]: a Matrix, number[][] or compact ByteMatrix (decoded per batch)
 * @param y - targets [n, nᴸ]
 * @returns the History: `history.history.loss[e]`, `.accuracy[e]`, `.valLoss[e]`, … for epoch
 *   e + 1 (with resume, also the epochs before the interruption)
 * @throws {ConfigError} for a bad option: a learning rate ≤ 0, a batch size or epoch count that
 *   is not an integer ≥ 1, an unknown loss, optimizer or metric, a negative l1/l2, clipNorm or
 *   clipValue ≤ 0, validationSplit outside (0, 1) or with validationData, learningRate with an
 *   optimizer object, resume without a checkpoint to read, a checkpoint from another
 *   architecture, or an unknown option key (names it and lists the valid keys).
 * @throws {DataError} / {ShapeError} for empty, non-finite or mis-shaped data.
 * @throws {NumericalError} when the loss becomes NaN or ±Inf (names the epoch and batch).
 * @throws {ModelFileError} when a checkpoint cannot be written or read.
 */
export async function fit(
  model: Sequential,
  xIn: InputLike,
  yIn: TargetLike,
  options: FitOptions,
): Promise<History> {
  checkOptionKeys(options, FIT_OPTION_KEYS, 'fit');
  const loss = getLoss(options.loss ?? 'mse');
  const optimizer = fitOptimizer(options);
  const batchSize = checkCount(options.batchSize ?? 32, 'batchSize');
  const epochs = checkCount(options.epochs ?? 1, 'epochs');
  const l1 = checkNonNegative(options.l1 ?? 0, 'l1');
  const l2 = checkNonNegative(options.l2 ?? 0, 'l2');
  const clipNorm = optionalPositive(options.clipNorm, 'clipNorm');
  const clipValue = optionalPositive(options.clipValue, 'clipValue');
  const names = metricNames(loss, options.accuracy, options.metrics);
  const callbacks = fitCallbacks(options);
  // Checkpoints read and write files: their module is loaded only when asked for, so that a
  // page that only trains does not bundle it.
  const checkpoints =
    options.checkpoint === undefined && (options.resume === undefined || options.resume === false)
      ? undefined
      : await import('./checkpoint.js');
  const checkpoint =
    options.checkpoint === undefined
      ? undefined
      : checkpoints!.checkCheckpointOptions(options.checkpoint);
  const resumeFrom = resumePath(options.resume, checkpoint?.dir, checkpoints?.checkpointPath);
  const { outputActivation } = model;
  const data = checkData(xIn, yIn, model, model.dtype, { loss, outputActivation });
  const allWeights = sampleWeights(data.y, options);
  const { x, y, validation } = splitValidation(model, data, options, loss);
  const weights = allWeights?.subarray(0, x.rows);
  const batches = Math.ceil(x.rows / batchSize);

  const saved =
    resumeFrom === undefined
      ? undefined
      : await checkpoints!.loadCheckpoint(resumeFrom, options.resume === true);
  if (saved !== undefined && checkpoint !== undefined) {
    await checkpoints!.removeStaleTemporaries(checkpoints!.checkpointPath(checkpoint.dir));
  }
  const initialLearningRate = saved?.schedule?.initialLearningRate ?? optimizer.learningRate;
  const schedule =
    options.schedule === undefined
      ? undefined
      : createSchedule(options.schedule, {
          initialLearningRate,
          epochs,
          batches,
          validation: validation !== undefined,
        });
  const running: RunningLogs = {
    lossSum: 0,
    seen: 0,
    metrics: names.map((name) => createMetric(name, model.outputs)),
  };
  const state: TrainingState = {
    model,
    optimizer,
    schedule,
    initialLearningRate,
    callbacks,
    history: new History(),
    order: new Uint32Array(x.rows).map((_, i) => i),
    running,
    batchSize,
  };
  // Where training is: updated in place after every batch (the loop allocates nothing).
  const position: CheckpointPosition = { epoch: 0, batch: 0, epochDone: true };
  let stopped = false;
  if (saved) {
    const restored = checkpoints!.restoreCheckpoint(state, saved, resumeFrom!);
    Object.assign(position, restored.position);
    stopped = restored.stopped;
  }
  // What the checkpoint file holds now, to save the final state only when it differs.
  let savedAs = saved ? JSON.stringify([position, stopped]) : '';
  const save = async () => {
    if (checkpoint === undefined) return;
    await checkpoints!.saveCheckpoint(
      checkpoints!.checkpointPath(checkpoint.dir),
      checkpoints!.captureCheckpoint(state, position, stopped),
    );
    savedAs = JSON.stringify([position, stopped]);
  };

  const update = trainingUpdate(model, optimizer, { l1, l2, clipNorm, clipValue });
  const output = model.layers.length;
  const batchHooks = callbacks.filter((callback) => callback.onBatchEnd !== undefined);
  const hooks = new Hooks(model, callbacks);
  let lastLogs = lastEpochLogs(state.history);
  const foundLearningRate = optimizer.learningRate;
  const yielder = new Yielder(options.yieldEvery);
  const release = claimLayers(model);
  model.trainingConfig = {
    loss: loss.config ?? loss.name,
    optimizer: { className: optimizer.className, config: optimizer.getConfig() },
    metrics: [...names],
  };
  try {
    model.stopTraining = false;
    for (const callback of callbacks) await callback.onTrainBegin?.(model);
    let epoch = position.epochDone ? position.epoch + 1 : position.epoch;
    for (; epoch <= epochs && !stopped; epoch++) {
      const started = performance.now();
      const firstBatch = epoch === position.epoch ? position.batch + 1 : 1;
      if (firstBatch === 1) {
        if (options.shuffle ?? true) model.random.shuffle(state.order);
        running.lossSum = 0;
        running.seen = 0;
        for (const metric of running.metrics) metric.reset();
        stopped = await hooks.call((callback) => callback.onEpochBegin?.(epoch));
        if (stopped) break; // before any batch: the epoch has no logs
      }
      // η of the epoch's last batch, for the logs (also when a resume has no batch left to run).
      let learningRate =
        schedule?.learningRate(epoch, firstBatch - 1 || 1) ?? optimizer.learningRate;
      for (let batch = firstBatch; batch <= batches && !stopped; batch++) {
        if (schedule !== undefined) optimizer.learningRate = schedule.learningRate(epoch, batch);
        learningRate = optimizer.learningRate;
        const start = (batch - 1) * batchSize;
        const workspace = model.workspace(Math.min(batchSize, x.rows - start));
        const { trace, target } = workspace;
        gatherRows(x, state.order, start, trace.a[0]!, model.backend);
        gatherRows(y, state.order, start, target, model.backend);
        const w = weights && gatherWeights(weights, state.order, start, workspace.weights);
        model.forwardTrace(trace, true);
        const batchLoss = model.lossOf(trace, target, loss, w) + update.penalty();
        if (!Number.isFinite(batchLoss)) {
          const step = { workspace, loss, weights: w };
          const found = callbacks.map((callback) => callback.onNonFiniteLoss?.(epoch, batch, step));
          throw new NumericalError(
            `the loss became ${batchLoss} in epoch ${epoch}, batch ${batch} of ${batches}; ` +
              found.map((line) => (line ? `${line}; ` : '')).join('') +
              `help: training diverged, try a smaller learning rate than ${learningRate}`,
            epoch,
            batch,
          );
        }
        update.prepare();
        model.backwardTrace(workspace, target, loss, update.sinks, w);
        update.finish();
        running.seen += target.rows;
        running.lossSum += batchLoss * target.rows;
        for (const metric of running.metrics) metric.update(trace.outputs[output]!, target);
        position.epoch = epoch;
        position.batch = batch;
        position.epochDone = false;
        if (batchHooks.length > 0) {
          const logs = runningLogs(running);
          const step = { workspace, loss, weights: w };
          stopped = await hooks.call(
            (callback) => callback.onBatchEnd?.(batch, logs, step),
            batchHooks,
          );
        }
        if (yielder.due()) await yielder.yield();
        stopped ||= model.stopTraining;
        const every = checkpoint?.every;
        if (
          typeof every === 'number' &&
          ((epoch - 1) * batches + batch) % every === 0 &&
          !stopped
        ) {
          await save();
        }
      }
      // The loss check above sees each update's effect on the next batch; the last update of the
      // epoch is checked here, once per epoch.
      if (!update.parameters.every((parameter) => parameter.data.every(Number.isFinite))) {
        throw new NumericalError(
          `the parameters became non-finite after the last update of epoch ${epoch} (batch ` +
            `${position.batch} of ${batches}); help: training diverged, try a smaller learning ` +
            `rate than ${learningRate}`,
          epoch,
          position.batch,
        );
      }
      const seconds = (performance.now() - started) / 1000;
      const logs = runningLogs(running);
      if (validation !== undefined) {
        // `names` holds accuracy when it is tracked; evaluate adds nothing of its own.
        const val = evaluate(model, validation.x, validation.y, {
          loss,
          accuracy: false,
          metrics: names,
        });
        for (const [key, value] of Object.entries(val)) {
          logs[`val${key[0]!.toUpperCase()}${key.slice(1)}`] = value;
        }
      }
      logs['learningRate'] = learningRate;
      logs['seconds'] = seconds;
      logs['examplesPerSecond'] = (running.seen - (firstBatch - 1) * batchSize) / seconds;
      state.history.record(epoch, logs);
      lastLogs = logs;
      schedule?.onEpochEnd(epoch, logs);
      stopped = (await hooks.call((callback) => callback.onEpochEnd?.(epoch, logs))) || stopped;
      stopped ||= model.stopTraining;
      position.epoch = epoch;
      position.epochDone = true;
      if (checkpoint?.every === 'epoch') await save();
      await yielder.afterEpoch();
    }
    if (savedAs !== JSON.stringify([position, stopped])) await save();
    for (const callback of callbacks) await callback.onTrainEnd?.(lastLogs);
    return state.history;
  } finally {
    release();
    optimizer.learningRate = foundLearningRate;
  }
}

/**
 * The optimizer of a fit call: the given object, or a new one by name with `learningRate`.
 * @throws {ConfigError} for an unknown name, a bad learning rate, or a learning rate given with
 *   an optimizer object.
 */
function fitOptimizer(options: FitOptions): Optimizer {
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
function optionalPositive(value: unknown, option: string): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new ConfigError(`${option} must be a finite number > 0; received ${String(value)}`);
  }
  return value;
}

/** The callbacks of a fit call: `callbacks`, then the onBatchEnd and onEpochEnd functions. */
function fitCallbacks(options: FitOptions): Callback[] {
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
  const functions: Callback = {};
  if (onBatchEnd) functions.onBatchEnd = (batch, logs) => onBatchEnd(batch, logs);
  if (onEpochEnd) functions.onEpochEnd = (epoch, logs) => onEpochEnd(epoch, logs);
  return onBatchEnd || onEpochEnd ? [...callbacks, functions] : [...callbacks];
}

/** The checkpoint file to resume from, or undefined; `checkpointPath` is set when `dir` is. */
function resumePath(
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
function splitValidation(
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

/** The running means of the epoch so far: loss and every metric. */
function runningLogs(running: RunningLogs): Logs {
  const logs: Logs = { loss: running.lossSum / running.seen };
  for (const metric of running.metrics) logs[metric.name] = metric.result();
  return logs;
}

/** The logs of the last recorded epoch (for onTrainEnd after a resume that trains no epoch). */
function lastEpochLogs(history: History): Logs {
  const logs: Logs = {};
  const last = history.epoch.length - 1;
  if (last < 0) return logs;
  for (const [key, values] of Object.entries(history.history)) {
    if (values[last] !== undefined) logs[key] = values[last];
  }
  return logs;
}

/** Calls a hook on callbacks in order; true when one asked to stop or set model.stopTraining. */
class Hooks {
  readonly #model: Sequential;
  readonly #callbacks: readonly Callback[];

  constructor(model: Sequential, callbacks: readonly Callback[]) {
    this.#model = model;
    this.#callbacks = callbacks;
  }

  async call(
    hook: (callback: Callback) => CallbackResult,
    callbacks: readonly Callback[] = this.#callbacks,
  ): Promise<boolean> {
    let stop = false;
    for (const callback of callbacks) {
      let result = hook(callback);
      if (result instanceof Promise) result = await result;
      if (result?.stop === true) stop = true;
    }
    return stop || this.#model.stopTraining;
  }
}
