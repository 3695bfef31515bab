import { ConfigError } from '../errors.js';

/** Whether a monitored log should decrease ('min') or increase ('max'); 'auto' infers it. */
export type MonitorMode = 'auto' | 'min' | 'max';

/**
 * Checks a monitor mode and, given the monitored log's name, resolves 'auto' as Keras does:
 * 'max' for accuracies, r2, precision, recall and f1, else 'min' (losses, mse, mae).
 * @throws {ConfigError} for a mode other than auto, min, max.
 */
export function checkMonitorMode(value: unknown, option: string, monitor?: string): MonitorMode {
  if (value !== 'auto' && value !== 'min' && value !== 'max') {
    throw new ConfigError(`${option} must be one of auto, min, max; received ${String(value)}`);
  }
  if (value !== 'auto' || monitor === undefined) return value;
  return /accuracy|r2|precision|recall|f1/i.test(monitor) ? 'max' : 'min';
}

/**
 * Whether `current` improves on `best` by more than `minDelta` (Keras's comparison:
 * current − minDelta < best when minimising, current + minDelta > best when maximising).
 * @throws never
 */
export function improved(current: number, best: number, minDelta: number, maximize: boolean) {
  return maximize ? current - minDelta > best : current + minDelta < best;
}
