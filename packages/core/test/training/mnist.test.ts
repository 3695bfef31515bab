import { describe, expect, it } from 'vitest';
import { Dense, Sequential } from '../../src/index.js';
import { loadMnist } from '@backpropjs/datasets';

describe('MNIST, the real data', () => {
  it('one epoch of the default network 784-128-10 reaches >= 94% test accuracy', async () => {
    const { train, test } = loadMnist();
    const model = new Sequential(
      [new Dense(784, 128, { activation: 'relu' }), new Dense(128, 10, { activation: 'softmax' })],
      { seed: 1 },
    );
    const history = await model.fit(train.x, train.y, {
      loss: 'crossEntropy',
      learningRate: 0.1,
      batchSize: 32,
      epochs: 1,
    });
    const result = model.evaluate(test.x, test.y, { loss: 'crossEntropy' });
    expect(history.history['loss']![0]).toBeLessThan(0.4);
    expect(result['accuracy']).toBeGreaterThanOrEqual(0.94);
    expect(result['loss']).toBeLessThan(0.25);
  }, 180_000);
});
