import { describe, expect, it } from 'vitest';
import { Dense, Sequential } from '../../src/index.js';
import type { Callback } from '../../src/training/callbacks.js';
import { Hooks } from '../../src/training/train-step.js';

// The training loop's calls of the callbacks' hooks: synchronous hooks answer at once (no await
// per batch), a hook returning a Promise is awaited before the next hook runs, in order.

const model = () => new Sequential([new Dense(1, 1)], { seed: 1 });

describe('Hooks.call', () => {
  it('answers synchronous hooks at once, stopping when one asks to', () => {
    const seen: string[] = [];
    const callbacks: Callback[] = [
      { onEpochEnd: () => void seen.push('a') },
      { onEpochEnd: () => (seen.push('b'), { stop: true }) },
      { onEpochEnd: () => void seen.push('c') },
    ];
    const hooks = new Hooks(model(), callbacks);
    expect(hooks.call((callback) => callback.onEpochEnd?.(1, {}))).toBe(true);
    expect(seen).toEqual(['a', 'b', 'c']);
    expect(hooks.call(() => undefined)).toBe(false);
  });

  it('awaits a Promise before the next hook, keeping the order and the stop', async () => {
    const seen: string[] = [];
    let release: (value: { stop: boolean }) => void = () => {};
    const callbacks: Callback[] = [
      { onEpochEnd: () => void seen.push('a') },
      { onEpochEnd: () => new Promise((resolve) => (release = resolve)) },
      { onEpochEnd: () => void seen.push('c') },
    ];
    const m = model();
    const answer = new Hooks(m, callbacks).call((callback) => callback.onEpochEnd?.(1, {}));
    expect(answer).toBeInstanceOf(Promise);
    expect(seen).toEqual(['a']);
    release({ stop: true });
    expect(await answer).toBe(true);
    expect(seen).toEqual(['a', 'c']);
    // model.stopTraining also stops, with or without hooks.
    m.stopTraining = true;
    expect(new Hooks(m, []).call(() => undefined)).toBe(true);
  });
});
