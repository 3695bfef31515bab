import type { Layer } from '../layers/layer.js';
import type { Matrix } from '../tensor/matrix.js';

/**
 * The weight penalty of a model's layers: `penaltyOf` over their penalised parameters
 * (Dense layers' weights).
 * @param layers - e.g. `model.layers`
 * @throws never
 */
export function weightPenalty(layers: readonly Layer[], l1: number, l2: number): number {
  return penaltyOf(penalizedWeights(layers), l1, l2);
}

/** The parameters the L1/L2 penalty applies to (`parameter.penalized`), in layer order. */
export function penalizedWeights(layers: readonly Layer[]): Matrix[] {
  return layers.flatMap((layer) =>
    layer
      .parameters()
      .filter((p) => p.penalized)
      .map((p) => p.value),
  );
}

/**
 * The weight penalty added to the loss: R = ½λ₂ Σₗ‖Wˡ‖² + λ₁ Σₗ Σⱼₖ |wˡⱼₖ|, over the weights
 * only (biases are not penalised, as in Keras's kernel_regularizer and scikit-learn's MLP).
 * With this ½, λ₂ is PyTorch's `weight_decay` for SGD (the gradient term is λ₂W); Keras's
 * `L2(c)` penalises c·Σw², which is λ₂ = 2c.
 * @param weights - the penalised weights (Dense layers' Wˡ; `parameter.penalized`)
 * @param l1 - λ₁ ≥ 0; @param l2 - λ₂ ≥ 0
 * @returns R, in the loss's units; 0 when both are 0
 * @throws never
 */
export function penaltyOf(weights: readonly Matrix[], l1: number, l2: number): number {
  if (l1 === 0 && l2 === 0) return 0;
  let squares = 0;
  let absolutes = 0;
  for (const weight of weights) {
    const W = weight.data;
    for (let i = 0; i < W.length; i++) {
      const w = W[i]!;
      squares += w * w;
      absolutes += Math.abs(w);
    }
  }
  return 0.5 * l2 * squares + l1 * absolutes;
}

/**
 * Adds the penalty's gradient to the weight gradients in place: ∂R/∂Wˡ = λ₂Wˡ + λ₁ sign(Wˡ)
 * (sign(0) = 0, the subgradient PyTorch and TensorFlow use at the kink).
 * @param weights - the penalised weights
 * @param weightGradients - ∂L/∂W of each, the same shapes, updated
 * @throws never
 */
export function addPenaltyGradient(
  weights: readonly Matrix[],
  weightGradients: readonly Matrix[],
  l1: number,
  l2: number,
): void {
  if (l1 === 0 && l2 === 0) return;
  weights.forEach((weight, i) => {
    const W = weight.data;
    const G = weightGradients[i]!.data;
    for (let k = 0; k < W.length; k++) {
      const w = W[k]!;
      G[k] = G[k]! + l2 * w + l1 * Math.sign(w);
    }
  });
}

/**
 * Rescales all gradients together when their global norm exceeds `maxNorm`, as PyTorch's
 * `clip_grad_norm_` (and Keras's `global_clipnorm`): with ‖g‖ = √(Σ over every tensor of Σg²),
 * every gradient is multiplied by maxNorm / (‖g‖ + 10⁻⁶) when that factor is below 1.
 * @param gradients - every parameter's gradient, updated in place
 * @param maxNorm - c > 0
 * @returns ‖g‖ before clipping
 * @throws never
 */
export function clipByGlobalNorm(gradients: readonly Matrix[], maxNorm: number): number {
  let sum = 0;
  for (const gradient of gradients) {
    const G = gradient.data;
    for (let i = 0; i < G.length; i++) sum += G[i]! * G[i]!;
  }
  const norm = Math.sqrt(sum);
  const factor = maxNorm / (norm + 1e-6);
  if (factor < 1) {
    for (const gradient of gradients) {
      const G = gradient.data;
      for (let i = 0; i < G.length; i++) G[i] = G[i]! * factor;
    }
  }
  return norm;
}

/**
 * Clamps every gradient element to [−v, v] in place, as PyTorch's `clip_grad_value_` (Keras
 * `clipvalue`).
 * @param value - v > 0
 * @throws never
 */
export function clipByValue(gradients: readonly Matrix[], value: number): void {
  for (const gradient of gradients) {
    const G = gradient.data;
    for (let i = 0; i < G.length; i++) {
      const g = G[i]!;
      if (g > value) G[i] = value;
      else if (g < -value) G[i] = -value;
    }
  }
}
