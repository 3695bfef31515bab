import type { ModelJSON } from '../../io/model-format.js';
import type { Sequential } from '../../model/sequential.js';
import { ConfigError } from '../../errors.js';
import type { InputLike, TargetLike } from '../check-data.js';
import type { FitOptions } from '../fit.js';
import type { History } from '../history.js';
import { startJob, type JobWorker, type OpenWorker } from './job.js';
import type { FromWorker } from './protocol.js';

/** Options of {@link trainInWorker}: every {@link FitOptions} and where and how to train. */
export interface WorkerFitOptions extends FitOptions {
  /**
   * The worker to train in: a Worker that runs `serveTraining(self)` (left running after the
   * job), or the URL of such a module script (started with `{ type: 'module' }` and ended
   * after the job). Default: the library's own training worker, started as
   * `new Worker(new URL('./training-worker.js', import.meta.url), { type: 'module' })`, which
   * Vite and webpack bundle. Pass a URL on a page whose Content Security Policy refuses the
   * default (no blob: URL is ever used). In Node.js: the path or file URL of a module that runs
   * `serveTraining` on worker_threads' `parentPort` (default the library's own).
   */
  worker?: Worker | URL | string;
  /**
   * Threads of the 'wasm' backend in the worker (createBackendAsync), an integer from 1 to 64;
   * more than 1 needs a cross-origin-isolated page in a browser. Default 1.
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
 * a message, which the worker reads when fit yields: after every batch by default (about 50 µs
 * each in Chromium), or as `yieldEvery` says.
 * @param model - a Sequential (trained in place: it is also the result), or a model file's
 *   content, from which the page's model is built first
 * @param x - inputs [n, n⁰]: a Matrix, number[][] or ByteMatrix (copied to the worker)
 * @param y - targets [n, nᴸ], or class labels [n]
 * @param options - fit's options, with `worker`, `threads` and `onSnapshot`
 * @returns the job: await it (or `job.result`) for the model, `job.history` for the History
 * @throws {ConfigError} up front for what cannot cross to a worker, naming it: an activation or
 *   loss given as functions, a callback that reads each batch's buffers, a backend other than
 *   'js' or 'wasm'; and where there are no Web Workers (Node's entry has its own trainInWorker,
 *   on worker_threads).
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
  return startJob(openWebWorker, model, x, y, options);
}

/**
 * The job's Web Worker: the one given (left running), one started from the URL given, or the
 * library's own.
 * @throws {ConfigError} where there are no Web Workers
 */
const openWebWorker: OpenWorker = (given) => {
  if (typeof Worker !== 'function') {
    throw new ConfigError(
      'trainInWorker needs Web Workers (browsers, Deno, Bun), which this runtime lacks; ' +
        "help: in Node.js import the package's Node entry, whose trainInWorker uses worker_threads",
    );
  }
  const owned = !(given instanceof Worker);
  const worker =
    given instanceof Worker
      ? given
      : given !== undefined
        ? new Worker(given, { type: 'module' })
        : new Worker(new URL('./training-worker.js', import.meta.url), { type: 'module' });
  const adapter: JobWorker = {
    post: (message) => worker.postMessage(message),
    listen(onMessage, onError) {
      const message = (event: MessageEvent<FromWorker>) => onMessage(event.data);
      const error = (event: ErrorEvent) => {
        event.preventDefault();
        onError(event.message || 'no message');
      };
      worker.addEventListener('message', message);
      worker.addEventListener('error', error);
      return () => {
        worker.removeEventListener('message', message);
        worker.removeEventListener('error', error);
      };
    },
    terminate: () => worker.terminate(),
  };
  const sharedMemory =
    globalThis.crossOriginIsolated === true && typeof SharedArrayBuffer === 'function';
  return { worker: adapter, owned, sharedMemory };
};
