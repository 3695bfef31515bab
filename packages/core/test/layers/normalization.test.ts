import { describe, expect, it } from 'vitest';
import {
  ActivationLayer,
  BatchNormalization,
  ConfigError,
  Dense,
  Dropout,
  GaussianNoise,
  getLoss,
  gradcheck,
  LayerNormalization,
  Matrix,
  modelFromJSON,
  Random,
  Sequential,
  type Layer,
} from '../../src/index.js';

/** An independent float64 reference (Python, math module): x̂ of [[1,2],[3,6],[5,4]], ε = 1e-3. */
const BATCH_XHAT = [
  [-1.2245152962941819, -1.2245152962941819],
  [0, 1.2245152962941819],
  [1.2245152962941819, 0],
];
/** The same for LayerNormalization of the rows [1, 2, 4] and [−1, 0.5, 3]. */
const ROW_XHAT = [
  [-1.0687015116389473, -0.2671753779097369, 1.3358768895486839],
  [-1.1109637631749496, -0.2019934114863545, 1.312957174661304],
];

function expectClose(actual: number[][], expected: number[][], tolerance: number): void {
  expect(actual.length).toBe(expected.length);
  actual.forEach((row, i) =>
    row.forEach((v, j) => expect(Math.abs(v - expected[i]![j]!)).toBeLessThan(tolerance)),
  );
}

const random = new Random(11);
const grid = (rows: number, cols: number) =>
  Array.from({ length: rows }, () => Array.from({ length: cols }, () => 2 * random.uniform() - 1));
const x = grid(6, 3);
const oneHot = x.map((_, i) => [0, 1, 2].map((c) => (c === i % 3 ? 1 : 0)));

/** Dense(3 → 4, tanh), the layer under test, Dense(4 → 3, softmax), float64. */
function sandwich(middle: Layer, seed = 4): Sequential {
  return new Sequential(
    [new Dense(3, 4, { activation: 'tanh' }), middle, new Dense(4, 3, { activation: 'softmax' })],
    { dtype: 'float64', seed },
  );
}

describe('BatchNormalization', () => {
  it('normalises each unit over the batch while training (independent float64 reference)', () => {
    const model = new Sequential([new BatchNormalization()], { dtype: 'float64', inputs: 2 });
    const trace = model.forward(
      [
        [1, 2],
        [3, 6],
        [5, 4],
      ],
      { training: true },
    );
    expectClose(trace.outputs[1]!.toArray(), BATCH_XHAT, 1e-15);
    // moving ← 0.99·moving + 0.01·batch: from mean 0 and variance 1.
    const [, , movingMean, movingVariance] = model.getWeights();
    expectClose(movingMean!.toArray(), [[0.03, 0.04]], 1e-15);
    expectClose(movingVariance!.toArray(), [[0.99 + 0.01 * (8 / 3), 0.99 + 0.01 * (8 / 3)]], 1e-15);
  });

  it('uses the moving statistics in predict, and while frozen', () => {
    const layer = new BatchNormalization({ momentum: 0.5, epsilon: 0.01 });
    const model = new Sequential([layer], { dtype: 'float64', inputs: 2 });
    model.setWeights([
      Matrix.from([[2, 3]], 'float64'),
      Matrix.from([[0.5, -1]], 'float64'),
      Matrix.from([[1, -2]], 'float64'),
      Matrix.from([[3.99, 0.24]], 'float64'),
    ]);
    // y = γ(x − μ)/√(σ² + ε) + β = 2(5 − 1)/2 + 0.5, 3(−1 + 2)/0.5 − 1
    expect(model.predict([[5, -1]]).toArray()).toEqual([[4.5, 5]]);
    layer.trainable = false;
    expect(model.forward([[5, -1]], { training: true }).outputs[1]!.toArray()).toEqual([[4.5, 5]]);
    expect(model.getWeights()[2]!.toArray()).toEqual([[1, -2]]); // unchanged while frozen
  });

  it('passes gradcheck in training mode (float64, < 1e-6)', () => {
    const result = gradcheck(sandwich(new BatchNormalization()), x, oneHot, 'crossEntropy', {
      training: true,
    });
    expect(result.perParameter.map((p) => `${p.layer}.${p.parameter}`)).toEqual([
      '1.weights',
      '1.bias',
      '2.gamma',
      '2.beta',
      '3.weights',
      '3.bias',
    ]);
    expect(result.maxRelativeError).toBeLessThan(1e-6);
  });

  it('passes gradcheck in inference mode, with trained moving statistics', async () => {
    const model = sandwich(new BatchNormalization({ momentum: 0.5 }));
    await model.fit(x, oneHot, { loss: 'crossEntropy', epochs: 3, batchSize: 3 });
    expect(gradcheck(model, x, oneHot, 'crossEntropy').maxRelativeError).toBeLessThan(1e-6);
  });

  it('rejects bad options', () => {
    expect(() => new BatchNormalization({ momentum: 1 })).toThrow(
      /^BatchNormalization momentum must be a number in \[0, 1\); received 1$/,
    );
    expect(() => new BatchNormalization({ epsilon: 0 })).toThrow(ConfigError);
    expect(() => new BatchNormalization({ eps: 1 } as never)).toThrow(
      /BatchNormalization has no option "eps"; valid options are momentum, epsilon/,
    );
  });
});

describe('LayerNormalization', () => {
  it('normalises each example over its units (independent float64 reference)', () => {
    const model = new Sequential([new LayerNormalization()], { dtype: 'float64', inputs: 3 });
    const rows = [
      [1, 2, 4],
      [-1, 0.5, 3],
    ];
    expectClose(model.predict(rows).toArray(), ROW_XHAT, 1e-15);
    expectClose(model.forward(rows, { training: true }).outputs[1]!.toArray(), ROW_XHAT, 1e-15);
  });

  it('passes gradcheck (float64, < 1e-6)', () => {
    const result = gradcheck(sandwich(new LayerNormalization()), x, oneHot, 'crossEntropy', {
      training: true,
    });
    expect(result.maxRelativeError).toBeLessThan(1e-6);
  });
});

describe('ActivationLayer', () => {
  it('after a linear Dense is the same network as the Dense with that activation', () => {
    const split = new Sequential(
      [new Dense(3, 4, { activation: 'linear' }), new ActivationLayer('softmax')],
      { dtype: 'float64', seed: 5 },
    );
    const fused = new Sequential([new Dense(3, 4, { activation: 'softmax' })], {
      dtype: 'float64',
      seed: 5,
    });
    const y = x.map((_, i) => [0, 1, 2, 3].map((c) => (c === i % 4 ? 1 : 0)));
    expect(split.predict(x).toArray()).toEqual(fused.predict(x).toArray());
    // softmax + cross-entropy fuse through the Activation layer too: the same gradients.
    const a = split.backward(split.forward(x), y, 'crossEntropy');
    const b = fused.backward(fused.forward(x), y, 'crossEntropy');
    expect(a.weights[1]!.toArray()).toEqual(b.weights[1]!.toArray());
    expect(split.lossOf(split.forward(x), Matrix.from(y, 'float64'), getLoss('crossEntropy'))).toBe(
      fused.lossOf(fused.forward(x), Matrix.from(y, 'float64'), getLoss('crossEntropy')),
    );
  });

  it('passes gradcheck with a loss it does not fuse with', () => {
    const result = gradcheck(sandwich(new ActivationLayer('sigmoid')), x, oneHot, 'mse');
    expect(result.maxRelativeError).toBeLessThan(1e-6);
  });
});

describe('GaussianNoise', () => {
  it('adds σ·N(0, 1) drawn row by row from the model generator while training only', () => {
    const model = new Sequential([new GaussianNoise(0.5)], {
      dtype: 'float64',
      inputs: 3,
      seed: 8,
    });
    expect(model.predict(x.slice(0, 2)).toArray()).toEqual(x.slice(0, 2));
    const draws = new Random(8);
    const expected = x.slice(0, 2).map((row) => row.map((v) => v + 0.5 * draws.normal()));
    expect(model.forward(x.slice(0, 2), { training: true }).outputs[1]!.toArray()).toEqual(
      expected,
    );
  });

  it('passes gradcheck with its noise held fixed', () => {
    const result = gradcheck(sandwich(new GaussianNoise(0.3)), x, oneHot, 'crossEntropy', {
      training: true,
    });
    expect(result.maxRelativeError).toBeLessThan(1e-6);
  });

  it('rejects a negative stddev', () => {
    expect(() => new GaussianNoise(-1)).toThrow(
      /^GaussianNoise stddev must be a finite number >= 0; received -1$/,
    );
  });
});

describe('every layer in one model', () => {
  it('trains, saves and loads bit for bit (model file version 3)', async () => {
    const build = () =>
      new Sequential(
        [
          new GaussianNoise(0.05),
          new Dense(3, 5),
          new BatchNormalization(),
          new ActivationLayer('relu'),
          new Dropout(0.2),
          new Dense(5, 4, { activation: 'tanh' }),
          new LayerNormalization(),
          new Dense(4, 3, { activation: 'softmax' }),
        ],
        { dtype: 'float32', seed: 6, inputs: 3 },
      );
    const model = build();
    await model.fit(x, oneHot, { loss: 'crossEntropy', epochs: 4, batchSize: 2 });
    const copy = modelFromJSON(JSON.parse(JSON.stringify(model)));
    expect(String(copy)).toBe(String(model));
    expect(copy.getWeights().map((w) => Array.from(w.data))).toEqual(
      model.getWeights().map((w) => Array.from(w.data)),
    );
    expect(copy.predict(x).data).toEqual(model.predict(x).data);
    expect(model.toJSON().layers.map((layer) => layer.type)).toEqual([
      'GaussianNoise',
      'Dense',
      'BatchNormalization',
      'Activation',
      'Dropout',
      'Dense',
      'LayerNormalization',
      'Dense',
    ]);
    // The lecture's view counts the Dense layers only.
    expect(model.denseLayers.map(String)).toEqual([
      'Dense(3 => 5, linear)',
      'Dense(5 => 4, tanh)',
      'Dense(4 => 3, softmax)',
    ]);
    const trace = model.forward(x, { training: true });
    expect(trace.z).toHaveLength(4);
    expect(trace.outputs).toHaveLength(9);
    expect(trace.input[2]).toBe(trace.dropout[2]!.output); // Dense 2 reads the dropped a
  });
});
