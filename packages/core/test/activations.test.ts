import { describe, it, expect } from 'vitest';
import {
  ACTIVATION_NAMES,
  activations,
  ConfigError,
  getActivation,
  jsBackend,
  LEAKY_RELU_SLOPE,
  Matrix,
  sigmoid,
  type BuiltinActivationName,
  type DType,
  type ElementwiseActivation,
} from '../src/index.js';

const H = 1e-6;

/** a = g(z) through the Activation interface and the reference backend. */
function forward(name: BuiltinActivationName, z: number[][], dtype: DType = 'float64'): Matrix {
  const zm = Matrix.from(z, dtype);
  const a = new Matrix(zm.rows, zm.cols, dtype);
  activations[name].forward(jsBackend, zm, a);
  return a;
}

/** δ = ∂L/∂z from ∂L/∂a through the Activation interface. */
function backward(name: BuiltinActivationName, z: number[][], gradA: number[][]): number[][] {
  const zm = Matrix.from(z, 'float64');
  const a = forward(name, z);
  const delta = new Matrix(zm.rows, zm.cols, 'float64');
  activations[name].backward(jsBackend, zm, a, Matrix.from(gradA, 'float64'), delta);
  return delta.toArray();
}

function elementwise(name: Exclude<BuiltinActivationName, 'softmax'>): ElementwiseActivation {
  return activations[name] as ElementwiseActivation;
}

function expectAllClose(actual: number[], expected: number[], tolerance: number): void {
  expect(actual).toHaveLength(expected.length);
  actual.forEach((v, i) => expect(v).toBeCloseTo(expected[i]!, -Math.log10(tolerance)));
}

describe('activations: golden values', () => {
  it('relu of [1, −2, 0, 3, −0.1] is [1, 0, 0, 3, 0]', () => {
    expect(forward('relu', [[1, -2, 0, 3, -0.1]]).toArray()).toEqual([[1, 0, 0, 3, 0]]);
  });

  it('sigmoid(0) is exactly 0.5, and σ(±1) = 1/(1 + e^∓1)', () => {
    expect(forward('sigmoid', [[0, 1, -1]]).toArray()[0]).toEqual([
      0.5,
      1 / (1 + Math.exp(-1)),
      1 / (1 + Math.exp(1)),
    ]);
    expect(sigmoid(0)).toBe(0.5);
    expect(sigmoid(1)).toBeCloseTo(0.7310585786300049, 15);
    expect(sigmoid(-1)).toBeCloseTo(0.2689414213699951, 15);
    expect(sigmoid(2) + sigmoid(-2)).toBeCloseTo(1, 15);
  });

  it('tanh of [0, 0.5, −2] is [0, 0.46211715726000974, −0.9640275800758169]', () => {
    expectAllClose(
      forward('tanh', [[0, 0.5, -2]]).toArray()[0]!,
      [0, 0.46211715726000974, -0.9640275800758169],
      1e-15,
    );
  });

  it('leakyRelu keeps positives and scales negatives by 0.01', () => {
    expect(LEAKY_RELU_SLOPE).toBe(0.01);
    expect(forward('leakyRelu', [[2, -2, 0, -100]]).toArray()).toEqual([[2, -0.02, 0, -1]]);
  });

  it('linear is the identity', () => {
    expect(forward('linear', [[-3.5, 0, 7]]).toArray()).toEqual([[-3.5, 0, 7]]);
  });

  it('softmax of [1, 2, 3] is [e, e², e³] / (e + e² + e³)', () => {
    // e + e² + e³ = 30.19287485057736; e/… = 0.0900305731703805, e²/… = 0.2447284710547976.
    const a = forward('softmax', [
      [1, 2, 3],
      [101, 102, 103],
    ]).toArray();
    const expected = [0.09003057317038046, 0.24472847105479764, 0.6652409557748219];
    expectAllClose(a[0]!, expected, 1e-15);
    // Shifting a row by a constant does not change it.
    expectAllClose(a[1]!, expected, 1e-15);
  });

  it('softmax normalises each row separately', () => {
    const a = forward('softmax', [
      [0, 0],
      [Math.log(3), 0],
    ]).toArray();
    expectAllClose(a[0]!, [0.5, 0.5], 1e-15);
    expectAllClose(a[1]!, [0.75, 0.25], 1e-15);
  });
});

describe('activations: derivatives', () => {
  const points = [-3, -1.2, -0.4, 0.3, 0.9, 2.5];

  for (const name of ['sigmoid', 'tanh', 'relu', 'leakyRelu', 'linear'] as const) {
    it(`${name}′(z) matches the central difference of g at points away from 0`, () => {
      const { g, derivative } = elementwise(name);
      for (const z of points) {
        const numeric = (g(z + H) - g(z - H)) / (2 * H);
        expect(Math.abs(derivative(z, g(z)) - numeric)).toBeLessThan(1e-9);
      }
    });

    it(`${name}.backward multiplies ∂L/∂a by g′(z) element-wise`, () => {
      const { g, derivative } = elementwise(name);
      const z = [points.slice(0, 3), points.slice(3)];
      const gradA = [
        [0.5, -2, 1.5],
        [3, -0.25, 1],
      ];
      const expected = z.map((row, i) => row.map((v, j) => gradA[i]![j]! * derivative(v, g(v))));
      expect(backward(name, z, gradA)).toEqual(expected);
    });
  }

  it('sigmoid′ = σ(1 − σ): 0.25 at 0', () => {
    expect(elementwise('sigmoid').derivative(0, 0.5)).toBe(0.25);
  });

  it('uses the subgradients relu′(0) = 0 and leakyRelu′(0) = 0.01 at the kink', () => {
    expect(elementwise('relu').derivative(0, 0)).toBe(0);
    expect(elementwise('leakyRelu').derivative(0, 0)).toBe(0.01);
  });

  it('softmax.backward equals the central difference of Σⱼ gⱼ·softmax(z)ⱼ', () => {
    const z = [
      [0.3, -1.1, 2.0, 0.4],
      [1.5, 1.5, -0.5, 0],
    ];
    const gradA = [
      [1, -2, 0.5, 3],
      [-1, 0.25, 2, -0.75],
    ];
    const delta = backward('softmax', z, gradA);
    z.forEach((row, r) => {
      const f = (zRow: number[]): number => {
        const a = forward('softmax', [zRow]).toArray()[0]!;
        return a.reduce((s, aj, j) => s + gradA[r]![j]! * aj, 0);
      };
      row.forEach((_, i) => {
        const plus = [...row];
        const minus = [...row];
        plus[i]! += H;
        minus[i]! -= H;
        const numeric = (f(plus) - f(minus)) / (2 * H);
        expect(Math.abs(delta[r]![i]! - numeric)).toBeLessThan(1e-9);
      });
    });
  });
});

describe('activations: numerical stability in float32', () => {
  const extreme = [[1e4, -1e4, 0, 88, -88, 100, -100, 3e38, -3e38]];

  for (const name of ['sigmoid', 'tanh', 'relu', 'leakyRelu', 'linear', 'softmax'] as const) {
    it(`${name} gives no NaN or Infinity for |z| up to 1e4 and beyond`, () => {
      const a = forward(name, extreme, 'float32');
      for (const v of a.data) expect(Number.isFinite(v)).toBe(true);
    });
  }

  it('sigmoid saturates to exactly 1 at z = 1e4 and 0 at z = −1e4', () => {
    expect(forward('sigmoid', [[1e4, -1e4]], 'float32').toArray()).toEqual([[1, 0]]);
    expect(sigmoid(-1e4)).toBe(0);
    expect(sigmoid(1e4)).toBe(1);
  });

  it('sigmoid′ is 0, not NaN, where σ saturates', () => {
    const a = forward('sigmoid', [[1e4, -1e4]], 'float32');
    const { derivative } = elementwise('sigmoid');
    expect(derivative(1e4, a.get(0, 0))).toBe(0);
    expect(derivative(-1e4, a.get(0, 1))).toBe(0);
  });

  it('softmax of float32 logits ±1e4 is a finite distribution summing to 1', () => {
    const a = forward(
      'softmax',
      [
        [1e4, -1e4],
        [-1e4, 1e4],
        [-1e4, -1e4],
        [1e4, 1e4],
      ],
      'float32',
    );
    expect(a.toArray()).toEqual([
      [1, 0],
      [0, 1],
      [0.5, 0.5],
      [0.5, 0.5],
    ]);
  });

  it('softmax.backward stays finite at saturated float32 outputs', () => {
    const z = Matrix.from([[1e4, -1e4, 0]], 'float32');
    const a = new Matrix(1, 3, 'float32');
    activations.softmax.forward(jsBackend, z, a);
    const delta = new Matrix(1, 3, 'float32');
    activations.softmax.backward(jsBackend, z, a, Matrix.from([[1, 2, 3]], 'float32'), delta);
    expect(delta.data.every(Number.isFinite)).toBe(true);
  });
});

describe('getActivation', () => {
  it('returns the activation of each valid name', () => {
    expect(ACTIVATION_NAMES).toEqual([
      ...['sigmoid', 'tanh', 'relu', 'leakyRelu', 'linear', 'softmax', 'elu', 'selu', 'gelu'],
      ...['geluTanh', 'softplus', 'swish', 'softsign', 'hardSigmoid', 'mish'],
    ]);
    for (const name of ACTIVATION_NAMES) expect(getActivation(name).name).toBe(name);
  });

  it('throws ConfigError listing the valid names for an unknown name', () => {
    expect(() => getActivation('swoosh')).toThrow(ConfigError);
    expect(() => getActivation('swoosh')).toThrow(
      /unknown activation "swoosh"; expected one of sigmoid, tanh, relu, leakyRelu, linear, softmax, elu/,
    );
  });

  it('does not accept inherited object keys as names', () => {
    expect(() => getActivation('toString')).toThrow(ConfigError);
    expect(() => getActivation('constructor')).toThrow(ConfigError);
  });

  it('names the option in the message', () => {
    expect(() => getActivation('Relu', 'hiddenActivation')).toThrow(
      /unknown hiddenActivation "Relu"/,
    );
  });
});
