import {
  checkpointPath,
  ConfigError,
  loadCheckpoint,
  ModelFileError,
  type Callback,
  type CheckpointJSON,
} from './api.js';
import type { EpochRecord } from './train.js';
import type { TrainOptions } from './train-command.js';

// `backprop train --checkpoint-dir` keeps its own part of the run in the checkpoint (issue 15,
// item 5): the settings of the run and its epoch records (with the test scores fit does not
// know). They ride in `callbacks[i]` of checkpoint.json, the state of the callback made by
// runStateCallback, which fit saves with every checkpoint and restores on resume:
//   { "kind": "backprop train", "settings": { "seed": 1, "learningRate": 0.1, … },
//     "history": [ { "epoch": 1, "loss": 0.31, "testAccuracy": 0.95, … }, … ] }

/** The `kind` of the CLI's state in a checkpoint's `callbacks`. */
export const RUN_STATE_KIND = 'backprop train';

/** The CLI's state in a checkpoint. */
export interface RunState {
  kind: typeof RUN_STATE_KIND;
  /** The settings a resume must repeat (see RESUME_SETTINGS), and `epochs`. */
  settings: Record<string, unknown>;
  /** One record per epoch trained so far, as printed and saved in the model file. */
  history: EpochRecord[];
}

/** The settings a resumed run must repeat, and their flags. */
const RESUME_SETTINGS = [
  ['seed', '--seed'],
  ['dataset', '--dataset'],
  ['input', '--input'],
  ['target', '--target'],
  ['features', '--features'],
  ['limit', '--limit'],
  ['testSplit', '--test-split'],
  ['validationSplit', '--validation-split'],
  ['scale', '--scale'],
  ['loss', '--loss'],
  ['optimizer', '--optimizer'],
  ['learningRate', '--learning-rate'],
  ['momentum', '--momentum'],
  ['weightDecay', '--weight-decay'],
  ['l1', '--l1'],
  ['l2', '--l2'],
  ['clipNorm', '--clip-norm'],
  ['schedule', '--schedule'],
  ['batchSize', '--batch-size'],
  ['dropout', '--dropout'],
  ['patience', '--patience'],
] as const satisfies readonly (readonly [keyof TrainOptions, string])[];

/**
 * The settings of a run as recorded in its checkpoint: those a resume must repeat, and epochs.
 * Unset options are null (JSON has no undefined).
 * @throws never
 */
export function runSettings(options: TrainOptions): Record<string, unknown> {
  const settings: Record<string, unknown> = { epochs: options.epochs };
  for (const [key] of RESUME_SETTINGS) settings[key] = options[key] ?? null;
  return settings;
}

/**
 * The callback that keeps the CLI's state in every checkpoint: getState gives {@link RunState},
 * setState puts the saved epoch records back into `history` (so a resumed run's model file and
 * report hold every epoch, also when nothing is left to train).
 * @param history - the run's epoch records, appended to by the caller
 * @throws never
 */
export function runStateCallback(
  settings: Record<string, unknown>,
  history: EpochRecord[],
): Callback {
  return {
    getState: (): RunState => ({ kind: RUN_STATE_KIND, settings, history }),
    setState: (state) => {
      const saved = state as Partial<RunState>;
      if (saved.kind === RUN_STATE_KIND && Array.isArray(saved.history)) {
        history.splice(0, history.length, ...saved.history);
      }
    },
  };
}

/**
 * Before a resume trains anything: refuses settings that differ from the checkpoint's (test
 * rows would leak into training after a changed seed or split; a changed learning rate,
 * penalty, schedule, optimizer, batch size or dropout makes a run that is neither). A larger
 * --epochs continues the run. Does nothing without --resume, without a checkpoint yet, or for a
 * checkpoint written by the library rather than `backprop train`.
 * @throws {ConfigError} naming the setting and both values, e.g. `--resume: the checkpoint
 *   ckpt/checkpoint.json was saved with --seed 1; this run has --seed 2; help: …`
 * @throws {ModelFileError} for a checkpoint that cannot be read, or whose CLI state is malformed
 */
export async function checkResume(options: TrainOptions): Promise<void> {
  if (!options.resume || options.checkpointDir === undefined) return;
  const path = checkpointPath(options.checkpointDir);
  const checkpoint = await loadCheckpoint(path, true);
  const saved = checkpoint === undefined ? undefined : runState(checkpoint, path);
  if (saved === undefined) return;
  const help = 'help: resume with the same settings, or start afresh without --resume';
  const ours = runSettings(options);
  for (const [key, flag] of RESUME_SETTINGS) {
    if (JSON.stringify(saved.settings[key] ?? null) !== JSON.stringify(ours[key])) {
      throw new ConfigError(
        `--resume: the checkpoint ${path} was saved with ${flag} ${shown(saved.settings[key])}; ` +
          `this run has ${flag} ${shown(ours[key])}; ${help}`,
      );
    }
  }
  const epochs = saved.settings['epochs'];
  if (typeof epochs === 'number' && options.epochs < epochs) {
    throw new ConfigError(
      `--resume: the checkpoint ${path} was saved with --epochs ${epochs}; this run has ` +
        `--epochs ${options.epochs}; help: give --epochs ${epochs} or more to continue the run`,
    );
  }
}

/**
 * The CLI's state in a checkpoint, or undefined when the library wrote it.
 * @throws {ModelFileError} naming the file and the field when the state is malformed
 */
function runState(checkpoint: CheckpointJSON, path: string): RunState | undefined {
  const i = checkpoint.callbacks.findIndex(
    (state) => (state as Partial<RunState> | null)?.kind === RUN_STATE_KIND,
  );
  if (i < 0) return undefined;
  const state = checkpoint.callbacks[i] as Partial<RunState>;
  const field = `callbacks[${i}]`;
  if (typeof state.settings !== 'object' || state.settings === null) {
    throw new ModelFileError(
      `${path}: ${field}.settings: expected an object, found ${typeof state.settings}`,
    );
  }
  if (!Array.isArray(state.history)) {
    throw new ModelFileError(
      `${path}: ${field}.history: expected an array of epoch records, found ${typeof state.history}`,
    );
  }
  return state as RunState;
}

/** A setting's value as typed: `1`, `0.1`, `adam`, `{"type":"cosine"}`, or `(not set)`. */
function shown(value: unknown): string {
  if (value === undefined || value === null) return '(not set)';
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}
