import { ConfigError } from '../errors.js';
import { Adagrad } from './adagrad.js';
import { Adam } from './adam.js';
import { AdamW } from './adamw.js';
import { Momentum } from './momentum.js';
import { Optimizer, type OptimizerConfig } from './optimizer.js';
import { RMSprop } from './rmsprop.js';
import { SGD } from './sgd.js';

/** The optimizers by name, as `fit({ optimizer: 'adam' })` and `--optimizer` accept them. */
export type OptimizerName =
  'sgd' | 'momentum' | 'nesterov' | 'adagrad' | 'rmsprop' | 'adam' | 'adamw';

/** The valid optimizer names, for help texts and errors. */
export const OPTIMIZER_NAMES: readonly OptimizerName[] = [
  'sgd',
  'momentum',
  'nesterov',
  'adagrad',
  'rmsprop',
  'adam',
  'adamw',
];

/** Constructor options shared by every optimizer's string form. */
export interface NamedOptimizerOptions {
  /** γ; default the optimizer's own (0.01, Adam and AdamW 1e-3). */
  learningRate?: number;
  /** μ for 'momentum' and 'nesterov' (default 0.9) and 'rmsprop' (default 0). */
  momentum?: number;
  /** λ; default 0, AdamW 0.01. See each optimizer for its meaning. */
  weightDecay?: number;
}

/**
 * An optimizer from its name with default hyperparameters (as Keras's `optimizer='adam'`),
 * or the given optimizer object itself.
 * @param options - overrides of the defaults; momentum only for momentum, nesterov, rmsprop
 * @throws {ConfigError} for an unknown name (lists the valid ones) or a bad option value; for
 *   momentum given to an optimizer without momentum.
 * @example
 * createOptimizer('nesterov', { learningRate: 0.05 }); // Momentum, nesterov: true, μ = 0.9
 */
export function createOptimizer(
  name: OptimizerName | Optimizer,
  options: NamedOptimizerOptions = {},
): Optimizer {
  if (name instanceof Optimizer) return name;
  const { momentum, ...common } = withoutUndefined(options);
  if (momentum !== undefined && !['momentum', 'nesterov', 'rmsprop'].includes(name)) {
    throw new ConfigError(
      `momentum applies to the optimizers momentum, nesterov and rmsprop; received momentum ` +
        `${momentum} with optimizer ${JSON.stringify(name)}`,
    );
  }
  const withMomentum = momentum === undefined ? common : { ...common, momentum };
  switch (name) {
    case 'sgd':
      return new SGD(common);
    case 'momentum':
      return new Momentum(withMomentum);
    case 'nesterov':
      return new Momentum({ ...withMomentum, nesterov: true });
    case 'adagrad':
      return new Adagrad(common);
    case 'rmsprop':
      return new RMSprop(withMomentum);
    case 'adam':
      return new Adam(common);
    case 'adamw':
      return new AdamW(common);
    default:
      throw new ConfigError(
        `optimizer must be one of ${OPTIMIZER_NAMES.join(', ')} or an Optimizer object; ` +
          `received ${typeof name === 'string' ? JSON.stringify(name) : String(name)}`,
      );
  }
}

/**
 * Rebuilds an optimizer from its class name and {@link Optimizer.getConfig} (as checkpoints
 * store it): `optimizerFromConfig(o.className, o.getConfig())` equals `o`, without its state.
 * @throws {ConfigError} for an unknown class name or a bad config value.
 */
export function optimizerFromConfig(className: string, config: OptimizerConfig): Optimizer {
  const classes: Record<string, new (options: OptimizerConfig) => Optimizer> = {
    SGD,
    Momentum,
    Adagrad,
    RMSprop,
    Adam,
    AdamW,
  };
  const Class = Object.hasOwn(classes, className) ? classes[className] : undefined;
  if (Class === undefined) {
    throw new ConfigError(
      `unknown optimizer class ${JSON.stringify(className)}; expected one of ` +
        Object.keys(classes).join(', '),
    );
  }
  return new Class(config);
}

function withoutUndefined<T extends object>(options: T): T {
  return Object.fromEntries(
    Object.entries(options).filter(([, value]) => value !== undefined),
  ) as T;
}
