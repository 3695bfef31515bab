import { getLoss, type Loss, type LossName } from './losses.js';
import { copyModel } from './model/copy.js';
import type { Sequential } from './model/sequential.js';
import type { FloatArray, Matrix } from './tensor/matrix.js';
import type { RandomState } from './tensor/random.js';
import { checkData, type MatrixLike } from './training/check-data.js';
import { addPenaltyGradient, penaltyOf } from './training/regularization.js';

/** The worst disagreement found in one parameter tensor. */
export interface ParameterCheck {
  /** The layer's 1-based position in `model.layers` (l for a plain stack of Dense layers). */
  layer: number;
  /** Which tensor of the layer: 'weights', 'bias', 'gamma', 'beta', … */
  parameter: string;
  /** max over entries of |analytic − numeric| / max(|analytic|, |numeric|, floor). */
  maxRelativeError: number;
  /** max over entries of |analytic − numeric|. */
  maxAbsoluteError: number;
}

/** The result of {@link gradcheck}. */
export interface GradcheckResult {
  /** The largest relative error over every parameter. */
  maxRelativeError: number;
  /** One entry per trainable parameter tensor, in the order of `model.parameters()`. */
  perParameter: ParameterCheck[];
}

/** Options of {@link gradcheck}. */
export interface GradcheckOptions {
  /** h of the central difference (in float64). Default 1e-5, near the optimum ∛ε. */
  epsilon?: number;
  /**
   * Smallest denominator of the relative error, so that gradients near zero are judged by
   * their absolute error (the finite difference itself is only accurate to about
   * machine-epsilon·|L| / h ≈ 1e-11). Default 1e-4.
   */
  floor?: number;
  /**
   * Check the training forward pass, with dropout: every evaluation of L restores the model's
   * generator first, so every pass draws the same masks (the mask is held fixed, as dropout's
   * gradient assumes). The generator is left as it was. Default false.
   */
  training?: boolean;
  /** λ₁ of the L1 weight penalty added to L (see `weightPenalty`). Default 0. */
  l1?: number;
  /** λ₂ of the L2 weight penalty ½λ₂‖W‖² added to L. Default 0. */
  l2?: number;
}

/**
 * Checks backpropagation against central differences: for every trainable parameter θ,
 * (L(θ + h) − L(θ − h)) / 2h ≈ ∂L/∂θ from {@link Sequential.backward}, where L is the batch-mean
 * loss. For a float32 model, the model's own gradient is compared with central differences
 * computed on a float64 copy (so a correct float32 model shows its rounding, about 1e-4, not
 * the 1e-2 of float32 differences). Each parameter is restored exactly afterwards.
 * ReLU-family networks can disagree where a z lies within h of the kink at 0.
 *
 * @param x - inputs [B, n⁰]; @param y - targets [B, nᴸ]
 * @returns the largest relative error per parameter tensor and overall
 * @throws {ShapeError} / {DataError} for data that does not fit the model.
 * @see CS231n notes, "Gradient checks"; PyTorch torch.autograd.gradcheck
 * @example
 * gradcheck(model, x, y, 'mse').maxRelativeError < 1e-6; //=> true for float64
 */
export function gradcheck(
  model: Sequential,
  x: MatrixLike,
  y: MatrixLike,
  loss: LossName | Loss,
  options: GradcheckOptions = {},
): GradcheckResult {
  const lossFn = getLoss(loss);
  const { outputActivation } = model;
  const data = checkData(x, y, model, model.dtype, { loss: lossFn, outputActivation });
  const h = options.epsilon ?? 1e-5;
  const floor = options.floor ?? 1e-4;
  const training = options.training ?? false;
  const l1 = options.l1 ?? 0;
  const l2 = options.l2 ?? 0;
  const state = model.random.getState();
  const analytic = model.backward(forwardFrom(model, state, data.x, training), data.y, lossFn);
  const penalized = (m: Sequential) =>
    m
      .namedParameters()
      .filter((p) => p.penalized)
      .map((p) => p.value);
  const numeric = model.dtype === 'float64' ? model : copyModel(model);
  const x64 = numeric === model ? data.x : data.x.clone('float64');
  const y64 = numeric === model ? data.y : data.y.clone('float64');
  const penaltyGradients = model
    .namedParameters()
    .filter((p) => p.trainable)
    .flatMap((p, i) => (p.penalized ? [analytic.parameters[i]!] : []));
  addPenaltyGradient(penalized(model), penaltyGradients, l1, l2);
  const lossAt = (): number =>
    numeric.lossOf(forwardFrom(numeric, state, x64, training), y64, lossFn) +
    penaltyOf(penalized(numeric), l1, l2);

  const perParameter: ParameterCheck[] = [];
  const trainable = numeric.namedParameters().filter((p) => p.trainable);
  trainable.forEach(({ layer, name, value }, i) => {
    const values = value.data;
    const gradient = analytic.parameters[i]!.data;
    let maxRelativeError = 0;
    let maxAbsoluteError = 0;
    for (let k = 0; k < values.length; k++) {
      const estimate = centralDifference(values, k, h, lossAt);
      const error = Math.abs(gradient[k]! - estimate);
      const scale = Math.max(Math.abs(gradient[k]!), Math.abs(estimate), floor);
      maxAbsoluteError = Math.max(maxAbsoluteError, error);
      maxRelativeError = Math.max(maxRelativeError, error / scale);
    }
    perParameter.push({ layer: layer + 1, parameter: name, maxRelativeError, maxAbsoluteError });
  });
  model.random.setState(state);
  return {
    maxRelativeError: Math.max(...perParameter.map((p) => p.maxRelativeError)),
    perParameter,
  };
}

/** A forward pass with the generator restored first, so masks and noise are the same each time. */
function forwardFrom(model: Sequential, state: RandomState, x: Matrix, training: boolean) {
  model.random.setState(state);
  return model.forward(x, { training });
}

/**
 * The central difference ∂L/∂θₖ ≈ (L(θₖ + h) − L(θₖ − h)) / 2h for entry k of a parameter's
 * values, whose error is O(h²); the entry is restored exactly afterwards.
 * @param values - the parameter's values, changed in place while L is evaluated
 * @param lossAt - L at the current values
 * @throws whatever lossAt throws (the entry is then left at θₖ ± h)
 */
export function centralDifference(
  values: FloatArray,
  k: number,
  h: number,
  lossAt: () => number,
): number {
  const original = values[k]!;
  values[k] = original + h;
  const plus = lossAt();
  values[k] = original - h;
  const minus = lossAt();
  values[k] = original;
  return (plus - minus) / (2 * h);
}
