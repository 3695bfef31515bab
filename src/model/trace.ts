import type { Backend } from '../backend/backend.js';
import type { Dense } from '../layers/dense.js';
import type { Dropout } from '../layers/dropout.js';
import { Matrix, type DType } from '../tensor/matrix.js';

/**
 * What forward propagation computed, layer by layer, for a batch of B examples.
 * Indices follow the lecture: `a[0]` is the input x [B, n⁰]; for l = 1..L, `z[l]` and `a[l]`
 * are [B, nˡ]. `z[0]` is an empty [0, 0] matrix (the input has no pre-activation).
 */
export interface Trace {
  /** a⁰ = x, then aˡ = g(zˡ): L + 1 matrices, [B, nˡ]. */
  readonly a: Matrix[];
  /** zˡ = aˡ⁻¹(Wˡ)ᵀ + bˡ for l = 1..L, [B, nˡ]; index 0 empty. */
  readonly z: Matrix[];
  /**
   * What layer l multiplied by (Wˡ)ᵀ, for l = 1..L, [B, nˡ⁻¹]: `a[l − 1]` itself, or, in a
   * training forward pass with a Dropout before layer l, the dropped input
   * `dropout[l].output` = aˡ⁻¹ ⊙ mˡ. Index 0 empty.
   */
  readonly input: Matrix[];
  /** For l = 1..L, the buffers of the Dropout before layer l; undefined where there is none. */
  readonly dropout: (DropoutBuffers | undefined)[];
}

/** A Dropout's buffers in a trace, both [B, nˡ⁻¹]. */
export interface DropoutBuffers {
  /** The scaled mask mˡ ∈ {0, 1/(1 − p)} of the last training forward pass. */
  readonly mask: Matrix;
  /** The dropped input aˡ⁻¹ ⊙ mˡ. */
  readonly output: Matrix;
}

/**
 * What backpropagation computed for a batch. Indices l = 1..L; index 0 of each array is an
 * empty [0, 0] matrix.
 */
export interface Gradients {
  /** δˡ = ∂ℓ/∂zˡ per example, [B, nˡ] (not divided by B). */
  readonly delta: Matrix[];
  /** ∂L/∂Wˡ, [nˡ, nˡ⁻¹], the mean over the batch. */
  readonly weights: Matrix[];
  /** ∂L/∂bˡ, [1, nˡ], the mean over the batch. */
  readonly bias: Matrix[];
}

/** The buffers one batch size needs; reused across batches so training allocates nothing. */
export interface Workspace {
  readonly trace: Trace;
  readonly gradients: Gradients;
  /** ∂L/∂aˡ for l = 1..L, [B, nˡ]: scratch for the gradient passed down to layer l. */
  readonly gradA: Matrix[];
  /** The batch's targets y [B, nᴸ], filled by the training loop. */
  readonly target: Matrix;
  /** [∂L/∂W¹, ∂L/∂b¹, …]: the gradients in the order of `Sequential.parameters()`. */
  readonly parameterGradients: Matrix[];
}

const empty = (dtype: DType): Matrix => new Matrix(0, 0, dtype);

/** A [rows, cols] matrix in the backend's memory. */
export function backendMatrix(backend: Backend, rows: number, cols: number, dtype: DType): Matrix {
  return new Matrix(rows, cols, backend.allocate(dtype, rows * cols));
}

/**
 * Allocates a trace's z and a (with `input` as a⁰) for a batch of `rows` examples, and the
 * buffers of the dropouts (`dropouts[l − 1]` is the Dropout before layer l, or undefined).
 */
export function allocateTrace(
  backend: Backend,
  layers: readonly Dense[],
  input: Matrix,
  dtype: DType,
  dropouts: readonly (Dropout | undefined)[] = [],
): Trace {
  const perLayer = (): Matrix[] =>
    layers.map((layer) => backendMatrix(backend, input.rows, layer.outputs, dtype));
  const a = [input, ...perLayer()];
  return {
    a,
    z: [empty(dtype), ...perLayer()],
    input: [empty(dtype), ...layers.map((_, i) => a[i]!)],
    dropout: [
      undefined,
      ...layers.map((layer, i) =>
        dropouts[i] === undefined
          ? undefined
          : {
              mask: backendMatrix(backend, input.rows, layer.inputs, dtype),
              output: backendMatrix(backend, input.rows, layer.inputs, dtype),
            },
      ),
    ],
  };
}

/** Keeps a base workspace alive while a view of it is: its arrays are freed when collected. */
const viewBases = new WeakMap<Workspace, Workspace>();

/**
 * The buffers for `rows` examples as views of the first rows of a larger workspace's batch
 * buffers (no new memory), with its parameter-shaped gradients shared and its aliasing kept
 * (input[l] is a[l − 1] where it is in the base).
 * @param base - a workspace for at least `rows` examples
 * @throws {ShapeError} when `rows` exceeds the base's batch size
 */
export function viewWorkspace(base: Workspace, rows: number): Workspace {
  const views = new Map<Matrix, Matrix>();
  const view = (m: Matrix): Matrix => {
    if (m.rows === 0) return m; // the empty placeholders at index 0
    let rowsOf = views.get(m);
    if (rowsOf === undefined) {
      rowsOf = m.rowRange(0, rows);
      views.set(m, rowsOf);
    }
    return rowsOf;
  };
  const { trace, gradients } = base;
  const workspace: Workspace = {
    trace: {
      a: trace.a.map(view),
      z: trace.z.map(view),
      input: trace.input.map(view),
      dropout: trace.dropout.map(
        (buffers) => buffers && { mask: view(buffers.mask), output: view(buffers.output) },
      ),
    },
    gradients: { ...gradients, delta: gradients.delta.map(view) },
    gradA: base.gradA.map(view),
    target: view(base.target),
    parameterGradients: base.parameterGradients,
  };
  viewBases.set(workspace, base);
  return workspace;
}

/** Allocates gradients (and the scratch ∂L/∂a) for a batch of `rows` examples. */
export function allocateGradients(
  backend: Backend,
  layers: readonly Dense[],
  rows: number,
  dtype: DType,
): Omit<Workspace, 'trace' | 'target'> {
  const perLayer = (shape: (layer: Dense) => [number, number]): Matrix[] => [
    empty(dtype),
    ...layers.map((layer) => backendMatrix(backend, ...shape(layer), dtype)),
  ];
  const gradients = {
    delta: perLayer((layer) => [rows, layer.outputs]),
    weights: perLayer((layer) => [layer.outputs, layer.inputs]),
    bias: perLayer((layer) => [1, layer.outputs]),
  };
  return {
    gradients,
    gradA: perLayer((layer) => [rows, layer.outputs]),
    parameterGradients: layers.flatMap((_, i) => [
      gradients.weights[i + 1]!,
      gradients.bias[i + 1]!,
    ]),
  };
}
