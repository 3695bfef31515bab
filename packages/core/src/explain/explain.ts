import { ShapeError } from '../errors.js';
import { getLoss, type Loss, type LossName } from '../losses.js';
import type { Sequential } from '../model/sequential.js';
import type { Workspace } from '../model/trace.js';
import { checkLearningRate, SGD } from '../optimizers/sgd.js';
import { Matrix } from '../tensor/matrix.js';
import { checkData, checkOptionKeys, type MatrixLike } from '../training/check-data.js';
import type {
  Explanation,
  Focus,
  LayerExplanation,
  ParameterExplanation,
  StepExplanation,
} from './explanation.js';
import { checkFocus } from './focus.js';
import { checkGradients } from './gradient-check.js';
import { activationDerivative, otherLayerExplanation } from './other-layers.js';

export { checkFocus, focusedLayers } from './focus.js';

/** Options of {@link explain}. */
export interface ExplainOptions {
  /** The loss L. Default: 'crossEntropy' for a softmax output, else 'mse' (the lecture's ½Σ(y − a)²). */
  loss?: LossName | Loss;
  /** η of the SGD step shown at the end. Default 0.01 (as `fit`). */
  learningRate?: number;
  /**
   * Show Dense layer l (and the other layers after it up to the next Dense layer), or unit j
   * of Dense layer l alone (1-based). Default: everything. See focus.ts.
   */
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
  /**
   * Explain a training step: the forward pass in training mode, as `fit` runs it (Dropout's
   * mask and GaussianNoise's noise drawn from the model's generator, BatchNormalization on the
   * example's own statistics). The generator and the moving statistics are restored after.
   * Default false: inference, as `predict`.
   */
  training?: boolean;
}

/** The options explain takes, for its unknown-option error. */
const EXPLAIN_OPTION_KEYS = [
  'loss',
  'learningRate',
  'focus',
  'gradcheck',
  'full',
  'epsilon',
  'training',
];

/**
 * Explains one step of training on one example in the lecture's terms: forward propagation
 * (zˡ = Wˡaˡ⁻¹ + bˡ, aˡ = g(zˡ)), the loss, backpropagation (δᴸ = ∂L/∂aᴸ ⊙ g′(zᴸ),
 * ∂L/∂Wˡ = δˡ(aˡ⁻¹)ᵀ, ∂L/∂bˡ = δˡ, δˡ⁻¹ = (Wˡ)ᵀδˡ ⊙ g′(zˡ⁻¹)) and the SGD update
 * θ ← θ − η∂L/∂θ of every trainable parameter, with the numbers the library computes. Every
 * layer is a step: the Dense layers as the lecture numbers them (l = 1..L), the others
 * (Dropout, Activation, BatchNormalization, LayerNormalization, GaussianNoise) by their
 * position k in `model.layers`, each with its own forward and backward equations. z, a, every
 * layer's output and the gradients come from the model's own passes (`model.forwardTrace` and
 * `model.backwardTrace` in a workspace, whose `gradOutputs` hold ∂L/∂(each layer's output)),
 * the update from {@link SGD.step}. The model is not changed. Format the result with
 * explanationToText, explanationToMarkdown or explanationToJSON.
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
  const K = model.layers.length;
  const { outputActivation } = model;
  const loss = getLoss(options.loss ?? (outputActivation === 'softmax' ? 'crossEntropy' : 'mse'));
  const learningRate = checkLearningRate(options.learningRate ?? 0.01);
  const focus = checkFocus(model, options.focus ?? {});
  const training = options.training ?? false;
  const data = checkData(asRows(x), asRows(y), model, model.dtype, { loss, outputActivation });
  if (data.x.rows !== 1) {
    throw new ShapeError(`explain takes one example; received ${data.x.rows} rows of x and y`);
  }
  const saved = { weights: model.getWeights(), random: model.random.getState() };
  const workspace = model.workspace(1);
  const { trace, gradOutputs } = workspace;
  trace.outputs[0]!.data.set(data.x.data);
  model.forwardTrace(trace, training);
  model.backwardTrace(workspace, data.y, loss);
  const lossValue = model.lossOf(trace, data.y, loss);
  const fused = loss.fusedActivation !== undefined && outputActivation === loss.fusedActivation;
  const parameters = updatedParameters(model, workspace, learningRate);
  const lossGradient = new Matrix(1, model.outputs, model.dtype);
  loss.gradient(trace.outputs[K]!, data.y, lossGradient);
  const steps: StepExplanation[] = [];
  let l = 0;
  model.layers.forEach((layer, k) => {
    const own = parameters.filter((p) => p.layer === k);
    const gradOutput = k === K - 1 ? lossGradient.clone() : gradOutputs[k + 1]!.clone();
    if (layer.isLectureLayer()) {
      l++;
      const z = trace.z[l]!.clone();
      const a = trace.a[l]!.clone();
      steps.push({
        kind: 'Dense',
        layer: l,
        position: k + 1,
        activation: layer.activation.name,
        weights: layer.weights.clone(),
        bias: layer.bias.clone(),
        input: trace.input[l]!.clone(),
        z,
        a,
        gradA: gradOutput,
        derivative: activationDerivative(layer.activation, z, a),
        delta: workspace.gradients.delta[l]!.clone(),
        gradWeights: workspace.gradients.weights[l]!.clone(),
        gradBias: workspace.gradients.bias[l]!.clone(),
        updatedWeights: own.find((p) => p.name === 'weights')!.updated,
        updatedBias: own.find((p) => p.name === 'bias')!.updated,
      });
      return;
    }
    const common = {
      position: k + 1,
      className: layer.className,
      description: String(layer),
      follows: l,
      input: trace.outputs[k]!.clone(),
      output: trace.outputs[k + 1]!.clone(),
      gradOutput,
      gradInput: k === 0 ? null : gradOutputs[k]!.clone(),
      parameters: own.map(({ name, value, gradient, updated }) => ({
        name,
        value,
        gradient,
        updated,
      })),
    };
    const passThrough = trace.outputs[k + 1] === trace.outputs[k];
    steps.push(otherLayerExplanation(layer, trace.states[k], common, passThrough));
  });
  model.setWeights(saved.weights); // a training pass moved BatchNormalization's statistics
  model.random.setState(saved.random);

  const explanation: Explanation = {
    model: String(model),
    dtype: model.dtype,
    loss: { name: loss.name, value: lossValue },
    fused,
    learningRate,
    x: data.x.clone(),
    y: data.y.clone(),
    layers: steps.filter((step): step is LayerExplanation => step.kind === 'Dense'),
    steps,
    training,
    focus,
  };
  if (options.gradcheck) {
    const epsilon = options.epsilon ?? 1e-5;
    const check = { loss, epsilon, full: options.full === true, random: saved.random };
    explanation.gradcheck = checkGradients(model, explanation, check);
  }
  return explanation;
}

/** A trainable parameter of the layer at 0-based position `layer`, with its SGD step. */
interface UpdatedParameter extends ParameterExplanation {
  layer: number;
}

/**
 * Every trainable parameter (copies, in the order of `model.parameters()`) with its gradient
 * from the workspace and the library's SGD step θ − η∂L/∂θ.
 */
function updatedParameters(
  model: Sequential,
  workspace: Workspace,
  learningRate: number,
): UpdatedParameter[] {
  const trainable = model.namedParameters().filter((p) => p.trainable);
  const gradients = workspace.gradients.parameters.map((g) => g.clone());
  const updated = trainable.map((p) => p.value.clone());
  new SGD({ learningRate }).step(updated, gradients);
  return trainable.map((p, i) => ({
    layer: p.layer,
    name: p.name,
    value: p.value.clone(),
    gradient: gradients[i]!,
    updated: updated[i]!,
  }));
}

/** One example as rows: a flat number[] becomes [x]. */
function asRows(value: readonly number[] | MatrixLike): MatrixLike {
  return Array.isArray(value) && typeof value[0] === 'number'
    ? [value as readonly number[]]
    : (value as MatrixLike);
}
