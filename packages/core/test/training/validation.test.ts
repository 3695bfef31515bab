import { describe, expect, it } from 'vitest';
import { ConfigError, Dense, Random, Sequential } from '../../src/index.js';

function network(): Sequential {
  return new Sequential(
    [new Dense(2, 3, { activation: 'tanh' }), new Dense(3, 1, { activation: 'sigmoid' })],
    { dtype: 'float64', seed: 4 },
  );
}

const random = new Random(2);
const x = Array.from({ length: 10 }, () => [random.uniform(), random.uniform()]);
const y = x.map(([a, b]) => [a! > b! ? 1 : 0]);

describe('validation', () => {
  it('validationSplit holds out the last rows, before shuffling (Keras)', async () => {
    const split = network();
    const history = await split.fit(x, y, {
      loss: 'binaryCrossEntropy',
      learningRate: 0.5,
      batchSize: 3,
      epochs: 3,
      validationSplit: 0.3,
    });
    // The same run on the first 7 rows, with the last 3 as validationData, is bit-identical.
    const explicit = network();
    const reference = await explicit.fit(x.slice(0, 7), y.slice(0, 7), {
      loss: 'binaryCrossEntropy',
      learningRate: 0.5,
      batchSize: 3,
      epochs: 3,
      validationData: [x.slice(7), y.slice(7)],
    });
    expect(history.history['valLoss']).toEqual(reference.history['valLoss']);
    expect(history.history['loss']).toEqual(reference.history['loss']);
    expect(split.parameters().map((p) => Array.from(p.data))).toEqual(
      explicit.parameters().map((p) => Array.from(p.data)),
    );
    // valLoss is the held-out rows' loss after the epoch's last update.
    const last = split.evaluate(x.slice(7), y.slice(7), { loss: 'binaryCrossEntropy' });
    expect(history.history['valLoss']![2]).toBe(last['loss']);
    expect(history.history['valAccuracy']![2]).toBe(last['accuracy']);
  });

  it('logs val<Metric> for every metric', async () => {
    const history = await network().fit(x, y, {
      loss: 'mse',
      metrics: ['mae', 'r2'],
      validationSplit: 0.2,
    });
    expect(Object.keys(history.history)).toEqual(
      expect.arrayContaining(['mae', 'r2', 'valLoss', 'valMae', 'valR2']),
    );
  });

  it('rejects a split outside (0, 1), one that leaves a part empty, and both options at once', async () => {
    for (const split of [0, 1, -0.5, 1.5]) {
      await expect(network().fit(x, y, { validationSplit: split })).rejects.toThrow(
        /^validationSplit must be a number in \(0, 1\); received/,
      );
    }
    await expect(network().fit(x, y, { validationSplit: 0.95 })).rejects.toThrow(
      /^validationSplit 0.95 of 10 rows leaves 0 for training and 10 for validation; each needs at least one$/,
    );
    await expect(
      network().fit(x, y, { validationSplit: 0.2, validationData: [x, y] }),
    ).rejects.toThrow(ConfigError);
  });
});
