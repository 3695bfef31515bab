import { describe, expect, it } from 'vitest';
import {
  ConfigError,
  Dense,
  Diagnostics,
  Matrix,
  NumericalError,
  Random,
  Sequential,
  modelToJSON,
  trainInWorker,
} from '../../src/index.js';

// The Node entry's trainInWorker on a real worker_threads thread (the built
// node-training-worker.js, which test/global-setup.ts keeps fresh): the same weights, losses and
// generator state as fit on this thread, snapshots and hooks here, stop, and errors.

const random = new Random(3);
const x = new Matrix(256, 2, 'float64');
const y = new Matrix(256, 1, 'float64');
for (let i = 0; i < 256; i++) {
  x.set(i, 0, random.normal());
  x.set(i, 1, random.normal());
  y.set(i, 0, x.get(i, 0) * x.get(i, 1) > 0 ? 1 : 0);
}

function model(activation: 'tanh' | 'relu' = 'tanh'): Sequential {
  return new Sequential(
    [new Dense(2, 8, { activation }), new Dense(8, 1, { activation: 'sigmoid' })],
    { seed: 4, dtype: 'float64' },
  );
}

const options = { loss: 'binaryCrossEntropy', learningRate: 0.3, batchSize: 8, epochs: 6 } as const;
const weights = (m: Sequential) => m.getWeights().map((w) => Array.from(w.data));

describe('trainInWorker in Node (worker_threads)', () => {
  it('trains on another thread bit-identically to fit here, with snapshots and hooks on this one', async () => {
    const here = model();
    const history = await here.fit(x, y, options);
    const trained = model();
    const seen: number[] = [];
    let batches = 0;
    const job = trainInWorker(trained, x, y, {
      ...options,
      onBatchEnd: () => void batches++,
      // The model holds the epoch's weights when the hook runs: its loss is the logged one's
      // successor (the logged loss is the running mean during the epoch).
      onEpochEnd: (epoch) => void seen.push(epoch),
    });
    expect(await job).toBe(trained);
    expect(seen).toEqual([1, 2, 3, 4, 5, 6]);
    expect(batches).toBe(6 * 32);
    expect((await job.history).history['loss']).toEqual(history.history['loss']);
    expect(weights(trained)).toEqual(weights(here));
    expect(trained.random.getState()).toEqual(here.random.getState());
  });

  it('runs a Diagnostics callback in the worker and hands its epochs to the page', async () => {
    // Dead ReLUs: a large negative bias in the hidden layer (the warning to expect).
    const build = () => {
      const m = model('relu');
      m.denseLayers[0]!.bias.data.fill(-100);
      return m;
    };
    const here = new Diagnostics({ sampleEvery: 4 });
    await build().fit(x, y, { ...options, epochs: 2, callbacks: [here] });
    const printed: number[] = [];
    const there = new Diagnostics({ sampleEvery: 4, onEpoch: (d) => void printed.push(d.epoch) });
    await trainInWorker(build(), x, y, { ...options, epochs: 2, callbacks: [there] });
    expect(printed).toEqual([1, 2]);
    expect(there.epochs).toEqual(here.epochs);
    expect(there.epochs[1]!.warnings.map((w) => w.kind)).toContain('dead');
    expect(() =>
      trainInWorker(build(), x, y, { ...options, callbacks: [new Diagnostics(), there] }),
    ).toThrow('trainInWorker: expected at most one Diagnostics callback, found 2');
  });

  it('takes a model file and stops at the next batch when asked', async () => {
    let logged = 0;
    const job = trainInWorker(modelToJSON(model()), x, y, {
      ...options,
      epochs: 1000,
      onBatchEnd: () => {
        if (++logged === 50) job.stop();
      },
    });
    const history = await job.history;
    // 32 batches an epoch: the stop came in epoch 2, which then ended; every batch was logged.
    expect(logged).toBeGreaterThanOrEqual(50);
    expect(history.epoch.length).toBe(Math.ceil(logged / 32));
    const trained = await job;
    const here = model();
    let count = 0;
    await here.fit(x, y, {
      ...options,
      epochs: 1000,
      onBatchEnd: () => {
        if (++count === logged) here.stopTraining = true;
      },
    });
    expect(weights(trained)).toEqual(weights(here));
  });

  it("rejects with the thread's error, class and message intact, and refuses functions up front", async () => {
    const diverging = trainInWorker(model('relu'), x, y, { ...options, learningRate: 1e300 });
    const error = await diverging.result.catch((e: unknown) => e);
    const here = await model('relu')
      .fit(x, y, { ...options, learningRate: 1e300 })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NumericalError);
    expect((error as NumericalError).message).toBe((here as NumericalError).message);
    expect((error as NumericalError).epoch).toBe((here as NumericalError).epoch);
    // Handling the failure through the History alone leaves no unhandled rejection behind.
    const unhandled: unknown[] = [];
    const listener = (reason: unknown) => void unhandled.push(reason);
    process.on('unhandledRejection', listener);
    const viaHistory = trainInWorker(model('relu'), x, y, { ...options, learningRate: 1e300 });
    expect(await viaHistory.history.catch((e: unknown) => e)).toBeInstanceOf(NumericalError);
    await new Promise((resolve) => setTimeout(resolve, 50));
    process.off('unhandledRejection', listener);
    expect(unhandled).toEqual([]);
    const cube = { name: 'cube', g: (z: number) => z ** 3, derivative: (z: number) => 3 * z * z };
    const custom = new Sequential([new Dense(2, 1, { activation: cube })]);
    expect(() => trainInWorker(custom, x, y)).toThrow(ConfigError);
    expect(() => trainInWorker(custom, x, y)).toThrow(/the activation "cube" of layer 1/);
  });
});
