import { describe, expect, it, vi } from 'vitest';
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
  it("lets other tasks run once 100 ms have passed by default ('auto'; clock stubbed)", async () => {
    // Every reading of the clock advances it 30 ms, so 'auto' is due about every 4th batch.
    let now = 0;
    const clock = vi.spyOn(performance, 'now').mockImplementation(() => (now += 30));
    let ticks = 0;
    let running = true;
    const tick = () => {
      ticks++;
      if (running) setImmediate(tick);
    };
    setImmediate(tick);
    try {
      await network().fit(x.slice(0, 256), y.slice(0, 256), {
        loss: 'binaryCrossEntropy',
        batchSize: 8, // 32 batches
      });
    } finally {
      running = false;
      clock.mockRestore();
    }
    // A fit that never yields would let the task run 0 times before it resolves.
    expect(ticks).toBeGreaterThanOrEqual(6);
    expect(ticks).toBeLessThanOrEqual(33);
  });

  it("yields after every batch with 'batch'", async () => {
    let ticks = 0;
    let running = true;
    const tick = () => {
      ticks++;
      if (running) setImmediate(tick);
    };
    setImmediate(tick);
    await network().fit(x.slice(0, 64), y.slice(0, 64), {
      loss: 'binaryCrossEntropy',
      batchSize: 8, // 8 batches, then the epoch
      yieldEvery: 'batch',
    });
    running = false;
    expect(ticks).toBeGreaterThanOrEqual(8);
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
