import {
  applyPreprocessing,
  DataError,
  Matrix,
  type Sequential,
  type SplitDataset,
} from './api.js';
import { listed } from './csv-batches.js';
import { argmax, type Outputs } from './model-outputs.js';

// A named data set's rows as a model file says to read them: `backprop evaluate` scores a
// model on them, `backprop explain --dataset` explains one of them.

/**
 * A data set's inputs as the model takes them. The loader scaled them with its own training
 * split's statistics; with the model's preprocessing they are unscaled and scaled again with
 * the model's (the same numbers when the model was trained on this split). A model without
 * preprocessing (MNIST, or trained from code) takes them as loaded.
 * @param x - rows of the data set [n, n⁰], as loaded
 * @returns [n, n⁰] in the model's dtype (x itself when nothing changes)
 * @throws {DataError} when the data set's features are not the model's (names both)
 */
export function modelInputs(model: Sequential, dataset: SplitDataset, x: Matrix): Matrix {
  const mine = model.preprocessing;
  if (mine === undefined) return x;
  const theirs = dataset.preprocessing;
  const same = (a: readonly unknown[], b: readonly unknown[]) =>
    a.length === b.length && a.every((value, i) => value === b[i]);
  if (!same(mine.featureNames, theirs.featureNames)) {
    throw new DataError(
      `${dataset.source}: expected the model's features ${listed(mine.featureNames)}, found ` +
        listed(theirs.featureNames),
    );
  }
  if (
    same(mine.scaling.offset, theirs.scaling.offset) &&
    same(mine.scaling.scale, theirs.scaling.scale)
  ) {
    return x;
  }
  const { offset, scale } = theirs.scaling;
  const raw = new Matrix(x.rows, x.cols, 'float64');
  for (let k = 0; k < raw.data.length; k++) {
    const j = k % x.cols;
    raw.data[k] = x.data[k]! * scale[j]! + offset[j]!;
  }
  return applyPreprocessing(mine, raw, { dtype: model.dtype });
}

/**
 * The truth of a data set's rows: for a classifier, each row's class as an index into the
 * model's classes (the data set may order them differently); for regression, the target values
 * in their own units (the loader's target scaling undone).
 * @param part - rows of the data set: y [n, nᴸ], and labels [n] for classification
 * @returns class indices [n], or a float64 matrix of values [n, nᴸ]
 * @throws {DataError} for a classifier when the data set is a regression or has a class the
 *   model does not know (names the model's classes and the data set's)
 */
export function datasetTruth(
  dataset: SplitDataset,
  part: { y: Matrix; labels?: Uint8Array },
  outputs: Outputs,
): Int32Array | Matrix {
  if (outputs.kind === 'classes') {
    const theirs = dataset.classNames ?? [];
    const map = theirs.map((name) => outputs.names.indexOf(name));
    const unknown = theirs.filter((_, c) => map[c]! < 0);
    if (dataset.task !== 'classification' || unknown.length > 0) {
      throw new DataError(
        `${dataset.source}: expected the model's classes ${listed(outputs.names)}, found ` +
          (dataset.task === 'classification' ? listed(theirs) : 'a regression data set'),
      );
    }
    return Int32Array.from(
      { length: part.y.rows },
      (_, i) => map[part.labels?.[i] ?? argmax(part.y.row(i))]!,
    );
  }
  const y = part.y.clone('float64');
  const scaling = dataset.preprocessing.targetScaling;
  if (scaling !== undefined) {
    for (let k = 0; k < y.data.length; k++) {
      const j = k % y.cols;
      y.data[k] = y.data[k]! * scaling.scale[j]! + scaling.offset[j]!;
    }
  }
  return y;
}

/**
 * The targets a model is trained against for given truth (see {@link datasetTruth}): one-hot
 * rows in the model's class order (a single 0/1 column for one sigmoid output), or regression
 * values scaled as the model's preprocessing scaled its targets, y′ = (y − offset) / scale.
 * @param truth - class indices [n], or values in the targets' units [n, nᴸ]
 * @returns a float64 matrix [n, nᴸ]
 * @throws never for truth from datasetTruth with the same outputs
 */
export function modelTargets(
  model: Sequential,
  truth: Int32Array | Matrix,
  outputs: Outputs,
): Matrix {
  if (truth instanceof Matrix) {
    const y = truth.clone('float64');
    const scaling = model.preprocessing?.targetScaling;
    if (scaling !== undefined) {
      for (let k = 0; k < y.data.length; k++) {
        const j = k % y.cols;
        y.data[k] = (y.data[k]! - scaling.offset[j]!) / scaling.scale[j]!;
      }
    }
    return y;
  }
  const binary = outputs.kind === 'classes' && outputs.binary;
  const y = new Matrix(truth.length, model.outputs, 'float64');
  truth.forEach((c, i) => y.set(i, binary ? 0 : c, binary ? c : 1));
  return y;
}
