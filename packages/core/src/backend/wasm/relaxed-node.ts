// The Node entry's relaxed-SIMD kernels: imported by src/index.ts for its side effect, so that
// createBackend('wasm', { relaxedSimd: true }) works synchronously in Node. The browser entry
// leaves it out: a page loads the build by a dynamic import (createBackendAsync) only when asked.
import { RELAXED_KERNELS_WASM_BASE64 } from './kernels-relaxed.generated.js';
import { provideRelaxedKernels } from './relaxed-simd.js';

provideRelaxedKernels(RELAXED_KERNELS_WASM_BASE64);
