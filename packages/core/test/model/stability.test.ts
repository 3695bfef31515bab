import { describe, it, expect } from 'vitest';
import { Dense, Matrix, Sequential, type ActivationName, type LossName } from '../../src/index.js';

/**
 * A float32 2-2-2 network whose output logits are exactly ±1e4: the hidden tanh layer saturates
 * to ±1 (z¹ = ±100) and the output weights are ±5e3, so zᴸ = ±5e3·(1 − (−1)) = ±1e4.
 */
function saturatedModel(output: ActivationName): Sequential {
  const model = new Sequential(
    [new Dense(2, 2, { activation: 'tanh' }), new Dense(2, 2, { activation: output })],
    { seed: 1 },
  );
  // Set by assigning a Matrix (converted to float32) ...
  model.denseLayers[0]!.weights = Matrix.from(
    [
      [100, 0],
      [0, 100],
    ],
    'float64',
  );
  // ... and by copying into .data.
  model.denseLayers[1]!.weights.data.set([5e3, -5e3, -5e3, 5e3]);
  return model;
}

const x = [
  [1, -1],
  [-1, 1],
];
/** Row 0's logits are [1e4, −1e4]: its target is the 1e4 class; row 1's target is the wrong one. */
const y = [
  [1, 0],
  [1, 0],
];

describe('a float32 model with logits of ±1e4', () => {
  it('really has float32 logits of ±1e4', () => {
    const model = saturatedModel('softmax');
    expect(model.dtype).toBe('float32');
    const trace = model.forward(x);
    expect(trace.z[2]!.dtype).toBe('float32');
    expect(trace.z[2]!.toArray()).toEqual([
      [1e4, -1e4],
      [-1e4, 1e4],
    ]);
  });

  for (const output of ['softmax', 'sigmoid'] as const) {
    it(`gives finite ${output} predictions saturated at 0 and 1`, () => {
      const prediction = saturatedModel(output).predict(x);
      expect(prediction.data.every(Number.isFinite)).toBe(true);
      expect(prediction.toArray()).toEqual([
        [1, 0],
        [0, 1],
      ]);
    });
  }

  const pairs: [ActivationName, LossName][] = [
    ['softmax', 'crossEntropy'],
    ['sigmoid', 'binaryCrossEntropy'],
    ['softmax', 'mse'],
    ['sigmoid', 'mse'],
    ['sigmoid', 'crossEntropy'],
    ['softmax', 'binaryCrossEntropy'],
  ];
  for (const [output, loss] of pairs) {
    it(`gives a finite evaluate loss and finite gradients: ${output} output, ${loss}`, () => {
      const model = saturatedModel(output);
      const logs = model.evaluate(x, y, { loss });
      expect(Number.isFinite(logs['loss'])).toBe(true);
      const gradients = model.backward(model.forward(x), y, loss);
      for (const g of [...gradients.weights, ...gradients.bias, ...gradients.delta]) {
        expect(g.data.every(Number.isFinite)).toBe(true);
      }
    });
  }

  it('reports the exact cross-entropy from logits: (0 + 2e4) / 2 = 1e4, accuracy 1/2', () => {
    expect(saturatedModel('softmax').evaluate(x, y, { loss: 'crossEntropy' })).toEqual({
      loss: 1e4,
      accuracy: 0.5,
    });
  });

  it('reports the exact binary cross-entropy from logits: (1e4 + 1e4) / 2 per row sum', () => {
    // Row 0: z = [1e4, −1e4], y = [1, 0] → 0 + 0; row 1: z = [−1e4, 1e4] → 1e4 + 1e4.
    expect(saturatedModel('sigmoid').evaluate(x, y, { loss: 'binaryCrossEntropy' })['loss']).toBe(
      1e4,
    );
  });

  it('trains one step without a NumericalError and stays finite', async () => {
    const model = saturatedModel('softmax');
    const history = await model.fit(x, y, {
      loss: 'crossEntropy',
      learningRate: 0.01,
      batchSize: 2,
      epochs: 1,
    });
    expect(history.history['loss']).toEqual([1e4]);
    for (const p of model.parameters()) expect(p.data.every(Number.isFinite)).toBe(true);
  });
});
