import { ConfigError } from '../errors.js';
import { checkNonNegative } from '../optimizers/optimizer.js';
import type { Logs } from './history.js';
import { checkMonitorMode, improved, type MonitorMode } from './monitor.js';

/**
 * A learning-rate schedule, as `fit({ schedule })` takes it. η₀ is the optimizer's learning
 * rate when training starts; e is the 1-based epoch; k the 0-based index of the batch about to
 * run, counting from the first epoch; K = epochs × batches per epoch.
 * - `step` (PyTorch StepLR): η = η₀ · γ^⌊(e − 1) / stepSize⌋, per epoch.
 * - `exponential` (PyTorch ExponentialLR): η = η₀ · γ^(e − 1), per epoch.
 * - `cosine` (PyTorch CosineAnnealingLR, per batch, after a linear warm-up as in Goyal et al.
 *   2017): η = η₀ (k + 1) / W for k < W = warm-up batches, then
 *   η = ηmin + ½(η₀ − ηmin)(1 + cos(π (k − W) / (K − W))).
 * - `reduceOnPlateau` (Keras ReduceLROnPlateau): after an epoch, when the monitored log has not
 *   improved by more than minDelta for `patience` epochs, η ← max(η · factor, ηmin), then waits
 *   `cooldown` epochs before counting again.
 */
export type ScheduleConfig =
  | {
      type: 'step';
      /** Epochs between decays, an integer >= 1. Default 10. */
      stepSize?: number;
      /** γ, the factor per decay, in (0, 1]. Default 0.1 (PyTorch). */
      gamma?: number;
    }
  | {
      type: 'exponential';
      /** γ, the factor per epoch, in (0, 1]. Default 0.9. */
      gamma?: number;
    }
  | {
      type: 'cosine';
      /** Epochs of linear warm-up (may be fractional), >= 0 and < epochs. Default 0. */
      warmupEpochs?: number;
      /** ηmin, the rate reached at the end, >= 0 (PyTorch `eta_min`). Default 0. */
      minLearningRate?: number;
    }
  | {
      type: 'reduceOnPlateau';
      /** The log to watch. Default 'valLoss' with validation data, else 'loss'. */
      monitor?: string;
      /** 'min', 'max', or 'auto' (max for accuracies, r2, precision, recall, f1). Default 'auto'. */
      mode?: MonitorMode;
      /** The factor η is multiplied by, in (0, 1). Default 0.1. */
      factor?: number;
      /** Epochs without improvement before a reduction, an integer >= 0. Default 10. */
      patience?: number;
      /** Smallest change that counts as an improvement, >= 0. Default 1e-4. */
      minDelta?: number;
      /** Epochs to wait after a reduction, an integer >= 0. Default 0. */
      cooldown?: number;
      /** ηmin, the floor, >= 0. Default 0. */
      minLearningRate?: number;
    };

/** The schedule names, for help texts. */
export const SCHEDULE_TYPES = ['step', 'exponential', 'cosine', 'reduceOnPlateau'] as const;

/** What a schedule needs to know about the run. */
export interface ScheduleContext {
  /** η₀, the optimizer's learning rate when training starts. */
  initialLearningRate: number;
  /** The number of epochs of the run. */
  epochs: number;
  /** Batches per epoch. */
  batches: number;
  /** Whether the logs will have validation entries (for reduceOnPlateau's default monitor). */
  validation: boolean;
}

/**
 * A schedule bound to a run: `learningRate(epoch, batch)` gives η for the batch about to run;
 * `onEpochEnd` sees the epoch's logs (reduceOnPlateau); the state round-trips through JSON.
 */
export interface Schedule {
  /** η for batch `batch` (1-based) of epoch `epoch` (1-based). */
  learningRate(epoch: number, batch: number): number;
  /** Called after each epoch with its logs. */
  onEpochEnd(epoch: number, logs: Logs): void;
  /** JSON-serialisable state, for checkpoints. */
  getState(): Record<string, number>;
  /** Restores {@link Schedule.getState}'s state. */
  setState(state: Record<string, number>): void;
}

const KEYS: Record<ScheduleConfig['type'], readonly string[]> = {
  step: ['type', 'stepSize', 'gamma'],
  exponential: ['type', 'gamma'],
  cosine: ['type', 'warmupEpochs', 'minLearningRate'],
  reduceOnPlateau: [
    'type',
    'monitor',
    'mode',
    'factor',
    'patience',
    'minDelta',
    'cooldown',
    'minLearningRate',
  ],
};

/**
 * Checks a schedule's configuration (type, keys and values) without a run.
 * @throws {ConfigError} for an unknown type or key, or a value out of range (names the option
 *   and echoes the value).
 */
export function checkSchedule(config: unknown): ScheduleConfig {
  if (typeof config !== 'object' || config === null || Array.isArray(config)) {
    throw new ConfigError(`schedule must be an object with a type; received ${String(config)}`);
  }
  const type = (config as { type?: unknown }).type;
  if (typeof type !== 'string' || !Object.hasOwn(KEYS, type)) {
    throw new ConfigError(
      `schedule.type must be one of ${SCHEDULE_TYPES.join(', ')}; received ${JSON.stringify(type)}`,
    );
  }
  const valid = KEYS[type as ScheduleConfig['type']];
  for (const key of Object.keys(config)) {
    if (!valid.includes(key)) {
      throw new ConfigError(
        `a ${type} schedule has no option ${JSON.stringify(key)}; valid options are ${valid.join(', ')}`,
      );
    }
  }
  const c = config as ScheduleConfig;
  switch (c.type) {
    case 'step':
      integer(c.stepSize ?? 10, 'schedule.stepSize', 1);
      factor(c.gamma ?? 0.1, 'schedule.gamma', true);
      break;
    case 'exponential':
      factor(c.gamma ?? 0.9, 'schedule.gamma', true);
      break;
    case 'cosine':
      checkNonNegative(c.warmupEpochs ?? 0, 'schedule.warmupEpochs');
      checkNonNegative(c.minLearningRate ?? 0, 'schedule.minLearningRate');
      break;
    case 'reduceOnPlateau':
      if (c.monitor !== undefined && typeof c.monitor !== 'string') {
        throw new ConfigError(
          `schedule.monitor must be a log name such as valLoss; received ${String(c.monitor)}`,
        );
      }
      checkMonitorMode(c.mode ?? 'auto', 'schedule.mode');
      factor(c.factor ?? 0.1, 'schedule.factor', false);
      integer(c.patience ?? 10, 'schedule.patience', 0);
      checkNonNegative(c.minDelta ?? 1e-4, 'schedule.minDelta');
      integer(c.cooldown ?? 0, 'schedule.cooldown', 0);
      checkNonNegative(c.minLearningRate ?? 0, 'schedule.minLearningRate');
      break;
  }
  return c;
}

/**
 * Binds a checked schedule to a run.
 * @throws {ConfigError} for a bad configuration, or cosine warm-up as long as the run or longer.
 * @example
 * const schedule = createSchedule({ type: 'cosine', warmupEpochs: 1 },
 *   { initialLearningRate: 1e-3, epochs: 10, batches: 100, validation: false });
 * schedule.learningRate(1, 1); //=> 1e-5 (η₀ / 100, the first warm-up batch)
 */
export function createSchedule(config: ScheduleConfig, context: ScheduleContext): Schedule {
  const c = checkSchedule(config);
  const eta0 = context.initialLearningRate;
  switch (c.type) {
    case 'step': {
      const stepSize = c.stepSize ?? 10;
      const gamma = c.gamma ?? 0.1;
      return stateless((epoch) => eta0 * gamma ** Math.floor((epoch - 1) / stepSize));
    }
    case 'exponential': {
      const gamma = c.gamma ?? 0.9;
      return stateless((epoch) => eta0 * gamma ** (epoch - 1));
    }
    case 'cosine': {
      const total = context.epochs * context.batches;
      const warmup = Math.round((c.warmupEpochs ?? 0) * context.batches);
      if (warmup >= total) {
        throw new ConfigError(
          `schedule.warmupEpochs must be less than the epochs (${context.epochs}); received ` +
            `${c.warmupEpochs}`,
        );
      }
      const min = c.minLearningRate ?? 0;
      return stateless((epoch, batch) => {
        const k = (epoch - 1) * context.batches + (batch - 1);
        if (k < warmup) return (eta0 * (k + 1)) / warmup;
        const progress = Math.min(1, (k - warmup) / (total - warmup));
        return min + 0.5 * (eta0 - min) * (1 + Math.cos(Math.PI * progress));
      });
    }
    case 'reduceOnPlateau':
      return new ReduceOnPlateau(c, context);
  }
}

/** A schedule that is a function of the position only. */
function stateless(rate: (epoch: number, batch: number) => number): Schedule {
  return {
    learningRate: (epoch, batch) => Math.max(rate(epoch, batch), Number.MIN_VALUE),
    onEpochEnd: () => undefined,
    getState: () => ({}),
    setState: () => undefined,
  };
}

/** Keras's ReduceLROnPlateau, as a schedule. */
class ReduceOnPlateau implements Schedule {
  readonly #monitor: string;
  readonly #maximize: boolean;
  readonly #factor: number;
  readonly #patience: number;
  readonly #minDelta: number;
  readonly #cooldown: number;
  readonly #min: number;
  #rate: number;
  #best: number;
  #wait = 0;
  #cooldownLeft = 0;

  constructor(c: Extract<ScheduleConfig, { type: 'reduceOnPlateau' }>, context: ScheduleContext) {
    this.#monitor = c.monitor ?? (context.validation ? 'valLoss' : 'loss');
    this.#maximize = checkMonitorMode(c.mode ?? 'auto', 'schedule.mode', this.#monitor) === 'max';
    this.#factor = c.factor ?? 0.1;
    this.#patience = c.patience ?? 10;
    this.#minDelta = c.minDelta ?? 1e-4;
    this.#cooldown = c.cooldown ?? 0;
    this.#min = c.minLearningRate ?? 0;
    this.#rate = context.initialLearningRate;
    this.#best = this.#maximize ? -Infinity : Infinity;
  }

  learningRate(): number {
    return this.#rate;
  }

  onEpochEnd(_epoch: number, logs: Logs): void {
    const current = logs[this.#monitor];
    if (current === undefined) {
      throw new ConfigError(
        `the reduceOnPlateau schedule monitors ${this.#monitor}, which the logs do not have ` +
          `(they have ${Object.keys(logs).join(', ')}); help: set schedule.monitor, or give ` +
          'validationSplit or validationData for the val* logs',
      );
    }
    const cooling = this.#cooldownLeft > 0;
    if (cooling) {
      this.#cooldownLeft--;
      this.#wait = 0;
    }
    if (improved(current, this.#best, this.#minDelta, this.#maximize)) {
      this.#best = current;
      this.#wait = 0;
    } else if (!cooling && ++this.#wait >= this.#patience) {
      if (this.#rate > this.#min) {
        this.#rate = Math.max(this.#rate * this.#factor, this.#min, Number.MIN_VALUE);
        this.#cooldownLeft = this.#cooldown;
      }
      this.#wait = 0;
    }
  }

  getState(): Record<string, number> {
    return {
      rate: this.#rate,
      best: this.#best,
      wait: this.#wait,
      cooldownLeft: this.#cooldownLeft,
    };
  }

  setState(state: Record<string, number>): void {
    this.#rate = state['rate'] ?? this.#rate;
    this.#best = state['best'] ?? this.#best;
    this.#wait = state['wait'] ?? 0;
    this.#cooldownLeft = state['cooldownLeft'] ?? 0;
  }
}

function integer(value: unknown, option: string, min: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
    throw new ConfigError(`${option} must be an integer >= ${min}; received ${String(value)}`);
  }
  return value;
}

/** A factor in (0, 1] (or (0, 1) when `one` is false). */
function factor(value: unknown, option: string, one: boolean): number {
  if (typeof value !== 'number' || !(value > 0 && (one ? value <= 1 : value < 1))) {
    throw new ConfigError(
      `${option} must be a number in (0, 1${one ? ']' : ')'}; received ${String(value)}`,
    );
  }
  return value;
}
