import { describe, expect, it } from 'vitest';
import { ConfigError, Dense, Random, Sequential } from '../../src/index.js';

const random = new Random(4);
const x = Array.from({ length: 2048 }, () => [0, 0, 0, 0].map(() => 2 * random.uniform() - 1));
const y = x.map((row) => [row[0]! * row[1]! > 0 ? 1 : 0]);

function network(): Sequential {
  return new Sequential(
    [new Dense(4, 64, { activation: 'relu' }), new Dense(64, 1, { activation: 'sigmoid' })],
    { seed: 5 },
  );
}

describe('fit lets the event loop run (yieldEvery)', () => {
  it("keeps a Node timer firing during a long fit by default ('auto')", async () => {
    let ticks = 0;
    const timer = setInterval(() => ticks++, 5);
    const started = performance.now();
    await network().fit(x, y, { loss: 'binaryCrossEntropy', batchSize: 1, epochs: 4 });
    const elapsed = performance.now() - started;
    clearInterval(timer);
    // A fit that never yields would let the timer fire 0 times; at 'auto' (100 ms) it fires
    // about once per 100 ms of training.
    expect(elapsed).toBeGreaterThan(300);
    expect(ticks).toBeGreaterThanOrEqual(Math.floor(elapsed / 100 / 2));
  });

  it("gives no timer a turn with 'never'", async () => {
    let ticks = 0;
    const timer = setInterval(() => ticks++, 1);
    await network().fit(x.slice(0, 512), y.slice(0, 512), {
      loss: 'binaryCrossEntropy',
      batchSize: 1,
      yieldEvery: 'never',
    });
    clearInterval(timer);
    expect(ticks).toBe(0);
  });

  it('gives bit-identical results whatever the choice, and predictAsync/evaluateAsync too', async () => {
    const results: number[][] = [];
    for (const yieldEvery of ['auto', 'batch', 'epoch', 'never', 0, 3] as const) {
      const model = network();
      await model.fit(x.slice(0, 256), y.slice(0, 256), {
        loss: 'binaryCrossEntropy',
        batchSize: 8,
        epochs: 2,
        yieldEvery,
      });
      results.push(Array.from(model.predict(x.slice(0, 64)).data));
      const async = await model.predictAsync(x.slice(0, 64), { batchSize: 7, yieldEvery: 'batch' });
      expect(Array.from(async.data)).toEqual(results.at(-1));
      expect(await model.evaluateAsync(x, y, { batchSize: 100 })).toEqual(
        model.evaluate(x, y, { batchSize: 100 }),
      );
    }
    for (const result of results) expect(result).toEqual(results[0]);
  });

  it('rejects an unknown choice', async () => {
    await expect(network().fit(x, y, { yieldEvery: 'sometimes' as never })).rejects.toThrow(
      ConfigError,
    );
    await expect(network().fit(x, y, { yieldEvery: -1 })).rejects.toThrow(
      /^yieldEvery must be 'auto', 'batch', 'epoch', 'never' or a number of milliseconds >= 0; received -1$/,
    );
  });
});
