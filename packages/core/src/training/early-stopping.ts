import { ConfigError } from '../errors.js';
import { base64ToBytes, bytesToFloats, floatsToBase64 } from '../io/base64.js';
import type { Sequential } from '../model/sequential.js';
import { checkNonNegative } from '../optimizers/optimizer.js';
import type { FloatArray } from '../tensor/matrix.js';
import type { Callback } from './callbacks.js';
import type { Logs } from './history.js';
import { checkMonitorMode, improved, type MonitorMode } from './monitor.js';

/** Options of {@link EarlyStopping}. */
export interface EarlyStoppingOptions {
  /** The log to watch, e.g. 'valLoss', 'valAccuracy', 'loss'. Default 'valLoss'. */
  monitor?: string;
  /** Epochs without improvement after which training stops, an integer >= 0. Default 0. */
  patience?: number;
  /** Smallest change that counts as an improvement, >= 0. Default 0. */
  minDelta?: number;
  /** 'min', 'max', or 'auto' (max for accuracies, r2, precision, recall, f1). Default 'auto'. */
  mode?: MonitorMode;
  /** A value the monitor must beat; until it does, epochs count as not improving. */
  baseline?: number;
  /** At the end of training, put back the weights of the best epoch. Default false. */
  restoreBestWeights?: boolean;
  /** Epochs to train before watching (warm-up), an integer >= 0. Default 0. */
  startFromEpoch?: number;
}

const KEYS = [
  'monitor',
  'patience',
  'minDelta',
  'mode',
  'baseline',
  'restoreBestWeights',
  'startFromEpoch',
];

/**
 * Stops training when a monitored log stops improving, as Keras's `EarlyStopping`: after each
 * epoch, an improvement (by more than minDelta, see `mode`) records the epoch as the best and
 * resets the count; otherwise the count grows, and training stops when it reaches `patience`
 * (patience 0 stops at the first epoch that does not improve). With restoreBestWeights the best
 * epoch's parameters are copied back when training ends (also when it ran all its epochs).
 * @example
 * await model.fit(x, y, {
 *   validationSplit: 0.2,
 *   callbacks: [new EarlyStopping({ monitor: 'valLoss', patience: 3, restoreBestWeights: true })],
 * });
 */
export class EarlyStopping implements Callback {
  static readonly className = 'EarlyStopping';
  /** The watched log. */
  readonly monitor: string;
  /** Epochs without improvement tolerated. */
  readonly patience: number;
  /** Smallest improvement. */
  readonly minDelta: number;
  /** 'min', 'max' or 'auto' as given. */
  readonly mode: MonitorMode;
  /** The value to beat, if any. */
  readonly baseline: number | undefined;
  /** Whether the best weights are restored at the end. */
  readonly restoreBestWeights: boolean;
  /** Epochs ignored at the start. */
  readonly startFromEpoch: number;
  /** The best monitored value so far (±Infinity before the first epoch watched). */
  best: number;
  /** The epoch of the best value, 0 before one. */
  bestEpoch = 0;
  /** The epoch in which this callback stopped training, 0 if it did not. */
  stoppedEpoch = 0;
  #wait = 0;
  #maximize: boolean;
  #model: Sequential | undefined;
  #bestWeights: FloatArray[] | undefined;

  /**
   * @throws {ConfigError} for patience or startFromEpoch not an integer >= 0, a negative or
   *   non-finite minDelta, a mode other than auto/min/max, or an unknown option.
   */
  constructor(options: EarlyStoppingOptions = {}) {
    for (const key of Object.keys(options)) {
      if (!KEYS.includes(key)) {
        throw new ConfigError(
          `EarlyStopping has no option ${JSON.stringify(key)}; valid options are ${KEYS.join(', ')}`,
        );
      }
    }
    this.monitor = options.monitor ?? 'valLoss';
    if (typeof this.monitor !== 'string' || this.monitor === '') {
      throw new ConfigError(
        `EarlyStopping monitor must be a log name such as valLoss; received ${String(this.monitor)}`,
      );
    }
    this.patience = count(options.patience ?? 0, 'patience');
    this.startFromEpoch = count(options.startFromEpoch ?? 0, 'startFromEpoch');
    this.minDelta = checkNonNegative(options.minDelta ?? 0, 'EarlyStopping minDelta');
    this.mode = checkMonitorMode(options.mode ?? 'auto', 'EarlyStopping mode');
    this.#maximize = checkMonitorMode(this.mode, 'mode', this.monitor) === 'max';
    if (options.baseline !== undefined && !Number.isFinite(options.baseline)) {
      throw new ConfigError(
        `EarlyStopping baseline must be a finite number; received ${String(options.baseline)}`,
      );
    }
    this.baseline = options.baseline;
    this.restoreBestWeights = options.restoreBestWeights ?? false;
    this.best = this.#maximize ? -Infinity : Infinity;
  }

  onTrainBegin(model: Sequential): void {
    this.#model = model;
  }

  onEpochEnd(epoch: number, logs: Logs): { stop: boolean } {
    const current = logs[this.monitor];
    if (current === undefined) {
      throw new ConfigError(
        `EarlyStopping monitors ${this.monitor}, which the logs do not have (they have ` +
          `${Object.keys(logs).join(', ')}); help: give validationSplit or validationData for ` +
          'the val* logs, or monitor another log',
      );
    }
    if (epoch <= this.startFromEpoch) return { stop: false };
    this.#wait++;
    if (improved(current, this.best, this.minDelta, this.#maximize)) {
      this.best = current;
      this.bestEpoch = epoch;
      if (this.restoreBestWeights) this.#saveWeights();
      // The count restarts only when the baseline is beaten too (Keras).
      const beatsBaseline =
        this.baseline === undefined ||
        improved(current, this.baseline, this.minDelta, this.#maximize);
      if (beatsBaseline) this.#wait = 0;
      return { stop: false };
    }
    if (this.#wait >= this.patience && epoch > 1) {
      this.stoppedEpoch = epoch;
      return { stop: true };
    }
    return { stop: false };
  }

  onTrainEnd(): void {
    const model = this.#model;
    if (!this.restoreBestWeights || this.#bestWeights === undefined || model === undefined) return;
    model.namedParameters().forEach(({ value }, i) => value.data.set(this.#bestWeights![i]!));
  }

  /** `{ best, bestEpoch, stoppedEpoch, wait, bestWeights? }`, with weights as base64. */
  getState(): Record<string, unknown> {
    return {
      best: this.best,
      bestEpoch: this.bestEpoch,
      stoppedEpoch: this.stoppedEpoch,
      wait: this.#wait,
      bestWeights: this.#bestWeights?.map((w) => [
        w instanceof Float64Array ? 'float64' : 'float32',
        floatsToBase64(w),
      ]),
    };
  }

  setState(state: unknown): void {
    const s = state as Record<string, unknown>;
    this.best = typeof s['best'] === 'number' ? s['best'] : this.best;
    this.bestEpoch = Number(s['bestEpoch'] ?? 0);
    this.stoppedEpoch = Number(s['stoppedEpoch'] ?? 0);
    this.#wait = Number(s['wait'] ?? 0);
    const weights = s['bestWeights'] as [string, string][] | undefined;
    this.#bestWeights = weights?.map(([dtype, text]) =>
      bytesToFloats(
        base64ToBytes(text) ?? new Uint8Array(),
        dtype === 'float64' ? 'float64' : 'float32',
      ),
    );
  }

  #saveWeights(): void {
    const parameters = this.#model?.namedParameters().map((p) => p.value) ?? [];
    this.#bestWeights ??= parameters.map((p) => p.data.slice());
    parameters.forEach((p, i) => this.#bestWeights![i]!.set(p.data));
  }
}

function count(value: unknown, option: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
    throw new ConfigError(
      `EarlyStopping ${option} must be an integer >= 0; received ${String(value)}`,
    );
  }
  return value;
}
