import type { LayerContext } from '../layers/layer.js';
import type { Loss } from '../losses.js';
import type { GradientSink } from '../layers/layer.js';
import type { Matrix } from '../tensor/matrix.js';
import type { Network } from './propagation.js';
import type { Trace, Workspace } from './trace.js';
import type { Workspaces } from './workspaces.js';

// Where a model gets data-parallel propagation from (model/data-parallel.ts): src/data-parallel.ts
// provides it with the backend's programs, so that a page without threads does not bundle it.

/** Forward and backward propagation split over a backend's threads (see DataParallel). */
export interface DataParallelPropagation {
  /** @returns false (having done nothing) when the batch is not to be split */
  forward(trace: Trace, training: boolean): boolean;
  /** @returns false (having done nothing) when the batch is not to be split */
  backward(
    workspace: Workspace,
    y: Matrix,
    loss: Loss,
    sinks: readonly (readonly (GradientSink | null)[])[],
    weights?: Float64Array,
  ): boolean;
}

/** Makes a model's data-parallel propagation; its context's backend has programs. */
export type DataParallelFactory = (
  network: Network,
  workspaces: Workspaces,
  context: LayerContext,
) => DataParallelPropagation;

let factory: DataParallelFactory | undefined;

/** Registers the maker (src/data-parallel.ts does). */
export function provideDataParallel(make: DataParallelFactory): void {
  factory = make;
}

/**
 * A model's data-parallel propagation, or null: for float32 models whose backend runs programs
 * (the 'wasm' backend with threads), once the maker is registered.
 */
export function dataParallelFor(
  network: Network,
  workspaces: Workspaces,
  context: LayerContext,
): DataParallelPropagation | null {
  if (context.backend.programs === undefined || context.dtype !== 'float32') return null;
  return factory?.(network, workspaces, context) ?? null;
}
