import type { ActivationName } from '../activations.js';
import type { LossName } from '../losses.js';
import type { DType, Matrix } from '../tensor/matrix.js';

/**
 * Every lecture quantity of one layer l for one example, as the library computed it.
 * Vectors are [1, n] rows (the trace's layout); the lecture writes them as columns.
 */
export interface LayerExplanation {
  kind: 'Dense';
  /** l, 1..L. */
  layer: number;
  /** k, the layer's 1-based position in `model.layers` (= l in a plain stack of Dense layers). */
  position: number;
  /** The activation g of the layer. */
  activation: ActivationName;
  /** Wˡ [nˡ, nˡ⁻¹] before the update. */
  weights: Matrix;
  /** bˡ [1, nˡ] before the update. */
  bias: Matrix;
  /**
   * The layer's input [1, nˡ⁻¹], `trace.input[l]`: aˡ⁻¹ (a⁰ = x) in a plain stack, else the
   * output of the layer before it.
   */
  input: Matrix;
  /** zˡ = Wˡaˡ⁻¹ + bˡ [1, nˡ], from `Sequential.forward`. */
  z: Matrix;
  /** aˡ = g(zˡ) [1, nˡ], from `Sequential.forward`. */
  a: Matrix;
  /**
   * ∂L/∂aˡ [1, nˡ]: the loss's gradient when the layer is the model's last, else what the
   * backward pass passed down to it (`workspace.gradOutputs`): (Wˡ⁺¹)ᵀδˡ⁺¹ in a plain stack.
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

/** A trainable parameter θ of a layer that is not Dense (γ, β, …), all [1, n]. */
export interface ParameterExplanation {
  /** The parameter's name in its layer: 'gamma', 'beta', … */
  name: string;
  /** θ before the update. */
  value: Matrix;
  /** ∂L/∂θ, from the backward pass. */
  gradient: Matrix;
  /** θ − η∂L/∂θ, the library's SGD step. */
  updated: Matrix;
}

/**
 * What every layer that is not Dense shows, at position k of `model.layers`: its input and
 * output, the gradient the backward pass gave it and the one it passed down, and its trainable
 * parameters with their gradients and update. Vectors are [1, n] rows.
 */
export interface StepCommon {
  /** k, the layer's 1-based position in `model.layers`. */
  position: number;
  /** The layer's class, e.g. 'BatchNormalization'. */
  className: string;
  /** The layer as built, e.g. 'Dropout(0.2)'. */
  description: string;
  /** l of the Dense layer before it (0 when none): `focus.layer` l shows it (see focus.ts). */
  follows: number;
  /** Its input, `trace.outputs[k − 1]`. */
  input: Matrix;
  /** Its output h⁽ᵏ⁾, `trace.outputs[k]`. */
  output: Matrix;
  /** ∂L/∂h⁽ᵏ⁾: the loss's gradient for the last layer, else `workspace.gradOutputs[k]`. */
  gradOutput: Matrix;
  /**
   * ∂L/∂(its input), `workspace.gradOutputs[k − 1]`, as the layer's backward pass wrote it;
   * null for the first layer, whose input is x (the backward pass does not compute it).
   */
  gradInput: Matrix | null;
  /** The trainable parameters, in the layer's order (empty for most). */
  parameters: ParameterExplanation[];
}

/** A layer that is not Dense, by kind; 'Layer' is a layer explain has no equations for. */
export type OtherLayerExplanation =
  | (StepCommon & {
      kind: 'Dropout';
      /** p. */
      rate: number;
      /** The scaled mask m ∈ {0, 1/(1 − p)} of a training pass; null: the identity. */
      mask: Matrix | null;
    })
  | (StepCommon & {
      kind: 'GaussianNoise';
      /** σ of the noise. */
      stddev: number;
      /** The noise ε = h − x drawn in a training pass; null: the identity. */
      noise: Matrix | null;
    })
  | (StepCommon & {
      kind: 'Activation';
      activation: ActivationName;
      /** g′ at the input for an element-wise g; null for softmax (a Jacobian). */
      derivative: Matrix | null;
    })
  | (StepCommon & {
      kind: 'BatchNormalization' | 'LayerNormalization';
      /** ε added to the variance. */
      epsilon: number;
      /**
       * Whose statistics normalised x: 'moving' (BatchNormalization in inference, or frozen),
       * 'batch' (BatchNormalization training on this one example), 'example' (LayerNormalization).
       */
      statistics: 'moving' | 'batch' | 'example';
      /** μ: [1, n] per unit (BatchNormalization) or [1, 1] for the example (LayerNormalization). */
      mean: Matrix;
      /** σ², the same shape as μ. */
      variance: Matrix;
      /** x̂ = (x − μ)/√(σ² + ε) [1, n], from the layer's state. */
      xhat: Matrix;
      /** ∂L/∂x̂ = γ ⊙ ∂L/∂h [1, n]. */
      gradXhat: Matrix;
    })
  | (StepCommon & { kind: 'Layer' });

/** Every layer in model order: the lecture's Dense layers and the others. */
export type StepExplanation = LayerExplanation | OtherLayerExplanation;

/** One parameter's backprop gradient beside its central-difference estimate. */
export interface GradientEstimate {
  /** The layer's 1-based position in `model.layers` (l in a plain stack of Dense layers). */
  layer: number;
  /** 'weights', 'bias', 'gamma', 'beta', … */
  parameter: string;
  /** Unit j, 1-based as in the lecture's w_jk and b_j (the entry of a [1, n] parameter). */
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
  /** The parameters checked, layer by layer in the layer's order (W before b), row-major. */
  entries: GradientEstimate[];
  /** The parameters that could have been checked (in the focus); entries.length ≤ total. */
  total: number;
  /** The largest relative error over the entries. */
  maxRelativeError: number;
}

/**
 * Which part of the network to show: Dense layer l (with the layers after it up to the next
 * Dense layer), or unit j of Dense layer l alone (both 1-based); see focus.ts.
 */
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
  /** The Dense layers 1..L in order: `layers[l − 1]` is layer l. */
  layers: LayerExplanation[];
  /** Every layer of the model in order, `steps[k − 1]` at position k (Dense ones as in `layers`). */
  steps: StepExplanation[];
  /**
   * True when the forward pass ran in training mode: Dropout's mask and GaussianNoise's noise
   * drawn, BatchNormalization on the example's own statistics.
   */
  training: boolean;
  /** What to show: everything, one layer, or one unit. */
  focus: Focus;
  /** Present when asked for with `gradcheck: true`. */
  gradcheck?: GradientCheck;
}
