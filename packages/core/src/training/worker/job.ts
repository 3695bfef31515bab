import { BACKEND_NAMES, type BackendName } from '../../backend/registry.js';
import { BackpropError, ConfigError } from '../../errors.js';
import { encodeModel, type ModelJSON } from '../../io/model-format.js';
import { modelFromJSON } from '../../io/model-json.js';
import { Sequential } from '../../model/sequential.js';
import { Matrix } from '../../tensor/matrix.js';
import type { Callback, CallbackResult } from '../callbacks.js';
import type { InputLike, TargetLike } from '../check-data.js';
import { checkOptionKeys } from '../check-data.js';
import { checkHook, FIT_OPTION_KEYS, fitCallbacks } from '../fit-options.js';
import { History, type Logs } from '../history.js';
import { encodeData, splitFitOptions, type SplitFit } from './crossing.js';
import { reviveError, type FromWorker, type Snapshot, type ToWorker } from './protocol.js';
import type { TrainingJob, WorkerFitOptions } from './train-in-worker.js';

// The page's side of a training job, whatever the worker is (a Web Worker, or Node's
// worker_threads): it sends the model, data and options, applies the snapshots, runs the hooks
// on the streamed logs, answers each epoch when asked, and settles the job.

/** A worker as a job uses it: post, listen (returns a function that stops), terminate. */
export interface JobWorker {
  post(message: ToWorker): void;
  listen(onMessage: (message: FromWorker) => void, onError: (problem: string) => void): () => void;
  terminate(): void;
}

/**
 * Starts (or takes) the worker of a job from the `worker` option.
 * @returns the worker, whether the job ends it (it started it), and whether a shared stop flag
 *   can reach it
 */
export type OpenWorker = (given: WorkerFitOptions['worker']) => {
  worker: JobWorker;
  owned: boolean;
  sharedMemory: boolean;
};

/**
 * Runs one training job in the worker `open` gives; see trainInWorker.
 * @throws {ConfigError} up front for options that are not an object, an unknown option key,
 *   callbacks that are not an array of objects, what cannot cross to a worker (see
 *   splitFitOptions), or a backend other than 'js' or 'wasm'; and what `open` throws.
 */
export function startJob(
  open: OpenWorker,
  model: Sequential | ModelJSON,
  x: InputLike,
  y: TargetLike,
  options: WorkerFitOptions,
): TrainingJob {
  checkOptionKeys(
    options,
    [...FIT_OPTION_KEYS, 'worker', 'threads', 'onSnapshot'],
    'trainInWorker',
  );
  const { worker: given, threads, onSnapshot, ...fitOptions } = options;
  checkHook(onSnapshot, 'onSnapshot');
  const page = model instanceof Sequential ? model : modelFromJSON(model);
  const backend = backendName(page);
  fitCallbacks(fitOptions); // checks `callbacks` as fit does, before they are split
  const split = splitFitOptions(page, fitOptions);
  const json = encodeModel(page);
  const { hooks } = split;
  const epochAck =
    hooks.onEpochEnd !== undefined ||
    hooks.callbacks.some((c) => c.onEpochEnd !== undefined || c.onEpochBegin !== undefined);
  const { worker, owned, sharedMemory } = open(given);
  const stopFlag = sharedMemory ? new Int32Array(new SharedArrayBuffer(4)) : undefined;
  const job = ++jobs;
  const post = (message: ToWorker) => worker.post(message);
  let stopped = false;
  const run = new Promise<History>((resolve, reject) => {
    const end = () => {
      unlisten();
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
        if (message.diagnostics !== undefined) hooks.diagnostics?.addEpoch(message.diagnostics);
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
    const unlisten = worker.listen(
      (message) => {
        if (message.job !== job) return; // another job's, on a worker the page passed
        queue = queue.then(() => handle(message)).catch(fail);
      },
      (problem) => fail(new BackpropError(`the training worker failed: ${problem}`)),
    );
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
    // Whoever reads the History handles the job's failure there: `result` (derived from it)
    // then rejects quietly instead of as an unhandled rejection, which ends a Node process.
    get history() {
      result.catch(() => undefined);
      return run;
    },
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
