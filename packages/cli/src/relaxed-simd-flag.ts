import { setFlagsFromString } from 'node:v8';
import { relaxedSimdAvailable } from './api.js';

/**
 * Turns on WebAssembly relaxed SIMD for `--relaxed-simd` where the engine has it behind a V8
 * flag: Node 20 (`--experimental-wasm-relaxed-simd`; on in Node >= 21, which needs nothing). Set
 * in this process before the relaxed kernels are compiled, it takes effect for them and for the
 * worker threads (measured on Node 20.20: validation and compilation follow the flag at once;
 * about 50 µs, against about 70 ms of CPU to start Node again with the flag). Only the CLI sets V8
 * flags; the library only detects the feature.
 */
export function enableRelaxedSimd(): void {
  if (!relaxedSimdAvailable()) setFlagsFromString('--experimental-wasm-relaxed-simd');
}
