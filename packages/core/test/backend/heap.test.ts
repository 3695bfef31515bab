import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/errors.js';
import { PAGE, WasmHeap } from '../../src/backend/wasm/heap.js';

/** A heap on a shared memory of `initial` pages that grows to at most `maximum` (64 KiB each). */
function heap(initial: number, maximum: number): WasmHeap {
  return new WasmHeap(new WebAssembly.Memory({ initial, maximum, shared: true }), maximum);
}

describe('WasmHeap messages (issue 15 item 11): one unit, the right advice', () => {
  it('an array larger than a quarter of the maximum: MiB throughout, smaller layers', () => {
    // Memory of 3 pages (0.2 MiB) that grows to 64 pages (4 MiB); ask for 8 MiB.
    expect(() => heap(3, 64).allocate(2 * 2 ** 20)).toThrow(
      new ConfigError(
        'the WASM backend cannot allocate an array of 8.0 MiB (2097152 float32 values): its ' +
          'memory holds 0.2 MiB and grows to at most 4.0 MiB; help: this one array is too ' +
          "large: use smaller layers (a layer's weights [nˡ, nˡ⁻¹] take 4·nˡ·nˡ⁻¹ bytes) or the 'js' backend",
      ),
    );
  });

  it('a full memory and a small array: smaller batches', () => {
    const h = heap(3, 64);
    const kept = [1, 2, 3, 4].map(() => h.allocate(15 * 16384));
    expect(kept.every((a) => a.length === 15 * 16384)).toBe(true); // 4 × 0.94 MiB + 0.125 MiB reserved fit in 4 MiB; a fifth does not
    expect(() => h.allocate(15 * 16384)).toThrow(
      "grows to at most 4.0 MiB; help: use smaller batches or smaller layers, or the 'js' backend",
    );
    expect(h.memory.buffer.byteLength).toBeLessThanOrEqual(64 * PAGE);
  });
});
