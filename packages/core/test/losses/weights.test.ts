import { describe, expect, it } from 'vitest';
import { getLoss, LOSS_NAMES, losses, Matrix, ShapeError, type Loss } from '../../src/index.js';
import { lossFromLogits, lossOf } from './helpers.js';

describe('per-example weights: L = Σᵢ wᵢℓᵢ / B (Keras sum_over_batch_size)', () => {
  const a = [
    [0.5, 1],
    [2, -1],
  ];
  const y = [
    [1, 1],
    [0, 0],
  ];

  it('mse with weights [2, 0.5]: (2·0.125 + 0.5·2.5) / 2 = 0.75, divided by B, not Σw', () => {
    expect(lossOf(losses.mse, a, y, new Float64Array([2, 0.5]))).toBe(0.75);
    expect(lossOf(losses.mse, a, y, new Float64Array([1, 1]))).toBe(lossOf(losses.mse, a, y));
    expect(lossOf(losses.mse, a, y, new Float64Array([0, 0]))).toBe(0);
  });

  it('takes a Float32Array (the model dtype) as well', () => {
    expect(lossOf(losses.mae, a, y, new Float32Array([0.5, 2]))).toBe((0.5 * 0.5 + 2 * 3) / 2);
  });

  it('fused crossEntropy from logits with weights [1, 3] (by hand)', () => {
    // ℓ₁ = −log softmax([1, 2, 3])₂ = 0.40760596…, ℓ₂ = −log softmax([1, 2, 3])₀ = 2.40760596…
    const value = lossFromLogits(
      losses.crossEntropy,
      'softmax',
      [
        [1, 2, 3],
        [1, 2, 3],
      ],
      [
        [0, 0, 1],
        [1, 0, 0],
      ],
      'float64',
      new Float64Array([1, 3]),
    );
    expect(value).toBeCloseTo((0.4076059644443803 + 3 * 2.4076059644443806) / 2, 14);
  });

  it('fused binaryCrossEntropy from logits with weights [0.25, 2] (by hand)', () => {
    // Logit 0: log 2 whatever the target; logit 2 with target 1: log(1 + e⁻²) = 0.12692801…
    const value = lossFromLogits(
      losses.binaryCrossEntropy,
      'sigmoid',
      [[0], [2]],
      [[1], [1]],
      'float64',
      new Float64Array([0.25, 2]),
    );
    expect(value).toBeCloseTo((0.25 * Math.LN2 + 2 * 0.12692801104297263) / 2, 15);
  });

  const cases: [string, Loss, number[][], number[][]][] = [
    ...LOSS_NAMES.map((name): [string, Loss, number[][], number[][]] => [
      name,
      losses[name],
      [
        [0.2, 0.7, 0.1],
        [0.45, 0.35, 0.2],
        [0.3, 0.3, 0.4],
      ],
      name === 'hinge'
        ? [
            [1, -1, 1],
            [-1, -1, 1],
            [1, 1, -1],
          ]
        : [
            [0, 1, 0],
            [1, 0, 0],
            [0.3, 0.3, 0.4],
          ],
    ]),
    ['huber δ = 0.1', getLoss({ name: 'huber', delta: 0.1 }), [[0.5, -1, 2]], [[0, 0, 0]]],
  ];
  for (const [name, loss, outputs, targets] of cases) {
    it(`${name}: the weighted value is Σᵢ wᵢ·(loss of row i alone) / B`, () => {
      const weights = new Float64Array(outputs.map((_, i) => 0.5 + i));
      const perRow = outputs.map((row, i) => lossOf(loss, [row], [targets[i]!]));
      const expected = perRow.reduce((s, l, i) => s + weights[i]! * l, 0) / outputs.length;
      expect(lossOf(loss, outputs, targets, weights)).toBeCloseTo(expected, 14);
      expect(expected).toBeGreaterThan(0);
    });
  }

  it('throws ShapeError when there is not one weight per example', () => {
    const am = Matrix.from(a, 'float64');
    const call = () => losses.mse.value(am, am, am, false, new Float64Array(3));
    expect(call).toThrow(ShapeError);
    expect(call).toThrow(
      /^loss weights must have one entry per example of the batch \(2\); received 3$/,
    );
  });
});
