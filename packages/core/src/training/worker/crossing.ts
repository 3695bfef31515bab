import { ConfigError } from '../../errors.js';
import type { LossSpec } from '../../losses.js';
import type { Sequential } from '../../model/sequential.js';
import { Optimizer } from '../../optimizers/optimizer.js';
import type { OptimizerName } from '../../optimizers/registry.js';
import { ByteMatrix } from '../../tensor/byte-matrix.js';
import { Matrix, type FloatArray } from '../../tensor/matrix.js';
import type { Callback } from '../callbacks.js';
import { Diagnostics } from '../diagnostics/diagnostics.js';
import { checkValidationData, type InputLike, type TargetLike } from '../check-data.js';
import type { FitOptions } from '../fit.js';
import type { Logs } from '../history.js';

// What of a fit call can cross to a worker: data as typed arrays, options as plain data, and
// the hooks that stay in the page. Functions cannot cross (structured clone refuses them), so
// activations and losses given as functions are refused here, before a worker starts.

/** Inputs or targets as they cross: a matrix's values, a ByteMatrix's parts, or plain rows. */
export type DataMessage =
  | { kind: 'matrix'; rows: number; cols: number; data: FloatArray }
  | { kind: 'bytes'; rows: number; cols: number; bytes: Uint8Array; values: Float64Array }
  | { kind: 'plain'; value: unknown };

/** The fit options that cross: FitOptions without hooks, with names for loss and optimizer. */
export type CrossingFitOptions = Omit<
  FitOptions,
  'loss' | 'optimizer' | 'callbacks' | 'onBatchEnd' | 'onEpochEnd' | 'validationData'
> & {
  loss?: LossSpec;
  optimizer?: OptimizerName;
  validationData?: [DataMessage, DataMessage];
  /** A Diagnostics callback of the page, run in the worker with these options. */
  diagnostics?: { sampleEvery: number };
};

/** The hooks that run in the page on the streamed logs. */
export interface PageHooks {
  callbacks: readonly Callback[];
  /** The page's Diagnostics, which receives the worker's epochs (not in `callbacks`). */
  diagnostics: Diagnostics | undefined;
  onBatchEnd: ((batch: number, logs: Logs) => void) | undefined;
  onEpochEnd: ((epoch: number, logs: Logs) => void | Promise<void>) | undefined;
}

/** A fit call split in what crosses to the worker and what stays in the page. */
export interface SplitFit {
  options: CrossingFitOptions;
  hooks: PageHooks;
  /** The page's optimizer object, whose state crosses and comes back. */
  optimizer: Optimizer | undefined;
}

/**
 * Inputs or targets as data that crosses to a worker (structured clone copies the arrays).
 * @param data - [n, cols] as fit takes it: a Matrix, a ByteMatrix, rows, or flat labels
 * @throws never (the worker's fit checks the data, with its usual messages)
 */
export function encodeData(data: InputLike | TargetLike): DataMessage {
  if (data instanceof Matrix) {
    return { kind: 'matrix', rows: data.rows, cols: data.cols, data: data.data };
  }
  if (data instanceof ByteMatrix) {
    const { rows, cols, bytes, values } = data;
    return { kind: 'bytes', rows, cols, bytes, values };
  }
  return { kind: 'plain', value: data };
}

/**
 * The data {@link encodeData} describes, as fit takes it.
 * @throws {ShapeError} for a ByteMatrix whose parts disagree (as its constructor)
 */
export function decodeData(message: DataMessage): InputLike {
  if (message.kind === 'matrix') return new Matrix(message.rows, message.cols, message.data);
  if (message.kind === 'bytes') {
    return new ByteMatrix(message.rows, message.cols, message.bytes, message.values);
  }
  return message.value as InputLike;
}

/**
 * Splits fit options for a worker: the loss and optimizer by name or config, validation data
 * encoded, and the hooks (callbacks, onBatchEnd, onEpochEnd) kept for the page.
 * A {@link Diagnostics} callback runs in the worker (it reads each batch's buffers) and its
 * epochs reach the page's instance.
 * @throws {ConfigError} naming every activation given as functions (with its layer), a loss
 *   given as functions, a callback that needs each batch's buffers (onBatchEnd with a
 *   BatchStep, onNonFiniteLoss: those stay in the worker) other than one Diagnostics, an
 *   option holding a function (names its path), or validationData that is not a pair [x, y].
 */
export function splitFitOptions(model: Sequential, options: FitOptions): SplitFit {
  const refused = functionActivations(model);
  const {
    loss,
    optimizer,
    callbacks = [],
    onBatchEnd,
    onEpochEnd,
    validationData,
    ...rest
  } = options;
  let lossSpec: LossSpec | undefined;
  if (loss !== undefined && typeof loss === 'object' && 'value' in loss) {
    if (loss.config === undefined) refused.push(`the loss "${loss.name}"`);
    else lossSpec = loss.config;
  } else {
    lossSpec = loss;
  }
  if (refused.length > 0) {
    throw new ConfigError(
      `trainInWorker cannot send functions to a worker: ${refused.join(', ')} ` +
        'are given as JavaScript functions; help: use built-in activations and losses, ' +
        'or train on the page with model.fit',
    );
  }
  const diagnostics = callbacks.filter((callback) => callback instanceof Diagnostics);
  if (diagnostics.length > 1) {
    throw new ConfigError(
      `trainInWorker: expected at most one Diagnostics callback, found ${diagnostics.length}`,
    );
  }
  const pageCallbacks = callbacks.filter((callback) => !(callback instanceof Diagnostics));
  pageCallbacks.forEach((callback) => {
    const i = callbacks.indexOf(callback);
    if (callback.onBatchEnd !== undefined || callback.onNonFiniteLoss !== undefined) {
      throw new ConfigError(
        `trainInWorker: callbacks[${i}] (${callback.constructor.name}) inspects each batch's ` +
          'buffers (onBatchEnd or onNonFiniteLoss), which stay in the worker; help: use the ' +
          'onBatchEnd option for the running logs, or train on the page with model.fit',
      );
    }
  });
  const given = functionIn(rest, '');
  if (given !== undefined) {
    throw new ConfigError(
      `trainInWorker cannot send functions to a worker: option ${given} is a JavaScript ` +
        'function; expected plain data (numbers, strings, arrays, objects); help: train on ' +
        'the page with model.fit',
    );
  }
  const crossing: CrossingFitOptions = { ...rest, loss: lossSpec };
  if (diagnostics[0] !== undefined) {
    crossing.diagnostics = { sampleEvery: diagnostics[0].sampleEvery };
  }
  if (validationData !== undefined) {
    // What is not a pair [x, y] gets fit's ConfigError here (the pair's data, in the worker).
    if (!Array.isArray(validationData) || validationData.length !== 2) {
      checkValidationData(validationData, model, model.dtype);
    }
    const [vx, vy] = validationData;
    crossing.validationData = [encodeData(vx), encodeData(vy)];
  }
  const object = optimizer instanceof Optimizer ? optimizer : undefined;
  if (object === undefined) crossing.optimizer = optimizer as OptimizerName | undefined;
  const hooks = { callbacks: pageCallbacks, diagnostics: diagnostics[0], onBatchEnd, onEpochEnd };
  return { options: crossing, hooks, optimizer: object };
}

/** Each layer's activation given as functions, as `layer k Dense(…) "name"`. */
function functionActivations(model: Sequential): string[] {
  return model.layers.flatMap((layer, k) => {
    const activation = (layer as { activation?: { custom?: boolean; name: string } }).activation;
    return activation?.custom === true
      ? [`the activation "${activation.name}" of layer ${k + 1} ${layer}`]
      : [];
  });
}

/** The path (`metrics[0]`, `schedule.fn`) of the first function in plain data, if any. */
function functionIn(value: unknown, path: string): string | undefined {
  if (typeof value === 'function') return path;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = functionIn(value[i], `${path}[${i}]`);
      if (found !== undefined) return found;
    }
  } else if (typeof value === 'object' && value !== null) {
    const prototype = Object.getPrototypeOf(value) as unknown;
    if (prototype !== Object.prototype && prototype !== null) return undefined;
    for (const [key, each] of Object.entries(value)) {
      const found = functionIn(each, path === '' ? key : `${path}.${key}`);
      if (found !== undefined) return found;
    }
  }
  return undefined;
}
