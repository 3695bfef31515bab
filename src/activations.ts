import type { Backend } from './backend/backend.js';
import { ConfigError } from './errors.js';
import type { Matrix } from './tensor/matrix.js';

/** The activation functions g, by name. */
export type ActivationName = 'sigmoid' | 'tanh' | 'relu' | 'leakyRelu' | 'linear' | 'softmax';

/** What every activation offers: aˡ = g(zˡ) and δ from ∂L/∂a, for a batch (all [B, units]). */
interface ActivationMethods {
  /** a = g(z), written into `a` by the backend's kernel. */
  forward(backend: Backend, z: Matrix, a: Matrix): void;
  /**
   * δ = ∂L/∂z from ∂L/∂a (lecture: δˡ = ∂L/∂aˡ ⊙ g′(zˡ) for element-wise g; the Jacobian-vector
   * product for softmax). `delta` must not alias `gradA`.
   */
  backward(backend: Backend, z: Matrix, a: Matrix, gradA: Matrix, delta: Matrix): void;
}

/** An element-wise activation: a scalar g and its derivative g′. */
export interface ElementwiseActivation extends ActivationMethods {
  readonly kind: 'elementwise';
  /** The name used in options and model files. */
  readonly name: Exclude<ActivationName, 'softmax'>;
  /** g(z) for one number. */
  readonly g: (z: number) => number;
  /** g′(z), given z and a = g(z) (whichever is cheaper and exact to use). */
  readonly derivative: (z: number, a: number) => number;
}

/** Softmax, which acts on whole rows: aᵢ = e^(zᵢ) / Σⱼ e^(zⱼ). */
export interface SoftmaxActivation extends ActivationMethods {
  readonly kind: 'softmax';
  readonly name: 'softmax';
}

/**
 * An activation function g applied to a layer's pre-activations: aˡ = g(zˡ). The math is here;
 * the loops over matrices are the backend's (`activate`, `activateBackward`).
 */
export type Activation = ElementwiseActivation | SoftmaxActivation;

/** Slope of leakyRelu for z < 0 (PyTorch's default negative_slope). */
export const LEAKY_RELU_SLOPE = 0.01;

const methods: ActivationMethods = {
  forward(this: Activation, backend, z, a) {
    backend.activate(this, z, a);
  },
  backward(this: Activation, backend, z, a, gradA, delta) {
    backend.activateBackward(this, z, a, gradA, delta);
  },
};

function elementwise(
  name: ElementwiseActivation['name'],
  g: (z: number) => number,
  derivative: (z: number, a: number) => number,
): ElementwiseActivation {
  return { kind: 'elementwise', name, g, derivative, ...methods };
}

/**
 * σ(z) = 1 / (1 + e^(−z)), computed as e^z / (1 + e^z) for z < 0 so that no exponential
 * overflows: finite and in [0, 1] for every finite z. σ′(z) = σ(z)(1 − σ(z)).
 */
export function sigmoid(z: number): number {
  if (z >= 0) return 1 / (1 + Math.exp(-z));
  const e = Math.exp(z);
  return e / (1 + e);
}

/**
 * The activations, one table: g and g′ side by side.
 * - sigmoid: σ(z) = 1/(1+e^(−z)); σ′ = σ(1 − σ)
 * - tanh: tanh z; tanh′ = 1 − tanh² z
 * - relu: max(0, z); relu′ = 1 for z > 0, else 0 (the subgradient 0 at z = 0, as PyTorch)
 * - leakyRelu: z for z > 0, else 0.01·z; derivative 1 or 0.01
 * - linear: z; derivative 1
 * - softmax: aᵢ = e^(zᵢ − max z) / Σⱼ e^(zⱼ − max z) per row; its derivative is the Jacobian
 *   ∂aⱼ/∂zᵢ = aⱼ(𝟙[i=j] − aᵢ), applied as a Jacobian-vector product. With cross-entropy the
 *   model uses the fused δ = a − y instead (see losses.ts).
 */
export const activations: Readonly<Record<ActivationName, Activation>> = {
  sigmoid: elementwise('sigmoid', sigmoid, (_z, a) => a * (1 - a)),
  tanh: elementwise('tanh', Math.tanh, (_z, a) => 1 - a * a),
  relu: elementwise(
    'relu',
    (z) => (z > 0 ? z : 0),
    (z) => (z > 0 ? 1 : 0),
  ),
  leakyRelu: elementwise(
    'leakyRelu',
    (z) => (z > 0 ? z : LEAKY_RELU_SLOPE * z),
    (z) => (z > 0 ? 1 : LEAKY_RELU_SLOPE),
  ),
  linear: elementwise(
    'linear',
    (z) => z,
    () => 1,
  ),
  softmax: { kind: 'softmax', name: 'softmax', ...methods },
};

/** The valid activation names, for help texts and errors. */
export const ACTIVATION_NAMES = Object.keys(activations) as ActivationName[];

/**
 * Looks an activation up by name.
 * @throws {ConfigError} for an unknown name, listing the valid ones.
 */
export function getActivation(name: string, option = 'activation'): Activation {
  if (Object.hasOwn(activations, name)) return activations[name as ActivationName];
  throw new ConfigError(
    `unknown ${option} ${JSON.stringify(name)}; expected one of ${ACTIVATION_NAMES.join(', ')}`,
  );
}
