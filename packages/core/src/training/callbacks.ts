import type { Loss } from '../losses.js';
import type { Sequential } from '../model/sequential.js';
import type { Workspace } from '../model/trace.js';
import type { Logs } from './history.js';

/**
 * A batch's buffers, for callbacks that inspect training (Diagnostics): `fit` passes it to
 * `onBatchEnd` (after the update) and `onNonFiniteLoss` (after the forward pass). The buffers
 * are reused by the next batch.
 */
export interface BatchStep {
  /** The batch's trace (forward), δ (backward), targets and weights; [B, ·] each. */
  readonly workspace: Workspace;
  /** The loss being minimised. */
  readonly loss: Loss;
  /** Per-example weights [B] (classWeight, sampleWeight), or undefined. */
  readonly weights: Float64Array | undefined;
}

/** What a hook may return: nothing, or `{ stop: true }` to end training (also as a Promise). */
// void, so that hooks written without a return statement type-check.
// eslint-disable-next-line @typescript-eslint/no-invalid-void-type
export type CallbackResult = void | { stop?: boolean } | Promise<void | { stop?: boolean }>;

/**
 * Hooks into `fit`, as Keras's `Callback` (`on_epoch_begin`, `on_train_batch_end`, …); every
 * hook is optional. Epochs and batches are 1-based. Training stops after the current batch when
 * a hook returns `{ stop: true }` or sets `model.stopTraining = true` (Keras
 * `model.stop_training`); the epoch is then finished (its logs, validation and onEpochEnd) and
 * training ends.
 *
 * A callback with state that must survive a checkpoint (EarlyStopping's best value and
 * weights) implements `getState` and `setState`; `fit` stores the state in each checkpoint and
 * restores it on resume.
 * @example
 * const stopAtLoss: Callback = {
 *   onEpochEnd: (epoch, logs) => ({ stop: logs['loss']! < 0.01 }),
 * };
 */
export interface Callback {
  /** Before the first epoch (also on resume), with the model being trained. */
  onTrainBegin?(model: Sequential): void | Promise<void>;
  /** Before each epoch. */
  onEpochBegin?(epoch: number): CallbackResult;
  /**
   * After each batch, with the running means of the epoch so far (loss and metrics) and the
   * batch's buffers after its update.
   */
  onBatchEnd?(batch: number, logs: Logs, step: BatchStep): CallbackResult;
  /**
   * When a batch's loss is non-finite, before `fit` throws its NumericalError (forward done,
   * parameters as before the batch); a returned line is added to the error's message.
   */
  onNonFiniteLoss?(epoch: number, batch: number, step: BatchStep): string | undefined;
  /** After each epoch, with its logs (loss, metrics, val*, learningRate, seconds). */
  onEpochEnd?(epoch: number, logs: Logs): CallbackResult;
  /** After training, with the last epoch's logs (empty when no epoch ran). */
  onTrainEnd?(logs: Logs): void | Promise<void>;
  /** JSON-serialisable state for checkpoints. */
  getState?(): unknown;
  /** Restores {@link Callback.getState}'s state. */
  setState?(state: unknown): void;
}
