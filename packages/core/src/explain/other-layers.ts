import type { Activation } from '../activations.js';
import { ActivationLayer } from '../layers/activation.js';
import { BatchNormalization, type BatchNormalizationState } from '../layers/batch-normalization.js';
import { Dropout, type DropoutState } from '../layers/dropout.js';
import { GaussianNoise } from '../layers/gaussian-noise.js';
import type { Layer } from '../layers/layer.js';
import { LayerNormalization, type LayerNormalizationState } from '../layers/layer-normalization.js';
import { Matrix } from '../tensor/matrix.js';
import type { OtherLayerExplanation, StepCommon } from './explanation.js';

/**
 * The quantities of one layer that is not Dense, for one example, as the library computed them:
 * the common ones (input, output, ∂L/∂output, ∂L/∂input, parameters) come in `common`; this
 * adds what the layer's equations show: Dropout's mask, GaussianNoise's noise, g′ of an
 * Activation, the statistics and x̂ of a normalisation (μ and σ² as the layer computes them:
 * the moving ones, or (1/B)Σx and (1/B)Σ(x − μ)² over the batch or the example's units).
 * @param state - the layer's buffers after the forward pass (`trace.states[k − 1]`)
 * @returns a new explanation; every matrix a copy
 * @throws never
 */
export function otherLayerExplanation(
  layer: Layer,
  state: unknown,
  common: StepCommon,
  passThrough: boolean,
): OtherLayerExplanation {
  const { input, output } = common;
  const identity = passThrough;
  if (layer instanceof Dropout) {
    const mask = (state as DropoutState).mask;
    return { ...common, kind: 'Dropout', rate: layer.rate, mask: identity ? null : firstRow(mask) };
  }
  if (layer instanceof GaussianNoise) {
    const noise = output.clone();
    noise.data.forEach((h, i) => (noise.data[i] = h - input.data[i]!));
    return {
      ...common,
      kind: 'GaussianNoise',
      stddev: layer.stddev,
      noise: identity ? null : noise,
    };
  }
  if (layer instanceof ActivationLayer) {
    const g = layer.activation;
    const derivative = activationDerivative(g, input, output);
    return { ...common, kind: 'Activation', activation: g.name, derivative };
  }
  if (layer instanceof BatchNormalization) {
    const s = state as BatchNormalizationState;
    const moving = layer.parameters().find((p) => p.name === 'movingVariance')!.value;
    const mean = firstRow(s.mean);
    const variance = s.batchStatistics ? meanSquares(input, mean, 'units') : moving.clone();
    return normalization(
      common,
      'BatchNormalization',
      layer.epsilon,
      mean,
      variance,
      s.xhat,
      s.batchStatistics ? 'batch' : 'moving',
    );
  }
  if (layer instanceof LayerNormalization) {
    const s = state as LayerNormalizationState;
    const mean = new Matrix(1, 1, input.dtype);
    let sum = 0;
    for (const v of input.data) sum += v;
    mean.data[0] = sum / input.cols;
    const variance = meanSquares(input, mean, 'example');
    return normalization(
      common,
      'LayerNormalization',
      layer.epsilon,
      mean,
      variance,
      s.xhat,
      'example',
    );
  }
  return { ...common, kind: 'Layer' };
}

/**
 * g′(zⱼ) for each unit j, given z and a = g(z) [1, n], by the activation's own derivative.
 * @returns a new [1, n] matrix, or null for softmax (its derivative is a Jacobian)
 * @throws never
 */
export function activationDerivative(g: Activation, z: Matrix, a: Matrix): Matrix | null {
  if (g.kind !== 'elementwise') return null;
  const out = z.clone();
  out.data.forEach((zj, j) => (out.data[j] = g.derivative(zj, a.data[j]!)));
  return out;
}

function normalization(
  common: StepCommon,
  kind: 'BatchNormalization' | 'LayerNormalization',
  epsilon: number,
  mean: Matrix,
  variance: Matrix,
  xhat: Matrix,
  statistics: 'moving' | 'batch' | 'example',
): OtherLayerExplanation {
  const gamma = common.parameters.find((p) => p.name === 'gamma')!.value;
  const gradXhat = common.gradOutput.clone();
  gradXhat.data.forEach((g, j) => (gradXhat.data[j] = g * gamma.data[j]!));
  return { ...common, kind, epsilon, statistics, mean, variance, xhat: firstRow(xhat), gradXhat };
}

/**
 * σ² as the layers compute it, for one example [1, n]: per unit over a batch of one
 * ((x − μ)², 'units', μ [1, n]) or over the example's units ((1/n)Σⱼ(xⱼ − μ)², 'example', μ [1, 1]).
 */
function meanSquares(x: Matrix, mean: Matrix, over: 'units' | 'example'): Matrix {
  if (over === 'units') {
    const out = x.clone();
    out.data.forEach((v, j) => (out.data[j] = (v - mean.data[j]!) ** 2));
    return out;
  }
  const out = new Matrix(1, 1, x.dtype);
  let squares = 0;
  for (const v of x.data) squares += (v - mean.data[0]!) ** 2;
  out.data[0] = squares / x.cols;
  return out;
}

/** A copy of row 0 of a state buffer, as [1, cols]. */
function firstRow(m: Matrix): Matrix {
  return new Matrix(1, m.cols, m.row(0).slice());
}
