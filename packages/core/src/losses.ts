import { ConfigError } from './errors.js';
import { binaryCrossEntropy } from './losses/binary-cross-entropy.js';
import { crossEntropy, sparseCrossEntropy } from './losses/cross-entropy.js';
import { hinge } from './losses/hinge.js';
import { klDivergence } from './losses/kl-divergence.js';
import type { Loss, LossName, LossSpec } from './losses/loss.js';
import { huber, mae, mse } from './losses/regression.js';
import { checkOptionKeys } from './training/check-data.js';

export { PROBABILITY_EPSILON, type Loss, type LossName, type LossSpec } from './losses/loss.js';

/**
 * One row per loss: its instance with the default options, and for a loss with options, their
 * names and how to build the loss from a config object (the builder checks the values).
 */
interface LossEntry {
  readonly loss: Loss;
  readonly options?: readonly string[];
  readonly create?: (config: Readonly<Record<string, unknown>>) => Loss;
}

/**
 * The losses, value ℓ and ∂ℓ/∂a side by side in each (files under src/losses/): per example a
 * sum over the outputs, over a batch the (weighted) mean of the examples.
 */
const table: Readonly<Record<LossName, LossEntry>> = {
  mse: { loss: mse },
  crossEntropy: {
    loss: crossEntropy(),
    options: ['labelSmoothing'],
    create: (config) => crossEntropy(config['labelSmoothing'] as number | undefined),
  },
  binaryCrossEntropy: {
    loss: binaryCrossEntropy(),
    options: ['labelSmoothing'],
    create: (config) => binaryCrossEntropy(config['labelSmoothing'] as number | undefined),
  },
  sparseCrossEntropy: { loss: sparseCrossEntropy },
  mae: { loss: mae },
  huber: {
    loss: huber(),
    options: ['delta'],
    create: (config) => huber(config['delta'] as number | undefined),
  },
  hinge: { loss: hinge },
  klDivergence: { loss: klDivergence },
};

/** The losses with their default options, by name. */
export const losses: Readonly<Record<LossName, Loss>> = Object.fromEntries(
  Object.entries(table).map(([name, entry]) => [name, entry.loss]),
) as Record<LossName, Loss>;

/** The valid loss names, for help texts and errors. */
export const LOSS_NAMES = Object.keys(table) as LossName[];

/**
 * A loss from its name, its config object, or a Loss object of the user's own (passed through).
 * A config with the default options gives the same object as the name.
 * @param loss - `'huber'`, `{ name: 'huber', delta: 2 }`,
 *   `{ name: 'crossEntropy', labelSmoothing: 0.1 }`, …, or a {@link Loss}
 * @param option - what to call the loss in messages; default 'loss'
 * @returns the Loss; its `config` is the name when the options are the defaults, else
 *   `{ name, ...options }`
 * @throws {ConfigError} for an unknown name (lists the valid ones), an option the loss does not
 *   have (lists its options), a bad option value (echoes it), or an object with `value` or
 *   `gradient` that lacks either function (names the missing one).
 * @example
 * getLoss({ name: 'huber', delta: 2 }).config; //=> { name: 'huber', delta: 2 }
 * getLoss({ name: 'huber', delta: 1 }) === getLoss('huber'); //=> true
 */
export function getLoss(loss: LossSpec | Loss | string, option = 'loss'): Loss {
  if (typeof loss === 'string') return entryOf(loss, option).loss;
  if (typeof loss !== 'object' || loss === null || Array.isArray(loss)) {
    throw new ConfigError(
      `${option} must be a loss name (${LOSS_NAMES.join(', ')}), a config such as ` +
        `{ name: 'huber', delta: 2 }, or a Loss object; received ${describe(loss)}`,
    );
  }
  if ('value' in loss || 'gradient' in loss) return checkLossObject(loss, option);
  const config = loss as Readonly<Record<string, unknown>>;
  const name = config['name'];
  const entry = entryOf(name, option);
  checkOptionKeys(config, ['name', ...(entry.options ?? [])], `${option} ${String(name)}`);
  if (entry.create === undefined) return entry.loss;
  const built = entry.create(config);
  return typeof built.config === 'string' ? entry.loss : built;
}

/**
 * The table's row for a name.
 * @throws {ConfigError} for an unknown name, listing the valid ones.
 */
function entryOf(name: unknown, option: string): LossEntry {
  if (typeof name === 'string' && Object.hasOwn(table, name)) return table[name as LossName];
  throw new ConfigError(
    `unknown ${option} ${describe(name)}; expected one of ${LOSS_NAMES.join(', ')} ` +
      '(or a Loss object with value and gradient functions)',
  );
}

/**
 * A user's Loss object, checked for its two functions.
 * @throws {ConfigError} naming the missing function(s).
 */
function checkLossObject(loss: object, option: string): Loss {
  const candidate = loss as Partial<Record<'name' | 'value' | 'gradient', unknown>>;
  const missing = (['value', 'gradient'] as const).filter(
    (key) => typeof candidate[key] !== 'function',
  );
  if (missing.length > 0) {
    throw new ConfigError(
      `${option} object ${describe(candidate.name)} has no ${missing.join(' and no ')} function; ` +
        'a Loss needs value(a, y, z, fused, weights?) and gradient(a, y, out)',
    );
  }
  return loss as Loss;
}

/** A value as messages show it: strings quoted, the rest as String() gives them. */
function describe(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}
