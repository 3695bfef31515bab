import type { ActivationName } from '../activations.js';
import type { LossName } from '../losses.js';
import type { DType, Matrix } from '../tensor/matrix.js';

/**
 * Every lecture quantity of one layer l for one example, as the library computed it.
 * Vectors are [1, n] rows (the trace's layout); the lecture writes them as columns.
 */
export interface LayerExplanation {
  /** l, 1..L. */
  layer: number;
  /** The activation g of the layer. */
  activation: ActivationName;
  /** Wˡ [nˡ, nˡ⁻¹] before the update. */
  weights: Matrix;
  /** bˡ [1, nˡ] before the update. */
  bias: Matrix;
  /** aˡ⁻¹ [1, nˡ⁻¹], the layer's input (a⁰ = x for l = 1). */
  input: Matrix;
  /** zˡ = Wˡaˡ⁻¹ + bˡ [1, nˡ], from `Sequential.forward`. */
  z: Matrix;
  /** aˡ = g(zˡ) [1, nˡ], from `Sequential.forward`. */
  a: Matrix;
  /**
   * ∂L/∂aˡ [1, nˡ]: the loss's gradient for l = L, else (Wˡ⁺¹)ᵀδˡ⁺¹ (the error passed down),
   * computed with the library's loss and TypeScript kernels.
   */
  gradA: Matrix;
  /** g′(zˡ) [1, nˡ] for an element-wise g; null for softmax (its derivative is a Jacobian). */
  derivative: Matrix | null;
  /** δˡ = ∂L/∂zˡ [1, nˡ], from `Sequential.backward`. */
  delta: Matrix;
  /** ∂L/∂Wˡ = δˡ(aˡ⁻¹)ᵀ [nˡ, nˡ⁻¹], from `Sequential.backward`. */
  gradWeights: Matrix;
  /** ∂L/∂bˡ = δˡ [1, nˡ], from `Sequential.backward`. */
  gradBias: Matrix;
  /** Wˡ − η∂L/∂Wˡ [nˡ, nˡ⁻¹], the library's SGD step. */
  updatedWeights: Matrix;
  /** bˡ − η∂L/∂bˡ [1, nˡ], the library's SGD step. */
  updatedBias: Matrix;
}

/** One parameter's backprop gradient beside its central-difference estimate. */
export interface GradientEstimate {
  /** l, 1..L. */
  layer: number;
  parameter: 'weights' | 'bias';
  /** Unit j, 1-based as in the lecture's w_jk and b_j. */
  j: number;
  /** Input k, 1-based (always 1 for a bias). */
  k: number;
  /** ∂L/∂θ from backpropagation (the model's dtype). */
  backprop: number;
  /** (L(θ + h) − L(θ − h)) / 2h, in float64. */
  estimate: number;
  /** |backprop − estimate| / max(|backprop|, |estimate|, 1e-8). */
  relativeError: number;
}

/** The result of the finite-difference check of {@link explain}. */
export interface GradientCheck {
  /** h of the central differences. */
  epsilon: number;
  /** The parameters checked, layer by layer, W before b, row-major. */
  entries: GradientEstimate[];
  /** The parameters that could have been checked (in the focus); entries.length ≤ total. */
  total: number;
  /** The largest relative error over the entries. */
  maxRelativeError: number;
}

/** Which part of the network to show: a layer l, or unit j of layer l (both 1-based). */
export interface Focus {
  layer?: number;
  unit?: number;
}

/**
 * Forward propagation, the loss, backpropagation and one SGD step for one example, with every
 * number: what {@link explain} returns and the formatters print.
 */
export interface Explanation {
  /** The architecture, e.g. 'Sequential(Dense(3 => 3, sigmoid), Dense(3 => 2, sigmoid))'. */
  model: string;
  dtype: DType;
  /** The loss L and its value for this example (nats for the cross-entropies). */
  loss: { name: LossName; value: number };
  /**
   * True when the output activation and the loss are fused (softmax + crossEntropy, sigmoid +
   * binaryCrossEntropy): then δᴸ = aᴸ − y.
   */
  fused: boolean;
  /** η of the SGD update. */
  learningRate: number;
  /** The example's input x = a⁰ [1, n⁰]. */
  x: Matrix;
  /** The example's target y [1, nᴸ]. */
  y: Matrix;
  /** Layers 1..L in order: `layers[l − 1]` is layer l. */
  layers: LayerExplanation[];
  /** What to show: everything, one layer, or one unit. */
  focus: Focus;
  /** Present when asked for with `gradcheck: true`. */
  gradcheck?: GradientCheck;
}
