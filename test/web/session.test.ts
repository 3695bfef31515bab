import { describe, expect, it } from 'vitest';
import {
  ConfigError,
  Dense,
  Diagnostics,
  Random,
  Sequential,
  jsBackend,
} from '../../packages/core/src/index.js';
import { generate } from '../../web/playground/datasets.js';
import {
  DEFAULT_CONFIG,
  checkConfig,
  parseHidden,
  type PlaygroundConfig,
} from '../../web/playground/config.js';
import { Session } from '../../web/playground/session.js';

const config: PlaygroundConfig = { ...DEFAULT_CONFIG, hidden: [3, 2], points: 40, batchSize: 7 };

/** The bytes of every parameter, for bit-for-bit comparisons. */
function bytes(model: Sequential): number[][] {
  return model.parameters().map((p) => Array.from(p.data));
}

describe('a playground session (web/playground/session.ts)', () => {
  it('trains in chunks of epochs exactly as one fit with the total does (one fit call, suspended between chunks)', async () => {
    const chunked = new Session(config);
    for (const epochs of [1, 4, 2, 8, 5]) await chunked.trainEpochs(epochs);
    const whole = new Session(config);
    await whole.trainEpochs(20);
    expect(chunked.epoch).toBe(20);
    expect(bytes(chunked.model)).toEqual(bytes(whole.model));
    expect(chunked.losses).toEqual(whole.losses);
    expect(chunked.losses).toHaveLength(20);
  });

  it('runs diagnostics from the next fit call on, without changing the run (they only read)', async () => {
    const diagnosed = new Session(config);
    const diagnostics = new Diagnostics({ sampleEvery: 2 });
    diagnosed.setDiagnostics(diagnostics);
    await diagnosed.trainEpochs(3);
    const plain = new Session(config);
    await plain.trainEpochs(3);
    expect(bytes(diagnosed.model)).toEqual(bytes(plain.model));
    expect(diagnosed.losses).toEqual(plain.losses);
    expect(diagnostics.epochs.map((epoch) => epoch.epoch)).toEqual([1, 2, 3]);
    expect(diagnostics.epochs[2]!.layers).toHaveLength(3);
    // Set mid-call, later ones wait for the next call (a change of η starts one).
    const later = new Diagnostics();
    diagnosed.setDiagnostics(later);
    expect(diagnosed.fitting).toBe(true);
    await diagnosed.trainEpochs(2);
    expect(later.epochs).toEqual([]);
    diagnosed.setOptimization(0.5, config.batchSize);
    await diagnosed.trainEpochs(2);
    expect(later.epochs.map((epoch) => epoch.epoch)).toEqual([1, 2]);
  });

  it('is the library model and data for its config (2 inputs, hidden layers, 1 sigmoid output)', async () => {
    const session = new Session(config);
    const model = new Sequential(
      [
        new Dense(2, 3, { activation: 'tanh' }),
        new Dense(3, 2, { activation: 'tanh' }),
        new Dense(2, 1, { activation: 'sigmoid' }),
      ],
      { dtype: 'float64', seed: config.seed, backend: jsBackend },
    );
    const data = generate('xor', new Random(config.seed), { points: 40, noise: 0 });
    expect(session.train.x.toArray()).toEqual(data.x);
    expect(session.train.y.toArray()).toEqual(data.y);
    expect(bytes(session.model)).toEqual(bytes(model));
    await session.trainEpochs(3);
    await model.fit(data.x, data.y, {
      loss: 'binaryCrossEntropy',
      learningRate: config.learningRate,
      batchSize: config.batchSize,
      epochs: 3,
    });
    expect(bytes(session.model)).toEqual(bytes(model));
  });

  it('starts a new fit call with the new settings when η or the batch size change', async () => {
    const session = new Session(config);
    await session.trainEpochs(3);
    session.setOptimization(0.5, 4);
    await session.trainEpochs(2);
    const model = new Session(config).model;
    const { x, y } = generate('xor', new Random(config.seed), { points: 40, noise: 0 });
    const common = { loss: 'binaryCrossEntropy', shuffle: true } as const;
    await model.fit(x, y, { ...common, learningRate: 0.1, batchSize: 7, epochs: 3 });
    await model.fit(x, y, { ...common, learningRate: 0.5, batchSize: 4, epochs: 2 });
    expect(bytes(session.model)).toEqual(bytes(model));
    expect(session.epoch).toBe(5);
    expect([session.learningRate, session.batchSize]).toEqual([0.5, 4]);
    expect(() => session.setOptimization(-1, 4)).toThrow(ConfigError);
  });

  it('rejects the chunk with the NumericalError when training diverges', async () => {
    const session = new Session({ ...config, activation: 'relu', learningRate: 1e300 });
    await expect(session.trainEpochs(50)).rejects.toThrow(/diverged/);
  });

  it('inspects one example with the library forward and backward passes (batch of 1)', () => {
    const session = new Session({ ...config, loss: 'mse' });
    const inspection = session.inspect(5);
    const x = session.train.x.toArray()[5]!;
    const y = session.train.y.toArray()[5]!;
    const trace = session.model.forward([x]);
    const gradients = session.model.backward(trace, [y], 'mse');
    expect(inspection.x).toEqual(x);
    expect(inspection.y).toBe(y[0]);
    for (let l = 1; l <= 3; l++) {
      expect(inspection.trace.z[l]!.toArray()).toEqual(trace.z[l]!.toArray());
      expect(inspection.gradients.delta[l]!.toArray()).toEqual(gradients.delta[l]!.toArray());
      expect(inspection.gradients.weights[l]!.toArray()).toEqual(gradients.weights[l]!.toArray());
    }
    const a = trace.a[3]!.get(0, 0);
    expect(inspection.loss).toBeCloseTo(0.5 * (y[0]! - a) ** 2, 15);
  });

  it('reads hidden layer sizes and rejects bad ones with the text received', () => {
    expect(parseHidden('8, 8')).toEqual([8, 8]);
    expect(parseHidden(' 4 2 ')).toEqual([4, 2]);
    expect(parseHidden('')).toEqual([]);
    expect(() => parseHidden('4, x')).toThrow(ConfigError);
    expect(() => parseHidden('0')).toThrow(/sizes from 1 to 12.*"0"/);
    expect(() => parseHidden('1,1,1,1,1,1,1')).toThrow(/at most 6 hidden layers/);
  });

  it('rejects a bad setting, naming it and the value received', () => {
    expect(() => checkConfig({ ...config, learningRate: 0 })).toThrow(/learning rate.*received 0/);
    expect(() => checkConfig({ ...config, batchSize: 2.5 })).toThrow(/batch size.*received 2.5/);
    expect(() => checkConfig({ ...config, dataset: 'moons' as 'xor' })).toThrow(/moons/);
  });
});
