import { jsBackend } from '../backend/js.js';
import { ConfigError, ShapeError } from '../errors.js';
import type { ElementwiseActivation } from '../activations.js';
import { getLoss, type Loss, type LossName } from '../losses.js';
import type { Sequential } from '../model/sequential.js';
import { checkLearningRate, SGD } from '../optimizers/sgd.js';
import { Matrix } from '../tensor/matrix.js';
import { checkData, checkOptionKeys, type MatrixLike } from '../training/check-data.js';
import type { Explanation, Focus, GradientCheck, LayerExplanation } from './explanation.js';
import { centralDifferences, type ParameterIndex } from './finite-differences.js';
import { isLarge, largestEntries, shownIndices, SUMMARY_LARGEST } from './summary.js';

/** Options of {@link explain}. */
export interface ExplainOptions {
  /** The loss L. Default: 'crossEntropy' for a softmax output, else 'mse' (the lecture's ½Σ(y − a)²). */
  loss?: LossName | Loss;
  /** η of the SGD step shown at the end. Default 0.01 (as `fit`). */
  learningRate?: number;
  /** Show one layer l, or unit j of layer l (1-based). Default: everything. */
  focus?: Focus;
  /** Estimate ∂L/∂θ by central differences beside backprop's. Default false. */
  gradcheck?: boolean;
  /**
   * Check every parameter in the focus. Default false: for a large tensor (more than 10 rows
   * or columns) only the entries a summary shows, the first 5 rows and columns and the 5
   * largest gradients, since each estimate costs two forward passes.
   */
  full?: boolean;
  /** h of the central differences. Default 1e-5. */
  epsilon?: number;
}

/** The options explain takes, for its unknown-option error. */
const EXPLAIN_OPTION_KEYS = ['loss', 'learningRate', 'focus', 'gradcheck', 'full', 'epsilon'];

/**
 * Explains one step of training on one example in the lecture's terms: forward propagation
 * (zˡ = Wˡaˡ⁻¹ + bˡ, aˡ = g(zˡ)), the loss, backpropagation (δᴸ = ∂L/∂aᴸ ⊙ g′(zᴸ),
 * ∂L/∂Wˡ = δˡ(aˡ⁻¹)ᵀ, ∂L/∂bˡ = δˡ, δˡ⁻¹ = (Wˡ)ᵀδˡ ⊙ g′(zˡ⁻¹)) and the SGD update
 * W ← W − η∂L/∂W, with the numbers the library computes: z, a, δ and the gradients come from
 * `model.forward` and `model.backward`, the update from {@link SGD.step}. The model is not
 * changed. Dropout is off, as in `predict`. Format the result with explanationToText,
 * explanationToMarkdown or explanationToJSON.
 *
 * @param x - the example's input, n⁰ numbers (or a [1, n⁰] matrix)
 * @param y - its target, nᴸ numbers (or a [1, nᴸ] matrix)
 * @returns the explanation, every matrix a copy
 * @throws {ShapeError} when x or y does not fit the model or holds more than one example.
 * @throws {ConfigError} for an unknown option (lists the valid ones), a bad learning rate,
 *   loss, or focus (e.g. `layer must be an integer from 1 to 2 (the model's layers); received 3`).
 * @throws {DataError} for a non-finite value in x or y.
 * @example
 * const e = explain(lectureNetwork(), [0.5, -1, 2], [1, 0], { loss: 'mse', learningRate: 0.5 });
 * e.layers[1].delta.toArray(); //=> [[-0.0945710…, 0.1085228…]]
 */
export function explain(
  model: Sequential,
  x: readonly number[] | MatrixLike,
  y: readonly number[] | MatrixLike,
  options: ExplainOptions = {},
): Explanation {
  checkOptionKeys(options, EXPLAIN_OPTION_KEYS, 'explain');
  const L = model.denseLayers.length;
  const output = model.denseLayers[L - 1]!;
  const loss = getLoss(
    options.loss ?? (output.activation.name === 'softmax' ? 'crossEntropy' : 'mse'),
  );
  const learningRate = checkLearningRate(options.learningRate ?? 0.01);
  const focus = checkFocus(model, options.focus ?? {});
  const { outputActivation } = model;
  const data = checkData(asRows(x), asRows(y), model, model.dtype, { loss, outputActivation });
  if (data.x.rows !== 1) {
    throw new ShapeError(`explain takes one example; received ${data.x.rows} rows of x and y`);
  }
  const trace = model.forward(data.x);
  const gradients = model.backward(trace, data.y, loss);
  const updated = model.parameters().map((parameter) => parameter.clone());
  new SGD({ learningRate }).step(
    updated,
    model.denseLayers.flatMap((_, i) => [gradients.weights[i + 1]!, gradients.bias[i + 1]!]),
  );

  const layers: LayerExplanation[] = [];
  for (let l = L; l >= 1; l--) {
    const layer = model.denseLayers[l - 1]!;
    const gradA = new Matrix(1, layer.outputs, model.dtype);
    if (l === L) loss.gradient(trace.a[L]!, data.y, gradA);
    else
      jsBackend.gemm(
        gradients.delta[l + 1]!,
        false,
        model.denseLayers[l]!.weights,
        false,
        gradA,
        1,
        0,
      );
    const z = trace.z[l]!.clone();
    const a = trace.a[l]!.clone();
    const { activation } = layer;
    layers.unshift({
      layer: l,
      activation: activation.name,
      weights: layer.weights.clone(),
      bias: layer.bias.clone(),
      input: trace.a[l - 1]!.clone(),
      z,
      a,
      gradA,
      derivative: activation.kind === 'elementwise' ? derivativeOf(activation, z, a) : null,
      delta: gradients.delta[l]!.clone(),
      gradWeights: gradients.weights[l]!.clone(),
      gradBias: gradients.bias[l]!.clone(),
      updatedWeights: updated[2 * (l - 1)]!,
      updatedBias: updated[2 * (l - 1) + 1]!,
    });
  }
  const explanation: Explanation = {
    model: String(model),
    dtype: model.dtype,
    loss: { name: loss.name, value: model.lossOf(trace, data.y, loss) },
    fused: loss.fusedActivation === output.activation.name,
    learningRate,
    x: data.x.clone(),
    y: data.y.clone(),
    layers,
    focus,
  };
  if (options.gradcheck) {
    explanation.gradcheck = checkGradients(model, explanation, loss, options);
  }
  return explanation;
}

/**
 * Checks a focus against the model: a layer from 1 to L, a unit from 1 to nˡ, a unit only
 * with its layer.
 * @param names - what to call the options in messages, e.g. `{ layer: '--layer', unit: '--unit' }`
 * @returns the focus, unchanged
 * @throws {ConfigError} naming the option, the valid range and the value received.
 */
export function checkFocus(
  model: Sequential,
  focus: Focus,
  names: { layer: string; unit: string } = { layer: 'layer', unit: 'unit' },
): Focus {
  const { layer, unit } = focus;
  const L = model.denseLayers.length;
  if (layer !== undefined && !(Number.isInteger(layer) && layer >= 1 && layer <= L)) {
    throw new ConfigError(
      `${names.layer} must be an integer from 1 to ${L} (the model's layers); received ${layer}`,
    );
  }
  if (unit === undefined) return focus;
  if (layer === undefined) {
    throw new ConfigError(
      `${names.unit} needs ${names.layer}, the unit's layer (1 to ${L}); received ` +
        `${names.unit} ${unit} alone`,
    );
  }
  const units = model.denseLayers[layer - 1]!.outputs;
  if (!(Number.isInteger(unit) && unit >= 1 && unit <= units)) {
    throw new ConfigError(
      `${names.unit} must be an integer from 1 to ${units} (the units of layer ${layer}); ` +
        `received ${unit}`,
    );
  }
  return focus;
}

/** g′(zⱼ) for each unit j, given z and a = g(z) [1, n]. */
function derivativeOf(activation: ElementwiseActivation, z: Matrix, a: Matrix): Matrix {
  const out = z.clone();
  out.data.forEach((zj, j) => (out.data[j] = activation.derivative(zj, a.data[j]!)));
  return out;
}

/** One example as rows: a flat number[] becomes [x]. */
function asRows(value: readonly number[] | MatrixLike): MatrixLike {
  return Array.isArray(value) && typeof value[0] === 'number'
    ? [value as readonly number[]]
    : (value as MatrixLike);
}

/** The central-difference check of the parameters in the focus (see ExplainOptions.full). */
function checkGradients(
  model: Sequential,
  explanation: Explanation,
  loss: Loss,
  options: ExplainOptions,
): GradientCheck {
  const epsilon = options.epsilon ?? 1e-5;
  const { layer: only, unit } = explanation.focus;
  const indices: ParameterIndex[] = [];
  let total = 0;
  for (const step of explanation.layers) {
    if (only !== undefined && step.layer !== only) continue;
    for (const parameter of ['weights', 'bias'] as const) {
      const gradient = parameter === 'weights' ? step.gradWeights : step.gradBias;
      // A bias is shown as a column: select along its units, as for the rows of W.
      const grid = parameter === 'weights' ? gradient : new Matrix(gradient.cols, 1, gradient.data);
      const rows = unit === undefined ? range(grid.rows) : [unit - 1];
      total += rows.length * grid.cols;
      const selected = selectEntries(grid, rows, options.full === true);
      for (const [row, col] of selected) {
        indices.push(
          parameter === 'weights'
            ? { layer: step.layer, parameter, row, col }
            : { layer: step.layer, parameter, row: 0, col: row },
        );
      }
    }
  }
  const estimates = centralDifferences(model, explanation.x, explanation.y, loss, indices, epsilon);
  const entries = indices.map((index, i) => {
    const step = explanation.layers[index.layer - 1]!;
    const gradient = index.parameter === 'weights' ? step.gradWeights : step.gradBias;
    const backprop = gradient.get(index.row, index.col);
    const estimate = estimates[i]!;
    const scale = Math.max(Math.abs(backprop), Math.abs(estimate), 1e-8);
    return {
      layer: index.layer,
      parameter: index.parameter,
      j: (index.parameter === 'weights' ? index.row : index.col) + 1,
      k: index.parameter === 'weights' ? index.col + 1 : 1,
      backprop,
      estimate,
      relativeError: Math.abs(backprop - estimate) / scale,
    };
  });
  const maxRelativeError = Math.max(0, ...entries.map((entry) => entry.relativeError));
  return { epsilon, entries, total, maxRelativeError };
}

/**
 * The [row, col] pairs to check among `rows` of a gradient: all of them when `full` or small,
 * else the first rows and columns a summary shows plus the largest gradients, in row-major order.
 */
function selectEntries(grid: Matrix, rows: number[], full: boolean): [number, number][] {
  const all = (row: number) => range(grid.cols).map((col): [number, number] => [row, col]);
  if (full || !isLarge(rows.length, grid.cols)) return rows.flatMap(all);
  const keys = new Set<number>();
  const cols = shownIndices(grid.cols, true);
  for (const row of shownIndices(rows.length, true)) {
    for (const col of cols) keys.add(rows[row]! * grid.cols + col);
  }
  const focused = new Matrix(rows.length, grid.cols, grid.dtype);
  rows.forEach((row, i) => focused.data.set(grid.row(row), i * grid.cols));
  for (const entry of largestEntries(focused, SUMMARY_LARGEST)) {
    keys.add(rows[entry.row]! * grid.cols + entry.col);
  }
  return [...keys]
    .sort((p, q) => p - q)
    .map((key) => [Math.floor(key / grid.cols), key % grid.cols]);
}

function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}
