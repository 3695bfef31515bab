import cliProgress from 'cli-progress';
import type { Logs } from './api.js';

/** What the progress display needs to know about the run. */
export interface ProgressOptions {
  /** Total epochs. */
  epochs: number;
  /** Batches per epoch, ⌈examples / batchSize⌉. */
  batches: number;
  /** Examples per batch (the last batch may be smaller). */
  batchSize: number;
  /** Training examples per epoch. */
  examples: number;
  /** Draw the bar; false for `--json` or when stderr is not a terminal (then nothing is drawn). */
  enabled: boolean;
}

/** A per-epoch progress bar on stderr, fed by fit's `onBatchEnd`. */
export interface Progress {
  /** Starts (or restarts) the bar for a 1-based epoch and its clock. */
  start(epoch: number): void;
  /** Shows batch `batch` (1-based) done, with the epoch's running loss; fit's `onBatchEnd`. */
  update(batch: number, logs: Logs): void;
  /** Removes the bar from the terminal (before an epoch line or an error is printed). */
  stop(): void;
}

const numberFormat = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

/**
 * Creates the training progress display: `epoch 1/5 [████░░░░] 812/1875 | loss 0.4123 |
 * 4,302 ex/s | eta 9s`, redrawn at most 10 times a second on stderr. Loss is the running mean of
 * the epoch so far; examples per second count from {@link Progress.start}.
 * @returns a Progress whose methods do nothing when `options.enabled` is false
 * @throws never
 */
export function createProgress(options: ProgressOptions): Progress {
  if (!options.enabled) return { start() {}, update() {}, stop() {} };
  const bar = new cliProgress.SingleBar({
    stream: process.stderr,
    format:
      'epoch {epoch}/{epochs} {bar} {value}/{total} batches | loss {loss} | {speed} ex/s | eta {eta_formatted}',
    barCompleteChar: '█',
    barIncompleteChar: '░',
    barsize: 24,
    clearOnComplete: true,
    hideCursor: true,
    etaBuffer: 100,
  });
  let started = 0;
  let running = false;
  // On Ctrl-C, restore the cursor the bar hid before the process ends (exit code 130 = SIGINT).
  const interrupted = (): void => {
    bar.stop();
    process.exit(130);
  };
  return {
    start(epoch) {
      started = performance.now();
      if (!running) process.once('SIGINT', interrupted);
      running = true;
      bar.start(options.batches, 0, { epoch, epochs: options.epochs, loss: '-', speed: '-' });
    },
    update(batch, logs) {
      const seen = Math.min(batch * options.batchSize, options.examples);
      const seconds = (performance.now() - started) / 1000;
      bar.update(batch, {
        loss: (logs['loss'] ?? NaN).toFixed(4),
        speed: seconds > 0 ? numberFormat.format(seen / seconds) : '-',
      });
    },
    stop() {
      if (running) bar.stop();
      process.off('SIGINT', interrupted);
      running = false;
    },
  };
}
