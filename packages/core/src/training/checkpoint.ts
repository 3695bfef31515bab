import { ConfigError, ModelFileError } from '../errors.js';
import { writeFileAtomic, type WriteHooks } from '../io/atomic-write.js';
import { base64ToBytes } from '../io/base64.js';
import { oneLine } from '../io/one-line.js';
import { modelFromJSON, modelToJSON, type ModelJSON } from '../io/model-json.js';
import type { Sequential } from '../model/sequential.js';
import type { Optimizer, OptimizerConfig, OptimizerState } from '../optimizers/optimizer.js';
import type { RandomState } from '../tensor/random.js';
import type { Callback } from './callbacks.js';
import type { History } from './history.js';
import type { MetricAccumulator } from './metrics.js';
import type { Schedule } from './schedules.js';

// Removes the temporary files a save killed mid-write left; fit calls it when a run resumes.
export { removeStaleTemporaries } from '../io/file-target.js';

/** The `format` tag of every checkpoint file. */
export const CHECKPOINT_FORMAT = 'backprop-checkpoint';
/** The checkpoint version this library writes and reads. */
export const CHECKPOINT_VERSION = 1;
/** The file name of the checkpoint inside `checkpoint.dir`. */
export const CHECKPOINT_FILE = 'checkpoint.json';

/** The `checkpoint` option of `fit`. */
export interface CheckpointOptions {
  /** The directory of `checkpoint.json` (created when missing). */
  dir: string;
  /** Save after every epoch ('epoch', the default) or after every n batches (an integer >= 1). */
  every?: 'epoch' | number;
}

/** Where a checkpoint was taken: after `batch` batches of `epoch` (both 1-based). */
export interface CheckpointPosition {
  epoch: number;
  /** Batches of `epoch` done, 0..batches. */
  batch: number;
  /** True when the end of the epoch (validation, logs, callbacks) has run too. */
  epochDone: boolean;
}

/**
 * A checkpoint file's content, version 1: everything `fit` needs to continue a run so that it
 * ends bit-identical to an uninterrupted one. Numbers that JSON cannot hold (±Infinity, NaN)
 * are written as `{ "nonFinite": "Infinity" }`.
 */
export interface CheckpointJSON {
  format: typeof CHECKPOINT_FORMAT;
  version: typeof CHECKPOINT_VERSION;
  /** The model file content (parameters exact, as base64 of their bytes). */
  model: ModelJSON;
  /** The optimizer's class, hyperparameters and state (moments, step count). */
  optimizer: { className: string; config: OptimizerConfig; state: OptimizerState };
  /** The model's generator (shuffles and dropout masks continue from it). */
  random: RandomState;
  position: CheckpointPosition;
  /** True when a callback stopped training: resuming only runs onTrainEnd. */
  stopped: boolean;
  /** Training rows and batch size the run used (a resume must use the same). */
  rows: number;
  batchSize: number;
  /** The current order of the training rows, base64 of little-endian uint32 indices. */
  order: string;
  /** The running sums of the current epoch: loss·rows, rows, and each metric's state. */
  running: { lossSum: number; seen: number; metrics: number[][] };
  /** η₀ and the schedule's state, or null without a schedule. */
  schedule: { initialLearningRate: number; state: Record<string, number> } | null;
  /** Each callback's getState(), or null. */
  callbacks: unknown[];
  /** The History so far. */
  history: { epoch: number[]; history: Record<string, number[]> };
}

/** The running sums of an epoch, as the training loop keeps them. */
export interface RunningLogs {
  lossSum: number;
  seen: number;
  readonly metrics: readonly MetricAccumulator[];
}

/** Everything of a run that a checkpoint saves and restores. */
export interface TrainingState {
  readonly model: Sequential;
  readonly optimizer: Optimizer;
  readonly schedule: Schedule | undefined;
  readonly initialLearningRate: number;
  readonly callbacks: readonly Callback[];
  readonly history: History;
  readonly order: Uint32Array;
  readonly running: RunningLogs;
  readonly batchSize: number;
}

/** The checkpoint file inside a checkpoint directory. */
export function checkpointPath(dir: string): string {
  return nodeModule('node:path').join(dir, CHECKPOINT_FILE);
}

/**
 * A Node built-in, loaded at run time so that the library's import graph stays browser-safe
 * (checkpoints are files; in a page, fit without `checkpoint`).
 * @throws {ConfigError} outside Node.js.
 */
function nodeModule<ID extends 'node:fs/promises' | 'node:path'>(
  id: ID,
): ReturnType<typeof process.getBuiltinModule<ID>> {
  const module = globalThis.process?.getBuiltinModule?.(id);
  if (module === undefined) {
    throw new ConfigError(`checkpoints are files and need Node.js (${id}); received no ${id}`);
  }
  return module;
}

/**
 * Checks the `checkpoint` option of fit.
 * @throws {ConfigError} when dir is not a non-empty string or every is not 'epoch' or an
 *   integer >= 1, or for an unknown key.
 */
export function checkCheckpointOptions(value: unknown): Required<CheckpointOptions> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ConfigError(`checkpoint must be an object { dir, every }; received ${String(value)}`);
  }
  for (const key of Object.keys(value)) {
    if (key !== 'dir' && key !== 'every') {
      throw new ConfigError(
        `checkpoint has no option ${JSON.stringify(key)}; valid options are dir, every`,
      );
    }
  }
  const { dir, every = 'epoch' } = value as CheckpointOptions;
  if (typeof dir !== 'string' || dir === '') {
    throw new ConfigError(`checkpoint.dir must be a directory path; received ${String(dir)}`);
  }
  if (every !== 'epoch' && !(typeof every === 'number' && Number.isInteger(every) && every >= 1)) {
    throw new ConfigError(
      `checkpoint.every must be 'epoch' or a number of batches >= 1; received ${String(every)}`,
    );
  }
  return { dir, every };
}

/**
 * Captures a run's state as a checkpoint.
 * @throws never
 */
export function captureCheckpoint(
  state: TrainingState,
  position: CheckpointPosition,
  stopped: boolean,
): CheckpointJSON {
  const { model, optimizer, running } = state;
  const order = state.order;
  return {
    format: CHECKPOINT_FORMAT,
    version: CHECKPOINT_VERSION,
    model: modelToJSON(model, {}),
    optimizer: {
      className: optimizer.className,
      config: optimizer.getConfig(),
      state: optimizer.getState(),
    },
    random: model.random.getState(),
    position: { ...position },
    stopped,
    rows: order.length,
    batchSize: state.batchSize,
    order: uint32ToBase64(order),
    running: {
      lossSum: running.lossSum,
      seen: running.seen,
      metrics: running.metrics.map((metric) => metric.getState()),
    },
    schedule:
      state.schedule === undefined
        ? null
        : { initialLearningRate: state.initialLearningRate, state: state.schedule.getState() },
    callbacks: state.callbacks.map((callback) => callback.getState?.() ?? null),
    history: structuredClone({ epoch: state.history.epoch, history: state.history.history }),
  };
}

/**
 * Restores a run's state from a checkpoint: parameters, optimizer state, generator, row order,
 * running sums, schedule, callbacks and history.
 * @param path - the checkpoint file, named in errors
 * @throws {ConfigError} when the checkpoint was saved from another architecture or dtype, with
 *   another optimizer class, number of training rows or batch size (states both sides).
 * @throws {ModelFileError} when a part of the file is malformed.
 */
export function restoreCheckpoint(
  state: TrainingState,
  checkpoint: CheckpointJSON,
  path: string,
): { position: CheckpointPosition; stopped: boolean } {
  const { model, optimizer } = state;
  let saved: Sequential;
  try {
    saved = modelFromJSON(checkpoint.model);
  } catch (error) {
    if (!(error instanceof ModelFileError)) throw error;
    throw new ModelFileError(`${path}: model.${error.message}`, { cause: error });
  }
  const mismatch = (what: string, theirs: unknown, ours: unknown): never => {
    throw new ConfigError(
      `the checkpoint ${path} was saved with ${what} ${String(theirs)}; this run has ` +
        `${String(ours)}; help: resume with the same settings, or start afresh without resume`,
    );
  };
  if (String(saved) !== String(model)) mismatch('the model', saved, model);
  if (saved.dtype !== model.dtype) mismatch('dtype', saved.dtype, model.dtype);
  if (checkpoint.optimizer.className !== optimizer.className) {
    mismatch('the optimizer', checkpoint.optimizer.className, optimizer.className);
  }
  if (checkpoint.rows !== state.order.length) {
    mismatch('training rows:', checkpoint.rows, state.order.length);
  }
  if (checkpoint.batchSize !== state.batchSize) {
    mismatch('batchSize', checkpoint.batchSize, state.batchSize);
  }
  const order = base64ToUint32(checkpoint.order);
  if (order === undefined || order.length !== state.order.length) {
    throw new ModelFileError(
      `${path}: order: expected base64 of ${state.order.length} uint32 row indices`,
    );
  }
  // Every parameter, running statistics included (BatchNormalization's moving mean and variance).
  const values = saved.namedParameters();
  model.namedParameters().forEach(({ value }, i) => value.data.set(values[i]!.value.data));
  optimizer.setState(checkpoint.optimizer.state);
  model.random.setState(checkpoint.random);
  state.order.set(order);
  state.running.lossSum = checkpoint.running.lossSum;
  state.running.seen = checkpoint.running.seen;
  state.running.metrics.forEach((metric, i) => {
    const saved = checkpoint.running.metrics[i];
    if (saved !== undefined) metric.setState(saved);
    else metric.reset();
  });
  if (state.schedule !== undefined && checkpoint.schedule !== null) {
    state.schedule.setState(checkpoint.schedule.state);
  }
  state.callbacks.forEach((callback, i) => {
    const saved = checkpoint.callbacks[i];
    if (saved !== undefined && saved !== null) callback.setState?.(saved);
  });
  state.history.epoch.splice(0, Infinity, ...checkpoint.history.epoch);
  for (const key of Object.keys(state.history.history)) {
    Reflect.deleteProperty(state.history.history, key);
  }
  Object.assign(state.history.history, structuredClone(checkpoint.history.history));
  return { position: { ...checkpoint.position }, stopped: checkpoint.stopped };
}

/**
 * Writes a checkpoint atomically and durably with {@link writeFileAtomic} (temporary file in the
 * same directory, fsync, rename, fsync of the directory), so a reader (or a resume after a crash
 * mid-save) sees the previous checkpoint or the new one, never part of one. Creates the
 * directory; removes temporary files a killed save of the same path left.
 * @param hooks - test-only fault injection (e.g. a crash in the middle of the file)
 * @throws {ModelFileError} when the file cannot be written (names the path and the cause); the
 *   temporary file is removed and the previous checkpoint is left as it was.
 */
export async function saveCheckpoint(
  path: string,
  checkpoint: CheckpointJSON,
  hooks: WriteHooks = {},
): Promise<void> {
  try {
    await writeFileAtomic(path, JSON.stringify(checkpoint, encodeNonFinite), hooks);
  } catch (error) {
    throw new ModelFileError(`cannot write the checkpoint ${path}: ${messageOf(error)}`, {
      cause: error,
    });
  }
}

/**
 * Reads a checkpoint written by {@link saveCheckpoint}.
 * @returns the checkpoint, or undefined when the file does not exist and `optional` is true
 * @throws {ModelFileError} when the file cannot be read, is not JSON, or is not a version-1
 *   backprop checkpoint (names the file and the field).
 */
export async function loadCheckpoint(
  path: string,
  optional = false,
): Promise<CheckpointJSON | undefined> {
  let text: string;
  try {
    text = await nodeModule('node:fs/promises').readFile(path, 'utf8');
  } catch (error) {
    if (optional && (error as { code?: unknown }).code === 'ENOENT') return undefined;
    throw new ModelFileError(`cannot read the checkpoint ${path}: ${messageOf(error)}`, {
      cause: error,
    });
  }
  let json: unknown;
  try {
    json = JSON.parse(text, decodeNonFinite);
  } catch (error) {
    throw new ModelFileError(
      `${path}: expected a JSON checkpoint, found text that is not JSON (${oneLine(messageOf(error))})`,
      { cause: error },
    );
  }
  const file = json as Partial<CheckpointJSON> | null;
  const fail = (field: string, expected: string, found: unknown): never => {
    throw new ModelFileError(`${path}: ${field}: expected ${expected}, found ${describe(found)}`);
  };
  if (typeof file !== 'object' || file === null) return fail('the file', 'an object', file);
  if (file.format !== CHECKPOINT_FORMAT) fail('format', `"${CHECKPOINT_FORMAT}"`, file.format);
  if (file.version !== CHECKPOINT_VERSION) {
    fail('version', String(CHECKPOINT_VERSION), file.version);
  }
  const objects = ['model', 'optimizer', 'position', 'running', 'history'] as const;
  for (const field of objects) {
    if (typeof file[field] !== 'object' || file[field] === null) {
      fail(field, 'an object', file[field]);
    }
  }
  if (!Array.isArray(file.random) || file.random.length !== 4) {
    fail('random', 'four 32-bit words', file.random);
  }
  if (!Array.isArray(file.callbacks)) fail('callbacks', 'an array', file.callbacks);
  const position = file.position!;
  if (!Number.isInteger(position.epoch) || !Number.isInteger(position.batch)) {
    fail('position', '{ epoch, batch, epochDone }', position);
  }
  return file as CheckpointJSON;
}

function encodeNonFinite(_key: string, value: unknown): unknown {
  return typeof value === 'number' && !Number.isFinite(value)
    ? { nonFinite: String(value) }
    : value;
}

function decodeNonFinite(_key: string, value: unknown): unknown {
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    const keys = Object.keys(value);
    const text = (value as { nonFinite?: unknown }).nonFinite;
    if (keys.length === 1 && typeof text === 'string') return Number(text);
  }
  return value;
}

function uint32ToBase64(values: Uint32Array): string {
  const bytes = new Uint8Array(values.length * 4);
  const view = new DataView(bytes.buffer);
  values.forEach((value, i) => view.setUint32(4 * i, value, true));
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x2000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x2000));
  }
  return btoa(binary);
}

function base64ToUint32(text: unknown): Uint32Array | undefined {
  const bytes = typeof text === 'string' ? base64ToBytes(text) : undefined;
  if (bytes === undefined || bytes.length % 4 !== 0) return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return Uint32Array.from({ length: bytes.length / 4 }, (_, i) => view.getUint32(4 * i, true));
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (typeof value === 'object' && value !== null) return 'an object';
  return JSON.stringify(value) ?? String(value);
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
