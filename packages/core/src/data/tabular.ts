/**
 * From a table (CSV rows or JSON records) to a split, scaled, model-ready data set: the one path
 * that loadCsv, loadRecords and loadDataset share.
 */
import { ConfigError, DataError } from '../errors.js';
import { checkDType, Matrix, type DType } from '../tensor/matrix.js';
import { checkOptionKeys } from '../training/check-data.js';
import { listed, featureNamesOf, type InputColumn } from './columns.js';
import { duplicates, resolve, type ColumnRef } from './column-refs.js';
import type { Dataset } from './dataset.js';
import { oneHot } from './one-hot.js';
import { encodeTable, type Preprocessing, type Task } from './preprocess.js';
import { checkFitsDType } from './fits-dtype.js';
import {
  categoriesOf,
  checkClasses,
  describeColumn,
  distinct,
  inferTask,
  type Table,
} from './table.js';
import { applyScaling, checkScalingKind, fitScaling, type ScalingKind } from './scaling.js';
import { checkFraction, splitIndices, takeRows, type SplitIndices } from './split.js';

export type { ColumnRef } from './column-refs.js';
export type { Table } from './table.js';

/** Options of {@link tableFromRecords}, and of `loadCsv` and `loadRecords` (datasets package). */
export interface TabularOptions {
  /** The target column, or several for multi-output regression. Required for files. */
  target?: ColumnRef | readonly ColumnRef[];
  /** The input columns. Default: every column that is not a target. */
  features?: readonly ColumnRef[];
  /** Input columns of text categories, one-hot encoded (categories sorted). Default: none. */
  categorical?: readonly ColumnRef[];
  /**
   * 'classification' (one-hot targets, class names kept) or 'regression'. Default:
   * classification when the single target column holds any non-numeric value, else regression.
   */
  task?: Task;
  /** Leave out rows with a missing value (and count them in `dropped`) instead of throwing. Default false. */
  dropMissing?: boolean;
  /** Feature scaling fitted on the training rows: 'standard', 'minmax' or 'none'. Default 'standard'. */
  scale?: ScalingKind;
  /** Regression: standardise the targets too (fitted on the training rows). Default true. */
  scaleTargets?: boolean;
  /** Fraction of rows held out for testing, in [0, 1). Default 0.2. */
  test?: number;
  /** Fraction of rows held out for validation, in [0, 1). Default 0. */
  validation?: number;
  /** Seed of the split. Default 1. */
  seed?: number;
  /** Classification: keep the class proportions in every part. Default true. */
  stratify?: boolean;
  /** Element type of the matrices. Default 'float32'. */
  dtype?: DType;
}

/** Every key of {@link TabularOptions}; `satisfies` keeps the list and the interface in step. */
export const TABULAR_OPTION_KEYS = Object.keys({
  target: true,
  features: true,
  categorical: true,
  task: true,
  dropMissing: true,
  scale: true,
  scaleTargets: true,
  test: true,
  validation: true,
  seed: true,
  stratify: true,
  dtype: true,
} satisfies Record<keyof TabularOptions, true>);

/** A data set split into train, validation and test parts, with its preprocessing. */
export interface SplitDataset {
  /** Where it came from: the file path, or the data set's name. */
  source: string;
  task: Task;
  /** The n⁰ model inputs. */
  featureNames: string[];
  /** The target column(s). */
  targetNames: string[];
  /** Classification: the nᴸ classes, in output order. */
  classNames?: string[];
  /** How raw rows become inputs and outputs become answers; store it with the model. */
  preprocessing: Preprocessing;
  /** Rows left out for a missing value (0 unless dropMissing). */
  dropped: number;
  /** Training rows, scaled with their own statistics. */
  train: Dataset;
  /** Validation rows (possibly none), scaled with the training statistics. */
  validation: Dataset;
  /** Test rows (possibly none), scaled with the training statistics. */
  test: Dataset;
}

/**
 * A tabular data set: every kept row in file order (`x`, `y`) and its split.
 * Shapes: x [n, n⁰] scaled with the training rows' statistics; y [n, nᴸ] (one-hot for
 * classification, standardised targets for regression unless `scaleTargets: false`);
 * labels [n] class indices (classification).
 */
export interface TabularData extends SplitDataset {
  x: Matrix;
  y: Matrix;
  labels?: Uint8Array;
  /** The rows (indices into x) of each part. */
  split: SplitIndices;
}

/**
 * Builds a split, scaled data set from a table (see {@link TabularOptions} for every choice).
 * @throws {ConfigError} for an unknown option, a target or feature that names no column (lists
 *   the columns and suggests a near name), an index out of range, or a bad fraction or scale.
 * @throws {DataError} for no data rows, a wrong or missing value (names source, row, column),
 *   every row dropped, a single class, or more than 256 classes.
 */
export function buildTabular(table: Table, options: TabularOptions, method: string): TabularData {
  checkOptionKeys(options, TABULAR_OPTION_KEYS, method);
  const dtype = checkDType(options.dtype ?? 'float32', 'dtype');
  const scale = checkScalingKind(options.scale ?? 'standard');
  checkFraction(options.test ?? 0.2, 'test');
  checkFraction(options.validation ?? 0, 'validation');
  const { source, header } = table;
  if (table.rows === 0) {
    throw new DataError(`${source}: expected at least one data row after the header, found none`);
  }
  const refs = options.target === undefined ? undefined : [options.target].flat();
  if (refs === undefined || refs.length === 0) {
    throw new ConfigError(
      `${method} needs a target column (--target <column>); the columns of ${source} are ` +
        listed(header),
    );
  }
  const targets = refs.map((ref) => resolve(ref, header, source, 'target'));
  duplicates(targets, header, 'target');
  const features =
    options.features === undefined
      ? header.map((_, c) => c).filter((c) => !targets.includes(c))
      : options.features.map((ref) => resolve(ref, header, source, 'features'));
  duplicates(features, header, 'features');
  const both = features.find((c) => targets.includes(c));
  if (both !== undefined) {
    throw new ConfigError(`column ${JSON.stringify(header[both])} is both a target and a feature`);
  }
  if (features.length === 0) {
    throw new ConfigError(`${source} has no feature columns besides the target`);
  }
  const categorical = (options.categorical ?? []).map((ref) =>
    resolve(ref, header, source, 'categorical'),
  );
  const task = options.task ?? inferTask(table, targets);
  if (task !== 'classification' && task !== 'regression') {
    throw new ConfigError(
      `task must be one of classification, regression; received ${JSON.stringify(task)}`,
    );
  }
  if (task === 'classification' && targets.length !== 1) {
    throw new ConfigError(
      `classification takes one target column; received ${targets.length} (${listed(targets.map((c) => header[c]!))})`,
    );
  }
  const columns = features.map((c) => describeColumn(table, c, categorical.includes(c)));
  const targetColumns: InputColumn[] = targets.map((c) =>
    task === 'classification'
      ? { name: header[c]!, kind: 'category', categories: distinct(table, c) }
      : { name: header[c]!, kind: 'number' },
  );
  const classNames = task === 'classification' ? categoriesOf(targetColumns[0]!) : undefined;
  if (classNames !== undefined) checkClasses(classNames, source, header[targets[0]!]!);

  const all = [...features, ...targets];
  const encoded = encodeTable(
    [...columns, ...targetColumns],
    table.rows,
    (i, c) => table.value(i, all[c]!),
    {
      source,
      locate: table.locate,
      dropMissing: options.dropMissing ?? false,
      numberHint: '; for text categories, name the column in categorical (--categorical)',
    },
  );
  const n = encoded.kept.length;
  if (n === 0) {
    throw new DataError(
      `${source}: every one of the ${table.rows} rows has a missing value; nothing is left`,
    );
  }
  const featureNames = columns.flatMap(featureNamesOf);
  const inputs = featureNames.length;
  const outputs = encoded.width - inputs;
  const xValues = new Float64Array(n * inputs);
  const yValues = new Float64Array(n * outputs);
  for (let i = 0; i < n; i++) {
    const row = encoded.values.subarray(i * encoded.width, (i + 1) * encoded.width);
    xValues.set(row.subarray(0, inputs), i * inputs);
    yValues.set(row.subarray(inputs), i * outputs);
  }
  const labels = classNames ? argmaxRows(yValues, outputs) : undefined;
  const split = splitIndices(n, {
    test: options.test ?? 0.2,
    validation: options.validation ?? 0,
    seed: options.seed ?? 1,
    stratify: labels && options.stratify !== false ? labels : undefined,
  });
  const scaling = fitScaling(scale, xValues, inputs, split.train);
  applyScaling(xValues, scaling);
  const targetScaling =
    task === 'regression' && options.scaleTargets !== false
      ? fitScaling('standard', yValues, outputs, split.train)
      : undefined;
  if (targetScaling) applyScaling(yValues, targetScaling);

  const x = new Matrix(n, inputs, dtype);
  x.data.set(xValues);
  const fits = { source, locate: (i: number) => table.locate(encoded.kept[i]!) };
  checkFitsDType(x, xValues, featureNames, fits);
  const y = labels ? oneHot(labels, outputs, dtype) : new Matrix(n, outputs, dtype);
  if (!labels) y.data.set(yValues);
  if (!labels)
    checkFitsDType(
      y,
      yValues,
      targets.map((c) => header[c]!),
      fits,
    );
  const whole: Dataset = labels ? { x, y, labels } : { x, y };
  const preprocessing: Preprocessing = {
    columns,
    featureNames,
    scaling,
    task,
    targetNames: targets.map((c) => header[c]!),
    ...(classNames && { classNames }),
    ...(targetScaling && { targetScaling }),
  };
  return {
    source,
    task,
    featureNames,
    targetNames: preprocessing.targetNames,
    ...(classNames && { classNames }),
    preprocessing,
    dropped: table.rows - n,
    ...whole,
    split,
    train: takeRows(whole, split.train),
    validation: takeRows(whole, split.validation),
    test: takeRows(whole, split.test),
  };
}

/** The index of the 1 in each one-hot row. */
function argmaxRows(values: Float64Array, cols: number): Uint8Array {
  const labels = new Uint8Array(values.length / cols);
  for (let i = 0; i < labels.length; i++) {
    for (let j = 0; j < cols; j++) if (values[i * cols + j] === 1) labels[i] = j;
  }
  return labels;
}
