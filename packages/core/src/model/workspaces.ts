import type { BufferAllocator, GradientSink, Layer, LayerContext } from '../layers/layer.js';
import type { Matrix } from '../tensor/matrix.js';
import { allocateTrace, allocateWorkspace, backendMatrix, type Workspace } from './trace.js';

/**
 * The batch buffers of a model, reused. One set is allocated, for a power of two of rows at
 * least as large as any batch so far; smaller batches get views of its first rows (the layers'
 * fixed buffers and the parameter gradients are shared). So batches of ever new sizes (a last,
 * smaller batch; predict on inputs of any length) allocate memory only when the largest size
 * doubles.
 */
export class Workspaces {
  readonly #layers: readonly Layer[];
  readonly #context: LayerContext;
  readonly #inputs: number;
  readonly #sinks: readonly (readonly (GradientSink | null)[])[];
  #base: { rows: number; workspace: Workspace; batch: Matrix[]; fixed: Matrix[] } | undefined;
  readonly #views = new Map<number, Workspace>();

  /**
   * @param sinks - the model's gradient buffers (scale 1, beta 0), one per parameter of each
   *   layer, null for parameters without a gradient
   */
  constructor(
    layers: readonly Layer[],
    context: LayerContext,
    inputs: number,
    sinks: readonly (readonly (GradientSink | null)[])[],
  ) {
    this.#layers = layers;
    this.#context = context;
    this.#inputs = inputs;
    this.#sinks = sinks;
  }

  /** The buffers for a batch of `rows` examples. */
  get(rows: number): Workspace {
    let workspace = this.#views.get(rows);
    if (workspace !== undefined) return workspace;
    if (this.#base === undefined || this.#base.rows < rows) {
      const capacity = 2 ** Math.ceil(Math.log2(rows));
      const { backend, dtype } = this.#context;
      const batch: Matrix[] = [];
      const fixed: Matrix[] = [];
      const allocator: BufferAllocator = {
        batch: (cols) => push(batch, backendMatrix(backend, capacity, cols, dtype)),
        fixed: (r, cols) => push(fixed, backendMatrix(backend, r, cols, dtype)),
      };
      const base = this.#allocate(allocator);
      this.#base = { rows: capacity, workspace: base, batch, fixed };
      this.#views.clear();
    }
    const base = this.#base;
    if (rows === base.rows) {
      workspace = base.workspace;
    } else {
      // The same allocations in the same order, answered with views of the base's buffers.
      let nextBatch = 0;
      let nextFixed = 0;
      workspace = this.#allocate({
        batch: () => base.batch[nextBatch++]!.rowRange(0, rows),
        fixed: () => base.fixed[nextFixed++]!,
      });
    }
    if (this.#views.size >= 8) this.#views.clear();
    this.#views.set(rows, workspace);
    viewBases.set(workspace, base.workspace);
    return workspace;
  }

  #allocate(allocator: BufferAllocator): Workspace {
    const trace = allocateTrace(this.#layers, this.#context, allocator, this.#inputs);
    return allocateWorkspace(trace, this.#layers, allocator, this.#sinks);
  }
}

/** Keeps a base workspace alive while a view of it is: its arrays are freed when collected. */
const viewBases = new WeakMap<Workspace, Workspace>();

function push(list: Matrix[], m: Matrix): Matrix {
  list.push(m);
  return m;
}
