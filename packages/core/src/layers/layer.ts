import type { Activation } from '../activations.js';
import type { Backend } from '../backend/backend.js';
import { ConfigError } from '../errors.js';
import { Matrix, type DType } from '../tensor/matrix.js';
import type { Random } from '../tensor/random.js';

/** What a layer is built with: the model's element type, seeded generator and kernels. */
export interface LayerContext {
  readonly dtype: DType;
  readonly random: Random;
  readonly backend: Backend;
}

/**
 * A named parameter tensor of a layer, e.g. Dense's `weights` [nˡ, nˡ⁻¹] or BatchNormalization's
 * `movingMean` [1, n]. `trainable` parameters get gradients and optimizer updates (unless the
 * layer is frozen); the others (running statistics) are updated by the layer itself.
 */
export interface Parameter {
  /** The parameter's name within its layer: 'weights', 'bias', 'gamma', 'beta', … */
  readonly name: string;
  /** The values, in the backend's memory; optimizers update `value.data` in place. */
  readonly value: Matrix;
  /** False for statistics the layer updates itself (never passed to an optimizer). */
  readonly trainable: boolean;
  /** True for the weights the L1/L2 penalty applies to (Keras's kernel_regularizer). */
  readonly penalized: boolean;
}

/**
 * Where `backward` writes the gradient of one trainable parameter θ:
 * `target ← beta·target + scale·∂L/∂θ` (∂L/∂θ the batch mean). With `target` a gradient buffer,
 * scale 1 and beta 0 this stores the gradient; with `target` θ itself, scale −η and beta 1 it
 * is the fused SGD step (optimizers/sgd.ts), which never stores the gradient.
 */
export interface GradientSink {
  target: Matrix;
  scale: number;
  beta: 0 | 1;
}

/** Allocates a layer's buffers for a batch: `batch(cols)` is [B, cols]; `fixed` any shape. */
export interface BufferAllocator {
  /** A [B, cols] buffer (a view of the first B rows of a larger one for smaller batches). */
  batch(cols: number): Matrix;
  /** A buffer whose shape does not depend on B (e.g. per-unit batch statistics [1, n]). */
  fixed(rows: number, cols: number): Matrix;
}

/**
 * A layer's buffers for one batch size, owned by the model's workspace and reused across
 * batches. Each layer keeps what its backward pass needs (z, masks, normalised inputs, …).
 */
export interface LayerState {
  /** The model's generator (masks, noise) and kernels. */
  readonly context: LayerContext;
}

/** A layer of the lecture (Dense): zˡ = Wˡaˡ⁻¹ + bˡ, aˡ = g(zˡ). */
export interface LectureLayer extends Layer {
  /** Wˡ [nˡ, nˡ⁻¹]. */
  weights: Matrix;
  /** bˡ [1, nˡ]. */
  bias: Matrix;
  /** g. */
  readonly activation: Activation;
}

/**
 * The protocol every layer implements (DESIGN.md, "The Layer protocol"). A layer is a function
 * of its input [B, inputs] → output [B, outputs] with parameters:
 * - `build(inputs, context)` creates the parameters from the input width, dtype, seeded
 *   generator and backend; a layer built once keeps its parameters when placed in another model
 *   (the models then share them, as in Keras);
 * - `allocate(allocator, context)` creates the buffers a batch needs; the model owns them;
 * - `forward(input, state, training)` computes the output into the state's buffers and returns
 *   it (or the input itself for a pass-through, e.g. Dropout at inference);
 * - `backward(input, output, state, gradOutput, gradInput, sinks)` takes ∂L/∂output and writes
 *   ∂L/∂input (first, while the parameters are unchanged) and then each trainable parameter's
 *   gradient into its sink;
 * - `parameters()` lists the named parameters in a fixed order; `getConfig()` gives the
 *   constructor options for the model file; `trainable = false` freezes the layer.
 * Layers know nothing of optimizers or of each other; the model loops over them.
 */
export abstract class Layer<S extends LayerState = LayerState> {
  /** The layer's class name in model files and summaries, e.g. 'Dense'. */
  abstract readonly className: string;
  /**
   * False freezes the layer (Keras `layer.trainable`): its parameters get no updates and no
   * optimizer state, and normalisation layers use their running statistics while training.
   */
  trainable = true;
  #inputs: number | undefined;
  #outputs: number | undefined;
  #context: LayerContext | undefined;

  /** nˡ⁻¹, the width of the input; known once built. @throws {ConfigError} before build. */
  get inputs(): number {
    return this.#inputs ?? this.notBuilt();
  }

  /** The width of the output; known once built. @throws {ConfigError} before build. */
  get outputs(): number {
    return this.#outputs ?? this.notBuilt();
  }

  /** The input width the layer requires before it is built (Dense's), or once built. */
  get expectedInputs(): number | undefined {
    return this.#inputs;
  }

  /** True once a model has built the layer (its parameters exist). */
  get built(): boolean {
    return this.#context !== undefined;
  }

  /**
   * Creates the parameters for inputs of width `inputs`, once: a built layer keeps (and
   * shares) its parameters when placed in another model of the same dtype and backend.
   * @returns the output width
   * @throws {ConfigError} when a built layer is placed after a layer of another width or in a
   *   model of another dtype or backend, or the width does not suit the layer.
   */
  build(inputs: number, context: LayerContext): number {
    if (this.#context !== undefined) {
      const was = this.#context;
      if (
        this.#inputs !== inputs ||
        was.dtype !== context.dtype ||
        was.backend !== context.backend
      ) {
        throw new ConfigError(
          `${this} was built for ${this.#inputs} ${was.dtype} inputs on the ${was.backend.name} ` +
            `backend; it cannot take ${inputs} ${context.dtype} inputs on ` +
            `${context.backend.name} (a built layer keeps its parameters)`,
        );
      }
      return this.#outputs!;
    }
    const outputs = this.createParameters(inputs, context);
    this.#inputs = inputs;
    this.#outputs = outputs;
    this.#context = context;
    return outputs;
  }

  /**
   * Creates and initialises the parameters (none by default).
   * @returns the output width for inputs of width `inputs`
   */
  protected abstract createParameters(inputs: number, context: LayerContext): number;

  /** The buffers for one batch size; see {@link LayerState}. */
  abstract allocate(allocator: BufferAllocator, context: LayerContext): S;

  /**
   * The layer's output for a batch.
   * @param input - [B, inputs]
   * @param training - training mode (dropout and noise on, batch statistics)
   * @returns [B, outputs], one of the state's buffers or `input` itself
   */
  abstract forward(input: Matrix, state: S, training: boolean): Matrix;

  /**
   * Backpropagates through the layer: ∂L/∂input first (with the parameters as in the forward
   * pass), then each trainable parameter's gradient into its sink.
   * @param input - the forward pass's input [B, inputs]
   * @param output - the forward pass's output [B, outputs]
   * @param gradOutput - ∂L/∂output [B, outputs], or null when the layer's own δ was already
   *   written by a fused loss (see {@link Layer.logits})
   * @param gradInput - ∂L/∂input [B, inputs] to write, or null when not needed
   * @param sinks - one per entry of `parameters()` (null: no gradient wanted)
   */
  abstract backward(
    input: Matrix,
    output: Matrix,
    state: S,
    gradOutput: Matrix | null,
    gradInput: Matrix | null,
    sinks: readonly (GradientSink | null)[],
  ): void;

  /** The named parameters, in a fixed order (empty for layers without any). */
  parameters(): Parameter[] {
    return [];
  }

  /** For a layer whose output is a = g(z) (Dense, ActivationLayer): the name of g. */
  outputActivation?(): string;

  /**
   * For a layer whose output is a = g(z): its activation's name and the buffers of z and of
   * δ = ∂L/∂z, so a loss fused with g (softmax + cross-entropy) can write δ = a − y directly
   * and compute its value from z. Undefined for other layers.
   */
  logits?(state: S): { activation: string; z: Matrix; delta: Matrix };

  /**
   * For the layers the lecture numbers l = 1..L (Dense): the buffers of zˡ and δˡ, shown as
   * `trace.z[l]` and `gradients.delta[l]`. Undefined for other layers.
   */
  lectureView?(state: S): { z: Matrix; a: Matrix; delta: Matrix };

  /** True for the layers the lecture numbers l = 1..L (Dense), which have weights and a bias. */
  isLectureLayer(): this is LectureLayer {
    return false;
  }

  /**
   * True when `forward` and `backward` compute only by calling `state.context.backend`'s
   * kernels, with no JavaScript loop over elements, no draw from the generator, no buffer but
   * the `batch` ones, and each output row (and ∂L/∂input row) a function of the same row of the
   * input (and of ∂L/∂output) alone: then the model may run the layer on row ranges of a batch
   * with a backend that records the calls, and sum the parameter gradients of the ranges
   * (model/data-parallel.ts). False by default.
   */
  computesRowsOnBackend(): boolean {
    return false;
  }

  /** For a Dropout: its mask and output, shown as `trace.dropout[l]`. Undefined otherwise. */
  dropoutMask?(state: S): { mask: Matrix; output: Matrix };

  /** The options that rebuild an equal layer (without parameters), for the model file. */
  abstract getConfig(): Record<string, unknown>;

  /** The context the layer was built with. @throws {ConfigError} before build. */
  protected get context(): LayerContext {
    return this.#context ?? this.notBuilt();
  }

  /** Allocates a parameter [rows, cols] in the backend's memory. */
  protected parameterMatrix(rows: number, cols: number, context: LayerContext): Matrix {
    return new Matrix(rows, cols, context.backend.allocate(context.dtype, rows * cols));
  }

  /** @throws {ConfigError} saying that the layer has no parameters until a model builds it. */
  protected notBuilt(): never {
    throw new ConfigError(
      `${this.toString()} has no parameters yet: add it to a Sequential, which builds it`,
    );
  }
}
