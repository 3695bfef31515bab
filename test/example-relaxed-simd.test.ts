import { setFlagsFromString } from 'node:v8';
import { describe, expect, it } from 'vitest';
import { relaxedSimdAvailable } from '../packages/core/src/index.js';

describe('examples/relaxed-simd.ts', () => {
  it('trains on the fused kernels as on the default ones, but for the last bits', async () => {
    // As `node --experimental-wasm-relaxed-simd` would on Node 20 (Node >= 21 has it on).
    if (!relaxedSimdAvailable()) setFlagsFromString('--experimental-wasm-relaxed-simd');
    const { available, fused, largest, plain, test } = await import('../examples/relaxed-simd.js');
    expect(available).toBe(true);
    expect([plain.backend.name, fused!.backend.name]).toEqual(['wasm', 'wasm+relaxed']);
    // One epoch (157 updates) from the same seed: probabilities apart by rounding only.
    expect(largest).toBeGreaterThan(0);
    expect(largest).toBeLessThan(1e-3);
    const accuracy = (model: typeof plain) =>
      model.evaluate(test.x, test.y, { loss: 'crossEntropy' })['accuracy']!;
    expect(Math.abs(accuracy(fused!) - accuracy(plain))).toBeLessThanOrEqual(0.002);
    expect(accuracy(fused!)).toBeGreaterThan(0.85);
  }, 120_000);
});
