import type { Backend } from '../backend/backend.js';
import type {
  BufferAllocator,
  GradientSink,
  Layer,
  LayerContext,
  LayerState,
} from '../layers/layer.js';
import { Matrix, type DType } from '../tensor/matrix.js';

/**
 * What forward propagation computed for a batch of B examples, in two views.
 *
 * The lecture's view counts the Dense layers l = 1..L: `a[0]` is the input x [B, n⁰]; for
 * l = 1..L, `z[l]` and `a[l]` [B, nˡ] are Dense layer l's zˡ and aˡ = g(zˡ), and `input[l]`
 * is what it multiplied by (Wˡ)ᵀ, [B, nˡ⁻¹]: the output of the layer before it (aˡ⁻¹ itself
 * in a plain stack; aˡ⁻¹ ⊙ mˡ after a Dropout in a training pass; a normalised aˡ⁻¹ after a
 * BatchNormalization). `dropout[l]` holds the mask of the Dropout that feeds Dense layer l.
 * Index 0 of z and input is an empty [0, 0] matrix.
 *
 * The layer view: `outputs[0]` is x and `outputs[k]` the output of `model.layers[k − 1]`, for
 * every layer, Dense or not; `states[k − 1]` are that layer's buffers.
 */
export interface Trace {
  /** a⁰ = x, then aˡ = g(zˡ) of each Dense layer: L + 1 matrices, [B, nˡ]. */
  readonly a: Matrix[];
  /** zˡ = aˡ⁻¹(Wˡ)ᵀ + bˡ for l = 1..L, [B, nˡ]; index 0 empty. */
  readonly z: Matrix[];
  /** What Dense layer l multiplied by (Wˡ)ᵀ, for l = 1..L, [B, nˡ⁻¹]; index 0 empty. */
  readonly input: Matrix[];
  /** For l = 1..L, the buffers of the Dropout feeding Dense layer l; undefined where none. */
  readonly dropout: (DropoutBuffers | undefined)[];
  /** outputs[0] = x; outputs[k] = the output of layer k (1-based, every layer), [B, width]. */
  readonly outputs: Matrix[];
  /** Each layer's buffers, in layer order. */
  readonly states: LayerState[];
}

/** A Dropout's buffers in a trace, both [B, n]. */
export interface DropoutBuffers {
  /** The scaled mask m ∈ {0, 1/(1 − p)} of the last training forward pass. */
  readonly mask: Matrix;
  /** The dropped input a ⊙ m. */
  readonly output: Matrix;
}

/**
 * What backpropagation computed for a batch. Lecture view (Dense layers l = 1..L, index 0 an
 * empty [0, 0] matrix): `delta`, `weights`, `bias`. Every trainable parameter's gradient, in the
 * order of `model.parameters()`: `parameters`.
 */
export interface Gradients {
  /** δˡ = ∂ℓ/∂zˡ per example, [B, nˡ] (not divided by B). */
  readonly delta: Matrix[];
  /** ∂L/∂Wˡ, [nˡ, nˡ⁻¹], the mean over the batch. */
  readonly weights: Matrix[];
  /** ∂L/∂bˡ, [1, nˡ], the mean over the batch. */
  readonly bias: Matrix[];
  /** ∂L/∂θ for each parameter of `model.parameters()`, the same shapes. */
  readonly parameters: Matrix[];
}

/** The buffers one batch size needs; reused across batches so training allocates nothing. */
export interface Workspace {
  readonly trace: Trace;
  readonly gradients: Gradients;
  /** gradOutputs[k] = ∂L/∂outputs[k], [B, width], for k = 1..K; index 0 empty. */
  readonly gradOutputs: Matrix[];
  /** The batch's targets y [B, nᴸ], filled by the training loop. */
  readonly target: Matrix;
  /** Per-example weights [B] (classWeight, sampleWeight), filled by the loop when used. */
  readonly weights: Float64Array;
}

const empty = (dtype: DType): Matrix => new Matrix(0, 0, dtype);

/** A [rows, cols] matrix in the backend's memory. */
export function backendMatrix(backend: Backend, rows: number, cols: number, dtype: DType): Matrix {
  return new Matrix(rows, cols, backend.allocate(dtype, rows * cols));
}

/**
 * Allocates a trace for a batch of `rows` examples: the input x and each layer's state, and the
 * lecture's view of them.
 * @param allocator - where batch buffers come from (new memory, or views of a larger workspace)
 */
export function allocateTrace(
  layers: readonly Layer[],
  context: LayerContext,
  allocator: BufferAllocator,
  inputs: number,
): Trace {
  const { dtype } = context;
  const x = allocator.batch(inputs);
  const states = layers.map((layer) => layer.allocate(allocator, context));
  // Each layer's output is one of its buffers (or its input): set by every forward pass.
  const outputs = [x, ...layers.map(() => empty(dtype))];
  const trace: Trace = {
    a: [x],
    z: [empty(dtype)],
    input: [empty(dtype)],
    dropout: [undefined],
    outputs,
    states,
  };
  let dropout: DropoutBuffers | undefined;
  layers.forEach((layer, k) => {
    const state = states[k]!;
    dropout = layer.dropoutMask?.(state) ?? dropout;
    const lecture = layer.lectureView?.(state);
    if (lecture === undefined) return;
    outputs[k + 1] = lecture.a;
    trace.a.push(lecture.a);
    trace.z.push(lecture.z);
    trace.input.push(outputs[k]!);
    trace.dropout.push(dropout);
    dropout = undefined;
  });
  return trace;
}

/**
 * The buffers backpropagation needs for a trace: the gradient with respect to each layer's
 * output, the targets and the per-example weights, and the gradients' lecture view.
 * @param sinks - the gradient buffers, one per parameter of each layer (null for parameters
 *   without a gradient), in layer order
 */
export function allocateWorkspace(
  trace: Trace,
  layers: readonly Layer[],
  allocator: BufferAllocator,
  sinks: readonly (readonly (GradientSink | null)[])[],
): Workspace {
  const dtype = trace.z[0]!.data instanceof Float64Array ? 'float64' : 'float32';
  const gradients: Gradients = {
    delta: [empty(dtype)],
    weights: [empty(dtype)],
    bias: [empty(dtype)],
    parameters: sinks.flatMap((perLayer) =>
      perLayer.flatMap((sink) => (sink ? [sink.target] : [])),
    ),
  };
  layers.forEach((layer, k) => {
    const lecture = layer.lectureView?.(trace.states[k]!);
    if (lecture === undefined) return;
    gradients.delta.push(lecture.delta);
    gradients.weights.push(sinks[k]![0]!.target);
    gradients.bias.push(sinks[k]![1]!.target);
  });
  return {
    trace,
    gradients,
    gradOutputs: [empty(dtype), ...layers.map((layer) => allocator.batch(layer.outputs))],
    target: allocator.batch(layers[layers.length - 1]!.outputs),
    weights: new Float64Array(trace.outputs[0]!.rows),
  };
}
