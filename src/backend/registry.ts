import { ConfigError } from '../errors.js';
import type { Backend } from './backend.js';
import { jsBackend } from './js.js';
import { ThreadPool } from './wasm/threads.js';
import { instantiateKernels, WasmBackend, wasmAvailable } from './wasm/wasm.js';

/** The backends by name: 'js' (reference TypeScript) and 'wasm' (SIMD, optionally threaded). */
export type BackendName = 'js' | 'wasm';

/** The valid backend names, for help texts and errors. */
export const BACKEND_NAMES: readonly BackendName[] = ['js', 'wasm'];

/** Options of {@link createBackend}. */
export interface BackendOptions {
  /**
   * Threads for the 'wasm' backend's matrix products, the calling thread included; an integer
   * from 1 to 64. Default 1. Results are the same on every run for a given thread count.
   */
  threads?: number;
}

/**
 * Creates a backend: 'js', the reference kernels in TypeScript (float32 and float64), or
 * 'wasm', AssemblyScript kernels with 128-bit SIMD on its own WebAssembly memory (float32;
 * float64 falls back to the TypeScript kernels), with `threads` worker threads sharing it.
 * @throws {ConfigError} for an unknown name (listing the valid ones), a bad thread count, or
 *   'wasm' where WebAssembly SIMD or shared memory is unavailable.
 * @example
 * const model = new Sequential(layers, { backend: createBackend('wasm', { threads: 2 }) });
 */
export function createBackend(name: string, options: BackendOptions = {}): Backend {
  const threads = options.threads ?? 1;
  if (!Number.isInteger(threads) || threads < 1 || threads > 64) {
    throw new ConfigError(`threads must be an integer from 1 to 64; received ${String(threads)}`);
  }
  if (name === 'js') return jsBackend;
  if (name !== 'wasm') {
    throw new ConfigError(
      `unknown backend ${JSON.stringify(name)}; expected one of ${BACKEND_NAMES.join(', ')}`,
    );
  }
  const instance = instantiateKernels();
  if (threads === 1) return new WasmBackend(instance);
  const workerThreads = nodeModule('node:worker_threads');
  if (workerThreads === undefined) {
    throw new ConfigError(
      `threads > 1 needs Node's worker_threads; received threads=${threads} outside Node.js`,
    );
  }
  const pool = new ThreadPool(
    threads,
    instance.module,
    instance.memory,
    instance.exports,
    workerThreads.Worker,
  );
  return new WasmBackend(instance, pool);
}

/** A Node built-in module, or undefined in a browser (no static import, so bundlers skip it). */
function nodeModule<ID extends 'node:os' | 'node:worker_threads'>(
  id: ID,
): ReturnType<typeof process.getBuiltinModule<ID>> | undefined {
  return globalThis.process?.getBuiltinModule?.(id);
}

/** The number of threads the machine can run at once (its cores; 1 where unknown). */
export function defaultThreads(): number {
  return (
    nodeModule('node:os')?.availableParallelism() ?? globalThis.navigator?.hardwareConcurrency ?? 1
  );
}

let defaultInstance: Backend | undefined;

/**
 * The backend a model uses when none is given: the single-threaded 'wasm' backend where
 * WebAssembly SIMD and shared memory are available, else 'js'. Created once, on first use.
 */
export function defaultBackend(): Backend {
  defaultInstance ??= wasmAvailable() ? createBackend('wasm') : jsBackend;
  return defaultInstance;
}

/** Makes `backend` the default for models created from now on. */
export function setDefaultBackend(backend: Backend): void {
  defaultInstance = backend;
}
