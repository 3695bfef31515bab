import { NumericalError } from '../errors.js';
import { getLoss, type Loss, type LossName } from '../losses.js';
import type { Sequential } from '../model/sequential.js';
import { checkLearningRate } from '../optimizers/sgd.js';
import { checkCount, checkData, checkOptionKeys, type MatrixLike } from './check-data.js';
import { evaluate, isClassification } from './evaluate.js';
import { History, type Logs } from './history.js';
import { countCorrect } from './metrics.js';
import { gatherRows } from './rows.js';

/** Options of `fit`. */
export interface FitOptions {
  /** The loss to minimise. Default 'mse' (the lecture's ½Σ(y − a)²). */
  loss?: LossName | Loss;
  /** η of the SGD update W ← W − η∂L/∂W. Default 0.01. */
  learningRate?: number;
  /** Examples per update; 1 is the lecture's per-example SGD. Default 32. */
  batchSize?: number;
  /** Passes over the data. Default 1. */
  epochs?: number;
  /** Visit the examples in a fresh random order each epoch (Fisher–Yates). Default true. */
  shuffle?: boolean;
  /** Track accuracy. Default: true for the cross-entropies, false for mse. */
  accuracy?: boolean;
  /** Held-out [x, y], evaluated after each epoch as valLoss (and valAccuracy). */
  validationData?: [MatrixLike, MatrixLike];
  /** Called after each batch with the running means of the epoch so far. */
  onBatchEnd?: (batch: number, logs: Logs) => void;
  /** Called after each epoch (1-based) with its logs; may return a Promise, which is awaited. */
  onEpochEnd?: (epoch: number, logs: Logs) => void | Promise<void>;
}

/** Every key of {@link FitOptions}; `satisfies` keeps the list and the interface in step. */
const FIT_OPTION_KEYS = Object.keys({
  loss: true,
  learningRate: true,
  batchSize: true,
  epochs: true,
  shuffle: true,
  accuracy: true,
  validationData: true,
  onBatchEnd: true,
  onEpochEnd: true,
} satisfies Record<keyof FitOptions, true>);

/**
 * Trains by minibatch stochastic gradient descent (lecture: for each example in random order:
 * forward, backward, W ← W − η∂L/∂W, b ← b − η∂L/∂b; minibatches average the gradient over
 * `batchSize` examples, and batchSize 1 is exactly the lecture's loop).
 *
 * Each epoch shuffles the example indices with the model's seeded generator (Fisher–Yates;
 * inputs and targets stay together), then visits them in batches; the last batch may be smaller.
 * Epoch `loss` and `accuracy` are running means over the epoch's batches (as Keras reports
 * them), weighted by batch size; loss in nats for the cross-entropies.
 *
 * @param x - inputs [n, n⁰]; @param y - targets [n, nᴸ]
 * @returns the History: `history.history.loss[e]`, `.accuracy[e]`, `.seconds[e]`, … for epoch e + 1
 * @throws {ConfigError} for a learning rate ≤ 0 or not a number, a batch size or epoch count
 *   that is not an integer ≥ 1, an unknown loss, or an unknown option key (e.g. `learningrate`:
 *   names it and lists the valid keys).
 * @throws {DataError} / {ShapeError} for empty, non-finite or mis-shaped data.
 * @throws {NumericalError} when the loss becomes NaN or ±Inf (names the epoch and batch).
 */
export async function fit(
  model: Sequential,
  xIn: MatrixLike,
  yIn: MatrixLike,
  options: FitOptions,
): Promise<History> {
  checkOptionKeys(options, FIT_OPTION_KEYS, 'fit');
  const loss = getLoss(options.loss ?? 'mse');
  const learningRate = checkLearningRate(options.learningRate ?? 0.01);
  const batchSize = checkCount(options.batchSize ?? 32, 'batchSize');
  const epochs = checkCount(options.epochs ?? 1, 'epochs');
  const { x, y } = checkData(xIn, yIn, model, model.dtype);
  const validation =
    options.validationData &&
    checkData(...options.validationData, model, model.dtype, [
      'validationData[0]',
      'validationData[1]',
    ]);
  const withAccuracy = options.accuracy ?? isClassification(loss);
  const parameters = model.parameters();
  const order = new Uint32Array(x.rows).map((_, i) => i);
  const batches = Math.ceil(x.rows / batchSize);
  const history = new History();
  const output = model.layers.length;

  for (let epoch = 1; epoch <= epochs; epoch++) {
    const started = performance.now();
    let lastYield = started;
    if (options.shuffle ?? true) model.random.shuffle(order);
    let lossSum = 0;
    let correct = 0;
    let seen = 0;
    for (let batch = 1; batch <= batches; batch++) {
      const start = (batch - 1) * batchSize;
      const workspace = model.workspace(Math.min(batchSize, x.rows - start));
      const { trace, target } = workspace;
      gatherRows(x, order, start, trace.a[0]!);
      gatherRows(y, order, start, target);
      model.forwardTrace(trace);
      const batchLoss = model.lossOf(trace, target, loss);
      if (!Number.isFinite(batchLoss)) {
        throw new NumericalError(
          `the loss became ${batchLoss} in epoch ${epoch}, batch ${batch} of ${batches}; ` +
            `help: training diverged, try a smaller learning rate than ${learningRate}`,
          epoch,
          batch,
        );
      }
      model.backwardTrace(trace, target, loss, workspace, learningRate);
      seen += target.rows;
      lossSum += batchLoss * target.rows;
      if (withAccuracy) correct += countCorrect(trace.a[output]!, target);
      if (options.onBatchEnd) {
        options.onBatchEnd(batch, epochLogs(lossSum, correct, seen, withAccuracy));
        // Let timers (progress bars, the browser) run about 20 times a second.
        if (performance.now() - lastYield > 50) {
          await new Promise((resolve) => setTimeout(resolve, 0));
          lastYield = performance.now();
        }
      }
    }
    // The loss check above sees each update's effect on the next batch; the last update of the
    // epoch is checked here, once per epoch.
    if (!parameters.every((parameter) => parameter.data.every(Number.isFinite))) {
      throw new NumericalError(
        `the parameters became non-finite after the last update of epoch ${epoch} (batch ` +
          `${batches} of ${batches}); help: training diverged, try a smaller learning rate than ${learningRate}`,
        epoch,
        batches,
      );
    }
    const seconds = (performance.now() - started) / 1000;
    const logs = epochLogs(lossSum, correct, seen, withAccuracy);
    if (validation) {
      const val = evaluate(model, validation.x, validation.y, { loss, accuracy: withAccuracy });
      for (const [key, value] of Object.entries(val)) {
        logs[`val${key[0]!.toUpperCase()}${key.slice(1)}`] = value;
      }
    }
    logs['seconds'] = seconds;
    logs['examplesPerSecond'] = x.rows / seconds;
    history.record(epoch, logs);
    await options.onEpochEnd?.(epoch, logs);
  }
  return history;
}

function epochLogs(lossSum: number, correct: number, seen: number, withAccuracy: boolean): Logs {
  const logs: Logs = { loss: lossSum / seen };
  if (withAccuracy) logs['accuracy'] = correct / seen;
  return logs;
}
