import { NumericalError } from '../errors.js';
import { getLoss } from '../losses.js';
import type { Sequential } from '../model/sequential.js';
import { checkNonNegative } from '../optimizers/optimizer.js';
import type { CheckpointPosition, RunningLogs, TrainingState } from './checkpoint.js';
import {
  checkCount,
  checkData,
  checkOptionKeys,
  type InputLike,
  type TargetLike,
} from './check-data.js';
import { evaluate, metricNames } from './evaluate.js';
import { History } from './history.js';
import { createMetric } from './metrics.js';
import { claimLayers } from './claim.js';
import {
  FIT_OPTION_KEYS,
  fitCallbacks,
  fitOptimizer,
  optionalPositive,
  resumePath,
  splitValidation,
  type FitOptions,
} from './fit-options.js';
import { sampleWeights } from './sample-weights.js';
import { Hooks, lastEpochLogs, runningLogs, trainBatch, type BatchRun } from './train-step.js';
import { trainingUpdate } from './update.js';
import { Yielder } from './yield.js';
import { createSchedule } from './schedules.js';

export type { FitOptions } from './fit-options.js';

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
  const run: BatchRun = {
    model,
    loss,
    x,
    y,
    weights,
    order: state.order,
    update,
    running,
    callbacks,
    batches,
    batchSize,
  };
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
        const workspace = trainBatch(run, epoch, batch, learningRate);
        position.epoch = epoch;
        position.batch = batch;
        position.epochDone = false;
        if (batchHooks.length > 0) {
          const logs = runningLogs(running);
          const step = { workspace, loss, weights: weights && workspace.weights };
          const stop = hooks.call(
            (callback) => callback.onBatchEnd?.(batch, logs, step),
            batchHooks,
          );
          stopped = typeof stop === 'boolean' ? stop : await stop;
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
