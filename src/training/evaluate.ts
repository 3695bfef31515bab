import { getLoss, type Loss, type LossName } from '../losses.js';
import type { Sequential } from '../model/sequential.js';
import { Matrix } from '../tensor/matrix.js';
import type { Logs } from './history.js';
import { checkCount, checkOptionKeys } from './check-data.js';
import { countCorrect } from './metrics.js';
import { sliceRows } from './rows.js';

/** Options of `evaluate`. */
export interface EvaluateOptions {
  /** The loss to report. Default 'mse'. */
  loss?: LossName | Loss;
  /** Report accuracy too. Default: true for the cross-entropies, false for mse. */
  accuracy?: boolean;
  /** Rows per forward pass (an integer >= 1); bounds memory, not the result. Default 1024. */
  batchSize?: number;
}

/** Every key of {@link EvaluateOptions}; `satisfies` keeps the list and the interface in step. */
const EVALUATE_OPTION_KEYS = Object.keys({
  loss: true,
  accuracy: true,
  batchSize: true,
} satisfies Record<keyof EvaluateOptions, true>);

/**
 * Checks that `options` is an object with only {@link EvaluateOptions} keys.
 * @throws {ConfigError} for another key (names it and lists the valid ones) or a non-object.
 */
export function checkEvaluateOptions(options: unknown): void {
  checkOptionKeys(options, EVALUATE_OPTION_KEYS, 'evaluate');
}

/**
 * True when a loss is a classification loss, for which accuracy is reported by default.
 * @throws never
 */
export function isClassification(loss: Loss): boolean {
  return loss.name === 'crossEntropy' || loss.name === 'binaryCrossEntropy';
}

/**
 * Calls `visit(trace output, rows)` for consecutive batches of x; the model's workspace buffers
 * are reused, so the output matrix is only valid during the call.
 */
function forEachBatch(
  model: Sequential,
  x: Matrix,
  batchSize: number,
  visit: (start: number, workspace: ReturnType<Sequential['workspace']>) => void,
): void {
  for (let start = 0; start < x.rows; start += batchSize) {
    const workspace = model.workspace(Math.min(batchSize, x.rows - start));
    sliceRows(x, start, workspace.trace.a[0]!);
    model.forwardTrace(workspace.trace);
    visit(start, workspace);
  }
}

/**
 * Mean loss over all rows (and the fraction classified correctly), from checked x [n, n⁰] and
 * y [n, nᴸ] of the model's dtype.
 * @throws {ConfigError} for an unknown loss or a batch size that is not an integer >= 1.
 */
export function evaluate(model: Sequential, x: Matrix, y: Matrix, options: EvaluateOptions): Logs {
  const loss = getLoss(options.loss ?? 'mse');
  const withAccuracy = options.accuracy ?? isClassification(loss);
  let lossSum = 0;
  let correct = 0;
  forEachBatch(model, x, checkCount(options.batchSize ?? 1024, 'batchSize'), (start, workspace) => {
    const { trace, target } = workspace;
    sliceRows(y, start, target);
    lossSum += model.lossOf(trace, target, loss) * target.rows;
    if (withAccuracy) correct += countCorrect(trace.a[model.layers.length]!, target);
  });
  const logs: Logs = { loss: lossSum / x.rows };
  if (withAccuracy) logs['accuracy'] = correct / x.rows;
  return logs;
}

/**
 * aᴸ for every row of checked x [n, n⁰], as a new matrix [n, nᴸ].
 * @throws never for checked input
 */
export function predict(model: Sequential, x: Matrix, batchSize = 1024): Matrix {
  const out = new Matrix(x.rows, model.outputs, model.dtype);
  forEachBatch(model, x, batchSize, (start, { trace }) => {
    out.data.set(trace.a[model.layers.length]!.data, start * model.outputs);
  });
  return out;
}
