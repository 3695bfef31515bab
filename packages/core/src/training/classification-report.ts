import type { Sequential } from '../model/sequential.js';
import type { InputMatrix } from '../tensor/byte-matrix.js';
import type { Matrix } from '../tensor/matrix.js';
import { checkCount, checkData, type InputLike, type MatrixLike } from './check-data.js';
import { forwardBatches } from './evaluate.js';
import { ConfusionMatrix, type ClassScores } from './metrics.js';
import { sliceRows } from './rows.js';

/** What {@link classificationReport} returns (scikit-learn's classification_report, as data). */
export interface ClassificationReport {
  /** C, the number of classes (nᴸ, or 2 for a single sigmoid output). */
  classes: number;
  /** [true class][predicted class] counts, as scikit-learn's confusion_matrix. */
  confusionMatrix: number[][];
  /** Per class c: precision, recall, F1 and support (the rows of true class c). */
  perClass: (ClassScores & { support: number })[];
  /** Fraction of rows classified correctly. */
  accuracy: number;
  /** Unweighted means over the classes that occur in the targets or predictions. */
  macro: ClassScores;
  /** Means weighted by support. */
  weighted: ClassScores;
}

/**
 * The confusion matrix and per-class precision, recall and F1 of a classifier (scikit-learn's
 * confusion_matrix and classification_report): classes are the argmax of each row of the
 * output and of the one-hot target (or, for a single sigmoid output, the side of 0.5).
 * @param x - inputs [n, n⁰]; @param y - one-hot (or 0/1) targets [n, nᴸ]
 * @param options.batchSize - rows per forward pass; default 1024
 * @throws {DataError} / {ShapeError} for data that does not fit the model; {ConfigError} for a
 *   batch size that is not an integer >= 1.
 * @example
 * const report = classificationReport(model, test.x, test.y);
 * report.confusionMatrix[3][5]; // test images of a 3 classified as a 5
 * report.perClass[3].recall;    // fraction of the 3s found
 */
export function classificationReport(
  model: Sequential,
  x: InputLike,
  y: MatrixLike,
  options: { batchSize?: number } = {},
): ClassificationReport {
  const data = checkData(x, y, model, model.dtype);
  return classify(model, data.x, data.y, options.batchSize ?? 1024);
}

/** {@link classificationReport} on checked data. */
function classify(
  model: Sequential,
  x: InputMatrix,
  y: Matrix,
  batchSize: number,
): ClassificationReport {
  const matrix = new ConfusionMatrix(model.outputs);
  for (const [start, workspace] of forwardBatches(model, x, checkCount(batchSize, 'batchSize'))) {
    sliceRows(y, start, workspace.target, model.backend);
    matrix.update(workspace.trace.outputs[model.layers.length]!, workspace.target);
  }
  const confusionMatrix = matrix.toArray();
  const correct = confusionMatrix.reduce((sum, row, c) => sum + row[c]!, 0);
  return {
    classes: matrix.classes,
    confusionMatrix,
    ...matrix.scores(),
    accuracy: correct / x.rows,
  };
}
