import { describe, expect, it } from 'vitest';
import { getLoss, losses } from '../../src/index.js';
import { expectGradientMatchesDifferences, gradientOf, lossOf } from './helpers.js';

describe('mae', () => {
  const a = [
    [0.5, 1],
    [2, -1],
  ];
  const y = [
    [1, 1],
    [0, 0],
  ];

  it('is Σ|a − y| per example, averaged over the batch (by hand: (0.5 + 3) / 2 = 1.75)', () => {
    expect(lossOf(losses.mae, a, y)).toBe(1.75);
  });

  it('has gradient sign(a − y), with the subgradient 0 where a = y', () => {
    expect(gradientOf(losses.mae, a, y)).toEqual([
      [-1, 0],
      [1, -1],
    ]);
  });

  it('matches central differences away from the kink', () => {
    expectGradientMatchesDifferences(
      losses.mae,
      [
        [0.2, 0.7, 0.1],
        [0.45, 0.35, 0.2],
      ],
      [
        [1, -0.5, 0.3],
        [0, 2, 0.25],
      ],
    );
  });
});

describe('huber', () => {
  // Residuals r = a − y: 0.5, 3 (row 1); −2, −0.25 (row 2).
  const a = [
    [0.5, 3],
    [-2, 0],
  ];
  const y = [
    [0, 0],
    [0, 0.25],
  ];

  it('with δ = 1 is ½r² for |r| ≤ 1 and |r| − ½ beyond, summed over outputs (by hand)', () => {
    // Row 1: 0.125 + (3 − 0.5) = 2.625; row 2: (2 − 0.5) + 0.03125 = 1.53125. Keras Huber would
    // average each row over its 2 outputs; we sum, as mse does.
    expect(lossOf(losses.huber, a, y)).toBe((2.625 + 1.53125) / 2);
    expect(gradientOf(losses.huber, a, y)).toEqual([
      [0.5, 1],
      [-1, -0.25],
    ]);
  });

  it('with δ = 2 is ½r² for |r| ≤ 2 (r = −2 on the boundary) and 2(|r| − 1) beyond', () => {
    const loss = getLoss({ name: 'huber', delta: 2 });
    // Row 1: 0.125 + 2·(3 − 1) = 4.125; row 2: ½·4 + 0.03125 = 2.03125.
    expect(lossOf(loss, a, y)).toBe((4.125 + 2.03125) / 2);
    expect(gradientOf(loss, a, y)).toEqual([
      [0.5, 2],
      [-2, -0.25],
    ]);
  });

  it('is continuous at |r| = δ and equals mse for residuals within δ', () => {
    const loss = getLoss({ name: 'huber', delta: 0.75 });
    const below = lossOf(loss, [[0.75 - 1e-12]], [[0]]);
    const above = lossOf(loss, [[0.75 + 1e-12]], [[0]]);
    expect(Math.abs(above - below)).toBeLessThan(1e-11);
    const small = [[0.1, -0.3]];
    expect(lossOf(loss, small, [[0, 0]])).toBe(lossOf(losses.mse, small, [[0, 0]]));
  });

  for (const delta of [1, 0.3, 2.5]) {
    it(`matches central differences in both regions (δ = ${delta})`, () => {
      expectGradientMatchesDifferences(
        getLoss({ name: 'huber', delta }),
        [
          [0.2, 3.7, -0.1],
          [0.45, -1.35, 0.2],
        ],
        [
          [1, -0.5, 0.3],
          [0, 2, 0.25],
        ],
      );
    });
  }
});
