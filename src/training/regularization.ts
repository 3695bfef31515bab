import type { Dense } from '../layers/dense.js';
import type { Matrix } from '../tensor/matrix.js';

/**
 * The weight penalty added to the loss: R = ½λ₂ Σₗ‖Wˡ‖² + λ₁ Σₗ Σⱼₖ |wˡⱼₖ|, over the weights
 * only (biases are not penalised, as in Keras's kernel_regularizer and scikit-learn's MLP).
 * With this ½, λ₂ is PyTorch's `weight_decay` for SGD (the gradient term is λ₂W); Keras's
 * `L2(c)` penalises c·Σw², which is λ₂ = 2c.
 * @param layers - the model's Dense layers
 * @param l1 - λ₁ ≥ 0; @param l2 - λ₂ ≥ 0
 * @returns R, in the loss's units; 0 when both are 0
 * @throws never
 */
export function weightPenalty(layers: readonly Dense[], l1: number, l2: number): number {
  if (l1 === 0 && l2 === 0) return 0;
  let squares = 0;
  let absolutes = 0;
  for (const layer of layers) {
    const W = layer.weights.data;
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
 * @param layers - the model's Dense layers; `weightGradients[l]` belongs to `layers[l − 1]`
 * @param weightGradients - ∂L/∂Wˡ [nˡ, nˡ⁻¹] for l = 1..L (index 0 unused), updated
 * @throws never
 */
export function addPenaltyGradient(
  layers: readonly Dense[],
  weightGradients: readonly Matrix[],
  l1: number,
  l2: number,
): void {
  if (l1 === 0 && l2 === 0) return;
  layers.forEach((layer, i) => {
    const W = layer.weights.data;
    const G = weightGradients[i + 1]!.data;
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
