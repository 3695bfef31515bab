import type { BufferAllocator, GradientSink, Layer, LayerContext } from '../layers/layer.js';
import type { Matrix } from '../tensor/matrix.js';
import {
  allocateTrace,
  allocateWorkspace,
  backendMatrix,
  type Trace,
  type Workspace,
} from './trace.js';

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
  /** Each trace's workspace and batch buffers, in the order its layers allocated them. */
  readonly #buffers = new WeakMap<Trace, { workspace: Workspace; buffers: Matrix[] }>();

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
    let buffers = base.batch;
    if (rows === base.rows) {
      workspace = base.workspace;
    } else {
      ({ workspace, buffers } = this.#rows(0, rows, this.#context, this.#sinks));
    }
    this.#buffers.set(workspace.trace, { workspace, buffers });
    if (this.#views.size >= 8) this.#views.clear();
    this.#views.set(rows, workspace);
    viewBases.set(workspace, base.workspace);
    return workspace;
  }

  /**
   * Row slices of the workspace of a trace this object made: for each i, rows [bounds[i], bounds[i + 1]) of
   * every batch buffer, as a workspace whose layers compute with `context` and put their
   * gradients into `sinks[i]` (model/data-parallel.ts). Fixed buffers are shared.
   * @returns the workspace, its batch buffers and each slice's, in allocation order (so that
   *   `slices[i].buffers[j]` is rows of `buffers[j]`); undefined for a trace of another
   *   workspace, or whose buffers are no longer the current ones
   */
  slices(
    trace: Trace,
    bounds: readonly number[],
    context: LayerContext,
    sinks: readonly (readonly (readonly (GradientSink | null)[])[])[],
  ):
    | {
        workspace: Workspace;
        buffers: Matrix[];
        slices: { workspace: Workspace; buffers: Matrix[] }[];
      }
    | undefined {
    const found = this.#buffers.get(trace);
    if (found === undefined || viewBases.get(found.workspace) !== this.#base?.workspace) return;
    const slices = sinks.map((perSlice, i) =>
      this.#rows(bounds[i]!, bounds[i + 1]!, context, perSlice),
    );
    return { ...found, slices };
  }

  /** The same allocations in the same order, answered with rows [from, to) of the base's. */
  #rows(
    from: number,
    to: number,
    context: LayerContext,
    sinks: readonly (readonly (GradientSink | null)[])[],
  ): { workspace: Workspace; buffers: Matrix[] } {
    const base = this.#base!;
    const buffers: Matrix[] = [];
    let nextBatch = 0;
    let nextFixed = 0;
    const workspace = this.#allocate(
      {
        batch: () => push(buffers, base.batch[nextBatch++]!.rowRange(from, to)),
        fixed: () => base.fixed[nextFixed++]!,
      },
      context,
      sinks,
    );
    return { workspace, buffers };
  }

  #allocate(allocator: BufferAllocator, context = this.#context, sinks = this.#sinks): Workspace {
    const trace = allocateTrace(this.#layers, context, allocator, this.#inputs);
    return allocateWorkspace(trace, this.#layers, allocator, sinks);
  }
}

/** Keeps a base workspace alive while a view of it is: its arrays are freed when collected. */
const viewBases = new WeakMap<Workspace, Workspace>();

function push(list: Matrix[], m: Matrix): Matrix {
  list.push(m);
  return m;
}
