import { describe, expect, it } from 'vitest';
import {
  ConfigError,
  defaultInitializer,
  getInitializer,
  glorotUniform,
  heNormal,
  initializers,
  Matrix,
  Random,
  TRUNCATED_NORMAL_STDDEV,
  type InitializerSpec,
} from '../src/index.js';

/** An initializer's values for a [rows, cols] float64 matrix (fanIn = cols, fanOut = rows). */
function sample(spec: InitializerSpec, rows: number, cols: number, seed = 1): Float64Array {
  const m = new Matrix(rows, cols, 'float64');
  getInitializer(spec)(m, cols, rows, new Random(seed));
  return m.data as Float64Array;
}

function moments(values: Float64Array): { mean: number; variance: number; maxAbs: number } {
  let sum = 0;
  for (const v of values) sum += v;
  const mean = sum / values.length;
  let squares = 0;
  let maxAbs = 0;
  for (const v of values) {
    squares += (v - mean) ** 2;
    maxAbs = Math.max(maxAbs, Math.abs(v));
  }
  return { mean, variance: squares / (values.length - 1), maxAbs };
}

// 250 × 400 = 10⁵ draws: the sample variance is within ±1.5% of σ² (≈ 3.4 standard errors for
// a normal, fewer for the lighter-tailed uniform and truncated normal), the mean within ±0.015σ.
const ROWS = 250;
const COLS = 400;

describe('initializers: distributions (10⁵ draws, fixed seeds)', () => {
  const fanIn = COLS;
  const fanOut = ROWS;
  it.each([
    ['glorotUniform', 2 / (fanIn + fanOut), Math.sqrt(6 / (fanIn + fanOut))],
    [
      'glorotNormal',
      2 / (fanIn + fanOut),
      (2 * Math.sqrt(2 / (fanIn + fanOut))) / TRUNCATED_NORMAL_STDDEV,
    ],
    ['heNormal', 2 / fanIn, Infinity],
    ['heUniform', 2 / fanIn, Math.sqrt(6 / fanIn)],
    ['lecunNormal', 1 / fanIn, (2 * Math.sqrt(1 / fanIn)) / TRUNCATED_NORMAL_STDDEV],
    ['lecunUniform', 1 / fanIn, Math.sqrt(3 / fanIn)],
    ['randomNormal', 0.05 ** 2, Infinity],
    ['randomUniform', 0.1 ** 2 / 12, 0.05],
  ] as const)('%s: mean 0, variance %f, |w| within %f', (name, variance, bound) => {
    const stats = moments(sample(name, ROWS, COLS));
    expect(Math.abs(stats.mean)).toBeLessThan(0.015 * Math.sqrt(variance));
    expect(Math.abs(stats.variance / variance - 1)).toBeLessThan(0.015);
    expect(stats.maxAbs).toBeLessThanOrEqual(bound);
  });

  it('truncated normals reach close to their 2σ bound (the truncation is where Keras puts it)', () => {
    const bound = (2 * Math.sqrt(1 / COLS)) / TRUNCATED_NORMAL_STDDEV;
    expect(moments(sample('lecunNormal', ROWS, COLS)).maxAbs).toBeGreaterThan(0.99 * bound);
  });

  it('randomNormal and randomUniform take their options', () => {
    const normal = moments(sample({ name: 'randomNormal', mean: 3, stddev: 0.5 }, ROWS, COLS));
    expect(Math.abs(normal.mean - 3)).toBeLessThan(0.0075);
    expect(Math.abs(normal.variance / 0.25 - 1)).toBeLessThan(0.015);
    const uniform = sample({ name: 'randomUniform', minval: 1, maxval: 4 }, ROWS, COLS);
    const stats = moments(uniform);
    expect(Math.abs(stats.mean - 2.5)).toBeLessThan(0.015 * Math.sqrt(0.75));
    expect(Math.abs(stats.variance / 0.75 - 1)).toBeLessThan(0.015);
    expect(Math.min(...uniform)).toBeGreaterThanOrEqual(1);
    expect(Math.max(...uniform)).toBeLessThan(4);
  });

  it('constant fills its value, zeros zero', () => {
    expect([...sample({ name: 'constant', value: -1.5 }, 2, 3)]).toEqual(Array(6).fill(-1.5));
    expect([...sample('constant', 2, 2)]).toEqual([0, 0, 0, 0]);
    expect([...sample('zeros', 2, 2)]).toEqual([0, 0, 0, 0]);
  });
});

describe('orthogonal', () => {
  /** max |(XᵀX or XXᵀ) − gain²·I| for x [rows, cols], over the smaller side. */
  function orthogonalityError(x: Float64Array, rows: number, cols: number, gain: number): number {
    const tall = rows >= cols;
    const k = Math.min(rows, cols);
    const n = Math.max(rows, cols);
    const at = (i: number, j: number) => (tall ? x[j * cols + i]! : x[i * cols + j]!);
    let error = 0;
    for (let p = 0; p < k; p++) {
      for (let q = 0; q < k; q++) {
        let dot = 0;
        for (let i = 0; i < n; i++) dot += at(p, i) * at(q, i);
        error = Math.max(error, Math.abs(dot - (p === q ? gain * gain : 0)));
      }
    }
    return error;
  }

  it.each([
    [64, 64, 1],
    [100, 30, 1],
    [30, 100, 2],
    [1, 5, 0.5],
  ])('[%i, %i] with gain %f: orthonormal rows or columns to 1e-12', (rows, cols, gain) => {
    const w = sample({ name: 'orthogonal', gain }, rows, cols);
    expect(orthogonalityError(w, rows, cols, gain)).toBeLessThan(1e-12 * gain * gain);
  });

  it('is a square orthogonal matrix both ways', () => {
    const w = sample('orthogonal', 20, 20, 3);
    expect(orthogonalityError(w, 20, 20, 1)).toBeLessThan(1e-12);
    // XXᵀ as well: transpose by swapping the roles.
    const t = new Float64Array(400);
    for (let i = 0; i < 20; i++) for (let j = 0; j < 20; j++) t[j * 20 + i] = w[i * 20 + j]!;
    expect(orthogonalityError(t, 20, 20, 1)).toBeLessThan(1e-12);
  });
});

describe('initializers: determinism and bit-identity', () => {
  it('gives the same values for the same seed, and others for another', () => {
    for (const name of Object.keys(initializers) as (keyof typeof initializers)[]) {
      expect(sample(name, 7, 5, 4)).toEqual(sample(name, 7, 5, 4));
    }
    expect(sample('glorotNormal', 7, 5, 4)).not.toEqual(sample('glorotNormal', 7, 5, 5));
  });

  it('keeps glorotUniform and heNormal as they were: the same draws, scaled', () => {
    const m = new Matrix(3, 4, 'float64');
    glorotUniform(m, 4, 3, new Random(8));
    const random = new Random(8);
    const limit = Math.sqrt(6 / 7);
    expect([...m.data]).toEqual(
      Array.from({ length: 12 }, () => (2 * random.uniform() - 1) * limit),
    );
    heNormal(m, 4, 3, new Random(8));
    const again = new Random(8);
    expect([...m.data]).toEqual(
      Array.from({ length: 12 }, () => again.normal() * Math.sqrt(2 / 4)),
    );
  });

  it('chooses lecunNormal for selu, heNormal for the ReLUs, glorotUniform otherwise', () => {
    expect(defaultInitializer('selu')).toBe('lecunNormal');
    expect(defaultInitializer('relu')).toBe('heNormal');
    expect(defaultInitializer('leakyRelu')).toBe('heNormal');
    expect(defaultInitializer('gelu')).toBe('glorotUniform');
  });
});

describe('initializer specs', () => {
  it.each([
    ['heUniform', 'heUniform', 'heUniform'],
    [{ name: 'orthogonal', gain: 2 }, { name: 'orthogonal', gain: 2 }, 'orthogonal(2)'],
    [{ name: 'orthogonal', gain: 1 }, 'orthogonal', 'orthogonal'],
    [
      { name: 'randomNormal', stddev: 0.1 },
      { name: 'randomNormal', mean: 0, stddev: 0.1 },
      'randomNormal(0, 0.1)',
    ],
  ] as [InitializerSpec, unknown, string][])(
    '%j has config %j, label %s, and round-trips',
    (spec, config, label) => {
      const initializer = getInitializer(spec);
      expect(initializer.config).toEqual(config);
      expect(initializer.label).toBe(label);
      const again = getInitializer(
        JSON.parse(JSON.stringify(initializer.config)) as InitializerSpec,
      );
      expect(again.config).toEqual(config);
      expect(sample(again, 4, 3)).toEqual(sample(initializer, 4, 3));
    },
  );

  it('returns the shared instance for defaults, and an Initializer as it is', () => {
    expect(getInitializer('zeros')).toBe(initializers.zeros);
    expect(getInitializer({ name: 'randomUniform', minval: -0.05 })).toBe(
      initializers.randomUniform,
    );
    const custom = getInitializer({ name: 'constant', value: 2 });
    expect(getInitializer(custom)).toBe(custom);
  });

  it.each([
    ['glorot', /unknown initializer "glorot"; expected one of glorotUniform, glorotNormal/],
    [
      { name: 'orthogonal', gain: 0 },
      /initializer orthogonal: gain must be a finite number > 0; received 0/,
    ],
    [{ name: 'randomNormal', stddev: -1 }, /stddev must be a finite number ≥ 0; received -1/],
    [{ name: 'constant', value: NaN }, /constant: value must be a finite number; received NaN/],
    [{ name: 'heNormal', gain: 2 }, /initializer heNormal has no option "gain"; expected none/],
    [
      { name: 'randomUniform', minval: 1, maxval: 0 },
      /minval must be ≤ maxval; received minval 1, maxval 0/,
    ],
    [(m: Matrix) => m.data.fill(1), /unknown initializer a function/],
  ])('rejects %j', (spec, message) => {
    expect(() => getInitializer(spec as InitializerSpec)).toThrow(ConfigError);
    expect(() => getInitializer(spec as InitializerSpec)).toThrow(message);
  });
});
