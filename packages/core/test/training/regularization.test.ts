import { describe, expect, it } from 'vitest';
import {
  clipByGlobalNorm,
  clipByValue,
  ConfigError,
  Dense,
  gradcheck,
  Matrix,
  Random,
  Sequential,
  weightPenalty,
} from '../../src/index.js';

function network(): Sequential {
  return new Sequential(
    [new Dense(3, 4, { activation: 'tanh' }), new Dense(4, 2, { activation: 'sigmoid' })],
    { dtype: 'float64', seed: 7 },
  );
}

const random = new Random(11);
const x = Array.from({ length: 5 }, () => [0, 0, 0].map(() => 2 * random.uniform() - 1));
const y = x.map((row) => [row[0]! > 0 ? 1 : 0, row[1]! * row[2]! > 0 ? 1 : 0]);

describe('L1 and L2 weight penalties', () => {
  it('add ½λ₂Σw² + λ₁Σ|w| over the weights only (hand-computed)', () => {
    const model = new Sequential([new Dense(2, 1)], { dtype: 'float64' });
    model.denseLayers[0]!.weights = Matrix.from([[3, -4]], 'float64');
    model.denseLayers[0]!.bias = Matrix.from([[100]], 'float64'); // not penalised
    // ½·0.1·(9 + 16) + 0.01·(3 + 4) = 1.25 + 0.07
    expect(weightPenalty(model.layers, 0.01, 0.1)).toBeCloseTo(1.32, 14);
    expect(weightPenalty(model.layers, 0, 0)).toBe(0);
  });

  for (const [name, l1, l2] of [
    ['L2', 0, 0.3],
    ['L1', 0.05, 0],
    ['L1 + L2', 0.05, 0.3],
  ] as const) {
    it(`${name}: the gradient passes gradcheck against the penalised loss`, () => {
      const result = gradcheck(network(), x, y, 'binaryCrossEntropy', { l1, l2 });
      expect(result.maxRelativeError).toBeLessThan(1e-6);
    });
  }

  it('fit reports the penalised loss: data loss + penalty before the first update', async () => {
    const model = network();
    const dataLoss = model.evaluate(x, y, { loss: 'binaryCrossEntropy' })['loss']!;
    const penalty = weightPenalty(model.layers, 0.01, 0.2);
    const history = await model.fit(x, y, {
      loss: 'binaryCrossEntropy',
      batchSize: 5,
      l1: 0.01,
      l2: 0.2,
      shuffle: false,
    });
    expect(history.history['loss']![0]).toBeCloseTo(dataLoss + penalty, 14);
  });

  it('L2 shrinks the weights compared with training without it', async () => {
    const plain = network();
    const decayed = network();
    const options = { loss: 'binaryCrossEntropy', learningRate: 0.5, epochs: 50 } as const;
    await plain.fit(x, y, options);
    await decayed.fit(x, y, { ...options, l2: 0.5 });
    expect(weightPenalty(decayed.layers, 0, 1)).toBeLessThan(weightPenalty(plain.layers, 0, 1));
  });

  it('rejects a negative l1 or l2', async () => {
    await expect(network().fit(x, y, { l2: -0.1 })).rejects.toThrow(
      /^l2 must be a finite number >= 0; received -0.1$/,
    );
    await expect(network().fit(x, y, { l1: -1 })).rejects.toThrow(ConfigError);
  });
});

describe('gradient clipping', () => {
  it('by global norm rescales every gradient by c / (‖g‖ + 1e-6), as clip_grad_norm_', () => {
    // ‖g‖ = √(3² + 4² + 12²) = 13
    const a = Matrix.from([[3, 4]], 'float64');
    const b = Matrix.from([[12]], 'float64');
    expect(clipByGlobalNorm([a, b], 6.5)).toBe(13);
    const factor = 6.5 / (13 + 1e-6);
    expect(Array.from(a.data)).toEqual([3 * factor, 4 * factor]);
    expect(Array.from(b.data)).toEqual([12 * factor]);
  });

  it('by global norm leaves gradients below the norm alone', () => {
    const a = Matrix.from([[3, 4]], 'float64');
    expect(clipByGlobalNorm([a], 10)).toBe(5);
    expect(Array.from(a.data)).toEqual([3, 4]);
  });

  it('by value clamps each element to [−v, v]', () => {
    const a = Matrix.from([[-3, 0.5, 2, -0.25]], 'float64');
    clipByValue([a], 1);
    expect(Array.from(a.data)).toEqual([-1, 0.5, 1, -0.25]);
  });

  it('bounds each step of plain SGD: |Δw| ≤ η·clipValue', async () => {
    const model = network();
    const before = model.parameters().map((p) => Float64Array.from(p.data));
    await model.fit(x, y, { loss: 'mse', learningRate: 10, batchSize: 5, clipValue: 0.01 });
    model
      .parameters()
      .forEach((p, i) =>
        p.data.forEach((w, k) =>
          expect(Math.abs(w - before[i]![k]!)).toBeLessThanOrEqual(0.1 + 1e-15),
        ),
      );
  });

  it('rejects clipNorm or clipValue ≤ 0', async () => {
    await expect(network().fit(x, y, { clipNorm: 0 })).rejects.toThrow(
      /^clipNorm must be a finite number > 0; received 0$/,
    );
    await expect(network().fit(x, y, { clipValue: -1 })).rejects.toThrow(ConfigError);
  });
});
