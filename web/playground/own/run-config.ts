import {
  ConfigError,
  Dense,
  Sequential,
  jsBackend,
  tableFromRecords,
  type ActivationName,
  type TabularData,
} from '../../../packages/core/src/browser.js';
import type { CsvText } from './csv-text.js';

/** Everything that decides a run on the user's own CSV; the same config gives the same run in Node. */
export interface OwnRunConfig {
  /** The CSV file's name (the exported code loads it by this path). */
  file: string;
  /** The target column. */
  target: string;
  /** Input columns of text categories, one-hot encoded. */
  categorical: string[];
  /** Units per hidden layer, e.g. [8]. */
  hidden: number[];
  /** Activation of every hidden layer. */
  activation: ActivationName;
  learningRate: number;
  batchSize: number;
  epochs: number;
  /** Seed of the split and of the model (initial weights, shuffling). */
  seed: number;
  /** Fraction of the rows held out for testing. */
  test: number;
  /** Train with the Diagnostics callback. */
  diagnose: boolean;
}

/** The table options of a config, as the page and the exported code pass them. */
export function tableOptions(config: OwnRunConfig) {
  return {
    target: config.target,
    categorical: config.categorical,
    test: config.test,
    seed: config.seed,
    dtype: 'float64' as const,
  };
}

/**
 * The data set of a run: the CSV's records through the library's `tableFromRecords` (split,
 * scaled on the training rows, categories one-hot encoded), in float64.
 * @throws {ConfigError} or {DataError} from tableFromRecords, naming the column or row
 */
export function buildOwnData(csv: CsvText, config: OwnRunConfig): TabularData {
  return tableFromRecords(csv.records, tableOptions(config), csv.source);
}

/** The model's output layer and loss for a data set: softmax + cross-entropy, or linear + MSE. */
export function outputOf(data: TabularData): {
  units: number;
  activation: ActivationName;
  loss: 'crossEntropy' | 'mse';
} {
  return data.task === 'classification'
    ? { units: data.classNames!.length, activation: 'softmax', loss: 'crossEntropy' }
    : { units: data.targetNames.length, activation: 'linear', loss: 'mse' };
}

/**
 * The network of a run: n⁰ inputs (the encoded features), the hidden layers, and the output
 * layer of {@link outputOf}; float64 on the TypeScript backend, seeded.
 * @throws {ConfigError} for hidden sizes that are not integers ≥ 1
 */
export function buildOwnModel(data: TabularData, config: OwnRunConfig): Sequential {
  if (!config.hidden.every((n) => Number.isInteger(n) && n >= 1)) {
    throw new ConfigError(
      `hidden layers must be integers >= 1; received ${config.hidden.join(', ')}`,
    );
  }
  const output = outputOf(data);
  const sizes = [data.featureNames.length, ...config.hidden, output.units];
  const layers = sizes.slice(1).map(
    (units, i) =>
      new Dense(sizes[i]!, units, {
        activation: i === sizes.length - 2 ? output.activation : config.activation,
      }),
  );
  return new Sequential(layers, { dtype: 'float64', seed: config.seed, backend: jsBackend });
}
