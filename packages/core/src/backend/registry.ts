import { ConfigError } from '../errors.js';
import { checkOptionKeys } from '../training/check-data.js';
import type { Backend } from './backend.js';
import { jsBackend } from './js.js';
import { loadRelaxedKernels, relaxedKernelsBase64 } from './wasm/relaxed-simd.js';
import { ThreadPool } from './wasm/threads.js';
import { instantiateKernels, wasmAvailable } from './wasm/kernels.js';
import { DEFAULT_PARALLEL_WORK, WasmBackend } from './wasm/wasm.js';

/** The backends by name: 'js' (reference TypeScript) and 'wasm' (SIMD, optionally threaded). */
export type BackendName = 'js' | 'wasm';

/** The valid backend names, for help texts and errors. */
export const BACKEND_NAMES: readonly BackendName[] = ['js', 'wasm'];

/** Options of {@link createBackend}. */
export interface BackendOptions {
  /**
   * Threads of the 'wasm' backend, the calling thread included; an integer from 1 to 64.
   * Default 1. A model's batches of more than 16 rows are cut into shards of 16 rows that the
   * threads run (data-parallel training, predict and evaluate: model/data-parallel.ts); the
   * results are the same bits on any thread count.
   */
  threads?: number;
  /**
   * With threads: the products computed outside a sharded batch (`model.forward`, batches of
   * at most 16 rows) with at least this many multiply-adds (m·n·k) are split by rows over the
   * threads, smaller ones run on the calling thread; a safe integer >= 1. Default 2²⁵.
   */
  parallelWork?: number;
  /**
   * The 'wasm' backend's products with fused multiply-adds (`f32x4.relaxed_madd`, rounded once
   * where the engine has FMA): a second kernel build, loaded only when asked. Results then differ
   * from the default kernels in the last bits (within 1e-5 relative) and between processors, so
   * it is off by default. Default false.
   */
  relaxedSimd?: boolean;
}

/**
 * Creates a backend: 'js', the reference kernels in TypeScript (float32 and float64), or
 * 'wasm', AssemblyScript kernels with 128-bit SIMD on its own WebAssembly memory (float32;
 * float64 falls back to the TypeScript kernels), with `threads` threads sharing it (the
 * calling one and `threads − 1` workers, started here once), which train and predict
 * data-parallel (see {@link BackendOptions.threads}).
 * Threads need Node's worker_threads here; in a browser use {@link createBackendAsync}.
 * @throws {ConfigError} for an unknown name (listing the valid ones), a bad thread count,
 *   'wasm' where WebAssembly SIMD or shared memory is unavailable, or threads > 1 outside Node;
 *   for relaxedSimd with 'js', on an engine without relaxed SIMD (see relaxedSimdAvailable), or
 *   in a browser before createBackendAsync loaded the relaxed kernels.
 * @example
 * const model = new Sequential(layers, { backend: createBackend('wasm', { threads: 2 }) });
 */
export function createBackend(name: string, options: BackendOptions = {}): Backend {
  const { threads, parallelWork, relaxedSimd } = checkOptions(name, options);
  if (name === 'js') return jsBackend;
  const instance = relaxedSimd ? instantiateKernels(relaxedKernelsBase64()) : instantiateKernels();
  if (threads === 1) return new WasmBackend(instance);
  const workerThreads = nodeModule('node:worker_threads');
  if (workerThreads === undefined) {
    throw new ConfigError(
      `threads > 1 outside Node.js needs createBackendAsync, which starts Web Workers; ` +
        `received threads=${threads}`,
    );
  }
  const pool = ThreadPool.node(threads, instance, workerThreads.Worker);
  return new WasmBackend(instance, pool, parallelWork);
}

/**
 * Creates a backend as {@link createBackend} does, and in a browser also with threads: the
 * 'wasm' backend's threads are then Web Workers, and the promise resolves once they have all
 * started. The pool's thread blocks (Atomics.wait) while the others work, which a page's own
 * thread may not do, so create the backend and train inside a Web Worker; sharing the memory
 * needs a cross-origin-isolated page, served with the headers
 * `Cross-Origin-Opener-Policy: same-origin` and `Cross-Origin-Embedder-Policy: require-corp`.
 * In Node it is createBackend. With `relaxedSimd: true` it first loads the relaxed-SIMD kernels
 * by a dynamic import (a separate chunk, which a page fetches only then).
 * @throws {ConfigError} (rejects) as createBackend does, and for threads > 1 in a browser on
 *   the page's thread, on a page that is not cross-origin isolated, or without Web Workers.
 * @throws {BackpropError} (rejects) when a Web Worker fails to start, or does not start in 30 s.
 * @example
 * // In a module worker: new Worker(new URL('./train.ts', import.meta.url), { type: 'module' })
 * const backend = await createBackendAsync('wasm', { threads: Math.min(64, defaultThreads()) });
 * const model = new Sequential(layers, { backend });
 */
export async function createBackendAsync(
  name: string,
  options: BackendOptions = {},
): Promise<Backend> {
  const { threads, parallelWork, relaxedSimd } = checkOptions(name, options);
  if (relaxedSimd) await loadRelaxedKernels();
  if (name === 'js' || threads === 1 || nodeModule('node:worker_threads') !== undefined) {
    return createBackend(name, options);
  }
  const instance = relaxedSimd ? instantiateKernels(relaxedKernelsBase64()) : instantiateKernels();
  const missing: string[] = [];
  if (typeof Worker !== 'function') missing.push('Web Workers, which this runtime lacks');
  if (!globalThis.crossOriginIsolated) {
    missing.push(
      'a cross-origin-isolated page, to share the WASM memory with the workers: serve it with ' +
        'the headers Cross-Origin-Opener-Policy: same-origin and ' +
        'Cross-Origin-Embedder-Policy: require-corp (crossOriginIsolated is false here)',
    );
  }
  if (!canBlock()) {
    missing.push(
      "a thread that may block in Atomics.wait, which the page's own thread may not: " +
        'create the backend and train inside a Web Worker',
    );
  }
  if (missing.length > 0) {
    throw new ConfigError(
      `threads > 1 in a browser needs ${missing.join('; and ')}; received threads=${threads}`,
    );
  }
  await import('../data-parallel.js');
  return new WasmBackend(instance, await ThreadPool.web(threads, instance), parallelWork);
}

/**
 * Checks a backend's name and options.
 * @returns the thread count, the parallel work threshold and whether to use relaxed SIMD
 * @throws {ConfigError} for an unknown name, an unknown option key, a bad thread count or
 *   parallelWork, a relaxedSimd that is not a boolean, or relaxedSimd with 'js'
 */
function checkOptions(
  name: string,
  options: BackendOptions,
): { threads: number; parallelWork: number; relaxedSimd: boolean } {
  if (!(BACKEND_NAMES as readonly string[]).includes(name)) {
    throw new ConfigError(
      `unknown backend ${JSON.stringify(name)}; expected one of ${BACKEND_NAMES.join(', ')}`,
    );
  }
  checkOptionKeys(options, ['threads', 'parallelWork', 'relaxedSimd'], 'createBackend');
  const threads = options.threads ?? 1;
  if (!Number.isInteger(threads) || threads < 1 || threads > 64) {
    throw new ConfigError(`threads must be an integer from 1 to 64; received ${String(threads)}`);
  }
  const parallelWork =
    options.parallelWork === undefined ? DEFAULT_PARALLEL_WORK : options.parallelWork;
  if (!Number.isSafeInteger(parallelWork) || parallelWork < 1) {
    throw new ConfigError(
      `parallelWork must be an integer >= 1; received ${String(options.parallelWork)}`,
    );
  }
  const relaxedSimd = options.relaxedSimd ?? false;
  if (typeof relaxedSimd !== 'boolean') {
    throw new ConfigError(`relaxedSimd must be true or false; received ${String(relaxedSimd)}`);
  }
  if (relaxedSimd && name !== 'wasm') {
    throw new ConfigError(
      `relaxedSimd applies to the 'wasm' backend only; received backend ${JSON.stringify(name)}`,
    );
  }
  return { threads, parallelWork, relaxedSimd };
}

/** False where Atomics.wait throws: a page's own (window) thread. */
function canBlock(): boolean {
  const memory = new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true });
  try {
    Atomics.wait(new Int32Array(memory.buffer, 0, 1), 0, 1, 0); // 'not-equal' where allowed
    return true;
  } catch {
    return false;
  }
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

/** The methods every {@link Backend} has, checked by {@link checkBackend}. */
const BACKEND_METHODS = [
  'allocate',
  'gemm',
  'addBias',
  'sumColumns',
  'activate',
  'activateBackward',
  'subtract',
  'axpy',
  'decodeRows',
] as const;

/**
 * Checks that a value is a backend (an object with a `name` and the {@link Backend} methods), as
 * {@link createBackend} returns, before a model computes with it.
 * @param value - e.g. the `backend` option of a model or of fromOnnx
 * @param option - how messages name it, e.g. 'backend'
 * @returns the value, typed
 * @throws {ConfigError} naming the option, the missing methods and how to make a backend
 */
export function checkBackend(value: unknown, option = 'backend'): Backend {
  const candidate = value as Partial<Record<string, unknown>> | null;
  const missing =
    typeof candidate !== 'object' || candidate === null
      ? ['name', ...BACKEND_METHODS]
      : [
          ...(typeof candidate['name'] === 'string' ? [] : ['name']),
          ...BACKEND_METHODS.filter((method) => typeof candidate[method] !== 'function'),
        ];
  if (missing.length === 0) return value as Backend;
  const found =
    candidate === null || typeof candidate !== 'object'
      ? String(JSON.stringify(value) ?? typeof value)
      : `an object without ${missing.join(', ')}`;
  throw new ConfigError(
    `${option} must be a backend, e.g. createBackend('js') or createBackend('wasm') ` +
      `(${BACKEND_NAMES.join(', ')}); received ${found}`,
  );
}

/**
 * Makes `backend` the default for models created from now on.
 * @throws {ConfigError} when it is not a backend (see {@link checkBackend})
 */
export function setDefaultBackend(backend: Backend): void {
  defaultInstance = checkBackend(backend);
}
