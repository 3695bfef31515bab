import { setFlagsFromString } from 'node:v8';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  ConfigError,
  createBackend,
  createBackendAsync,
  Matrix,
  Random,
  relaxedSimdAvailable,
  type Backend,
} from '../../src/index.js';

/**
 * The relaxed-SIMD build (issue 12 item 3): its products use fused multiply-adds, so they may
 * differ from the default kernels in the last bits, but by at most 1e-5 relative; asking for it
 * on an engine without relaxed SIMD is a ConfigError.
 */

beforeAll(() => {
  // Node 20 has relaxed SIMD behind a V8 flag (as the CLI's --relaxed-simd sets it); Node >= 21
  // has it on. A test may set V8 flags; the library never does.
  if (!relaxedSimdAvailable()) setFlagsFromString('--experimental-wasm-relaxed-simd');
});

afterEach(() => {
  vi.restoreAllMocks();
});

/** A [rows, cols] float32 matrix, uniform in [−2, 2); `blank` of the values zero (as MNIST). */
function randomMatrix(random: Random, rows: number, cols: number, blank = 0): Matrix {
  const m = new Matrix(rows, cols, 'float32');
  for (let i = 0; i < m.data.length; i++) {
    m.data[i] = random.uniform() < blank ? 0 : 4 * random.uniform() - 2;
  }
  return m;
}

/** C = α·op(A)·op(B) + β·C on `backend`, from the same C0. */
function product(
  backend: Backend,
  [a, transposeA, b, transposeB]: [Matrix, boolean, Matrix, boolean],
  c0: Matrix,
  alpha: number,
  beta: number,
): Float32Array {
  const c = new Matrix(c0.rows, c0.cols, 'float32');
  c.data.set(c0.data);
  backend.gemm(a, transposeA, b, transposeB, c, alpha, beta);
  return c.data as Float32Array;
}

/** Every element within 1e-5·max(1, |expected|); returns how many differ in any bit. */
function expectClose(actual: Float32Array, expected: Float32Array): number {
  let different = 0;
  for (let i = 0; i < expected.length; i++) {
    const e = expected[i]!;
    const scale = Math.max(1, Math.abs(e));
    expect(Math.abs(actual[i]! - e), `element ${i}: ${actual[i]} vs ${e}`).toBeLessThanOrEqual(
      1e-5 * scale,
    );
    if (!Object.is(actual[i], e)) different++;
  }
  return different;
}

describe('relaxed SIMD where the engine has it (Node 20 with the V8 flag)', () => {
  it('is detected once the flag is on', () => {
    expect(relaxedSimdAvailable()).toBe(true);
  });

  it('gives every product kernel within 1e-5 of the default kernels, threads included', () => {
    const random = new Random(12);
    // Shapes that take each kernel path: Z = XWᵀ dense (gemmNT) and mostly blank (gemmNTChunks),
    // ΔW (gemmXN), ΔᵀX (gemmXN transposed), one row's update (rank1Update), odd tails.
    const x = randomMatrix(random, 37, 131);
    const sparse = randomMatrix(random, 33, 96, 0.8);
    const w = randomMatrix(random, 19, 131);
    const w2 = randomMatrix(random, 21, 96);
    const delta = randomMatrix(random, 37, 19);
    const row = randomMatrix(random, 1, 19);
    const input = randomMatrix(random, 1, 131, 0.5);
    const cases: [[Matrix, boolean, Matrix, boolean], Matrix, number, number][] = [
      [[x, false, w, true], new Matrix(37, 19, 'float32'), 1, 0],
      [[sparse, false, w2, true], randomMatrix(random, 33, 21), 0.5, 1],
      [[delta, false, w, false], randomMatrix(random, 37, 131), 1, 0.25],
      [[delta, true, x, false], randomMatrix(random, 19, 131), -0.01, 1],
      [[row, true, input, false], randomMatrix(random, 19, 131), -0.1, 1],
    ];
    const plain = createBackend('wasm');
    for (const threads of [1, 2]) {
      const relaxed = createBackend('wasm', { relaxedSimd: true, threads, parallelWork: 1 });
      expect(relaxed.name).toBe(threads === 1 ? 'wasm+relaxed' : 'wasm×2+relaxed');
      let different = 0;
      for (const [operands, c0, alpha, beta] of cases) {
        const expected = product(plain, operands, c0, alpha, beta);
        different += expectClose(product(relaxed, operands, c0, alpha, beta), expected);
      }
      // FMA rounds once: some results differ in the last bits, which shows that the fused
      // build runs (every x86-64 processor since 2013 and every ARM64 one has FMA).
      expect(different).toBeGreaterThan(0);
    }
  });

  it('is loaded by createBackendAsync too, and the default stays the default build', async () => {
    const backend = await createBackendAsync('wasm', { relaxedSimd: true });
    expect(backend.name).toBe('wasm+relaxed');
    expect(createBackend('wasm', { relaxedSimd: false }).name).toBe('wasm');
  });
});

describe('relaxed SIMD where the engine lacks it', () => {
  /** WebAssembly.validate answering false for the relaxed-SIMD probe only. */
  function withoutRelaxedSimd(): void {
    const validate = WebAssembly.validate.bind(WebAssembly);
    vi.spyOn(WebAssembly, 'validate').mockImplementation((bytes) =>
      (bytes as Uint8Array).byteLength < 100 ? false : validate(bytes),
    );
  }

  it('createBackend throws a ConfigError naming the option and where it is found', () => {
    withoutRelaxedSimd();
    expect(relaxedSimdAvailable()).toBe(false);
    expect(() => createBackend('wasm', { relaxedSimd: true })).toThrow(ConfigError);
    expect(() => createBackend('wasm', { relaxedSimd: true })).toThrow(
      /^relaxedSimd: this engine lacks WebAssembly relaxed SIMD .*Node >= 21/,
    );
    // Without the option nothing changes.
    expect(createBackend('wasm').name).toBe('wasm');
  });

  it('createBackendAsync rejects with the same error', async () => {
    withoutRelaxedSimd();
    await expect(createBackendAsync('wasm', { relaxedSimd: true, threads: 2 })).rejects.toThrow(
      /^relaxedSimd: this engine lacks WebAssembly relaxed SIMD/,
    );
  });
});

describe('the relaxedSimd option', () => {
  it("is a boolean, for the 'wasm' backend only", () => {
    expect(() => createBackend('js', { relaxedSimd: true })).toThrow(
      `relaxedSimd applies to the 'wasm' backend only; received backend "js"`,
    );
    expect(() => createBackend('wasm', { relaxedSimd: 'yes' as unknown as boolean })).toThrow(
      'relaxedSimd must be true or false; received yes',
    );
    expect(createBackend('js', { relaxedSimd: false }).name).toBe('js');
  });
});
