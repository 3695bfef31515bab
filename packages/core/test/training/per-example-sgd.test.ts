import { describe, expect, it } from 'vitest';
import { Dense, Random, Sequential } from '../../src/index.js';

// The lecture's algorithm written out with plain arrays and scalar loops: for each epoch, for
// each example in a fresh Fisher–Yates order: forward, backward, then W ← W − η∂L/∂W, b ← b − η∂L/∂b.
// Products are written in the same association as the library's kernels, so float64 results
// must agree to the last bit.
function sigmoid(z: number): number {
  if (z >= 0) return 1 / (1 + Math.exp(-z));
  const e = Math.exp(z);
  return e / (1 + e);
}

function lectureLoop(
  weights: number[][][],
  bias: number[][],
  xs: number[][],
  ys: number[][],
  learningRate: number,
  epochs: number,
  random: Random,
): void {
  const order = new Uint32Array(xs.length).map((_, i) => i);
  const L = weights.length;
  for (let epoch = 0; epoch < epochs; epoch++) {
    random.shuffle(order);
    for (const index of order) {
      // forward: a⁰ = x; zˡ = Wˡaˡ⁻¹ + bˡ; aˡ = σ(zˡ)
      const a: number[][] = [xs[index]!];
      for (let l = 0; l < L; l++) {
        a.push(
          weights[l]!.map((row, j) => {
            let z = 0;
            row.forEach((w, k) => (z += w * a[l]![k]!));
            return sigmoid(z + bias[l]![j]!);
          }),
        );
      }
      // backward: δᴸ = (a − y) ⊙ σ′; δˡ⁻¹ = (Wˡ)ᵀδˡ ⊙ σ′(zˡ⁻¹)
      const delta: number[][] = [];
      delta[L - 1] = a[L]!.map((aj, j) => (aj - ys[index]![j]!) * (aj * (1 - aj)));
      for (let l = L - 1; l > 0; l--) {
        delta[l - 1] = a[l]!.map((ak, k) => {
          let sum = 0;
          weights[l]!.forEach((row, j) => (sum += delta[l]![j]! * row[k]!));
          return sum * (ak * (1 - ak));
        });
      }
      // SGD: ∂L/∂w_jk = δ_j a_k, ∂L/∂b_j = δ_j
      for (let l = 0; l < L; l++) {
        weights[l]!.forEach((row, j) =>
          row.forEach((w, k) => (row[k] = w - learningRate * (delta[l]![j]! * a[l]![k]!))),
        );
        bias[l]!.forEach((b, j) => (bias[l]![j] = b - learningRate * delta[l]![j]!));
      }
    }
  }
}

describe('batch size 1 is the lecture’s per-example SGD', () => {
  it('matches a hand-written per-example loop to the last bit in float64', async () => {
    const model = new Sequential(
      [
        new Dense(3, 4, { activation: 'sigmoid' }),
        new Dense(4, 3, { activation: 'sigmoid' }),
        new Dense(3, 2, { activation: 'sigmoid' }),
      ],
      { dtype: 'float64', seed: 42 },
    );
    const data = new Random(3);
    const xs = Array.from({ length: 10 }, () => [0, 0, 0].map(() => 4 * data.uniform() - 2));
    const ys = xs.map((row) => [row[0]! > 0 ? 1 : 0, row[1]! * row[2]! > 0 ? 1 : 0]);
    const weights = model.denseLayers.map((layer) => layer.weights.toArray());
    const bias = model.denseLayers.map((layer) => Array.from(layer.bias.data));
    const random = new Random(0);
    random.setState(model.random.getState());

    await model.fit(xs, ys, { loss: 'mse', learningRate: 0.5, batchSize: 1, epochs: 3 });
    lectureLoop(weights, bias, xs, ys, 0.5, 3, random);

    model.denseLayers.forEach((layer, l) => {
      expect(Array.from(layer.weights.data)).toEqual(weights[l]!.flat());
      expect(Array.from(layer.bias.data)).toEqual(bias[l]);
    });
    // The weights moved: the comparison is not between untouched initial values.
    expect(model.denseLayers[0]!.weights.data[0]).not.toBe(
      new Sequential(
        [
          new Dense(3, 4, { activation: 'sigmoid' }),
          new Dense(4, 3, { activation: 'sigmoid' }),
          new Dense(3, 2, { activation: 'sigmoid' }),
        ],
        { dtype: 'float64', seed: 42 },
      ).denseLayers[0]!.weights.data[0],
    );
  });
});
