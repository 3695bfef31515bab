import type { Sequential } from '../model/sequential.js';
import type { Matrix } from '../tensor/matrix.js';
import { checkInputs, type InputLike, type TargetLike } from './check-data.js';
import {
  checkEvaluateData,
  evaluationOf,
  forwardBatches,
  predictionOf,
  type BatchVisitor,
  type EvaluateOptions,
} from './evaluate.js';
import type { Logs } from './history.js';
import { Yielder, type YieldEvery } from './yield.js';

/** Options of the Async forms of predict and evaluate. */
export interface AsyncOptions {
  /** When to let the event loop run between batches of rows; default 'auto' (every 100 ms). */
  yieldEvery?: YieldEvery;
}

/** Drives {@link forwardBatches} with yields between batches. */
async function run(
  model: Sequential,
  x: Parameters<typeof forwardBatches>[1],
  batchSize: number,
  visit: BatchVisitor,
  yieldEvery: unknown,
): Promise<void> {
  const yielder = new Yielder(yieldEvery);
  for (const [start, workspace] of forwardBatches(model, x, batchSize)) {
    visit(start, workspace);
    if (yielder.due()) await yielder.yield();
  }
}

/**
 * `model.predict` in batches of rows with the event loop let run between them (timers, I/O,
 * a page's frames), for large inputs; the result is bit-identical to `predict`'s.
 * @param x - inputs [n, n⁰]
 * @returns aᴸ [n, nᴸ]
 * @throws {ShapeError}/{DataError} as predict (rejects); {NumericalError} for a non-finite output
 */
export async function predictAsync(
  model: Sequential,
  x: InputLike,
  options: AsyncOptions & { batchSize?: number } = {},
): Promise<Matrix> {
  const input = checkInputs(x, model.inputs, model.dtype);
  const { out, visit } = predictionOf(model, input);
  await run(model, input, options.batchSize ?? 1024, visit, options.yieldEvery);
  return out;
}

/**
 * `model.evaluate` with the event loop let run between batches of rows; the logs are
 * bit-identical to `evaluate`'s.
 * @throws as evaluate (rejects)
 */
export async function evaluateAsync(
  model: Sequential,
  x: InputLike,
  y: TargetLike,
  options: EvaluateOptions & AsyncOptions = {},
): Promise<Logs> {
  const { yieldEvery, ...evaluateOptions } = options;
  const { data, weights } = checkEvaluateData(model, x, y, evaluateOptions);
  const evaluation = evaluationOf(model, data.y, evaluateOptions, weights);
  await run(model, data.x, evaluation.batchSize, evaluation.visit, yieldEvery);
  return evaluation.result(data.x.rows);
}
