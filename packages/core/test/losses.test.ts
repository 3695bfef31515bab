import { describe, it, expect } from 'vitest';
import {
  activations,
  ConfigError,
  getLoss,
  jsBackend,
  LOSS_NAMES,
  losses,
  Matrix,
  PROBABILITY_EPSILON,
  type DType,
  type Loss,
  type LossName,
} from '../src/index.js';

const H = 1e-6;

/** The loss value with a = g(z) for the given output activation, fused when the pair fuses. */
function lossFromLogits(
  loss: Loss,
  output: 'softmax' | 'sigmoid',
  z: number[][],
  y: number[][],
  dtype: DType = 'float64',
): number {
  const zm = Matrix.from(z, dtype);
  const a = new Matrix(zm.rows, zm.cols, dtype);
  activations[output].forward(jsBackend, zm, a);
  return loss.value(a, Matrix.from(y, dtype), zm, loss.fusedActivation === output);
}

/** The loss value of outputs a (no logits needed: not fused). */
function lossOf(loss: Loss, a: number[][], y: number[][]): number {
  const am = Matrix.from(a, 'float64');
  return loss.value(am, Matrix.from(y, 'float64'), am, false);
}

function gradientOf(loss: Loss, a: number[][], y: number[][]): number[][] {
  const out = new Matrix(a.length, a[0]!.length, 'float64');
  loss.gradient(Matrix.from(a, 'float64'), Matrix.from(y, 'float64'), out);
  return out.toArray();
}

describe('mse', () => {
  it('is ½Σ(y − a)² per example, averaged over the batch (by hand: 1.3125)', () => {
    // Example 1: ½((1 − 0.5)² + (1 − 1)²) = 0.125; example 2: ½((0 − 2)² + (0 + 1)²) = 2.5.
    const value = lossOf(
      losses.mse,
      [
        [0.5, 1],
        [2, -1],
      ],
      [
        [1, 1],
        [0, 0],
      ],
    );
    expect(value).toBe((0.125 + 2.5) / 2);
  });

  it('is 0 when the output equals the target', () => {
    expect(lossOf(losses.mse, [[0.3, -2]], [[0.3, -2]])).toBe(0);
  });

  it('has gradient ∂ℓ/∂a = a − y per example (no 1/batch factor)', () => {
    expect(
      gradientOf(
        losses.mse,
        [
          [0.5, 1],
          [2, -1],
        ],
        [
          [1, 1],
          [0, 0],
        ],
      ),
    ).toEqual([
      [-0.5, 0],
      [2, -1],
    ]);
  });

  it('has no fused activation', () => {
    expect(losses.mse.fusedActivation).toBeUndefined();
  });
});

describe('crossEntropy', () => {
  it('is −Σ y log a per example (by hand: −log 0.8 = 0.2231435513142097)', () => {
    expect(lossOf(losses.crossEntropy, [[0.2, 0.8]], [[0, 1]])).toBeCloseTo(0.2231435513142097, 15);
    // Batch mean of −log 0.8 and −log 0.5.
    expect(
      lossOf(
        losses.crossEntropy,
        [
          [0.2, 0.8],
          [0.5, 0.5],
        ],
        [
          [0, 1],
          [1, 0],
        ],
      ),
    ).toBeCloseTo((-Math.log(0.8) - Math.log(0.5)) / 2, 15);
  });

  it('fuses with softmax and from logits gives the same value as −log softmax', () => {
    expect(losses.crossEntropy.fusedActivation).toBe('softmax');
    // softmax([1, 2, 3])₂ = 0.6652409557748219, −log of it = 0.4076059644443803.
    const fused = lossFromLogits(losses.crossEntropy, 'softmax', [[1, 2, 3]], [[0, 0, 1]]);
    expect(fused).toBeCloseTo(0.4076059644443803, 14);
    const a = [[0.09003057317038046, 0.24472847105479764, 0.6652409557748219]];
    expect(lossOf(losses.crossEntropy, a, [[0, 0, 1]])).toBeCloseTo(fused, 14);
  });

  it('accepts probability targets from logits: −Σ yⱼ log softmax(z)ⱼ', () => {
    const y = [[0.25, 0.25, 0.5]];
    const a = [0.09003057317038046, 0.24472847105479764, 0.6652409557748219];
    const expected = -y[0]!.reduce((s, yj, j) => s + yj * Math.log(a[j]!), 0);
    expect(lossFromLogits(losses.crossEntropy, 'softmax', [[1, 2, 3]], y)).toBeCloseTo(
      expected,
      14,
    );
  });

  it('from float32 logits [1e4, −1e4] is 2e4 for the −1e4 class and 0 for the 1e4 class', () => {
    const z = [[1e4, -1e4]];
    expect(lossFromLogits(losses.crossEntropy, 'softmax', z, [[0, 1]], 'float32')).toBe(2e4);
    expect(lossFromLogits(losses.crossEntropy, 'softmax', z, [[1, 0]], 'float32')).toBe(0);
  });

  it('is large but finite for a saturated output without softmax (a clamped to ε)', () => {
    const value = lossOf(losses.crossEntropy, [[1, 0]], [[0, 1]]);
    expect(value).toBeCloseTo(-Math.log(PROBABILITY_EPSILON), 12);
    expect(
      gradientOf(losses.crossEntropy, [[1, 0]], [[0, 1]])
        .flat()
        .every(Number.isFinite),
    ).toBe(true);
  });

  it('has gradient −y/a when not fused', () => {
    expect(gradientOf(losses.crossEntropy, [[0.2, 0.8]], [[0, 1]])).toEqual([[-0, -1 / 0.8]]);
  });
});

describe('binaryCrossEntropy', () => {
  it('is −Σ[y log a + (1 − y) log(1 − a)] per example (by hand)', () => {
    // Example 1: −log 0.8 − log(1 − 0.3); example 2: −log(1 − 0.9) = log 10.
    const value = lossOf(
      losses.binaryCrossEntropy,
      [
        [0.8, 0.3],
        [0.9, 0.5],
      ],
      [
        [1, 0],
        [0, 0.5],
      ],
    );
    const first = -Math.log(0.8) - Math.log(0.7);
    const second = Math.log(10) - 0.5 * Math.log(0.5) - 0.5 * Math.log(0.5);
    expect(value).toBeCloseTo((first + second) / 2, 14);
  });

  it('fuses with sigmoid: from logit 0 it is log 2 whatever the target', () => {
    expect(losses.binaryCrossEntropy.fusedActivation).toBe('sigmoid');
    for (const y of [0, 0.3, 1]) {
      expect(lossFromLogits(losses.binaryCrossEntropy, 'sigmoid', [[0]], [[y]])).toBeCloseTo(
        Math.LN2,
        15,
      );
    }
  });

  it('from logits agrees with the probability form on moderate z', () => {
    const z = [
      [-2, 0.5, 3],
      [1, -0.25, 0],
    ];
    const y = [
      [0, 1, 0.7],
      [1, 0, 0.2],
    ];
    const a = z.map((row) => row.map((v) => 1 / (1 + Math.exp(-v))));
    expect(lossFromLogits(losses.binaryCrossEntropy, 'sigmoid', z, y)).toBeCloseTo(
      lossOf(losses.binaryCrossEntropy, a, y),
      13,
    );
  });

  it('from float32 logits of |z| = 1e4 is finite: 1e4 for the wrong label, 0 for the right', () => {
    const z = [[1e4, -1e4]];
    expect(lossFromLogits(losses.binaryCrossEntropy, 'sigmoid', z, [[0, 1]], 'float32')).toBe(2e4);
    expect(lossFromLogits(losses.binaryCrossEntropy, 'sigmoid', z, [[1, 0]], 'float32')).toBe(0);
    expect(
      lossFromLogits(losses.binaryCrossEntropy, 'sigmoid', [[1e4], [-1e4]], [[0], [0]], 'float32'),
    ).toBe(5e3);
  });

  it('is large but finite for a saturated output without the fusion (a clamped)', () => {
    const value = lossOf(losses.binaryCrossEntropy, [[1, 0]], [[0, 1]]);
    expect(Number.isFinite(value)).toBe(true);
    expect(value).toBeGreaterThan(30);
    expect(
      gradientOf(losses.binaryCrossEntropy, [[1, 0]], [[0, 1]])
        .flat()
        .every(Number.isFinite),
    ).toBe(true);
  });

  it('has gradient (a − y)/(a(1 − a)) when not fused', () => {
    const [[g]] = gradientOf(losses.binaryCrossEntropy, [[0.8]], [[1]]) as [[number]];
    expect(g).toBeCloseTo(-0.2 / 0.16, 14);
  });
});

describe('loss gradients match central differences of the batch-summed loss', () => {
  const a = [
    [0.2, 0.7, 0.1],
    [0.45, 0.35, 0.2],
  ];
  const residuals = [
    [1, -0.5, 0.3],
    [0, 2, 0.25],
  ];
  const targets: Record<LossName, number[][]> = {
    mse: [
      [1, -0.5, 0.3],
      [0, 2, 0.2],
    ],
    mae: residuals,
    huber: residuals,
    hinge: [
      [1, -1, 1],
      [-1, 1, 1],
    ],
    sparseCrossEntropy: [
      [0, 1, 0],
      [1, 0, 0],
    ],
    klDivergence: [
      [0, 1, 0],
      [0.3, 0.3, 0.4],
    ],
    crossEntropy: [
      [0, 1, 0],
      [0.3, 0.3, 0.4],
    ],
    binaryCrossEntropy: [
      [0, 1, 0.6],
      [1, 0, 0.25],
    ],
  };

  for (const name of LOSS_NAMES) {
    it(`${name}: ∂ℓ/∂a = batch · ∂L/∂a`, () => {
      const loss = losses[name];
      const y = targets[name]!;
      const analytic = gradientOf(loss, a, y);
      a.forEach((row, i) =>
        row.forEach((_, j) => {
          const shifted = (delta: number): number => {
            const copy = a.map((r) => [...r]);
            copy[i]![j]! += delta;
            return lossOf(loss, copy, y) * a.length;
          };
          const numeric = (shifted(H) - shifted(-H)) / (2 * H);
          expect(Math.abs(analytic[i]![j]! - numeric)).toBeLessThan(
            1e-8 * Math.max(1, Math.abs(numeric)),
          );
        }),
      );
    });
  }
});

describe('getLoss', () => {
  it('returns the loss of each valid name and passes Loss objects through', () => {
    expect(LOSS_NAMES.join(' ')).toBe(
      'mse crossEntropy binaryCrossEntropy sparseCrossEntropy mae huber hinge klDivergence',
    );
    for (const name of LOSS_NAMES) expect(getLoss(name)).toBe(losses[name]);
    const custom: Loss = { ...losses.mse };
    expect(getLoss(custom)).toBe(custom);
  });

  it('throws ConfigError listing the valid names for an unknown name', () => {
    expect(() => getLoss('squaredHinge')).toThrow(ConfigError);
    expect(() => getLoss('squaredHinge')).toThrow(
      /unknown loss "squaredHinge"; expected one of mse, crossEntropy, binaryCrossEntropy/,
    );
    expect(() => getLoss('hasOwnProperty')).toThrow(ConfigError);
  });
});
