import type { ShardPrograms } from '../backend.js';
import type { WasmHeap } from './heap.js';
import type { ThreadPool } from './threads.js';

// Where the 'wasm' backend gets its recorded programs from (data-parallel training and
// inference on its threads): src/data-parallel.ts provides them, imported by the Node entry
// and loaded by createBackendAsync when a page asks for threads, so that a page without
// threads does not bundle the recorder.

/** Makes the programs of a backend with a thread pool. */
export type ProgramsFactory = (heap: WasmHeap, pool: ThreadPool) => ShardPrograms;

let factory: ProgramsFactory | undefined;

/** Registers the programs' maker (src/data-parallel.ts does). */
export function provideWasmPrograms(make: ProgramsFactory): void {
  factory = make;
}

/** The programs of a backend with `pool`, or undefined when none are registered. */
export function wasmPrograms(heap: WasmHeap, pool: ThreadPool): ShardPrograms | undefined {
  return factory?.(heap, pool);
}
