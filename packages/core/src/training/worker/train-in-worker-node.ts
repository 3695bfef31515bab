import { existsSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { ConfigError } from '../../errors.js';
import type { ModelJSON } from '../../io/model-format.js';
import type { Sequential } from '../../model/sequential.js';
import type { InputLike, TargetLike } from '../check-data.js';
import { startJob, type OpenWorker } from './job.js';
import type { FromWorker } from './protocol.js';
import type { TrainingJob, WorkerFitOptions } from './train-in-worker.js';

// trainInWorker in Node.js (the package's Node entry): the same job on a worker_threads
// thread, which runs node-training-worker.js.

/**
 * Trains a model on a worker_threads thread with `fit`, so that the calling thread's event loop
 * stays free (a server keeps answering) and several models can train at once: the browser
 * entry's trainInWorker (Web Workers), on Node's threads. Bit-identical to `model.fit` with the
 * same options; logs, epoch snapshots into the calling thread's model, hooks, `job.stop()` (a
 * shared flag, read after every batch) and errors as in the browser.
 * @param model - a Sequential (trained in place: it is also the result), or a model file's
 *   content
 * @param x - inputs [n, n⁰]: a Matrix, number[][] or ByteMatrix (copied to the thread)
 * @param y - targets [n, nᴸ], or class labels [n]
 * @param options - fit's options; `worker` is the path or file URL of a module that runs
 *   `serveTraining` on `parentPort` (default the library's node-training-worker.js)
 * @returns the job: await it (or `job.result`) for the model, `job.history` for the History
 * @throws {ConfigError} up front for an activation or loss given as functions (naming them), a
 *   callback that reads each batch's buffers, a backend other than 'js' or 'wasm', or a
 *   `worker` that is not a path or URL.
 * @throws (rejects) the thread's error with its class and message, e.g. fit's ConfigError.
 * @example
 * const job = trainInWorker(model, x, y, { loss: 'crossEntropy', epochs: 10 });
 * process.once('SIGINT', () => job.stop());
 * await job;
 */
export function trainInWorker(
  model: Sequential | ModelJSON,
  x: InputLike,
  y: TargetLike,
  options: WorkerFitOptions = {},
): TrainingJob {
  return startJob(openThread, model, x, y, options);
}

/** A worker_threads thread running the given module, or the library's training worker. */
const openThread: OpenWorker = (given) => {
  if (given !== undefined && typeof given !== 'string' && !(given instanceof URL)) {
    throw new ConfigError(
      'worker must be the path or file URL of a module script in Node.js; received ' +
        ((given as object | null)?.constructor?.name ?? String(given)),
    );
  }
  let worker: Worker;
  try {
    worker = new Worker(given ?? defaultScript());
  } catch (error) {
    // Node refuses a relative path without ./ or ../, or a URL that is not file:, by a TypeError.
    throw new ConfigError(
      `worker ${JSON.stringify(String(given))}: expected an absolute path, one starting with ` +
        `./ or ../, or a file URL; Node says: ${error instanceof Error ? error.message : error}`,
      { cause: error },
    );
  }
  return {
    worker: {
      post: (message) => worker.postMessage(message),
      listen(onMessage, onError) {
        const message = (data: FromWorker) => onMessage(data);
        const error = (problem: Error) => onError(problem.message);
        worker.on('message', message);
        worker.on('error', error);
        return () => {
          worker.off('message', message);
          worker.off('error', error);
        };
      },
      terminate: () => void worker.terminate(),
    },
    owned: true,
    sharedMemory: true,
  };
};

/**
 * The library's node-training-worker.js beside this module; run from the TypeScript sources
 * (the repository's tests), the built one in dist/, which Node can run.
 */
function defaultScript(): URL {
  const beside = new URL('./node-training-worker.js', import.meta.url);
  return existsSync(beside)
    ? beside
    : new URL('../../../dist/training/worker/node-training-worker.js', import.meta.url);
}
