import { describe, expect, it } from 'vitest';
import {
  activations,
  ConfigError,
  createBackend,
  Dense,
  getActivation,
  jsBackend,
  Matrix,
  Random,
  Sequential,
  type ActivationSpec,
  type ElementwiseActivation,
} from '../../src/index.js';

const cube = {
  name: 'cube',
  g: (z: number) => z * z * z,
  derivative: (z: number) => 3 * z * z,
};

describe('activation specs', () => {
  it.each([
    ['elu', 'elu', 'elu'],
    [{ name: 'elu', alpha: 0.5 }, { name: 'elu', alpha: 0.5 }, 'elu(0.5)'],
    [{ name: 'leakyRelu', slope: 0.2 }, { name: 'leakyRelu', slope: 0.2 }, 'leakyRelu(0.2)'],
    [
      { name: 'hardSigmoid', slope: 0.25 },
      { name: 'hardSigmoid', slope: 0.25, offset: 0.5 },
      'hardSigmoid(0.25, 0.5)',
    ],
    [{ name: 'hardSigmoid', slope: 0.2, offset: 0.5 }, 'hardSigmoid', 'hardSigmoid'],
    [{ name: 'gelu' }, 'gelu', 'gelu'],
  ] as [ActivationSpec, unknown, string][])(
    '%j has config %j and label %s, and its config makes the same activation',
    (spec, config, label) => {
      const activation = getActivation(spec) as ElementwiseActivation;
      expect(activation.config).toEqual(config);
      expect(activation.label).toBe(label);
      expect(String(activation)).toBe(label);
      expect(activation.custom).toBe(false);
      const again = getActivation(JSON.parse(JSON.stringify(activation.config)) as ActivationSpec);
      expect(again.config).toEqual(config);
      const other = again as ElementwiseActivation;
      for (const z of [-2.5, -0.3, 0.7, 3]) {
        expect(other.g(z)).toBe(activation.g(z));
        expect(other.derivative(z, other.g(z))).toBe(activation.derivative(z, activation.g(z)));
      }
    },
  );

  it('returns an Activation passed to it as it is', () => {
    const elu = getActivation({ name: 'elu', alpha: 0.3 });
    expect(getActivation(elu)).toBe(elu);
    expect(getActivation(activations.relu)).toBe(activations.relu);
  });

  it('takes leakyRelu slope 0.2 into g, g′ and the WASM kernel parameters', () => {
    const leaky = getActivation({ name: 'leakyRelu', slope: 0.2 }) as ElementwiseActivation;
    expect(leaky.g(-2)).toBe(-0.4);
    expect(leaky.derivative(-2, -0.4)).toBe(0.2);
    expect(leaky.kernel).toEqual({ code: 3, parameters: [0.2, 0] });
    expect(leaky.options).toEqual({ slope: 0.2 });
  });

  it.each([
    [{ name: 'elu', alpha: -1 }, /activation elu: alpha must be a finite number ≥ 0; received -1/],
    [
      { name: 'leakyRelu', slope: NaN },
      /activation leakyRelu: slope must be a finite number ≥ 0; received NaN/,
    ],
    [
      { name: 'hardSigmoid', slope: 0 },
      /hardSigmoid: slope must be a finite number > 0; received 0/,
    ],
    [
      { name: 'hardSigmoid', offset: Infinity },
      /offset must be a finite number; received Infinity/,
    ],
    [{ name: 'elu', alpha: '1' }, /alpha must be a finite number ≥ 0; received "1"/],
    [{ name: 'elu', slope: 1 }, /activation elu has no option "slope"; expected alpha/],
    [{ name: 'relu', alpha: 1 }, /activation relu has no option "alpha"; expected none/],
    [{ name: 'softmax', axis: 1 }, /activation softmax has no option "axis"; expected none/],
    [{ name: 'swsh' }, /unknown activation "swsh"; expected one of sigmoid, .*mish/],
    ['Relu', /unknown activation "Relu"; expected one of/],
    [
      42,
      /activation must be a name, \{ name, \.\.\.options \} or \{ name, g, derivative \}; received 42/,
    ],
    [
      { name: 'relu', g: (z: number) => z, derivative: () => 1 },
      /custom activation "relu" has a built-in activation's name/,
    ],
    [
      { name: 'cube', g: cube.g },
      /custom activation "cube": derivative must be a function; received undefined/,
    ],
    [
      { name: '', g: cube.g, derivative: cube.derivative },
      /custom activation needs a non-empty name; received ""/,
    ],
    [{ ...cube, slope: 1 }, /custom activation "cube" has unknown field "slope"/],
  ])('rejects %j', (spec, message) => {
    expect(() => getActivation(spec as ActivationSpec)).toThrow(ConfigError);
    expect(() => getActivation(spec as ActivationSpec)).toThrow(message);
  });

  it('names the option in messages', () => {
    expect(() => getActivation({ name: 'elu', alpha: -2 }, 'outputActivation')).toThrow(
      /^outputActivation elu: alpha must be/,
    );
  });
});

describe('custom activations', () => {
  it('are element-wise, custom, without kernel, labelled by name', () => {
    const activation = getActivation(cube) as ElementwiseActivation;
    expect(activation).toMatchObject({ kind: 'elementwise', name: 'cube', custom: true });
    expect(activation.kernel).toBeUndefined();
    expect(activation.label).toBe('cube');
    expect(activation.config).toBe('cube');
  });

  it.each(['js', 'wasm'] as const)(
    'train the same on the %s backend as plain loops say (float32, JS fallback on wasm)',
    (backendName) => {
      const backend = backendName === 'js' ? jsBackend : createBackend('wasm');
      const model = new Sequential(
        [new Dense(3, 4, { activation: cube }), new Dense(4, 2, { activation: 'linear' })],
        { seed: 4, backend },
      );
      const x = Matrix.from([
        [0.5, -0.2, 0.1],
        [-0.3, 0.8, 0.4],
      ]);
      // Reference: W₂·cube(W₁x + b₁) + b₂ in float64 from the model's own weights.
      const [first, second] = model.layers as [Dense, Dense];
      const expected = x.toArray().map((row) => {
        const hidden = first.weights.toArray().map((w, j) => {
          const z = w.reduce((s, wk, k) => s + wk * row[k]!, first.bias.data[j]!);
          return Math.fround(Math.fround(z) ** 3);
        });
        return second.weights
          .toArray()
          .map((w, j) => w.reduce((s, wk, k) => s + wk * hidden[k]!, second.bias.data[j]!));
      });
      const predicted = model.predict(x).toArray();
      predicted.forEach((row, i) =>
        row.forEach((v, j) => expect(v).toBeCloseTo(expected[i]![j]!, 5)),
      );
    },
  );
});

describe('Dense with activation specs', () => {
  it('computes leakyRelu(0.2) and elu(0.5) with their options, and prints them', () => {
    const layer = new Dense(2, 2, { activation: { name: 'leakyRelu', slope: 0.2 } });
    expect(layer.activation.label).toBe('leakyRelu(0.2)');
    const model = new Sequential([layer], { seed: 1, dtype: 'float64' });
    layer.weights = Matrix.from([
      [1, 0],
      [0, 1],
    ]);
    expect(model.predict(Matrix.from([[-1, 2]], 'float64')).toArray()).toEqual([[-0.2, 2]]);
    const elu = new Dense(1, 1, { activation: { name: 'elu', alpha: 0.5 } });
    const eluModel = new Sequential([elu], { seed: 1, dtype: 'float64' });
    elu.weights = Matrix.from([[1]]);
    const a = eluModel.predict(Matrix.from([[-1]], 'float64'));
    expect(a.get(0, 0)).toBeCloseTo(0.5 * (Math.exp(-1) - 1), 15);
  });

  it('starts SELU layers with LeCun normal weights (variance 1/fanIn)', () => {
    const layer = new Dense(400, 300, { activation: 'selu' });
    new Sequential([layer], { seed: 9, dtype: 'float64' });
    const w = layer.weights.data;
    let sum = 0;
    for (const v of w) sum += v * v;
    expect(sum / w.length).toBeCloseTo(1 / 400, 4);
    expect(Math.max(...w.map(Math.abs))).toBeLessThanOrEqual(
      (2 * Math.sqrt(1 / 400)) / 0.8796256610342398,
    );
  });
});

describe('random matrices through the activations (js backend)', () => {
  it('match g element by element for every built-in', () => {
    const random = new Random(2);
    const z = new Matrix(3, 5, 'float64');
    z.data.forEach((_, i) => (z.data[i] = 8 * random.uniform() - 4));
    for (const activation of Object.values(activations)) {
      if (activation.kind !== 'elementwise') continue;
      const a = new Matrix(3, 5, 'float64');
      activation.forward(jsBackend, z, a);
      a.data.forEach((v, i) => expect(v).toBe(activation.g(z.data[i]!)));
    }
  });
});
