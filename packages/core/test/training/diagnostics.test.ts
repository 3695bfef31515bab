import { describe, expect, it } from 'vitest';
import {
  Adam,
  ConfigError,
  Dense,
  Diagnostics,
  Dropout,
  NumericalError,
  Random,
  Sequential,
  type EpochDiagnostics,
} from '../../src/index.js';
import { loadMnist } from '@backpropjs/datasets';

/** n rows of `cols` standard normal columns (seeded), and the class of x₀ + x₁ > 0, one-hot. */
function blobs(n: number, cols: number, seed = 7): { x: number[][]; y: number[][] } {
  const random = new Random(seed);
  const x: number[][] = [];
  const y: number[][] = [];
  for (let i = 0; i < n; i++) {
    const row = Array.from({ length: cols }, () => random.normal());
    x.push(row);
    y.push(row[0]! + row[1]! > 0 ? [1, 0] : [0, 1]);
  }
  return { x, y };
}

/** Trains with a Diagnostics callback; returns the first epoch's diagnostics. */
async function diagnose(
  model: Sequential,
  data: { x: number[][]; y: number[][] },
  options: Record<string, unknown>,
): Promise<EpochDiagnostics> {
  const diagnostics = new Diagnostics();
  await model.fit(data.x, data.y, { batchSize: 16, ...options, callbacks: [diagnostics] });
  return diagnostics.epochs[0]!;
}

const kinds = (epoch: EpochDiagnostics) => epoch.warnings.map((warning) => warning.kind);

/** The Frobenius norm of a list of numbers. */
const norm = (values: ArrayLike<number>) =>
  Math.sqrt(Array.from(values, (v) => v * v).reduce((a, b) => a + b, 0));

/** ∂L/∂W of a Dense layer by central differences of the mean loss (float64 reference). */
function centralGradient(model: Sequential, layer: Dense, data: { x: number[][]; y: number[][] }) {
  const W = layer.weights.data;
  const h = 1e-6;
  return Array.from(W, (_, i) => {
    const saved = W[i]!;
    W[i] = saved + h;
    const plus = model.evaluate(data.x, data.y, { loss: 'mse' })['loss']!;
    W[i] = saved - h;
    const minus = model.evaluate(data.x, data.y, { loss: 'mse' })['loss']!;
    W[i] = saved;
    return (plus - minus) / (2 * h);
  });
}

describe('Diagnostics: the numbers', () => {
  it('gradient norm and SGD update ratio of one full batch match central differences', async () => {
    const data = {
      x: [
        [0.5, -1],
        [1.5, 0.25],
        [-0.75, 2],
      ],
      y: [[0.2], [-0.4], [0.9]],
    };
    const hidden = new Dense(2, 3, { activation: 'tanh' });
    const output = new Dense(3, 1);
    const model = new Sequential([hidden, output], { seed: 3, dtype: 'float64' });
    const gradients = [centralGradient(model, hidden, data), centralGradient(model, output, data)];
    const before = [norm(hidden.weights.data), norm(output.weights.data)];
    const epoch = await diagnose(model, data, { loss: 'mse', learningRate: 0.05, batchSize: 3 });
    epoch.layers.forEach((layer, i) => {
      expect(layer.gradientNorm).toBeCloseTo(norm(gradients[i]!), 8);
      // Plain SGD: ‖ΔW‖ = η‖∂L/∂W‖.
      expect(layer.updateRatio).toBeCloseTo((0.05 * norm(gradients[i]!)) / before[i]!, 9);
    });
    expect(epoch.layers.map((layer) => [layer.dead, layer.saturated])).toEqual([
      [null, 0],
      [null, null],
    ]);
  });

  it('the update ratio compares the weights around an Adam update', async () => {
    const data = blobs(8, 3);
    const hidden = new Dense(3, 4, { activation: 'relu' });
    const model = new Sequential([hidden, new Dense(4, 2, { activation: 'softmax' })], {
      seed: 5,
      dtype: 'float64',
    });
    const W0 = Float64Array.from(hidden.weights.data);
    const epoch = await diagnose(model, data, {
      loss: 'crossEntropy',
      optimizer: new Adam({ learningRate: 0.01 }),
      batchSize: 8,
    });
    const change = norm(Array.from(W0, (w, i) => hidden.weights.data[i]! - w));
    expect(epoch.layers[0]!.updateRatio).toBeCloseTo(change / norm(W0), 12);
  });

  it('counts dead ReLU units and saturated sigmoid units exactly', async () => {
    const data = blobs(64, 4);
    const relu = new Dense(4, 4, { activation: 'relu' });
    const sigmoid = new Dense(4, 4, { activation: 'sigmoid' });
    const model = new Sequential([relu, sigmoid, new Dense(4, 2, { activation: 'softmax' })], {
      seed: 1,
      dtype: 'float64',
    });
    relu.bias.data.set([-100, -100, -100, 1]); // three units dead, one alive
    sigmoid.bias.data.set([60, -60, 0, 0]); // σ′ = σ(1 − σ) ≈ e⁻⁶⁰ for two units
    sigmoid.weights.data.fill(0);
    const epoch = await diagnose(model, data, { loss: 'crossEntropy', learningRate: 1e-4 });
    expect(epoch.layers[0]!.dead).toBe(0.75);
    expect(epoch.layers[1]!.saturated).toBe(0.5);
    expect(kinds(epoch)).toContain('dead');
    expect(kinds(epoch)).not.toContain('saturated'); // half, not more than half
  });

  it('reports frozen layers without updates, and passes Dropout by', async () => {
    const data = blobs(32, 4);
    const first = new Dense(4, 8, { activation: 'relu' });
    first.trainable = false;
    const model = new Sequential(
      [first, new Dropout(0.5), new Dense(8, 2, { activation: 'softmax' })],
      { seed: 2 },
    );
    const epoch = await diagnose(model, data, { loss: 'crossEntropy', learningRate: 0.1 });
    expect(epoch.layers.map((layer) => [layer.layer, layer.frozen, layer.updateRatio > 0])).toEqual(
      [
        [1, true, false],
        [2, false, true],
      ],
    );
    expect(epoch.layers[0]!.gradientNorm).toBeGreaterThan(0);
  });

  it('refuses a bad sampleEvery', () => {
    expect(() => new Diagnostics({ sampleEvery: 0 })).toThrow(ConfigError);
    expect(() => new Diagnostics({ sampleEvery: 0 })).toThrow(
      /sampleEvery must be an integer >= 1; received 0/,
    );
  });
});

describe('Diagnostics: warnings on networks built to show each problem', () => {
  it('a 10-layer sigmoid net: vanishing gradients', async () => {
    const layers = [new Dense(4, 16, { activation: 'sigmoid' })];
    for (let i = 0; i < 8; i++) layers.push(new Dense(16, 16, { activation: 'sigmoid' }));
    layers.push(new Dense(16, 2, { activation: 'softmax' }));
    const model = new Sequential(layers, { seed: 1, dtype: 'float64' });
    const epoch = await diagnose(model, blobs(256, 4), { loss: 'crossEntropy', learningRate: 0.1 });
    expect(kinds(epoch)).toEqual(['vanishing']);
    expect(epoch.layers[0]!.gradientNorm).toBeLessThan(1e-3 * epoch.layers[9]!.gradientNorm);
    expect(epoch.warnings[0]!.hint).toMatch(/relu/);
  });

  it('ReLUs with a large negative bias: dead units', async () => {
    const hidden = new Dense(4, 32, { activation: 'relu' });
    const model = new Sequential([hidden, new Dense(32, 2, { activation: 'softmax' })], {
      seed: 1,
    });
    hidden.bias.data.fill(-10);
    const epoch = await diagnose(model, blobs(256, 4), { loss: 'crossEntropy', learningRate: 0.1 });
    expect(epoch.layers[0]!.dead).toBe(1);
    expect(epoch.layers[0]!.gradientNorm).toBe(0);
    expect(kinds(epoch)).toEqual(['dead']);
    expect(epoch.warnings[0]!.message).toBe(
      "100% of layer 1's 32 ReLU units are dead (0 on every example)",
    );
  });

  it('unscaled inputs: one column in the tens of thousands', async () => {
    const data = blobs(256, 3);
    for (const row of data.x) row[1] = 50_000 + 10_000 * row[1]!;
    const model = new Sequential(
      [new Dense(3, 8, { activation: 'relu' }), new Dense(8, 2, { activation: 'softmax' })],
      { seed: 1, dtype: 'float64' },
    );
    const epoch = await diagnose(model, data, { loss: 'crossEntropy', learningRate: 1e-9 });
    expect(epoch.inputs!.column).toBe(1);
    expect(epoch.inputs!.std).toBeGreaterThan(5000);
    expect(kinds(epoch)[0]).toBe('unscaled');
  });

  it('a too-high learning rate: updates larger than 10% of the weights', async () => {
    const model = new Sequential(
      [new Dense(4, 16, { activation: 'tanh' }), new Dense(16, 2, { activation: 'softmax' })],
      { seed: 1, dtype: 'float64' },
    );
    const epoch = await diagnose(model, blobs(256, 4), { loss: 'crossEntropy', learningRate: 20 });
    expect(kinds(epoch)).toContain('largeUpdates');
    expect(epoch.layers.every((layer) => layer.updateRatio > 0.1)).toBe(true);
  });

  it('a non-finite loss: names the first layer and quantity, in the error too', async () => {
    const first = new Dense(2, 2, { activation: 'relu' });
    const model = new Sequential([first, new Dense(2, 1)], { seed: 1 });
    first.weights.data.fill(1); // float32: 3e38 + 3e38 overflows to Infinity in z¹
    const diagnostics = new Diagnostics();
    const fit = model.fit(
      [
        [3e38, 3e38],
        [1, 1],
      ],
      [[1], [2]],
      {
        loss: 'mse',
        batchSize: 2,
        callbacks: [diagnostics],
      },
    );
    await expect(fit).rejects.toThrow(NumericalError);
    await expect(fit).rejects.toThrow(
      'first non-finite value: z of layer 1 is Infinity at row 0, column 0; help:',
    );
    expect(diagnostics.nonFinite).toMatchObject({ quantity: 'z', layer: 1, row: 0, column: 0 });
  });

  it('non-finite weights from an earlier update are named before the forward pass', async () => {
    const second = new Dense(2, 1);
    const model = new Sequential([new Dense(2, 2, { activation: 'relu' }), second], { seed: 1 });
    second.weights.data[1] = NaN;
    const diagnostics = new Diagnostics();
    await expect(
      model.fit([[1, 2]], [[1]], { loss: 'mse', callbacks: [diagnostics] }),
    ).rejects.toThrow(
      /first non-finite value: the weights \(before the batch\) of layer 2 is NaN at row 0, column 1/,
    );
  });

  it('is silent on a healthy MNIST run (784-128-10, SGD 0.1, 10,000 images, 1 epoch)', async () => {
    const { train } = loadMnist({ compact: true });
    const model = new Sequential(
      [new Dense(784, 128, { activation: 'relu' }), new Dense(128, 10, { activation: 'softmax' })],
      { seed: 1 },
    );
    const diagnostics = new Diagnostics();
    await model.fit(train.x.rowRange(0, 10_000), train.y.rowRange(0, 10_000), {
      loss: 'crossEntropy',
      learningRate: 0.1,
      epochs: 1,
      callbacks: [diagnostics],
    });
    const [epoch] = diagnostics.epochs;
    expect(epoch!.warnings).toEqual([]);
    expect(epoch!.layers[0]!.dead).toBeLessThan(0.1);
    expect(epoch!.layers[0]!.updateRatio).toBeGreaterThan(1e-4);
    expect(epoch!.layers[0]!.updateRatio).toBeLessThan(1e-1);
  }, 60_000);
});
