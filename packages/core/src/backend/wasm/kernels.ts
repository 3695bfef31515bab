import { ConfigError } from '../../errors.js';
import { MAX_PAGES } from './heap.js';
import { KERNELS_WASM_BASE64 } from './kernels.generated.js';

// The WASM kernels: what they export, whether the runtime can run them, and their instances on
// a shared memory (compiled once per build, default or relaxed SIMD).

/** The kernels exported by assembly/index.ts; pointers are byte offsets into the memory. */
export interface Kernels {
  gemmNT(...args: number[]): void;
  gemmNTChunks(...args: number[]): void;
  gemmXN(...args: number[]): void;
  rank1Update(
    w: number,
    delta: number,
    x: number,
    m: number,
    k: number,
    alpha: number,
    i0: number,
    i1: number,
  ): void;
  addBias(z: number, bias: number, m: number, n: number): void;
  activate(z: number, a: number, length: number, code: number, p0: number, p1: number): void;
  activateBackward(...args: number[]): void;
  softmaxRows(z: number, out: number, m: number, n: number): void;
  softmaxBackward(a: number, gradA: number, delta: number, m: number, n: number): void;
  sumColumns(a: number, out: number, m: number, n: number, alpha: number, beta: number): void;
  axpy(alpha: number, x: number, y: number, length: number): void;
  subtract(a: number, b: number, out: number, length: number): void;
  decodeBytes(src: number, table: number, dst: number, count: number): void;
  listNonzeroBlocks(b: number, k: number, n: number, lists: number): void;
}

/** The kernels instantiated on their own shared memory. */
export interface KernelsInstance {
  module: WebAssembly.Module;
  memory: WebAssembly.Memory;
  kernels: Kernels;
  exports: WebAssembly.Exports;
  /** True for the relaxed-SIMD build (fused multiply-adds). */
  relaxed: boolean;
}

/** True where WebAssembly with 128-bit SIMD, threads and shared memory can run. */
export function wasmAvailable(): boolean {
  try {
    new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true });
    return WebAssembly.validate(decode(KERNELS_WASM_BASE64));
  } catch {
    return false;
  }
}

function decode(base64: string): Uint8Array<ArrayBuffer> {
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** The compiled modules by their base64 (default and relaxed), shared by backends and workers. */
const compiled = new Map<string, WebAssembly.Module>();

/**
 * Instantiates the kernels on a new shared memory: the backend's own heap.
 * @param base64 - the build: the default kernels, or relaxedKernelsBase64() (relaxed-simd.ts)
 * @throws {ConfigError} where WebAssembly SIMD or shared memory is unavailable.
 */
export function instantiateKernels(base64 = KERNELS_WASM_BASE64): KernelsInstance {
  if (!wasmAvailable()) {
    throw new ConfigError(
      "the 'wasm' backend needs WebAssembly SIMD and shared memory, which this runtime lacks; use 'js'",
    );
  }
  let module = compiled.get(base64);
  if (module === undefined) {
    module = new WebAssembly.Module(decode(base64));
    compiled.set(base64, module);
  }
  const memory = new WebAssembly.Memory({ initial: 4, maximum: MAX_PAGES, shared: true });
  const exports = new WebAssembly.Instance(module, { env: { memory, abort() {} } }).exports;
  const relaxed = base64 !== KERNELS_WASM_BASE64;
  return { module, memory, kernels: exports as unknown as Kernels, exports, relaxed };
}
