import { ConfigError, NumericalError } from '../errors.js';
import { getLoss, type Loss, type LossName, type LossSpec } from '../losses.js';
import type { Sequential } from '../model/sequential.js';
import type { Workspace } from '../model/trace.js';
import type { InputMatrix } from '../tensor/byte-matrix.js';
import { Matrix } from '../tensor/matrix.js';
import type { Logs } from './history.js';
import {
  checkCount,
  checkData,
  checkOptionKeys,
  type InputLike,
  type TargetLike,
} from './check-data.js';
import { checkMetrics, createMetric, type MetricAccumulator, type MetricName } from './metrics.js';
import { gatherWeights, sliceRows } from './rows.js';
import { sampleWeights, type SampleWeightOptions } from './sample-weights.js';

/** Options of `evaluate`. */
export interface EvaluateOptions {
  /** The loss to report. Default: the loss the model was trained with (`model.trainingConfig`), else 'mse'. */
  loss?: LossName | Loss;
  /** Report accuracy too. Default: true for the cross-entropies, false for mse. */
  accuracy?: boolean;
  /** Weight per class index (Keras `class_weight`) in the loss; metrics are unweighted. */
  classWeight?: SampleWeightOptions['classWeight'];
  /** Weight per row (Keras `sample_weight`) in the loss: Σᵢ wᵢℓᵢ / n. */
  sampleWeight?: SampleWeightOptions['sampleWeight'];
  /** Rows per forward pass (an integer >= 1); bounds memory, not the result. Default 1024. */
  batchSize?: number;
  /**
   * More metrics to report, by name: 'accuracy', 'top5Accuracy' (any K), 'mse', 'mae', 'r2',
   * 'precision', 'recall', 'f1' (see {@link MetricName}). Default none.
   */
  metrics?: readonly MetricName[];
  /**
   * Called after each batch's forward pass with its outputs aᴸ [B, nᴸ], its targets [B, nᴸ] (in
   * the model's dtype) and the index of its first row in x: for what the metrics do not offer
   * (e.g. errors in the targets' own units) without a second forward pass. Both matrices are the
   * model's workspace, reused by the next batch: read them during the call only.
   */
  onBatch?: (outputs: Matrix, targets: Matrix, start: number) => void;
}

/** Every key of {@link EvaluateOptions}; `satisfies` keeps the list and the interface in step. */
const EVALUATE_OPTION_KEYS = Object.keys({
  loss: true,
  accuracy: true,
  batchSize: true,
  metrics: true,
  classWeight: true,
  sampleWeight: true,
  onBatch: true,
} satisfies Record<keyof EvaluateOptions, true>);

/**
 * Checks that `options` is an object with only {@link EvaluateOptions} keys, and that `onBatch`
 * is a function when given.
 * @throws {ConfigError} for another key (names it and lists the valid ones), a non-object, or an
 *   `onBatch` that is not a function.
 */
export function checkEvaluateOptions(options: unknown): void {
  checkOptionKeys(options, EVALUATE_OPTION_KEYS, 'evaluate');
  const { onBatch } = options as EvaluateOptions;
  if (onBatch !== undefined && typeof onBatch !== 'function') {
    throw new ConfigError(
      `evaluate: onBatch must be a function (outputs, targets, start) => void; received ` +
        (onBatch === null ? 'null' : typeof onBatch),
    );
  }
}

/**
 * True when a loss is a classification loss, for which accuracy is reported by default.
 * @throws never
 */
export function isClassification(loss: Loss): boolean {
  return loss.classification === true;
}

/** What to do with each batch's forward pass (its first row, and the workspace). */
export type BatchVisitor = (start: number, workspace: Workspace) => void;

/**
 * The inference forward pass over consecutive batches of x, yielding each batch's first row
 * and workspace; the model's workspace buffers are reused, so a batch's outputs are only valid
 * until the next one. `predict`/`evaluate` drive it synchronously, their Async forms with
 * yields in between.
 */
export function* forwardBatches(
  model: Sequential,
  x: InputMatrix,
  batchSize: number,
): Generator<[number, Workspace]> {
  for (let start = 0; start < x.rows; start += batchSize) {
    const workspace = model.workspace(Math.min(batchSize, x.rows - start));
    sliceRows(x, start, workspace.trace.a[0]!, model.backend);
    model.forwardTrace(workspace.trace);
    yield [start, workspace];
  }
}

/** Calls `visit` for every batch of {@link forwardBatches}, synchronously. */
function forEachBatch(
  model: Sequential,
  x: InputMatrix,
  batchSize: number,
  visit: BatchVisitor,
): void {
  for (const [start, workspace] of forwardBatches(model, x, batchSize)) visit(start, workspace);
}

/**
 * The metrics to track: accuracy first when asked for (by `accuracy`, or by default for the
 * cross-entropies), then `metrics` in their order, each once.
 * @throws {ConfigError} for an unknown metric name.
 */
export function metricNames(
  loss: Loss,
  accuracy: boolean | undefined,
  metrics: readonly MetricName[] | undefined,
): MetricName[] {
  const names = checkMetrics(metrics ?? []);
  const withAccuracy = accuracy ?? isClassification(loss);
  return withAccuracy ? [...new Set<MetricName>(['accuracy', ...names])] : names;
}

/**
 * Mean loss over all rows and the requested metrics (accuracy by default for classification),
 * from checked x [n, n⁰] and y [n, nᴸ] of the model's dtype.
 * @throws {ConfigError} for an unknown loss or metric, or a batch size that is not an integer >= 1.
 */
export function evaluate(
  model: Sequential,
  x: InputMatrix,
  y: Matrix,
  options: EvaluateOptions,
  weights?: Float64Array,
): Logs {
  const evaluation = evaluationOf(model, y, options, weights);
  forEachBatch(model, x, evaluation.batchSize, evaluation.visit);
  return evaluation.result(x.rows);
}

/**
 * The per-batch work of {@link evaluate}: the weighted loss sum and the metrics, and the logs
 * they give. Shared by evaluate and evaluateAsync.
 * @throws {ConfigError} for an unknown loss or metric, or a bad batch size
 */
export function evaluationOf(
  model: Sequential,
  y: Matrix,
  options: EvaluateOptions,
  weights?: Float64Array,
): { batchSize: number; visit: BatchVisitor; result: (rows: number) => Logs } {
  const loss = evaluationLoss(model, options);
  const metrics: MetricAccumulator[] = metricNames(loss, options.accuracy, options.metrics).map(
    (name) => createMetric(name, model.outputs),
  );
  let lossSum = 0;
  return {
    batchSize: checkCount(options.batchSize ?? 1024, 'batchSize'),
    visit: (start, workspace) => {
      const { trace, target } = workspace;
      sliceRows(y, start, target, model.backend);
      const w = weights && gatherWeights(weights, undefined, start, workspace.weights);
      lossSum += model.lossOf(trace, target, loss, w) * target.rows;
      const outputs = trace.outputs[model.layers.length]!;
      for (const metric of metrics) metric.update(outputs, target);
      options.onBatch?.(outputs, target, start);
    },
    result: (rows) => {
      const logs: Logs = { loss: lossSum / rows };
      for (const metric of metrics) logs[metric.name] = metric.result();
      return logs;
    },
  };
}

/**
 * aᴸ for every row of checked x [n, n⁰], as a new matrix [n, nᴸ].
 * @throws {NumericalError} when an output is NaN or infinite (non-finite parameters, or finite
 *   ones that overflow on this input): names the row of x, 1-based, and the output; its `batch`
 *   is that row, its `epoch` 0 (no training)
 */
export function predict(model: Sequential, x: InputMatrix, batchSize = 1024): Matrix {
  const { out, visit } = predictionOf(model, x);
  forEachBatch(model, x, batchSize, visit);
  return out;
}

/** The per-batch work of {@link predict}: copies each batch's checked outputs into `out`. */
export function predictionOf(
  model: Sequential,
  x: InputMatrix,
): { out: Matrix; visit: BatchVisitor } {
  const out = new Matrix(x.rows, model.outputs, model.dtype);
  const data = out.data;
  const visit: BatchVisitor = (start, { trace }) => {
    const a = trace.outputs[model.layers.length]!.data;
    const offset = start * model.outputs;
    data.set(a, offset);
    for (let k = 0; k < a.length; k++) {
      if (Number.isFinite(a[k]!)) continue;
      const row = start + Math.floor(k / model.outputs) + 1;
      throw new NumericalError(
        `predict: row ${row} of ${x.rows} (1-based): expected finite outputs, found ${a[k]} in ` +
          `output ${(k % model.outputs) + 1} of ${model.outputs}; the model's parameters are ` +
          'not finite or overflow on this row',
        0,
        row,
      );
    }
  };
  return { out, visit };
}

/**
 * The loss evaluate reports: `options.loss`, else the one the model was trained with
 * (`model.trainingConfig`), else 'mse'.
 * @throws {ConfigError} for an unknown loss
 */
export function evaluationLoss(model: Sequential, options: EvaluateOptions): Loss {
  if (options.loss !== undefined) return getLoss(options.loss);
  const trained = model.trainingConfig?.loss;
  if (trained !== undefined) {
    try {
      return getLoss(trained as LossSpec);
    } catch {
      // a loss this library does not know (a user's own): fall back to mse
    }
  }
  return getLoss('mse');
}

/**
 * `model.evaluate`: checks the options and the data (with the loss, so sparse labels and target
 * checks apply), builds the per-row weights, then {@link evaluate}.
 * @throws {ConfigError} for a bad option; {DataError}/{ShapeError} for bad data or weights.
 */
export function evaluateData(
  model: Sequential,
  x: InputLike,
  y: TargetLike,
  options: EvaluateOptions,
): Logs {
  const { data, weights } = checkEvaluateData(model, x, y, options);
  return evaluate(model, data.x, data.y, options, weights);
}

/**
 * Checks evaluate's options and data (with the loss, so sparse labels and target checks apply)
 * and builds the per-row weights.
 * @throws {ConfigError} for a bad option; {DataError}/{ShapeError} for bad data or weights.
 */
export function checkEvaluateData(
  model: Sequential,
  x: InputLike,
  y: TargetLike,
  options: EvaluateOptions,
): { data: { x: InputMatrix; y: Matrix }; weights: Float64Array | undefined } {
  checkEvaluateOptions(options);
  const loss = evaluationLoss(model, options);
  const { outputActivation } = model;
  const data = checkData(x, y, model, model.dtype, { loss, outputActivation });
  return { data, weights: sampleWeights(data.y, options) };
}
