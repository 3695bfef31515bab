import { NumericalError } from '../errors.js';
import type { Loss } from '../losses.js';
import type { Sequential } from '../model/sequential.js';
import type { Workspace } from '../model/trace.js';
import type { InputMatrix } from '../tensor/byte-matrix.js';
import type { Matrix } from '../tensor/matrix.js';
import type { Callback, CallbackResult } from './callbacks.js';
import type { RunningLogs } from './checkpoint.js';
import type { History, Logs } from './history.js';
import { gatherRows, gatherWeights } from './rows.js';
import type { TrainingUpdate } from './update.js';

// The training loop's body: one batch's step (the lecture's forward, backward and update), the
// running logs of an epoch, and the calls of the callbacks' hooks.

/** What every batch of a fit call uses, set up once before the first. */
export interface BatchRun {
  readonly model: Sequential;
  readonly loss: Loss;
  /** The training rows' inputs [n, n⁰] and targets [n, nᴸ]. */
  readonly x: InputMatrix;
  readonly y: Matrix;
  /** Per-example weights of the training rows [n] (classWeight, sampleWeight), or undefined. */
  readonly weights: Float64Array | undefined;
  /** The epoch's order of the rows (shuffled in place each epoch). */
  readonly order: Uint32Array;
  readonly update: TrainingUpdate;
  /** The epoch's running loss and metrics, updated by each batch. */
  readonly running: RunningLogs;
  readonly callbacks: readonly Callback[];
  /** Batches per epoch, and examples per batch (the last batch may have fewer). */
  readonly batches: number;
  readonly batchSize: number;
}

/**
 * One training step, the loop body of `fit`: rows order[start, start + B) of x and y gathered
 * into the batch's workspace (start = (batch − 1)·batchSize), forward in training mode, the loss
 * L = mean loss + penalties checked, backward into the update's sinks, the update (the fused
 * SGD step or the optimizer's), and the epoch's running loss and metrics. Allocates nothing.
 * @param batch - 1-based, in the epoch
 * @param learningRate - η of this batch, for the error's hint
 * @returns the batch's workspace (trace, δ, targets, weights), for the batch hooks
 * @throws {NumericalError} when the loss is NaN or ±Inf: names the epoch, the batch and η, with
 *   the lines the callbacks' onNonFiniteLoss add; the parameters are as before the batch
 */
export function trainBatch(
  run: BatchRun,
  epoch: number,
  batch: number,
  learningRate: number,
): Workspace {
  const { model, loss, x, y, weights, order, update, running, batchSize } = run;
  const start = (batch - 1) * batchSize;
  const workspace = model.workspace(Math.min(batchSize, x.rows - start));
  const { trace, target } = workspace;
  gatherRows(x, order, start, trace.a[0]!, model.backend);
  gatherRows(y, order, start, target, model.backend);
  const w = weights && gatherWeights(weights, order, start, workspace.weights);
  model.forwardTrace(trace, true);
  const batchLoss = model.lossOf(trace, target, loss, w) + update.penalty();
  if (!Number.isFinite(batchLoss)) {
    const step = { workspace, loss, weights: w };
    const found = run.callbacks.map((callback) => callback.onNonFiniteLoss?.(epoch, batch, step));
    throw new NumericalError(
      `the loss became ${batchLoss} in epoch ${epoch}, batch ${batch} of ${run.batches}; ` +
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
  const output = trace.outputs[model.layers.length]!;
  for (const metric of running.metrics) metric.update(output, target);
  return workspace;
}

/** The running means of the epoch so far: loss and every metric. */
export function runningLogs(running: RunningLogs): Logs {
  const logs: Logs = { loss: running.lossSum / running.seen };
  for (const metric of running.metrics) logs[metric.name] = metric.result();
  return logs;
}

/** The logs of the last recorded epoch (for onTrainEnd after a resume that trains no epoch). */
export function lastEpochLogs(history: History): Logs {
  const logs: Logs = {};
  const last = history.epoch.length - 1;
  if (last < 0) return logs;
  for (const [key, values] of Object.entries(history.history)) {
    if (values[last] !== undefined) logs[key] = values[last];
  }
  return logs;
}

/** Calls a hook on callbacks in order; true when one asked to stop or set model.stopTraining. */
export class Hooks {
  readonly #model: Sequential;
  readonly #callbacks: readonly Callback[];

  constructor(model: Sequential, callbacks: readonly Callback[]) {
    this.#model = model;
    this.#callbacks = callbacks;
  }

  /**
   * Calls `hook` on each callback in order.
   * @returns whether to stop: at once (a boolean) when no hook returned a Promise, so that a
   *   batch's synchronous hooks cost no await; else a Promise of it
   */
  call(
    hook: (callback: Callback) => CallbackResult,
    callbacks: readonly Callback[] = this.#callbacks,
  ): boolean | Promise<boolean> {
    let stop = false;
    for (let i = 0; i < callbacks.length; i++) {
      const result = hook(callbacks[i]!);
      if (result instanceof Promise) return this.#finish(result, hook, callbacks, i + 1, stop);
      if (result?.stop === true) stop = true;
    }
    return stop || this.#model.stopTraining;
  }

  /** The rest of {@link Hooks.call} after a hook returned a Promise. */
  async #finish(
    pending: Extract<CallbackResult, Promise<unknown>>,
    hook: (callback: Callback) => CallbackResult,
    callbacks: readonly Callback[],
    next: number,
    stopped: boolean,
  ): Promise<boolean> {
    let stop = stopped || (await pending)?.stop === true;
    for (let i = next; i < callbacks.length; i++) {
      let result = hook(callbacks[i]!);
      if (result instanceof Promise) result = await result;
      if (result?.stop === true) stop = true;
    }
    return stop || this.#model.stopTraining;
  }
}
