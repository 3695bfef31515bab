import { describe, it, expect } from 'vitest';
import {
  activations,
  ACTIVATION_NAMES,
  getActivation,
  type ActivationSpec,
  ByteMatrix,
  createBackend,
  jsBackend,
  Matrix,
  Random,
  type Backend,
  type DType,
  type ElementwiseActivation,
} from '../../src/index.js';

/**
 * The parity suite: every Backend method of every backend (the reference TypeScript kernels,
 * the WASM SIMD kernels, and the WASM kernels split over two threads) against a naive float64
 * reference written here from the definitions (number[][], one loop per formula), on random
 * shapes. float32 results must agree to 1e-5 relative (issue 5), float64 to 1e-12.
 */

type Grid = number[][];

/** A [rows, cols] matrix of uniform values in [−2, 2) from the seeded generator. */
function randomMatrix(random: Random, rows: number, cols: number, dtype: DType): Matrix {
  const m = new Matrix(rows, cols, dtype);
  for (let i = 0; i < m.data.length; i++) m.data[i] = 4 * random.uniform() - 2;
  return m;
}

function transpose(a: Grid): Grid {
  return a[0]!.map((_, j) => a.map((row) => row[j]!));
}

/** α·A·B + β·C, with no shortcuts; β·C is skipped entirely when β = 0 (BLAS semantics). */
function referenceGemm(a: Grid, b: Grid, c: Grid, alpha: number, beta: number): Grid {
  return a.map((row, i) =>
    b[0]!.map((_, j) => {
      let sum = 0;
      for (let p = 0; p < row.length; p++) sum += row[p]! * b[p]![j]!;
      return alpha * sum + (beta === 0 ? 0 : beta * c[i]![j]!);
    }),
  );
}

function referenceSoftmax(row: number[]): number[] {
  const max = Math.max(...row);
  const exps = row.map((z) => Math.exp(z - max));
  const sum = exps.reduce((s, e) => s + e, 0);
  return exps.map((e) => e / sum);
}

/** |actual − expected| ≤ tolerance·max(1, |expected|) for every element. */
function expectClose(actual: Matrix | Grid, expected: Grid, tolerance: number): void {
  const values = actual instanceof Matrix ? actual.toArray() : actual;
  expect(values.length).toBe(expected.length);
  values.forEach((row, i) => {
    expect(row.length).toBe(expected[i]!.length);
    row.forEach((v, j) => {
      const e = expected[i]![j]!;
      expect(Math.abs(v - e), `element (${i}, ${j}): ${v} vs ${e}`).toBeLessThanOrEqual(
        tolerance * Math.max(1, Math.abs(e)),
      );
    });
  });
}

const TOLERANCE: Record<DType, number> = { float64: 1e-12, float32: 1e-5 };

const BACKENDS: [string, Backend][] = [
  ['js', jsBackend],
  ['wasm', createBackend('wasm')],
  // Splitting from 2^18 multiply-adds (the default is 2^25), so that these small products are split.
  ['wasm×2', createBackend('wasm', { threads: 2, parallelWork: 1 << 18 })],
];

describe.each(BACKENDS)('backend %s', (name, backend) => {
  it('is named after its kind and thread count', () => {
    expect(backend.name).toBe(name);
  });

  it('splits large float32 products over its threads with the same result as one thread', () => {
    // Large enough for the thread pool (m ≥ 8 and m·n·k ≥ 2^18), in the backend's own memory.
    const random = new Random(12);
    const own = (rows: number, cols: number): Matrix => {
      const m = new Matrix(rows, cols, backend.allocate('float32', rows * cols));
      for (let i = 0; i < m.data.length; i++) m.data[i] = 4 * random.uniform() - 2;
      return m;
    };
    for (const [transposeA, transposeB] of [
      [false, true],
      [false, false],
      [true, false],
    ] as const) {
      const [m, k, n] = [66, 129, 70];
      const a = transposeA ? own(k, m) : own(m, k);
      const b = transposeB ? own(n, k) : own(k, n);
      const c = own(m, n);
      const single = new Matrix(m, n, 'float32');
      jsBackend.gemm(a, transposeA, b, transposeB, single, 0.5, 0);
      backend.gemm(a, transposeA, b, transposeB, c, 0.5, 0);
      expectClose(c, single.toArray(), 1e-5);
      // Run-to-run identical (deterministic split and reduction order).
      const again = c.clone();
      backend.gemm(a, transposeA, b, transposeB, c, 0.5, 0);
      expect(Array.from(c.data)).toEqual(Array.from(again.data));
    }
  });

  it('computes Z = α·X Wᵀ + β·Z for mostly-zero rows (the chunk-list path) like the dense one', () => {
    // Rows ≥ 64 wide and mostly zeros, as MNIST pixels: the WASM backend lists each row's
    // nonzero 4-float chunks. k = 67 and n = 70 leave tails of 3 columns and 6 rows of W.
    const random = new Random(13);
    for (const m of [1, 5, 300]) {
      const [k, n] = [67, 70];
      const x = new Matrix(m, k, backend.allocate('float32', m * k));
      for (let i = 0; i < x.data.length; i++) {
        const blank = (i % k) % 16 < 10; // runs of blank "pixels", as at an image's borders
        x.data[i] = blank || random.uniform() < 0.5 ? 0 : 4 * random.uniform() - 2;
      }
      const w = new Matrix(n, k, backend.allocate('float32', n * k));
      for (let i = 0; i < w.data.length; i++) w.data[i] = 4 * random.uniform() - 2;
      const z = new Matrix(m, n, backend.allocate('float32', m * n));
      for (let i = 0; i < z.data.length; i++) z.data[i] = random.uniform();
      const reference = z.clone();
      jsBackend.gemm(x, false, w, true, reference, 0.5, 2);
      backend.gemm(x, false, w, true, z, 0.5, 2);
      expectClose(z, reference.toArray(), 1e-5);
      // And the weight gradient's product over the same sparse rows: C = α·Δᵀ X + β·C.
      const delta = new Matrix(m, 13, backend.allocate('float32', m * 13));
      for (let i = 0; i < delta.data.length; i++) delta.data[i] = 4 * random.uniform() - 2;
      const gradient = new Matrix(13, k, backend.allocate('float32', 13 * k));
      for (let i = 0; i < gradient.data.length; i++) gradient.data[i] = random.uniform();
      const expected = gradient.clone();
      jsBackend.gemm(delta, true, x, false, expected, -0.5, 1);
      backend.gemm(delta, true, x, false, gradient, -0.5, 1);
      expectClose(gradient, expected.toArray(), 1e-5);
    }
  });

  it('decodes rows of a byte matrix through its table, by order or in sequence', () => {
    // Any table (here not byte / d), a width with a tail after the 16-byte runs, zero runs.
    const random = new Random(14);
    const [rows, cols] = [9, 37];
    const bytes = new Uint8Array(rows * cols).map((_, i) =>
      i % cols < 20 ? 0 : Math.floor(256 * random.uniform()),
    );
    const values = Array.from({ length: 256 }, (_, b) => Math.sin(b) * 3 - 0.5);
    const x = new ByteMatrix(rows, cols, bytes, values);
    const order = Uint32Array.from([8, 0, 3, 3, 7, 1]);
    for (const dtype of ['float32', 'float64'] as const) {
      const target = new Matrix(4, cols, backend.allocate(dtype, 4 * cols));
      backend.decodeRows(x, order, 2, target);
      const expected = [3, 3, 7, 1].map((i) => Array.from({ length: cols }, (_, j) => x.get(i, j)));
      const rounded = dtype === 'float32' ? expected.map((row) => row.map(Math.fround)) : expected;
      expect(target.toArray()).toEqual(rounded);
      backend.decodeRows(x, undefined, 5, target);
      expect(target.toArray()).toEqual(x.toMatrix(dtype).toArray().slice(5, 9));
    }
  });

  it('performs the per-example SGD update W += α·δᵀx (one row, β = 1)', () => {
    const w = Matrix.from(
      [
        [1, 2, 3, 4, 5],
        [6, 7, 8, 9, 10],
        [0, 0, 0, 0, 0],
      ],
      'float32',
    );
    const delta = Matrix.from([[0.5, 0, -1]], 'float32');
    const x = Matrix.from([[1, 2, 0, -2, 4]], 'float32');
    backend.gemm(delta, true, x, false, w, -0.5, 1);
    expect(w.toArray()).toEqual([
      [0.75, 1.5, 3, 4.5, 4],
      [6, 7, 8, 9, 10],
      [0.5, 1, 0, -1, 2],
    ]);
  });

  describe('gemm', () => {
    const cases = [
      { transposeA: false, transposeB: false },
      { transposeA: false, transposeB: true },
      { transposeA: true, transposeB: false },
      { transposeA: true, transposeB: true },
    ];
    const scalings = [
      { alpha: 1, beta: 0 },
      { alpha: 0.75, beta: 1 },
      { alpha: -1.5, beta: 0.5 },
      { alpha: 2, beta: -3 },
    ];
    const shapes: [number, number, number][] = [
      [3, 5, 4],
      [1, 7, 2],
      [6, 1, 3],
      [4, 4, 1],
    ];

    for (const dtype of ['float64', 'float32'] as const) {
      for (const { transposeA, transposeB } of cases) {
        it(`computes α·op(A)·op(B) + β·C (${dtype}, transposeA=${transposeA}, transposeB=${transposeB})`, () => {
          const random = new Random(11);
          for (const [m, k, n] of shapes) {
            for (const { alpha, beta } of scalings) {
              const opA = randomMatrix(random, m, k, dtype);
              const opB = randomMatrix(random, k, n, dtype);
              const a = transposeA ? Matrix.from(transpose(opA.toArray()), dtype) : opA;
              const b = transposeB ? Matrix.from(transpose(opB.toArray()), dtype) : opB;
              const c = randomMatrix(random, m, n, dtype);
              const expected = referenceGemm(
                opA.toArray(),
                opB.toArray(),
                c.toArray(),
                alpha,
                beta,
              );
              backend.gemm(a, transposeA, b, transposeB, c, alpha, beta);
              expectClose(c, expected, TOLERANCE[dtype]);
            }
          }
        });
      }
    }

    for (const { transposeA, transposeB } of cases) {
      it(`ignores NaN and Infinity garbage in C when β = 0 (transposeA=${transposeA}, transposeB=${transposeB})`, () => {
        const random = new Random(5);
        const opA = randomMatrix(random, 3, 5, 'float64');
        const opB = randomMatrix(random, 5, 4, 'float64');
        const a = transposeA ? Matrix.from(transpose(opA.toArray()), 'float64') : opA;
        const b = transposeB ? Matrix.from(transpose(opB.toArray()), 'float64') : opB;
        const c = new Matrix(3, 4, 'float64');
        c.data.fill(NaN);
        c.data[3] = Infinity;
        c.data[7] = -Infinity;
        backend.gemm(a, transposeA, b, transposeB, c, 1.25, 0);
        expect(c.data.every(Number.isFinite)).toBe(true);
        expectClose(c, referenceGemm(opA.toArray(), opB.toArray(), [], 1.25, 0), 1e-12);
      });
    }

    it('multiplies small matrices to the exact hand-computed product', () => {
      const a = Matrix.from(
        [
          [1, 2],
          [3, 4],
        ],
        'float64',
      );
      const b = Matrix.from(
        [
          [5, 6],
          [7, 8],
        ],
        'float64',
      );
      const c = new Matrix(2, 2, 'float64');
      backend.gemm(a, false, b, false, c, 1, 0);
      expect(c.toArray()).toEqual([
        [19, 22],
        [43, 50],
      ]);
      backend.gemm(a, true, b, false, c, 1, 0);
      expect(c.toArray()).toEqual([
        [26, 30],
        [38, 44],
      ]);
      backend.gemm(a, false, b, true, c, 1, 0);
      expect(c.toArray()).toEqual([
        [17, 23],
        [39, 53],
      ]);
      backend.gemm(a, true, b, true, c, 1, 0);
      expect(c.toArray()).toEqual([
        [23, 31],
        [34, 46],
      ]);
    });
  });

  describe('addBias', () => {
    it('adds the bias row to every row of z in place', () => {
      const random = new Random(2);
      for (const dtype of ['float64', 'float32'] as const) {
        const z = randomMatrix(random, 3, 5, dtype);
        const bias = randomMatrix(random, 1, 5, dtype);
        const expected = z.toArray().map((row) => row.map((v, j) => v + bias.get(0, j)));
        backend.addBias(z, bias);
        expectClose(z, expected, TOLERANCE[dtype]);
      }
    });
  });

  describe('sumColumns', () => {
    it('writes α times the column sums and overwrites what out held', () => {
      const random = new Random(3);
      for (const alpha of [1, 0.25, -2]) {
        const a = randomMatrix(random, 4, 5, 'float64');
        const out = new Matrix(1, 5, 'float64');
        out.data.fill(NaN);
        const rows = a.toArray();
        const expected = [rows[0]!.map((_, j) => alpha * rows.reduce((s, row) => s + row[j]!, 0))];
        backend.sumColumns(a, out, alpha, 0);
        expectClose(out, expected, 1e-12);
      }
    });

    it('sums [[1, 2], [3, 4], [5, 6]] to [9, 12], scaled by 1/3 to [3, 4]', () => {
      const a = Matrix.from(
        [
          [1, 2],
          [3, 4],
          [5, 6],
        ],
        'float64',
      );
      const out = new Matrix(1, 2, 'float64');
      backend.sumColumns(a, out, 1, 0);
      expect(out.toArray()).toEqual([[9, 12]]);
      backend.sumColumns(a, out, 1 / 3, 0);
      expectClose(out, [[3, 4]], 1e-15);
    });
  });

  describe('sumColumns with β = 1', () => {
    it('accumulates into out (the fused bias update b += α·Σᵢδᵢ)', () => {
      const a = Matrix.from(
        [
          [1, 2],
          [3, 4],
        ],
        'float64',
      );
      const out = Matrix.from([[10, 20]], 'float64');
      backend.sumColumns(a, out, -0.5, 1);
      expect(out.toArray()).toEqual([[8, 17]]);
    });
  });

  describe('activate and activateBackward (element-wise)', () => {
    for (const name of ['sigmoid', 'tanh', 'relu', 'leakyRelu', 'linear'] as const) {
      it(`applies ${name}'s g and g′ ⊙ ∂L/∂a element by element`, () => {
        const activation = activations[name] as ElementwiseActivation;
        const random = new Random(4);
        const z = randomMatrix(random, 3, 4, 'float64');
        const gradA = randomMatrix(random, 3, 4, 'float64');
        const a = new Matrix(3, 4, 'float64');
        backend.activate(activation, z, a);
        expectClose(
          a,
          z.toArray().map((row) => row.map(activation.g)),
          1e-15,
        );
        const delta = new Matrix(3, 4, 'float64');
        delta.data.fill(NaN);
        backend.activateBackward(activation, z, a, gradA, delta);
        const expected = z
          .toArray()
          .map((row, i) =>
            row.map((v, j) => activation.derivative(v, activation.g(v)) * gradA.get(i, j)),
          );
        expectClose(delta, expected, 1e-15);
      });
    }
  });

  describe('activate and activateBackward in float32 (every element-wise activation)', () => {
    const cube = {
      name: 'cube',
      g: (z: number) => z * z * z,
      derivative: (z: number) => 3 * z * z,
    };
    const specs: ActivationSpec[] = [
      ...ACTIVATION_NAMES.filter((name) => name !== 'softmax'),
      { name: 'leakyRelu', slope: 0.2 },
      { name: 'elu', alpha: 0.5 },
      { name: 'hardSigmoid', slope: 0.25, offset: 0.4 },
      cube,
    ];
    for (const spec of specs) {
      const activation = getActivation(spec) as ElementwiseActivation;
      it(`matches ${activation.label}'s g and g′ ⊙ ∂L/∂a to 1e-5`, () => {
        const random = new Random(6);
        // 37 values (SIMD blocks and a tail) in [−6, 6), and some big ones.
        const z = randomMatrix(random, 1, 45, 'float32');
        z.data.forEach(
          (v, i) => (z.data[i] = i < 37 ? 3 * v : [-90, -30, -8, 8, 30, 90, -1e4, 1e4][i - 37]!),
        );
        const gradA = randomMatrix(random, 1, 45, 'float32');
        const a = new Matrix(1, 45, 'float32');
        backend.activate(activation, z, a);
        const expectedA = [[...z.data].map((v) => activation.g(v))];
        expectClose(a, expectedA, 1e-5);
        const delta = new Matrix(1, 45, 'float32');
        backend.activateBackward(activation, z, a, gradA, delta);
        const expected = [
          [...z.data].map((v, j) => activation.derivative(v, a.data[j]!) * gradA.data[j]!),
        ];
        expectClose(delta, expected, 1e-5);
      });
    }
  });

  describe('subtract', () => {
    it('writes a − b', () => {
      const out = new Matrix(1, 3, 'float64');
      backend.subtract(
        Matrix.from([[1, 0.5, -2]], 'float64'),
        Matrix.from([[1, 0, 1]], 'float64'),
        out,
      );
      expect(out.toArray()).toEqual([[0, 0.5, -3]]);
    });
  });

  describe('axpy', () => {
    it('adds α·x to y in place and leaves x unchanged', () => {
      const random = new Random(7);
      const x = randomMatrix(random, 5, 4, 'float64');
      const y = randomMatrix(random, 5, 4, 'float64');
      const xBefore = x.toArray();
      const expected = y.toArray().map((row, i) => row.map((v, j) => v - 0.3 * x.get(i, j)));
      backend.axpy(-0.3, x, y);
      expectClose(y, expected, 1e-15);
      expect(x.toArray()).toEqual(xBefore);
    });

    it('performs the SGD step [1, 2, 3, 4] − 0.5·[1, 6, 7, 2] = [0.5, −1, −0.5, 3]', () => {
      const parameters = Matrix.from([[1, 2, 3, 4]], 'float64');
      backend.axpy(-0.5, Matrix.from([[1, 6, 7, 2]], 'float64'), parameters);
      expect(parameters.toArray()).toEqual([[0.5, -1, -0.5, 3]]);
    });
  });

  describe('activate (softmax)', () => {
    it('matches the definition row by row on random logits', () => {
      const random = new Random(8);
      for (const dtype of ['float64', 'float32'] as const) {
        const z = randomMatrix(random, 4, 5, dtype);
        const out = new Matrix(4, 5, dtype);
        backend.activate(activations.softmax, z, out);
        expectClose(out, z.toArray().map(referenceSoftmax), TOLERANCE[dtype]);
      }
    });

    it('gives finite rows summing to 1 for float32 logits of ±1e4', () => {
      const z = Matrix.from(
        [
          [1e4, -1e4, 0],
          [-1e4, -1e4, -1e4],
          [1e4, 1e4, -1e4],
          [-1e4, 5, 1e4],
        ],
        'float32',
      );
      const out = new Matrix(4, 3, 'float32');
      backend.activate(activations.softmax, z, out);
      expect(out.data.every(Number.isFinite)).toBe(true);
      for (const row of out.toArray()) {
        expect(Math.abs(row.reduce((s, p) => s + p, 0) - 1)).toBeLessThan(1e-6);
      }
      expect(out.toArray()).toEqual([
        [1, 0, 0],
        [1 / 3, 1 / 3, 1 / 3].map(Math.fround),
        [0.5, 0.5, 0],
        [0, 0, 1],
      ]);
    });
  });

  describe('activateBackward (softmax)', () => {
    it('equals the explicit Jacobian product δᵢ = Σⱼ (∂aⱼ/∂zᵢ)·gⱼ per row', () => {
      const random = new Random(9);
      const z = randomMatrix(random, 3, 5, 'float64');
      const gradA = randomMatrix(random, 3, 5, 'float64');
      const a = new Matrix(3, 5, 'float64');
      backend.activate(activations.softmax, z, a);
      const expected = a.toArray().map((row, r) => {
        // J[j][i] = ∂aⱼ/∂zᵢ = aⱼ(𝟙[i=j] − aᵢ), built in full, then Jᵀg.
        const jacobian = row.map((aj, j) => row.map((ai, i) => aj * ((i === j ? 1 : 0) - ai)));
        return row.map((_, i) =>
          row.reduce((s, _aj, j) => s + jacobian[j]![i]! * gradA.get(r, j), 0),
        );
      });
      const delta = new Matrix(3, 5, 'float64');
      delta.data.fill(NaN);
      backend.activateBackward(activations.softmax, z, a, gradA, delta);
      expectClose(delta, expected, 1e-14);
    });

    it('maps a gradient that is constant along a row to zero (softmax is shift-invariant)', () => {
      const a = new Matrix(2, 4, 'float64');
      const z = randomMatrix(new Random(10), 2, 4, 'float64');
      backend.activate(activations.softmax, z, a);
      const gradA = Matrix.from(
        [
          [3, 3, 3, 3],
          [-1, -1, -1, -1],
        ],
        'float64',
      );
      const delta = new Matrix(2, 4, 'float64');
      backend.activateBackward(activations.softmax, z, a, gradA, delta);
      for (const v of delta.data) expect(Math.abs(v)).toBeLessThan(1e-15);
    });
  });
});
