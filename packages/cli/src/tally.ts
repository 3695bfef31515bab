import { Matrix, type LossName, type Sequential } from './api.js';
import { argmax, inTargetUnits, probabilities, type Outputs } from './model-outputs.js';

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
 * Accumulates loss and metrics over batches: the loss on the network's outputs and targets,
 * and the confusion matrix (classification) or squared and absolute errors in the targets'
 * units (regression).
 */
export class Tally {
  readonly #model: Sequential;
  readonly #outputs: Outputs;
  readonly #loss: LossName;
  #lossSum = 0;
  #rows = 0;
  readonly #confusion: number[][];
  readonly #squared: number[];
  readonly #absolute: number[];

  constructor(model: Sequential, outputs: Outputs, loss: LossName) {
    this.#model = model;
    this.#outputs = outputs;
    this.#loss = loss;
    const classes = outputs.names.length;
    this.#confusion = Array.from({ length: classes }, () => new Array<number>(classes).fill(0));
    this.#squared = new Array<number>(classes).fill(0);
    this.#absolute = new Array<number>(classes).fill(0);
  }

  /**
   * Adds a batch.
   * @param x - inputs [B, n⁰]
   * @param truth - class indices (classification) or target values in their units [B, nᴸ]
   */
  add(x: Matrix, truth: Int32Array | Matrix): void {
    const model = this.#model;
    const outputs = this.#outputs;
    const rows = x.rows;
    const y = new Matrix(rows, model.outputs, model.dtype);
    if (truth instanceof Int32Array) {
      truth.forEach((c, i) => {
        if (outputs.kind === 'classes' && outputs.binary) y.data[i] = c;
        else y.data[i * model.outputs + c] = 1;
      });
    } else {
      y.data.set(truth.data);
      const scaling = model.preprocessing?.targetScaling;
      if (scaling !== undefined) {
        for (let k = 0; k < y.data.length; k++) {
          const j = k % y.cols;
          y.data[k] = (truth.data[k]! - scaling.offset[j]!) / scaling.scale[j]!;
        }
      }
    }
    const logs = model.evaluate(x, y, { loss: this.#loss, accuracy: false, batchSize: 1024 });
    this.#lossSum += logs['loss']! * rows;
    this.#rows += rows;
    const a = inTargetUnits(model, model.predict(x));
    for (let i = 0; i < rows; i++) {
      if (truth instanceof Int32Array) {
        const binary = outputs.kind === 'classes' && outputs.binary;
        this.#confusion[truth[i]!]![argmax(probabilities(a, i, binary))]! += 1;
      } else {
        for (let j = 0; j < a.cols; j++) {
          const error = a.data[i * a.cols + j]! - truth.data[i * a.cols + j]!;
          this.#squared[j]! += error * error;
          this.#absolute[j]! += Math.abs(error);
        }
      }
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
      const correct = this.#confusion.reduce((sum, row, i) => sum + row[i]!, 0);
      record.accuracy = correct / rows;
      record.classNames = this.#outputs.names;
      record.confusionMatrix = this.#confusion;
    } else {
      record.targetNames = this.#outputs.names;
      record.mse = this.#squared.map((sum) => sum / rows);
      record.mae = this.#absolute.map((sum) => sum / rows);
    }
    return record;
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
