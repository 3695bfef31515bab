import type { Backend } from '../backend/backend.js';
import type { Matrix } from '../tensor/matrix.js';

/** The built-in activation functions g, by name. */
export type BuiltinActivationName =
  | 'sigmoid'
  | 'tanh'
  | 'relu'
  | 'leakyRelu'
  | 'linear'
  | 'softmax'
  | 'elu'
  | 'selu'
  | 'gelu'
  | 'geluTanh'
  | 'softplus'
  | 'swish'
  | 'softsign'
  | 'hardSigmoid'
  | 'mish';

/**
 * An activation's name: a built-in one, or the name a custom activation was given (editors
 * still complete the built-in names).
 */
export type ActivationName = BuiltinActivationName | (string & {});

/** A built-in activation with its options, as stored in a model file. */
export type ActivationConfig =
  | BuiltinActivationName
  | { readonly name: 'leakyRelu'; readonly slope?: number }
  | { readonly name: 'elu'; readonly alpha?: number }
  | { readonly name: 'hardSigmoid'; readonly slope?: number; readonly offset?: number }
  | { readonly name: Exclude<BuiltinActivationName, 'leakyRelu' | 'elu' | 'hardSigmoid'> };

/**
 * A user-defined element-wise activation: g and g′ as plain functions of one number. It runs
 * on JavaScript loops in every backend, cannot be exported to ONNX, and has no model-file form.
 */
export interface CustomActivationSpec {
  /** Its name in labels and errors; must not be a built-in name. */
  readonly name: string;
  /** g(z). */
  readonly g: (z: number) => number;
  /** g′(z), given z and a = g(z). */
  readonly derivative: (z: number, a: number) => number;
}

/**
 * What an activation option accepts: a built-in name (`'elu'`), a name with options
 * (`{ name: 'leakyRelu', slope: 0.2 }`), a custom activation, or an Activation itself. Names
 * are checked when the activation is made ({@link getActivation}).
 */
export type ActivationSpec = ActivationName | ActivationConfig | CustomActivationSpec | Activation;

/** The WASM kernel of an element-wise activation: its code in assembly/elementwise.ts. */
export interface ActivationKernel {
  readonly code: number;
  /** The options the kernel takes (unused ones are 0). */
  readonly parameters: readonly [number, number];
}

/** What every activation offers: aˡ = g(zˡ) and δ from ∂L/∂a, for a batch (all [B, units]). */
interface ActivationBase {
  /** The name used in options and model files (for a custom activation, its own name). */
  readonly name: ActivationName;
  /** How it prints: the name, with options when they are not the defaults, e.g. 'elu(0.5)'. */
  readonly label: string;
  /**
   * The JSON-serialisable spec to store in a model file: the plain name when every option is
   * at its default, else `{ name, ...options }`. A custom activation's is its name, which
   * {@link getActivation} cannot restore (see `custom`).
   */
  readonly config: ActivationConfig | string;
  /** The options in effect, defaults included (empty for activations without options). */
  readonly options: Readonly<Record<string, number>>;
  /** True for a user-defined activation (JavaScript functions, no file or ONNX form). */
  readonly custom: boolean;
  /** a = g(z), written into `a` by the backend's kernel. */
  forward(backend: Backend, z: Matrix, a: Matrix): void;
  /**
   * δ = ∂L/∂z from ∂L/∂a (lecture: δˡ = ∂L/∂aˡ ⊙ g′(zˡ) for element-wise g; the Jacobian-vector
   * product for softmax). `delta` must not alias `gradA`.
   */
  backward(backend: Backend, z: Matrix, a: Matrix, gradA: Matrix, delta: Matrix): void;
}

/** An element-wise activation: a scalar g and its derivative g′. */
export interface ElementwiseActivation extends ActivationBase {
  readonly kind: 'elementwise';
  readonly name: Exclude<ActivationName, 'softmax'>;
  /** g(z) for one number. */
  readonly g: (z: number) => number;
  /** g′(z), given z and a = g(z) (whichever is cheaper and exact to use). */
  readonly derivative: (z: number, a: number) => number;
  /** Its WASM kernel; undefined runs g and g′ on JavaScript loops in every backend. */
  readonly kernel: ActivationKernel | undefined;
}

/** Softmax, which acts on whole rows: aᵢ = e^(zᵢ) / Σⱼ e^(zⱼ). */
export interface SoftmaxActivation extends ActivationBase {
  readonly kind: 'softmax';
  readonly name: 'softmax';
}

/**
 * An activation function g applied to a layer's pre-activations: aˡ = g(zˡ). The math is in
 * the table (activations/table.ts); the loops over matrices are the backend's (`activate`,
 * `activateBackward`).
 */
export type Activation = ElementwiseActivation | SoftmaxActivation;
