/** What one epoch measured: loss (nats or squared units), accuracy in [0, 1], seconds, etc. */
export type Logs = Record<string, number>;

/**
 * The record of a training run, like Keras's History (what `fit` returns):
 * `history.history.loss[e]` is the loss of epoch `history.epoch[e]` (1-based), and likewise
 * for every other log (accuracy, valLoss, learningRate, …). A resumed run's History also holds
 * the epochs before the interruption.
 */
export class History {
  /** The 1-based epoch numbers recorded. */
  readonly epoch: number[] = [];
  /** Each metric's value per recorded epoch, e.g. `history.loss`, `history.accuracy`. */
  readonly history: Record<string, number[]> = {};

  /** Appends one epoch's logs. */
  record(epoch: number, logs: Logs): void {
    this.epoch.push(epoch);
    for (const [key, value] of Object.entries(logs)) (this.history[key] ??= []).push(value);
  }
}
