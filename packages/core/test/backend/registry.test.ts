import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  ConfigError,
  Matrix,
  Random,
  createBackend,
  createBackendAsync,
  jsBackend,
} from '../../src/index.js';

// createBackend and createBackendAsync in Node, and their errors where Node's modules are
// missing. The browser side, Web Workers in a cross-origin-isolated page, is proven in
// Chromium by test/browser/threads.long.test.ts.

/** A float32 [rows, cols] matrix of seeded uniform values in [−1, 1). */
function randomMatrix(random: Random, rows: number, cols: number): Matrix {
  const m = new Matrix(rows, cols, 'float32');
  for (let i = 0; i < m.data.length; i++) m.data[i] = 2 * random.uniform() - 1;
  return m;
}

describe('createBackendAsync in Node', () => {
  it('creates what createBackend creates, threads included, with the same results', async () => {
    expect(await createBackendAsync('js')).toBe(jsBackend);
    expect((await createBackendAsync('wasm')).name).toBe('wasm');
    const threaded = await createBackendAsync('wasm', { threads: 2, parallelWork: 1 << 18 });
    expect(threaded.name).toBe('wasm×2');
    // C = A Bᵀ, large enough to be split over the threads (m·n·k ≥ 2^18).
    const random = new Random(3);
    const a = randomMatrix(random, 96, 80);
    const b = randomMatrix(random, 64, 80);
    const one = new Matrix(96, 64, 'float32');
    const two = new Matrix(96, 64, 'float32');
    createBackend('wasm').gemm(a, false, b, true, one, 1, 0);
    threaded.gemm(a, false, b, true, two, 1, 0);
    expect(two.data).toEqual(one.data);
  });

  it('rejects an unknown name or a bad thread count as createBackend throws', async () => {
    await expect(createBackendAsync('gpu', { threads: 2 })).rejects.toThrow(
      new ConfigError('unknown backend "gpu"; expected one of js, wasm'),
    );
    await expect(createBackendAsync('wasm', { threads: 1.5 })).rejects.toThrow(
      new ConfigError('threads must be an integer from 1 to 64; received 1.5'),
    );
    await expect(createBackendAsync('wasm', { threads: 2, parallelWork: 0 })).rejects.toThrow(
      new ConfigError('parallelWork must be an integer >= 1; received 0'),
    );
    expect(() => createBackend('wasm', { parallelWork: null as unknown as number })).toThrow(
      new ConfigError('parallelWork must be an integer >= 1; received null'),
    );
    expect(() => createBackend('wasm', { thread: 2 } as never)).toThrow(
      'createBackend has no option "thread"',
    );
    expect(() => createBackend('jss', { parallelWork: 0 })).toThrow('unknown backend "jss"');
  });
});

describe("threads where Node's worker_threads are missing", () => {
  // As in a browser: process.getBuiltinModule gives nothing.
  const builtins = () => vi.spyOn(process, 'getBuiltinModule').mockReturnValue(undefined as never);
  afterEach(() => void vi.restoreAllMocks());

  it('createBackend points to createBackendAsync', () => {
    builtins();
    expect(() => createBackend('wasm', { threads: 2 })).toThrow(
      new ConfigError(
        'threads > 1 outside Node.js needs createBackendAsync, which starts Web Workers; ' +
          'received threads=2',
      ),
    );
    expect(createBackend('wasm').name).toBe('wasm');
  });

  it('createBackendAsync names all that is missing: here Web Workers and isolation', async () => {
    builtins();
    await expect(createBackendAsync('wasm', { threads: 2 })).rejects.toThrow(
      new ConfigError(
        'threads > 1 in a browser needs Web Workers, which this runtime lacks; and a ' +
          'cross-origin-isolated page, to share the WASM memory with the workers: serve it ' +
          'with the headers Cross-Origin-Opener-Policy: same-origin and ' +
          'Cross-Origin-Embedder-Policy: require-corp (crossOriginIsolated is false here); ' +
          'received threads=2',
      ),
    );
    expect((await createBackendAsync('wasm', { threads: 1 })).name).toBe('wasm');
  });
});
