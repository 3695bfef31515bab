import { getLoss, type Loss, type LossName } from './losses.js';
import type { Sequential } from './model/sequential.js';
import type { FloatArray } from './tensor/matrix.js';
import { checkData, type MatrixLike } from './training/check-data.js';
import { addPenaltyGradient, weightPenalty } from './training/regularization.js';

/** The worst disagreement found in one parameter tensor. */
export interface ParameterCheck {
  /** Layer index l, 1..L. */
  layer: number;
  /** Which tensor of the layer. */
  parameter: 'weights' | 'bias';
  /** max over entries of |analytic − numeric| / max(|analytic|, |numeric|, floor). */
  maxRelativeError: number;
  /** max over entries of |analytic − numeric|. */
  maxAbsoluteError: number;
}

/** The result of {@link gradcheck}. */
export interface GradcheckResult {
  /** The largest relative error over every parameter. */
  maxRelativeError: number;
  /** One entry per parameter tensor, in the order W¹, b¹, W², b², … */
  perParameter: ParameterCheck[];
}

/** Options of {@link gradcheck}. */
export interface GradcheckOptions {
  /** h of the central difference. Default 1e-5 for float64 (near the optimum ∛ε), 1e-3 for float32. */
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
 * Checks backpropagation against central differences: for every weight and bias θ,
 * (L(θ + h) − L(θ − h)) / 2h ≈ ∂L/∂θ from {@link Sequential.backward}, where L is the batch-mean
 * loss. Each parameter is restored exactly afterwards. Use float64; float32 only shows gross
 * errors. ReLU-family networks can disagree where a z lies within h of the kink at 0.
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
  const data = checkData(x, y, model, model.dtype);
  const h = options.epsilon ?? (model.dtype === 'float64' ? 1e-5 : 1e-3);
  const floor = options.floor ?? 1e-4;
  const training = options.training ?? false;
  const l1 = options.l1 ?? 0;
  const l2 = options.l2 ?? 0;
  const state = model.random.getState();
  const forward = () => {
    model.random.setState(state);
    return model.forward(data.x, { training });
  };
  const gradients = model.backward(forward(), data.y, lossFn);
  addPenaltyGradient(model.layers, gradients.weights, l1, l2);
  const lossAt = (): number =>
    model.lossOf(forward(), data.y, lossFn) + weightPenalty(model.layers, l1, l2);

  const perParameter: ParameterCheck[] = [];
  model.layers.forEach((layer, i) => {
    for (const parameter of ['weights', 'bias'] as const) {
      const values = layer[parameter].data;
      const analytic = gradients[parameter][i + 1]!.data;
      let maxRelativeError = 0;
      let maxAbsoluteError = 0;
      for (let k = 0; k < values.length; k++) {
        const numeric = centralDifference(values, k, h, lossAt);
        const error = Math.abs(analytic[k]! - numeric);
        const scale = Math.max(Math.abs(analytic[k]!), Math.abs(numeric), floor);
        maxAbsoluteError = Math.max(maxAbsoluteError, error);
        maxRelativeError = Math.max(maxRelativeError, error / scale);
      }
      perParameter.push({ layer: i + 1, parameter, maxRelativeError, maxAbsoluteError });
    }
  });
  model.random.setState(state);
  return {
    maxRelativeError: Math.max(...perParameter.map((p) => p.maxRelativeError)),
    perParameter,
  };
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
