import type { Sequential } from '../../model/sequential.js';
import type { Matrix } from '../../tensor/matrix.js';
import type { BatchStep } from '../callbacks.js';

/** Where a non-finite value first appeared in a batch that gave a non-finite loss. */
export interface NonFiniteFinding {
  readonly epoch: number;
  readonly batch: number;
  /**
   * What held it: a parameter ('weights', 'bias', …) before the batch, zˡ or aˡ in the forward
   * pass, the output of a layer that is not Dense, the loss, δˡ or ∂L/∂θ in the backward pass.
   */
  readonly quantity: 'parameter' | 'z' | 'a' | 'output' | 'loss' | 'delta' | 'gradient';
  /** The lecture's index l for a Dense layer, else undefined. */
  readonly layer?: number;
  /** The 1-based position of the layer in `model.layers`; undefined for the loss. */
  readonly position?: number;
  /** The first non-finite element's row and column (0-based); undefined for the loss. */
  readonly row?: number;
  readonly column?: number;
  /** The value found: NaN, Infinity or -Infinity. */
  readonly value: number;
  /** One line naming all of the above. */
  readonly message: string;
}

type Quantity = NonFiniteFinding['quantity'];
type Check = (
  quantity: Quantity,
  k: number,
  m: Matrix,
  what: string,
) => NonFiniteFinding | undefined;

const FIRST = 'first non-finite value: ';

/** The first non-finite element of m as [row, column, value], or undefined. */
function firstNonFinite(m: Matrix): [number, number, number] | undefined {
  const D = m.data;
  const n = m.rows * m.cols;
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(D[i]!)) return [Math.floor(i / m.cols), i % m.cols, D[i]!];
  }
  return undefined;
}

/**
 * Reruns a batch whose loss was non-finite with a check after every step, in the order they
 * were computed: the parameters (made non-finite by an earlier update), then forward layer by
 * layer (zˡ, then aˡ for Dense layer l; the output of other layers), the loss, then backward
 * from the last layer down (δˡ, then each parameter's gradient ∂L/∂θ, written to the model's
 * gradient buffers, never to the parameters). The forward pass is the batch's own (fit checks
 * the loss right after it), so dropout masks are as in training. When every forward value is
 * finite the loss is the finding, and the message adds the first non-finite δ or gradient.
 * @returns the first finding; undefined when every value is finite
 * @throws never
 */
export function findNonFinite(
  model: Sequential,
  step: BatchStep,
  epoch: number,
  batch: number,
): NonFiniteFinding | undefined {
  const { workspace, loss, weights } = step;
  const { trace, gradients } = workspace;
  const lecture: number[] = [];
  let l = 0;
  for (const layer of model.layers) lecture.push(layer.isLectureLayer() ? ++l : 0);
  const describe = (
    quantity: Quantity,
    k: number | undefined,
    at: [number, number, number] | undefined,
    what: string,
    value: number,
  ): NonFiniteFinding => {
    const layer = k === undefined ? undefined : lecture[k] || undefined;
    const where =
      k === undefined
        ? ''
        : layer !== undefined
          ? ` of layer ${layer}`
          : ` of layer ${k + 1} (${model.layers[k]!.className})`;
    const cell = at === undefined ? '' : ` at row ${at[0]}, column ${at[1]}`;
    return {
      epoch,
      batch,
      quantity,
      ...(layer !== undefined && { layer }),
      ...(k !== undefined && { position: k + 1 }),
      ...(at !== undefined && { row: at[0], column: at[1] }),
      value,
      message: `${FIRST}${what}${where} is ${value}${cell}`,
    };
  };
  const check: Check = (quantity, k, m, what) => {
    const at = firstNonFinite(m);
    return at === undefined ? undefined : describe(quantity, k, at, what, at[2]);
  };
  const K = model.layers.length;
  for (let k = 0; k < K; k++) {
    for (const parameter of model.layers[k]!.parameters()) {
      const hit = check(
        'parameter',
        k,
        parameter.value,
        `the ${parameter.name} (before the batch)`,
      );
      if (hit) return hit;
    }
  }
  for (let k = 0; k < K; k++) {
    const index = lecture[k]!;
    const hit =
      index > 0
        ? (check('z', k, trace.z[index]!, 'z') ?? check('a', k, trace.a[index]!, 'a'))
        : check('output', k, trace.outputs[k + 1]!, 'the output');
    if (hit) return hit;
  }
  const value = model.lossOf(trace, workspace.target, loss, weights);
  model.backwardTrace(workspace, workspace.target, loss, model.gradientSinks, weights);
  const backward = firstInBackward(model, lecture, gradients.delta, check);
  if (Number.isFinite(value)) return backward;
  const found = describe('loss', undefined, undefined, `the ${loss.name} loss`, value);
  if (backward === undefined) return found;
  return { ...found, message: `${found.message}, then ${backward.message.replace(FIRST, '')}` };
}

/** The first non-finite δˡ or ∂L/∂θ, from the last layer down, after a backward pass. */
function firstInBackward(
  model: Sequential,
  lecture: readonly number[],
  delta: readonly Matrix[],
  check: Check,
): NonFiniteFinding | undefined {
  const sinks = model.gradientSinks;
  for (let k = model.layers.length - 1; k >= 0; k--) {
    const index = lecture[k]!;
    const hit = index > 0 ? check('delta', k, delta[index]!, 'δ') : undefined;
    if (hit) return hit;
    const names = model.layers[k]!.parameters().map((parameter) => parameter.name);
    for (const [i, sink] of sinks[k]!.entries()) {
      const gradient = sink && check('gradient', k, sink.target, `∂L/∂${names[i]}`);
      if (gradient) return gradient;
    }
  }
  return undefined;
}
