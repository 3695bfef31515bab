import { describe, expect, it } from 'vitest';
import {
  Dense,
  getLoss,
  losses,
  Matrix,
  PROBABILITY_EPSILON,
  Sequential,
} from '../../src/index.js';
import { checkData } from '../../src/training/check-data.js';
import { expectGradientMatchesDifferences, gradientOf, lossFromLogits, lossOf } from './helpers.js';

// log softmax([1, 2, 3]) = [1, 2, 3] − log(e + e² + e³) = [1, 2, 3] − 3.40760596444438.
const LOG_SOFTMAX_123 = [-2.4076059644443806, -1.4076059644443804, -0.4076059644443803];

describe('sparseCrossEntropy', () => {
  const shape = { inputs: 1, outputs: 3 };
  const x = [[0], [0], [0]];
  const z = [
    [1, 2, 3],
    [0.5, -1, 2],
    [-3, 0, 0.25],
  ];

  it('turns labels [2, 0, 1] into one-hot rows, then equals crossEntropy exactly', () => {
    const loss = losses.sparseCrossEntropy;
    expect(loss.sparse).toBe(true);
    expect(loss.fusedActivation).toBe('softmax');
    const oneHot = [
      [0, 0, 1],
      [1, 0, 0],
      [0, 1, 0],
    ];
    for (const labels of [[2, 0, 1], [[2], [0], [1]], Matrix.from([[2], [0], [1]], 'float64')]) {
      const { y } = checkData(x, labels, shape, 'float64', { loss });
      expect(y.toArray()).toEqual(oneHot);
      expect(y.dtype).toBe('float64');
      expect(lossFromLogits(loss, 'softmax', z, y.toArray())).toBe(
        lossFromLogits(losses.crossEntropy, 'softmax', z, oneHot),
      );
      expect(
        lossOf(
          loss,
          z.map((r) => r.map((v) => 1 / (1 + Math.exp(-v)))),
          oneHot,
        ),
      ).toBe(
        lossOf(
          losses.crossEntropy,
          z.map((r) => r.map((v) => 1 / (1 + Math.exp(-v)))),
          oneHot,
        ),
      );
    }
    expect(checkData(x, [2, 0, 1], shape, 'float32', { loss }).y.dtype).toBe('float32');
  });

  it('gives the fused δᴸ = a − onehot(label) in backward', () => {
    const model = new Sequential([new Dense(1, 3, { activation: 'softmax' })], {
      dtype: 'float64',
      seed: 3,
    });
    const data = checkData(x, [2, 0, 1], model, 'float64', { loss: losses.sparseCrossEntropy });
    const trace = model.forward(data.x);
    const delta = model.backward(trace, data.y, losses.sparseCrossEntropy).delta[1]!.toArray();
    const a = trace.a[1]!.toArray();
    expect(delta).toEqual(a.map((row, i) => row.map((v, j) => v - data.y.get(i, j))));
  });
});

describe('hinge', () => {
  const a = [
    [0.3, -2],
    [0.5, 1.5],
  ];

  it('is Σ max(0, 1 − y·a) for labels ±1 (by hand: (0.7 + 1.5) / 2)', () => {
    const y = [
      [1, -1],
      [-1, 1],
    ];
    // Row 1: max(0, 0.7) + max(0, 1 − 2) = 0.7; row 2: max(0, 1.5) + max(0, −0.5) = 1.5.
    expect(lossOf(losses.hinge, a, y)).toBeCloseTo(1.1, 15);
    expect(gradientOf(losses.hinge, a, y)).toEqual([
      [-1, 0],
      [1, 0],
    ]);
  });

  it('reads {0, 1} labels as {−1, 1}, as Keras converts them', () => {
    const y01 = [
      [1, 0],
      [0, 1],
    ];
    const ypm = [
      [1, -1],
      [-1, 1],
    ];
    expect(lossOf(losses.hinge, a, y01)).toBe(lossOf(losses.hinge, a, ypm));
    expect(gradientOf(losses.hinge, a, y01)).toEqual(gradientOf(losses.hinge, a, ypm));
  });

  it('matches central differences away from the kink 1 − y·a = 0', () => {
    expectGradientMatchesDifferences(
      losses.hinge,
      [
        [0.2, 0.7, -1.4],
        [0.45, -0.35, 2],
      ],
      [
        [1, -1, 1],
        [-1, 1, 1],
      ],
    );
  });
});

describe('klDivergence', () => {
  it('is Σ y log(y/a) per example (by hand: ln 1.25 for y = [½, ½], a = [0.2, 0.8])', () => {
    // ½ ln(0.5/0.2) + ½ ln(0.5/0.8) = ½ ln(2.5 · 0.625) = ½ ln 1.5625 = ln 1.25.
    expect(lossOf(losses.klDivergence, [[0.2, 0.8]], [[0.5, 0.5]])).toBeCloseTo(Math.log(1.25), 15);
    expect(gradientOf(losses.klDivergence, [[0.2, 0.8]], [[0.5, 0.5]])).toEqual([[-2.5, -0.625]]);
  });

  it('takes y = 0 terms as 0 and is crossEntropy minus the entropy of y', () => {
    expect(lossOf(losses.klDivergence, [[0.2, 0.8]], [[0, 1]])).toBeCloseTo(Math.log(1.25), 15);
    const a = [[0.1, 0.6, 0.3]];
    const y = [[0.2, 0.5, 0.3]];
    const entropy = -(0.2 * Math.log(0.2) + 0.5 * Math.log(0.5) + 0.3 * Math.log(0.3));
    expect(lossOf(losses.klDivergence, a, y)).toBeCloseTo(
      lossOf(losses.crossEntropy, a, y) - entropy,
      15,
    );
  });

  it('is finite for a = 0 (a clamped to ε)', () => {
    expect(lossOf(losses.klDivergence, [[0, 1]], [[1, 0]])).toBeCloseTo(
      -Math.log(PROBABILITY_EPSILON),
      12,
    );
  });

  it('matches central differences', () => {
    expectGradientMatchesDifferences(
      losses.klDivergence,
      [
        [0.2, 0.7, 0.1],
        [0.45, 0.35, 0.2],
      ],
      [
        [0, 1, 0],
        [0.3, 0.3, 0.4],
      ],
    );
  });
});

describe('label smoothing', () => {
  it('crossEntropy: y ← y(1 − ε) + ε/K, so [0, 0, 1] with ε = 0.1, K = 3 is [1/30, 1/30, 14/15]', () => {
    const loss = getLoss({ name: 'crossEntropy', labelSmoothing: 0.1 });
    const y = Matrix.from([[0, 0, 1]], 'float64');
    const smoothed = loss.prepareTargets!(y).toArray()[0]!;
    [1 / 30, 1 / 30, 14 / 15].forEach((v, j) => expect(smoothed[j]).toBeCloseTo(v, 16));
    expect(y.toArray()).toEqual([[0, 0, 1]]); // the user's targets are not changed
    // −Σ y_s log softmax(z) for z = [1, 2, 3].
    const expected = -(
      (1 / 30) * LOG_SOFTMAX_123[0]! +
      (1 / 30) * LOG_SOFTMAX_123[1]! +
      (14 / 15) * LOG_SOFTMAX_123[2]!
    );
    expect(lossFromLogits(loss, 'softmax', [[1, 2, 3]], [smoothed])).toBeCloseTo(expected, 14);
  });

  it('binaryCrossEntropy: y ← y(1 − ε) + ε/2, so 1 and 0 with ε = 0.2 are 0.9 and 0.1', () => {
    const loss = getLoss({ name: 'binaryCrossEntropy', labelSmoothing: 0.2 });
    const smoothed = loss.prepareTargets!(Matrix.from([[1], [0]], 'float64')).toArray();
    expect(smoothed[0]![0]).toBeCloseTo(0.9, 16);
    expect(smoothed[1]![0]).toBeCloseTo(0.1, 16);
    // From logits 2 and −1: max(z, 0) − z·y + log(1 + e^(−|z|)).
    const row1 = 2 - 2 * 0.9 + 0.12692801104297263;
    const row2 = 0.1 + 0.31326168751822286;
    expect(lossFromLogits(loss, 'sigmoid', [[2], [-1]], smoothed)).toBeCloseTo(
      (row1 + row2) / 2,
      14,
    );
  });

  it('checkData prepares the targets, and backward gives the fused δ = a − y_smoothed', () => {
    const loss = getLoss({ name: 'crossEntropy', labelSmoothing: 0.3 });
    const model = new Sequential([new Dense(2, 2, { activation: 'softmax' })], {
      dtype: 'float64',
      seed: 5,
    });
    const data = checkData([[1, -1]], [[1, 0]], model, 'float64', { loss });
    expect(data.y.toArray()[0]![0]).toBeCloseTo(0.85, 16);
    expect(data.y.toArray()[0]![1]).toBeCloseTo(0.15, 16);
    const trace = model.forward(data.x);
    const delta = model.backward(trace, data.y, loss).delta[1]!.toArray()[0]!;
    const a = trace.a[1]!.toArray()[0]!;
    expect(delta[0]).toBeCloseTo(a[0]! - 0.85, 15);
    expect(delta[1]).toBeCloseTo(a[1]! - 0.15, 15);
  });

  it('smoothed crossEntropy gradients match central differences when not fused', () => {
    const loss = getLoss({ name: 'crossEntropy', labelSmoothing: 0.1 });
    const y = loss.prepareTargets!(Matrix.from([[0, 1, 0]], 'float64')).toArray();
    expectGradientMatchesDifferences(loss, [[0.2, 0.7, 0.1]], y);
  });
});
