import type { PlaygroundConfig } from './config.js';

// Rewind and replay: what a run was (its seed and settings, and when η or the batch size
// changed), how to run it again epoch for epoch, and how to name what differs between two runs.

/** A change of the optimisation settings, made after `epoch` epochs. */
export interface SettingsChange {
  epoch: number;
  learningRate: number;
  batchSize: number;
}

/**
 * A run as recorded: the config it started from at epoch 0 (seed, data, network, η and batch
 * size) and each later change of η or the batch size. Replaying it gives the same weights and
 * losses, epoch for epoch.
 */
export interface RunRecord {
  config: PlaygroundConfig;
  changes: SettingsChange[];
}

/** A stretch of a replay: train `epochs` epochs with these settings. */
export interface ReplaySegment {
  epochs: number;
  learningRate: number;
  batchSize: number;
}

/**
 * The stretches that replay the first `epochs` epochs of a run: the starting settings until
 * the first change, then each change's until the next; stretches of 0 epochs are left out.
 * @param record - the run to replay
 * @param epochs - how many of its epochs (an integer >= 0)
 */
export function replaySegments(record: RunRecord, epochs: number): ReplaySegment[] {
  const { learningRate, batchSize } = record.config;
  const starts = [{ epoch: 0, learningRate, batchSize }, ...record.changes];
  return starts
    .map((start, i) => ({
      epochs: Math.min(starts[i + 1]?.epoch ?? epochs, epochs) - Math.min(start.epoch, epochs),
      learningRate: start.learningRate,
      batchSize: start.batchSize,
    }))
    .filter((segment) => segment.epochs > 0);
}

/** How the settings read in the comparison's label. */
const SETTING_NAMES: Record<keyof PlaygroundConfig, string> = {
  dataset: 'data set',
  points: 'points',
  noise: 'noise σ',
  seed: 'seed',
  hidden: 'hidden layers',
  activation: 'activation',
  loss: 'loss',
  learningRate: 'η',
  batchSize: 'batch size',
};

/**
 * What differs between the config a previous run started from and the current one, e.g.
 * "η 0.1 → 0.5", or "same settings" (a replay); a run whose η or batch size changed during
 * training says so.
 */
export function describeChange(previous: RunRecord, current: PlaygroundConfig): string {
  const show = (value: unknown) => (Array.isArray(value) ? value.join(', ') : String(value));
  const differences = (Object.keys(SETTING_NAMES) as (keyof PlaygroundConfig)[])
    .filter((key) => show(previous.config[key]) !== show(current[key]))
    .map((key) => `${SETTING_NAMES[key]} ${show(previous.config[key])} → ${show(current[key])}`);
  const during =
    previous.changes.length > 0 ? ' (its η or batch size changed during training)' : '';
  return (differences.length === 0 ? 'same settings' : differences.join(', ')) + during;
}
