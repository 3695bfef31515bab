import { describe, expect, it } from 'vitest';
import { quickStart } from '../examples/quick-start.js';

describe('examples', () => {
  it('quick-start trains the lecture network and its gradients check', async () => {
    const { before, after, error } = await quickStart();
    expect(error).toBeLessThan(1e-6);
    expect(after).toBeLessThan(before / 2);
  });
});
