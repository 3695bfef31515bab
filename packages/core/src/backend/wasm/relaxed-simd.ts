import { ConfigError } from '../../errors.js';

/**
 * The smallest module that uses a relaxed SIMD instruction: one function returning
 * f32x4.relaxed_madd(0, 0, 0). Only an engine with relaxed SIMD validates it.
 */
const PROBE = new Uint8Array([
  ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00], // "\0asm", version 1
  ...[0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7b], // types: () → v128
  ...[0x03, 0x02, 0x01, 0x00], // functions: one of type 0
  ...[0x0a, 0x3d, 0x01, 0x3b, 0x00], // code: one body of 59 bytes, no locals
  ...[0, 1, 2].flatMap(() => [0xfd, 0x0c, ...new Array<number>(16).fill(0)]), // v128.const 0, ×3
  ...[0xfd, 0x85, 0x02, 0x0b], // f32x4.relaxed_madd (0xfd 0x105); end
]);

/**
 * True where the engine runs WebAssembly relaxed SIMD (`f32x4.relaxed_madd`): Chrome ≥ 114,
 * Firefox ≥ 145, Node ≥ 21, and Node 20 started with `--experimental-wasm-relaxed-simd` (or
 * after `v8.setFlagsFromString('--experimental-wasm-relaxed-simd')`, as the CLI's
 * `--relaxed-simd` does). Detected by `WebAssembly.validate` of an 82-byte module using the
 * instruction, on every call (a V8 flag may be set in between).
 */
export function relaxedSimdAvailable(): boolean {
  try {
    return WebAssembly.validate(PROBE);
  } catch {
    return false;
  }
}

/** The relaxed build, base64-encoded, once loaded (the Node entry loads it up front). */
let relaxedKernels: string | undefined;

/** Hands over the relaxed build (its generated module calls this; see relaxed-node.ts). */
export function provideRelaxedKernels(base64: string): void {
  relaxedKernels = base64;
}

/**
 * Loads the relaxed build by a dynamic import (a separate chunk a page fetches only when asked).
 * @throws {ConfigError} (rejects) where the engine lacks relaxed SIMD
 */
export async function loadRelaxedKernels(): Promise<void> {
  checkRelaxedSimd();
  relaxedKernels ??= (await import('./kernels-relaxed.generated.js')).RELAXED_KERNELS_WASM_BASE64;
}

/**
 * The relaxed build, base64-encoded, for `instantiateKernels`.
 * @throws {ConfigError} where the engine lacks relaxed SIMD, or where it has not been loaded yet
 *   (in a browser before createBackendAsync loaded it)
 */
export function relaxedKernelsBase64(): string {
  checkRelaxedSimd();
  if (relaxedKernels === undefined) {
    throw new ConfigError(
      'relaxedSimd: the relaxed-SIMD kernels are not loaded yet; in a browser create the ' +
        "backend with createBackendAsync('wasm', { relaxedSimd: true }), which loads them",
    );
  }
  return relaxedKernels;
}

/** @throws {ConfigError} where the engine lacks relaxed SIMD, saying where it is found. */
function checkRelaxedSimd(): void {
  if (relaxedSimdAvailable()) return;
  throw new ConfigError(
    'relaxedSimd: this engine lacks WebAssembly relaxed SIMD (f32x4.relaxed_madd), found in ' +
      'Chrome >= 114, Firefox >= 145, Node >= 21, or Node 20 with ' +
      '--experimental-wasm-relaxed-simd (the CLI sets it for --relaxed-simd); leave relaxedSimd off',
  );
}
