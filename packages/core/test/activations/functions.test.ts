import { describe, expect, it } from 'vitest';
import {
  activations,
  erf,
  erfc,
  getActivation,
  SELU_ALPHA,
  SELU_SCALE,
  type ActivationSpec,
  type ElementwiseActivation,
} from '../../src/index.js';

/**
 * The new activations against textbook formulas written here in float64 (naive forms, fine for
 * moderate z), a few published values, central differences of g, and big |z|.
 */

const elementwise = (spec: ActivationSpec) => getActivation(spec) as ElementwiseActivation;
const normalCdf = (z: number) => 0.5 * (1 + erf(z / Math.SQRT2));
const sigma = (z: number) => 1 / (1 + Math.exp(-z));

/** Each activation (spec) with g written from its definition. */
const REFERENCES: [ActivationSpec, (z: number) => number][] = [
  ['elu', (z) => (z > 0 ? z : Math.exp(z) - 1)],
  [{ name: 'elu', alpha: 0.5 }, (z) => (z > 0 ? z : 0.5 * (Math.exp(z) - 1))],
  ['selu', (z) => 1.0507009873554805 * (z > 0 ? z : 1.6732632423543772 * (Math.exp(z) - 1))],
  ['gelu', (z) => z * normalCdf(z)],
  ['geluTanh', (z) => 0.5 * z * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (z + 0.044715 * z ** 3)))],
  ['softplus', (z) => Math.log(1 + Math.exp(z))],
  ['swish', (z) => z * sigma(z)],
  ['softsign', (z) => z / (1 + Math.abs(z))],
  ['hardSigmoid', (z) => Math.min(1, Math.max(0, 0.2 * z + 0.5))],
  [
    { name: 'hardSigmoid', slope: 0.25, offset: 0.4 },
    (z) => Math.min(1, Math.max(0, 0.25 * z + 0.4)),
  ],
  ['mish', (z) => z * Math.tanh(Math.log(1 + Math.exp(z)))],
  [{ name: 'leakyRelu', slope: 0.2 }, (z) => (z > 0 ? z : 0.2 * z)],
];
/** Away from kinks (0, hardSigmoid's ±2.5, −1.6/2.4) and the zeros of g′. */
const POINTS = [-3.3, -1.7, -0.55, -0.1, 0.3, 0.9, 2.2, 4.1];
const label = (spec: ActivationSpec) => getActivation(spec).label;

describe('erf and erfc', () => {
  it('match tabulated values to 2 ulp', () => {
    const table: [number, number][] = [
      [0.1, 0.1124629160182849],
      [0.5, 0.5204998778130465],
      [1, 0.8427007929497149],
      [2, 0.9953222650189527],
      [3, 0.9999779095030014],
    ];
    for (const [x, expected] of table) {
      expect(Math.abs(erf(x) - expected)).toBeLessThanOrEqual(2.3e-16 * expected);
      expect(erf(-x)).toBe(-erf(x));
    }
  });

  it('keeps relative accuracy in the tail: erfc(5) and erfc(10)', () => {
    expect(Math.abs(erfc(5) / 1.5374597944280349e-12 - 1)).toBeLessThan(1e-15);
    expect(Math.abs(erfc(10) / 2.088487583762545e-45 - 1)).toBeLessThan(1e-15);
    expect(erfc(-1)).toBeCloseTo(1.8427007929497148, 15);
    expect(erfc(30)).toBe(0);
    expect(erf(Infinity)).toBe(1);
    expect(Number.isNaN(erf(NaN))).toBe(true);
  });
});

describe('new activations: g against their definitions', () => {
  it.each(REFERENCES.map(([spec, g]) => [label(spec), spec, g] as const))(
    '%s',
    (_name, spec, reference) => {
      const { g } = elementwise(spec);
      for (const z of POINTS) {
        const expected = reference(z);
        expect(Math.abs(g(z) - expected), `z = ${z}`).toBeLessThanOrEqual(
          1e-14 * Math.max(Math.abs(expected), 1e-2),
        );
      }
    },
  );

  it('gives published values: gelu(1) = Φ(1), softplus(0) = ln 2, selu(1) = λ', () => {
    expect(elementwise('gelu').g(1)).toBeCloseTo(0.8413447460685429, 15);
    expect(elementwise('gelu').g(-1)).toBeCloseTo(-0.15865525393145707, 15);
    expect(elementwise('softplus').g(0)).toBe(Math.LN2);
    expect(elementwise('selu').g(1)).toBe(SELU_SCALE);
    expect(elementwise('selu').g(-1)).toBeCloseTo(SELU_SCALE * SELU_ALPHA * (Math.exp(-1) - 1), 15);
    expect(elementwise('mish').g(1)).toBeCloseTo(0.8650983882673103, 15);
    expect(elementwise('geluTanh').g(1)).toBeCloseTo(0.8411919906082768, 14);
    expect(elementwise('hardSigmoid').g(1)).toBeCloseTo(0.7, 15);
    expect(elementwise('softsign').g(-3)).toBe(-0.75);
  });
});

describe('new activations: g′ against central differences of g', () => {
  const h = 1e-6;
  it.each(REFERENCES.map(([spec]) => [label(spec), spec] as const))('%s', (_name, spec) => {
    const { g, derivative } = elementwise(spec);
    for (const z of POINTS) {
      const numeric = (g(z + h) - g(z - h)) / (2 * h);
      const analytic = derivative(z, g(z));
      expect(Math.abs(analytic - numeric), `z = ${z}`).toBeLessThanOrEqual(
        1e-6 * Math.abs(numeric) + 1e-10,
      );
    }
  });
});

describe('new activations at big |z|', () => {
  const BIG = [1e3, 1e10, 1e30, 1e300];
  it.each(REFERENCES.map(([spec]) => [label(spec), spec] as const))(
    '%s gives finite g and g′, with the right limits',
    (_name, spec) => {
      const { g, derivative } = elementwise(spec);
      for (const z of [...BIG, ...BIG.map((b) => -b)]) {
        const a = g(z);
        expect(Number.isFinite(a), `g(${z}) = ${a}`).toBe(true);
        expect(Number.isFinite(derivative(z, a)), `g′(${z})`).toBe(true);
      }
    },
  );

  it('saturates as the definitions say', () => {
    expect(elementwise('gelu').g(-40)).toBe(-0);
    expect(elementwise('gelu').g(40)).toBe(40);
    expect(elementwise('gelu').derivative(-40, 0)).toBe(0);
    expect(elementwise('softplus').g(1000)).toBe(1000);
    expect(elementwise('softplus').g(-1000)).toBe(0);
    expect(elementwise('swish').derivative(1e300, 1e300)).toBe(1);
    expect(elementwise('mish').g(1e300)).toBe(1e300);
    expect(elementwise('geluTanh').derivative(-1e300, 0)).toBe(0);
    expect(elementwise('elu').g(-1e300)).toBe(-1);
    expect(elementwise('hardSigmoid').g(-1e300)).toBe(0);
  });
});

describe('existing activations', () => {
  it('keep their objects: getActivation(name) is the table entry', () => {
    for (const name of ['sigmoid', 'tanh', 'relu', 'leakyRelu', 'linear', 'softmax'] as const) {
      expect(getActivation(name)).toBe(activations[name]);
      expect(getActivation({ name } as ActivationSpec)).toBe(activations[name]);
    }
    expect(getActivation({ name: 'leakyRelu', slope: 0.01 })).toBe(activations.leakyRelu);
  });
});
