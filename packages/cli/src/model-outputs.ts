import { LOSS_NAMES, unscaleTargets, type LossName, type Matrix, type Sequential } from './api.js';

/** What a model's outputs mean, for printing predictions and metrics. */
export type Outputs =
  | {
      kind: 'classes';
      /** The class names, in output order (two for a single sigmoid output). */
      names: string[];
      /** True for a single output holding the probability of names[1]. */
      binary: boolean;
    }
  | {
      kind: 'values';
      /** The name of each output (the target columns, or output1, output2, …). */
      names: string[];
    };

/**
 * Classes when the model has class names or ends in softmax (then named '0', '1', … by index,
 * as MNIST's digits); otherwise values, named after the preprocessing's targets.
 * @throws never
 */
export function describeOutputs(model: Sequential): Outputs {
  const n = model.outputs;
  const classNames = model.classNames;
  if (classNames !== undefined) {
    return { kind: 'classes', names: [...classNames], binary: n === 1 };
  }
  const last = model.denseLayers[model.denseLayers.length - 1]!.activation.name;
  if (last === 'softmax' && n > 1) {
    return {
      kind: 'classes',
      names: Array.from({ length: n }, (_, j) => String(j)),
      binary: false,
    };
  }
  const targets = model.preprocessing?.targetNames;
  const names =
    targets?.length === n
      ? targets
      : n === 1
        ? ['output']
        : Array.from({ length: n }, (_, j) => `output${j + 1}`);
  return { kind: 'values', names: [...names] };
}

/**
 * The class probabilities of one row: the outputs, or [1 − p, p] for a single output.
 * @throws never
 */
export function probabilities(outputs: Matrix, row: number, binary: boolean): number[] {
  const values = Array.from(outputs.row(row));
  return binary ? [1 - values[0]!, values[0]!] : values;
}

/**
 * The index of the largest value (the first of equals).
 * @throws never
 */
export function argmax(values: ArrayLike<number>): number {
  let best = 0;
  for (let j = 1; j < values.length; j++) if (values[j]! > values[best]!) best = j;
  return best;
}

/**
 * Regression outputs in the targets' units (the preprocessing's target scaling undone); other
 * outputs unchanged.
 * @throws never for a model whose preprocessing fits it
 */
export function inTargetUnits(model: Sequential, outputs: Matrix): Matrix {
  const preprocessing = model.preprocessing;
  return preprocessing?.targetScaling === undefined
    ? outputs
    : unscaleTargets(preprocessing, outputs);
}

/**
 * The loss to report: the one the model was trained with (metadata.training.loss), else
 * crossEntropy after softmax, binaryCrossEntropy after a single sigmoid class output, else mse.
 * @throws never
 */
export function lossOf(model: Sequential, outputs: Outputs): LossName {
  const training = model.metadata['training'] as { loss?: unknown } | undefined;
  if (LOSS_NAMES.includes(training?.loss as LossName)) return training!.loss as LossName;
  const last = model.denseLayers[model.denseLayers.length - 1]!.activation.name;
  if (last === 'softmax') return 'crossEntropy';
  if (outputs.kind === 'classes' && outputs.binary && last === 'sigmoid') {
    return 'binaryCrossEntropy';
  }
  return 'mse';
}
