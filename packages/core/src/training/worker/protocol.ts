import type { BackendName } from '../../backend/registry.js';
import {
  BackpropError,
  ConfigError,
  DataError,
  ModelFileError,
  NumericalError,
  ShapeError,
} from '../../errors.js';
import type { ModelJSON } from '../../io/model-format.js';
import type { OptimizerConfig, OptimizerState } from '../../optimizers/optimizer.js';
import type { RandomState } from '../../tensor/random.js';
import type { FloatArray } from '../../tensor/matrix.js';
import type { EpochDiagnostics } from '../diagnostics/diagnostics.js';
import type { Logs } from '../history.js';
import type { CrossingFitOptions, DataMessage } from './crossing.js';

// The messages between a page and the worker that trains for it (trainInWorker): what each
// side posts, and how an error crosses (its class by name, its message as it was).

/** The values of every parameter (running statistics included) and the generator's state. */
export interface Snapshot {
  /** One entry per `model.namedParameters()`, in order: [rows, cols] and the values. */
  weights: { rows: number; cols: number; data: FloatArray }[];
  /** `model.random.getState()`, so that the page's model shuffles on as the worker's did. */
  random: RandomState;
}

/** An optimizer object as it crosses: class, hyperparameters and state (moments, step). */
export interface OptimizerMessage {
  className: string;
  config: OptimizerConfig;
  state: OptimizerState;
}

/** The page asks the worker to train: everything `fit` needs, as structured-cloneable data. */
export interface StartMessage {
  type: 'start';
  /** The job's number, chosen by the page: messages of other jobs are ignored. */
  job: number;
  /** The model file of the page's model, and its generator's state. */
  model: ModelJSON;
  random: RandomState;
  /** The backend to create in the worker (the page model's), and its threads for 'wasm'. */
  backend: BackendName;
  threads: number | undefined;
  x: DataMessage;
  y: DataMessage;
  options: CrossingFitOptions;
  /** An optimizer object of the page, to continue from its state. */
  optimizer: OptimizerMessage | undefined;
  /** Post each batch's running logs (the page has a batch hook). */
  batchLogs: boolean;
  /** Wait after each epoch for the page's {@link ContinueMessage} (the page has epoch hooks). */
  epochAck: boolean;
  /** A shared flag the worker reads after every batch (1: stop), when the page can share memory. */
  stopFlag: Int32Array | undefined;
}

/** The page's reply to an epoch when `epochAck`: go on, or stop as `fit` stops after a hook. */
export interface ContinueMessage {
  type: 'continue';
  job: number;
  stop: boolean;
}

/** Stop at the next batch (the job's `stop()`). */
export interface StopMessage {
  type: 'stop';
  job: number;
}

/** What a page posts to the worker. */
export type ToWorker = StartMessage | ContinueMessage | StopMessage;

/** A batch's running logs (only when the start message asked for them). */
export interface BatchMessage {
  type: 'batch';
  job: number;
  epoch: number;
  batch: number;
  logs: Logs;
}

/** An epoch's logs and the weights after it (their buffers transferred). */
export interface EpochMessage {
  type: 'epoch';
  job: number;
  epoch: number;
  logs: Logs;
  snapshot: Snapshot;
  /** The epoch's diagnostics, when the page passed a Diagnostics callback. */
  diagnostics?: EpochDiagnostics;
}

/** Training ended: the final weights, the History and how the model was trained. */
export interface DoneMessage {
  type: 'done';
  job: number;
  snapshot: Snapshot;
  history: { epoch: number[]; history: Record<string, number[]> };
  trainingConfig: ModelJSON['training'];
  optimizer: OptimizerState | undefined;
}

/** An error ended training: its class name and message, unchanged. */
export interface ErrorMessage {
  type: 'error';
  job: number;
  error: ErrorData;
}

/** What the worker posts to the page. */
export type FromWorker = BatchMessage | EpochMessage | DoneMessage | ErrorMessage;

/** An error as it crosses a thread: the class by name, and NumericalError's position. */
export interface ErrorData {
  name: string;
  message: string;
  epoch?: number;
  batch?: number;
}

/** The error classes that cross by name; any other error arrives as a plain Error. */
const ERROR_CLASSES: Record<string, new (message: string) => BackpropError> = {
  BackpropError,
  ShapeError,
  DataError,
  ConfigError,
  ModelFileError,
};

/**
 * An error as data to post (Error objects lose their class on the way).
 * @param error - what was thrown; anything
 * @throws never
 */
export function errorData(error: unknown): ErrorData {
  if (error instanceof NumericalError) {
    return { name: error.name, message: error.message, epoch: error.epoch, batch: error.batch };
  }
  if (error instanceof Error) return { name: error.name, message: error.message };
  return { name: 'Error', message: String(error) };
}

/**
 * The error {@link errorData} describes, rebuilt: the same class for backprop's errors (a
 * NumericalError keeps its epoch and batch), else an Error with the same name and message.
 * @throws never
 */
export function reviveError(data: ErrorData): Error {
  if (data.name === 'NumericalError') {
    return new NumericalError(data.message, data.epoch ?? 0, data.batch ?? 0);
  }
  const Class = ERROR_CLASSES[data.name];
  if (Class !== undefined) return new Class(data.message);
  const error = new Error(data.message);
  error.name = data.name;
  return error;
}

/** The buffers of a snapshot, to transfer rather than copy. */
export function snapshotBuffers(snapshot: Snapshot): ArrayBuffer[] {
  return snapshot.weights.map(({ data }) => data.buffer as ArrayBuffer);
}
