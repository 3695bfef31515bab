import { ConfigError } from '../errors.js';

/**
 * Checks a learning rate.
 * @throws {ConfigError} when it is not a finite number > 0 (echoes the value received).
 */
export function checkLearningRate(value: unknown, option = 'learningRate'): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new ConfigError(`${option} must be a finite number > 0; received ${String(value)}`);
  }
  return value;
}

/**
 * Checks a finite number ≥ 0 (weightDecay, l1, l2, epsilon).
 * @throws {ConfigError} echoing the option's name and the value received.
 */
export function checkNonNegative(value: unknown, option: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new ConfigError(`${option} must be a finite number >= 0; received ${String(value)}`);
  }
  return value;
}

/**
 * Checks a decay rate or momentum in [0, 1) (momentum, beta1, beta2, alpha, dampening).
 * @throws {ConfigError} e.g. `momentum must be a number in [0, 1); received 1`.
 */
export function checkUnitInterval(value: unknown, option: string): number {
  if (typeof value !== 'number' || !(value >= 0 && value < 1)) {
    throw new ConfigError(`${option} must be a number in [0, 1); received ${String(value)}`);
  }
  return value;
}

/**
 * Checks that an options object has only known keys (e.g. `lr` for `learningRate` is an error).
 * @throws {ConfigError} naming the unknown key and listing the valid ones.
 */
export function checkOptimizerOptions(
  options: object,
  valid: readonly string[],
  className: string,
): void {
  if (typeof options !== 'object' || options === null) {
    throw new ConfigError(`${className} options must be an object; received ${String(options)}`);
  }
  for (const key of Object.keys(options)) {
    if (!valid.includes(key)) {
      throw new ConfigError(
        `${className} has no option ${JSON.stringify(key)}; valid options are ${valid.join(', ')}`,
      );
    }
  }
}
