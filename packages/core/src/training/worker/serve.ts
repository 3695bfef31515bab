import type { Backend } from '../../backend/backend.js';
import { createBackendAsync } from '../../backend/registry.js';
import { modelFromJSON } from '../../io/model-json.js';
import type { Sequential } from '../../model/sequential.js';
import { optimizerFromConfig } from '../../optimizers/registry.js';
import type { Callback } from '../callbacks.js';
import { Diagnostics } from '../diagnostics/diagnostics.js';
import type { TargetLike } from '../check-data.js';
import { fit, type FitOptions } from '../fit.js';
import { decodeData } from './crossing.js';
import {
  errorData,
  snapshotBuffers,
  type FromWorker,
  type Snapshot,
  type StartMessage,
  type ToWorker,
} from './protocol.js';

// The worker's side of trainInWorker: it waits for a start message, builds the model from its
// model file, trains it with `fit`, and posts batch logs, epoch logs with weight snapshots, and
// the result (or the error) back. One job at a time; a worker serves any number in turn.

/**
 * What the worker talks through: a DedicatedWorkerGlobalScope (`self`), or Node's
 * `worker_threads.parentPort`.
 */
export interface TrainingPort {
  postMessage(message: FromWorker, transfer: Transferable[]): void;
  addEventListener(type: 'message', listener: (event: { data: ToWorker }) => void): void;
}

/** The job in progress: its model (to stop) and the page's pending answer to an epoch. */
interface Job {
  id: number;
  model: Sequential | undefined;
  /** Set by a stop message that came before the model was built. */
  stop: boolean;
  /** Resolves the wait after an epoch with the page's answer (stop or not). */
  answer: ((stop: boolean) => void) | undefined;
}

/** Backends created so far, by name and threads: a worker creates each once. */
const backends = new Map<string, Promise<Backend>>();

/**
 * Serves trainInWorker's jobs on a port: call it once in the worker script (the library's own
 * training worker does). Messages: see protocol.ts.
 * @param port - `self` in a Web Worker, or an adapter of Node's `parentPort`
 * @throws never: errors of a job are posted to the page, which rejects the job with them
 */
export function serveTraining(port: TrainingPort): void {
  let job: Job | undefined;
  port.addEventListener('message', ({ data }) => {
    if (data.type === 'start') {
      const current: Job = { id: data.job, model: undefined, stop: false, answer: undefined };
      job = current;
      void train(port, data, current).then(
        (done) => port.postMessage(done, snapshotBuffers(done.snapshot)),
        (error: unknown) =>
          port.postMessage({ type: 'error', job: current.id, error: errorData(error) }, []),
      );
    } else if (job === undefined || data.job !== job.id) {
      return; // a late message of a job that has ended
    } else if (data.type === 'stop') {
      job.stop = true;
      if (job.model !== undefined) job.model.stopTraining = true;
    } else {
      const { answer } = job;
      job.answer = undefined;
      answer?.(data.stop);
    }
  });
}

/** Runs one job: the model from its file, `fit` with hooks that post to the page. */
async function train(port: TrainingPort, start: StartMessage, job: Job) {
  const key = `${start.backend}/${start.threads ?? 1}`;
  if (!backends.has(key)) {
    const options = start.threads === undefined ? {} : { threads: start.threads };
    const created = createBackendAsync(start.backend, options);
    created.catch(() => backends.delete(key));
    backends.set(key, created);
  }
  const model = modelFromJSON(start.model, { backend: await backends.get(key)! });
  model.random.setState(start.random);
  job.model = model;
  const { stopFlag } = start;
  let epoch = 0;
  const callbacks: Callback[] = [
    {
      // fit clears stopTraining as it starts: a stop that came before is applied here.
      onTrainBegin: () => {
        if (job.stop) model.stopTraining = true;
      },
      onEpochBegin: (begun) => {
        epoch = begun;
      },
    },
  ];
  if (start.batchLogs || stopFlag !== undefined) {
    callbacks.push({
      onBatchEnd: (batch, logs) => {
        if (start.batchLogs)
          port.postMessage({ type: 'batch', job: job.id, epoch, batch, logs }, []);
        if (stopFlag !== undefined && Atomics.load(stopFlag, 0) !== 0) model.stopTraining = true;
      },
    });
  }
  const { validationData, optimizer: name, diagnostics: wanted, ...rest } = start.options;
  const diagnostics = wanted === undefined ? undefined : new Diagnostics(wanted);
  if (diagnostics !== undefined) callbacks.push(diagnostics);
  const options: FitOptions = {
    ...rest,
    // Without a shared flag, a stop message is read only when fit yields: by default after
    // every batch, so that a stop takes effect at the next one.
    yieldEvery: stopFlag === undefined ? (rest.yieldEvery ?? 'batch') : rest.yieldEvery,
    callbacks,
    onEpochEnd: async (epoch, logs) => {
      const snapshot = takeSnapshot(model);
      const message = {
        type: 'epoch' as const,
        job: job.id,
        epoch,
        logs,
        snapshot,
        diagnostics: diagnostics?.epochs.at(-1),
      };
      port.postMessage(message, snapshotBuffers(snapshot));
      if (!start.epochAck) return;
      // The page's epoch hooks run now; training goes on when they are done, as in fit.
      const stop = await new Promise<boolean>((answer) => (job.answer = answer));
      if (stop) model.stopTraining = true;
    },
  };
  if (validationData !== undefined) {
    options.validationData = [
      decodeData(validationData[0]),
      decodeData(validationData[1]) as TargetLike,
    ];
  }
  if (start.optimizer !== undefined) {
    const optimizer = optimizerFromConfig(start.optimizer.className, start.optimizer.config);
    optimizer.setState(start.optimizer.state);
    options.optimizer = optimizer;
  } else if (name !== undefined) {
    options.optimizer = name;
  }
  const history = await fit(model, decodeData(start.x), decodeData(start.y) as TargetLike, options);
  return {
    type: 'done' as const,
    job: job.id,
    snapshot: takeSnapshot(model),
    history: { epoch: history.epoch, history: history.history },
    trainingConfig: model.trainingConfig,
    optimizer: typeof options.optimizer === 'object' ? options.optimizer.getState() : undefined,
  };
}

/** Copies of the model's parameters and its generator's state. */
function takeSnapshot(model: Sequential): Snapshot {
  return {
    weights: model.getWeights().map(({ rows, cols, data }) => ({ rows, cols, data })),
    random: model.random.getState(),
  };
}
