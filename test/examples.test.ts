import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { gradcheck } from '../src/index.js';

const read = (path: string) => readFileSync(new URL(path, import.meta.url), 'utf8');

describe('examples/quick-start.ts, the README library example', () => {
  it('is the README example line for line, except for the import path and the export', () => {
    const readme = /## Library\n[\s\S]*?```ts\n([\s\S]*?)```/.exec(read('../README.md'))![1]!;
    const example = read('../examples/quick-start.ts')
      .replace(/^(\/\/.*\n)+/, '') // the header comment
      .replace("from '../src/index.js'", "from 'backprop'")
      .replace(/\nexport \{[^}]*\};\n$/, '');
    expect(example).toBe(readme);
  });

  it('runs: exact gradients, a falling loss, and > 90% on MNIST after one epoch', async () => {
    const { model, x, y, trace, grads, history, mnist, test } =
      await import('../examples/quick-start.js');
    expect(trace.a[2]!.shape).toEqual([1, 2]);
    expect(grads.weights[1]!.shape).toEqual([3, 3]);
    expect(grads.delta[2]!.shape).toEqual([1, 2]);
    expect(gradcheck(model, x, y, 'mse').maxRelativeError).toBeLessThan(1e-6);
    const loss = history.history['loss']!;
    expect(loss).toHaveLength(3);
    expect(loss[2]).toBeLessThan(loss[0]!);
    const logs = mnist.evaluate(test.x, test.y, { loss: 'crossEntropy' });
    expect(logs['accuracy']).toBeGreaterThan(0.9);
  }, 120_000);
});
