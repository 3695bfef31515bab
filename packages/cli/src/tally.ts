import {
  ConfusionMatrix,
  createMetric,
  Matrix,
  NumericalError,
  type LossName,
  type MetricAccumulator,
  type Sequential,
} from './api.js';
import type { Outputs } from './model-outputs.js';

/** What `backprop evaluate --json` prints. */
export interface EvaluationRecord {
  /** The model, e.g. 'Sequential(Dense(784 => 128, relu), Dense(128 => 10, softmax))'. */
  model: string;
  /** What was evaluated, e.g. 'mnist (test split)' or the CSV path. */
  data: string;
  /** Rows evaluated. */
  rows: number;
  /** Rows left out for a missing value (--drop-missing). */
  dropped: number;
  /** Mean loss per row, nats for the cross-entropies, on the network's (scaled) targets. */
  loss: number;
  lossName: LossName;
  /** Classification: fraction of rows whose most probable class is the true one, in [0, 1]. */
  accuracy?: number;
  classNames?: string[];
  /** Classification: confusionMatrix[i][j] counts rows of true class i predicted as class j. */
  confusionMatrix?: number[][];
  /** Regression, in the targets' units: names, and mean squared / absolute error per target. */
  targetNames?: string[];
  mse?: number[];
  mae?: number[];
}

/**
 * Accumulates loss and metrics over batches with one forward pass per batch (`model.evaluate`
 * and its `onBatch` visitor): the loss on the network's outputs and targets, and the library's
 * {@link ConfusionMatrix} (classification) or its `mse` and `mae` accumulators per target, in the
 * targets' units (regression).
 */
export class Tally {
  readonly #model: Sequential;
  readonly #outputs: Outputs;
  readonly #loss: LossName;
  #lossSum = 0;
  #rows = 0;
  readonly #confusion: ConfusionMatrix;
  /** Per target j: mean squared and mean absolute error, in the target's units. */
  readonly #squared: MetricAccumulator[];
  readonly #absolute: MetricAccumulator[];

  constructor(model: Sequential, outputs: Outputs, loss: LossName) {
    this.#model = model;
    this.#outputs = outputs;
    this.#loss = loss;
    this.#confusion = new ConfusionMatrix(model.outputs);
    this.#squared = outputs.names.map(() => createMetric('mse', 1));
    this.#absolute = outputs.names.map(() => createMetric('mae', 1));
  }

  /**
   * Adds a batch.
   * @param x - inputs [B, n⁰]
   * @param truth - class indices (classification) or target values in their units [B, nᴸ]
   * @throws {NumericalError} for a NaN or infinite output (non-finite parameters, or finite ones
   *   that overflow): names the row, 1-based, counted over every row added so far
   */
  add(x: Matrix, truth: Int32Array | Matrix): void {
    const model = this.#model;
    const y = new Matrix(x.rows, model.outputs, model.dtype);
    const scaling = model.preprocessing?.targetScaling;
    if (truth instanceof Int32Array) {
      const binary = this.#outputs.kind === 'classes' && this.#outputs.binary;
      truth.forEach((c, i) => (y.data[binary ? i : i * model.outputs + c] = binary ? c : 1));
    } else {
      for (let k = 0; k < y.data.length; k++) {
        const j = k % y.cols;
        y.data[k] = scaling
          ? (truth.data[k]! - scaling.offset[j]!) / scaling.scale[j]!
          : truth.data[k]!;
      }
    }
    const first = this.#rows;
    const onBatch = (a: Matrix, targets: Matrix, start: number): void => {
      checkFinite(a, first + start);
      if (truth instanceof Int32Array) this.#confusion.update(a, targets);
      else this.#addErrors(a, truth, start, scaling);
    };
    const logs = model.evaluate(x, y, {
      loss: this.#loss,
      accuracy: false,
      batchSize: 1024,
      onBatch,
    });
    this.#lossSum += logs['loss']! * x.rows;
    this.#rows += x.rows;
  }

  /** Feeds each target's accumulators the batch's outputs in target units and the truth. */
  #addErrors(
    a: Matrix,
    truth: Matrix,
    start: number,
    scaling: { offset: readonly number[]; scale: readonly number[] } | undefined,
  ): void {
    const predicted = new Matrix(a.rows, 1, 'float64');
    const actual = new Matrix(a.rows, 1, 'float64');
    for (let j = 0; j < a.cols; j++) {
      for (let i = 0; i < a.rows; i++) {
        const value = a.data[i * a.cols + j]!;
        predicted.data[i] = scaling ? value * scaling.scale[j]! + scaling.offset[j]! : value;
        actual.data[i] = truth.data[(start + i) * a.cols + j]!;
      }
      this.#squared[j]!.update(predicted, actual);
      this.#absolute[j]!.update(predicted, actual);
    }
  }

  /**
   * The totals as printed by `--json`.
   * @throws never
   */
  record(data: string, dropped: number): EvaluationRecord {
    const rows = this.#rows;
    const record: EvaluationRecord = {
      model: String(this.#model),
      data,
      rows,
      dropped,
      loss: this.#lossSum / rows,
      lossName: this.#loss,
    };
    if (this.#outputs.kind === 'classes') {
      const confusion = this.#confusion.toArray();
      const correct = confusion.reduce((sum, row, i) => sum + row[i]!, 0);
      record.accuracy = correct / rows;
      record.classNames = this.#outputs.names;
      record.confusionMatrix = confusion;
    } else {
      record.targetNames = this.#outputs.names;
      record.mse = this.#squared.map((metric) => metric.result());
      record.mae = this.#absolute.map((metric) => metric.result());
    }
    return record;
  }
}

/**
 * Checks a batch's outputs before they are counted.
 * @param first - the 0-based index of the batch's first row among every row evaluated
 * @throws {NumericalError} naming the row (1-based) and the output, as `predict` does
 */
function checkFinite(a: Matrix, first: number): void {
  for (let k = 0; k < a.data.length; k++) {
    if (Number.isFinite(a.data[k]!)) continue;
    const row = first + Math.floor(k / a.cols) + 1;
    throw new NumericalError(
      `evaluate: row ${row} (1-based): expected finite outputs, found ${a.data[k]} in output ` +
        `${(k % a.cols) + 1} of ${a.cols}; the model's parameters are not finite or overflow on ` +
        'this row',
      0,
      row,
    );
  }
}

const count = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

/**
 * The human-readable report: loss, accuracy and the confusion matrix (rows are true classes),
 * or the errors per target.
 * @throws never
 */
export function formatEvaluation(record: EvaluationRecord): string {
  const lines = [
    `evaluated ${record.model}`,
    `on ${count.format(record.rows)} rows of ${record.data}` +
      (record.dropped > 0 ? ` (${count.format(record.dropped)} dropped for a missing value)` : ''),
    `loss      ${format(record.loss)} (${record.lossName})`,
  ];
  if (record.confusionMatrix !== undefined) {
    const correct = record.confusionMatrix.reduce((sum, row, i) => sum + row[i]!, 0);
    lines.push(
      `accuracy  ${(100 * record.accuracy!).toFixed(2)}% (${count.format(correct)} of ` +
        `${count.format(record.rows)})`,
      '',
      'confusion matrix (rows: true class, columns: predicted class)',
      ...table(record.classNames!, record.confusionMatrix),
    );
  } else {
    record.targetNames!.forEach((name, j) => {
      const mse = record.mse![j]!;
      lines.push(
        `${name}: mse ${format(mse)}  rmse ${format(Math.sqrt(mse))}  mae ${format(record.mae![j]!)}`,
      );
    });
  }
  return `${lines.join('\n')}\n`;
}

function format(value: number): string {
  return Number(value.toPrecision(5)).toString();
}

/** The matrix with class names along both sides, columns right-aligned. */
function table(names: string[], matrix: number[][]): string[] {
  const cells = matrix.map((row) => row.map(String));
  const width = Math.max(...names.map((name) => name.length), ...cells.flat().map((c) => c.length));
  const label = Math.max(...names.map((name) => name.length), 'true'.length);
  const header = `${''.padEnd(label)}  ${names.map((name) => name.padStart(width)).join(' ')}`;
  return [
    header,
    ...cells.map(
      (row, i) => `${names[i]!.padEnd(label)}  ${row.map((c) => c.padStart(width)).join(' ')}`,
    ),
  ];
}
