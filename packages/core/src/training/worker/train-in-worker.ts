import { BACKEND_NAMES, type BackendName } from '../../backend/registry.js';
import { BackpropError, ConfigError } from '../../errors.js';
import { encodeModel, type ModelJSON } from '../../io/model-format.js';
import { modelFromJSON } from '../../io/model-json.js';
import { Sequential } from '../../model/sequential.js';
import { Matrix } from '../../tensor/matrix.js';
import type { Callback, CallbackResult } from '../callbacks.js';
import type { InputLike, TargetLike } from '../check-data.js';
import type { FitOptions } from '../fit.js';
import { History, type Logs } from '../history.js';
import { encodeData, splitFitOptions, type SplitFit } from './crossing.js';
import { reviveError, type FromWorker, type Snapshot, type ToWorker } from './protocol.js';

/** Options of {@link trainInWorker}: every {@link FitOptions} and where and how to train. */
export interface WorkerFitOptions extends FitOptions {
  /**
   * The worker to train in: a Worker that runs `serveTraining(self)` (left running after the
   * job), or the URL of such a module script (started with `{ type: 'module' }` and ended
   * after the job). Default: the library's own training worker, started as
   * `new Worker(new URL('./training-worker.js', import.meta.url), { type: 'module' })`, which
   * Vite and webpack bundle. Pass a URL on a page whose Content Security Policy refuses the
   * default (no blob: URL is ever used).
   */
  worker?: Worker | URL | string;
  /**
   * Threads of the 'wasm' backend in the worker (createBackendAsync), an integer from 1 to 64;
   * more than 1 needs a cross-origin-isolated page. Default 1.
   */
  threads?: number;
  /** After each epoch, once the page's model holds that epoch's weights. */
  onSnapshot?: (epoch: number, model: Sequential) => void;
}

/** A training run in a worker: a promise of the trained model that can be stopped. */
export interface TrainingJob extends PromiseLike<Sequential> {
  /** The page's model with the trained weights (rejects with the worker's error). */
  readonly result: Promise<Sequential>;
  /** The History of the run, as fit returns it (settles with `result`). */
  readonly history: Promise<History>;
  /** Ends training at the next batch; the job then resolves as fit does when stopped. */
  stop(): void;
}

/**
 * Trains a model in a Web Worker with `fit`, so that the page never waits for it: the worker
 * builds the model from its model file, trains with the given options (bit-identical to
 * `model.fit` with them on the page), and streams batch logs (when `onBatchEnd` is given),
 * epoch logs, and the weights after every epoch, which are copied into the page's model (so it
 * can draw and predict meanwhile) before `onSnapshot`, `onEpochEnd` and the callbacks run in
 * the page. A hook that returns a Promise holds the worker until it settles, and a stop asked
 * for at an epoch's end ends training there, as in fit. Where the page is cross-origin
 * isolated, `stop()` sets a shared flag the worker reads after every batch; elsewhere it posts
 * a message, which the worker reads between batches.
 * @param model - a Sequential (trained in place: it is also the result), or a model file's
 *   content, from which the page's model is built first
 * @param x - inputs [n, n⁰]: a Matrix, number[][] or ByteMatrix (copied to the worker)
 * @param y - targets [n, nᴸ], or class labels [n]
 * @param options - fit's options, with `worker`, `threads` and `onSnapshot`
 * @returns the job: await it (or `job.result`) for the model, `job.history` for the History
 * @throws {ConfigError} up front for what cannot cross to a worker, naming it: an activation or
 *   loss given as functions, a callback that reads each batch's buffers, a backend other than
 *   'js' or 'wasm'; and where there are no Web Workers.
 * @throws (rejects) the worker's error with its class and message: fit's ConfigError, DataError,
 *   ShapeError, NumericalError…; a BackpropError when the worker script fails to load.
 * @example
 * const job = trainInWorker(model, x, y, {
 *   loss: 'binaryCrossEntropy', epochs: 500, onEpochEnd: (epoch, logs) => draw(model, logs),
 * });
 * stopButton.onclick = () => job.stop();
 * await job;
 */
export function trainInWorker(
  model: Sequential | ModelJSON,
  x: InputLike,
  y: TargetLike,
  options: WorkerFitOptions = {},
): TrainingJob {
  const { worker: given, threads, onSnapshot, ...fitOptions } = options;
  const page = model instanceof Sequential ? model : modelFromJSON(model);
  const backend = backendName(page);
  const split = splitFitOptions(page, fitOptions);
  const json = encodeModel(page);
  if (typeof Worker !== 'function') {
    throw new ConfigError(
      'trainInWorker needs Web Workers (browsers, Deno, Bun), which this runtime lacks; ' +
        'help: in Node.js call model.fit, which lets timers and I/O run between batches ' +
        "(yieldEvery: 'auto')",
    );
  }
  const stopFlag =
    globalThis.crossOriginIsolated === true && typeof SharedArrayBuffer === 'function'
      ? new Int32Array(new SharedArrayBuffer(4))
      : undefined;
  const { hooks } = split;
  const epochAck =
    hooks.onEpochEnd !== undefined ||
    hooks.callbacks.some((c) => c.onEpochEnd !== undefined || c.onEpochBegin !== undefined);
  const owned = !(given instanceof Worker);
  const worker =
    given instanceof Worker
      ? given
      : given !== undefined
        ? new Worker(given, { type: 'module' })
        : new Worker(new URL('./training-worker.js', import.meta.url), { type: 'module' });
  const job = ++jobs;
  const post = (message: ToWorker) => worker.postMessage(message);
  let stopped = false;
  const run = new Promise<History>((resolve, reject) => {
    const listeners = {
      message: (event: MessageEvent<FromWorker>) => {
        if (event.data.job !== job) return; // another job's, on a worker the page passed
        queue = queue.then(() => handle(event.data)).catch(fail);
      },
      error: (event: ErrorEvent) => {
        event.preventDefault();
        fail(new BackpropError(`the training worker failed: ${event.message || 'no message'}`));
      },
    };
    const end = () => {
      worker.removeEventListener('message', listeners.message);
      worker.removeEventListener('error', listeners.error);
      if (owned) worker.terminate();
    };
    const fail = (error: unknown) => {
      end();
      reject(error instanceof Error ? error : new Error(String(error)));
    };
    let queue = Promise.resolve();
    let lastLogs: Logs = {};
    const handle = async (message: FromWorker) => {
      if (message.type === 'batch') {
        hooks.onBatchEnd?.(message.batch, message.logs);
      } else if (message.type === 'epoch') {
        applySnapshot(page, message.snapshot);
        lastLogs = message.logs;
        onSnapshot?.(message.epoch, page);
        if (!epochAck) return;
        const { epoch, logs } = message;
        let stop = await callHooks(page, split, (callback) => callback.onEpochEnd?.(epoch, logs));
        if (!stop && epoch < (split.options.epochs ?? 1)) {
          stop = await callHooks(page, split, (c) => c.onEpochBegin?.(epoch + 1));
        }
        post({ type: 'continue', job, stop: stop || stopped });
      } else if (message.type === 'done') {
        applySnapshot(page, message.snapshot);
        page.trainingConfig = message.trainingConfig;
        if (message.optimizer !== undefined) split.optimizer?.setState(message.optimizer);
        const history = new History();
        history.epoch.push(...message.history.epoch);
        Object.assign(history.history, message.history.history);
        for (const callback of hooks.callbacks) await callback.onTrainEnd?.(lastLogs);
        end();
        resolve(history);
      } else {
        fail(reviveError(message.error));
      }
    };
    worker.addEventListener('message', listeners.message);
    worker.addEventListener('error', listeners.error);
    queue = (async () => {
      page.stopTraining = false;
      for (const callback of hooks.callbacks) await callback.onTrainBegin?.(page);
      if (await callHooks(page, split, (callback) => callback.onEpochBegin?.(1))) stopped = true;
      const { optimizer } = split;
      post({
        type: 'start',
        job,
        model: json,
        random: page.random.getState(),
        backend,
        threads,
        x: encodeData(x),
        y: encodeData(y),
        options: split.options,
        optimizer: optimizer && {
          className: optimizer.className,
          config: optimizer.getConfig(),
          state: optimizer.getState(),
        },
        batchLogs: hooks.onBatchEnd !== undefined,
        epochAck,
        stopFlag,
      });
      if (stopped) post({ type: 'stop', job });
    })().catch(fail);
  });
  const result = run.then(() => page);
  return {
    result,
    history: run,
    stop() {
      stopped = true;
      if (stopFlag !== undefined) Atomics.store(stopFlag, 0, 1);
      post({ type: 'stop', job });
    },
    then: (fulfilled, rejected) => result.then(fulfilled, rejected),
  };
}

/** Jobs started by this page so far: each job's number tags its messages. */
let jobs = 0;

/**
 * Copies a snapshot into the page's model: every parameter, and the generator's state.
 * @throws {ShapeError} when the snapshot is of another architecture (cannot happen for a
 *   snapshot of the job's own model)
 */
function applySnapshot(model: Sequential, snapshot: Snapshot): void {
  model.setWeights(snapshot.weights.map(({ rows, cols, data }) => new Matrix(rows, cols, data)));
  model.random.setState(snapshot.random);
}

/**
 * Runs one hook of every page callback in order, as fit does (the onEpochEnd option is the last
 * callback): true when one asks to stop or sets `model.stopTraining`.
 */
async function callHooks(
  model: Sequential,
  { hooks }: SplitFit,
  hook: (callback: Callback) => CallbackResult,
): Promise<boolean> {
  const { onEpochEnd } = hooks;
  const callbacks = onEpochEnd ? [...hooks.callbacks, { onEpochEnd }] : hooks.callbacks;
  let stop = false;
  for (const callback of callbacks) {
    const result = await hook(callback);
    if (typeof result === 'object' && result !== null && result.stop === true) stop = true;
  }
  return stop || model.stopTraining;
}

/** The backend the worker creates: the page model's, by name. */
function backendName(model: Sequential): BackendName {
  const name = model.backend.name.startsWith('wasm') ? 'wasm' : model.backend.name;
  if (!BACKEND_NAMES.includes(name as BackendName)) {
    throw new ConfigError(
      `trainInWorker creates the model's backend in the worker by name, one of ` +
        `${BACKEND_NAMES.join(', ')}; the model's is "${model.backend.name}"`,
    );
  }
  return name as BackendName;
}
