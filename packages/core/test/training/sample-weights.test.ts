import { describe, expect, it } from 'vitest';
import {
  ConfigError,
  DataError,
  losses,
  Matrix,
  sampleWeights,
  ShapeError,
} from '../../src/index.js';
import { checkData } from '../../src/training/check-data.js';

const oneHot = Matrix.from(
  [
    [1, 0, 0],
    [0, 0, 1],
    [0, 1, 0],
  ],
  'float64',
);

describe('sampleWeights', () => {
  it('is undefined when neither classWeight nor sampleWeight is given', () => {
    expect(sampleWeights(oneHot, {})).toBeUndefined();
  });

  it('weighs one-hot rows by the class of their argmax; classes left out weigh 1', () => {
    expect(Array.from(sampleWeights(oneHot, { classWeight: { 0: 2, 2: 0.5 } })!)).toEqual([
      2, 0.5, 1,
    ]);
  });

  it('weighs sparse labels by the label (after checkData makes them one-hot)', () => {
    const { y } = checkData(
      [[0], [0], [0], [0]],
      [2, 2, 0, 1],
      { inputs: 1, outputs: 3 },
      'float64',
      {
        loss: losses.sparseCrossEntropy,
      },
    );
    expect(Array.from(sampleWeights(y, { classWeight: { '1': 3, '2': 0.25 } })!)).toEqual([
      0.25, 0.25, 1, 3,
    ]);
  });

  it('takes round(y) as the class of a single output (0.5 counts as 1)', () => {
    const y = Matrix.from([[0], [1], [0.7], [0.2], [0.5]], 'float64');
    expect(Array.from(sampleWeights(y, { classWeight: { 0: 1, 1: 4 } })!)).toEqual([1, 4, 4, 1, 4]);
    const signs = Matrix.from([[-1], [1]], 'float64');
    expect(Array.from(sampleWeights(signs, { classWeight: { '-1': 5 } })!)).toEqual([5, 1]);
  });

  it('takes sampleWeight as number[] or Float64Array, and multiplies it by classWeight', () => {
    expect(Array.from(sampleWeights(oneHot, { sampleWeight: [1, 2, 0] })!)).toEqual([1, 2, 0]);
    const both = sampleWeights(oneHot, {
      sampleWeight: new Float64Array([0.5, 2, 3]),
      classWeight: { 0: 4, 1: 10 },
    });
    expect(Array.from(both!)).toEqual([2, 2, 30]);
  });

  it('gives the weighted loss by hand: mse rows 0.125 and 2.5 with weights 3·1 and 1·0.2', () => {
    const a = Matrix.from(
      [
        [0.5, 1],
        [2, -1],
      ],
      'float64',
    );
    const y = Matrix.from(
      [
        [1, 0],
        [0, 1],
      ],
      'float64',
    );
    // ℓ₁ = ½(0.25 + 1) = 0.625, ℓ₂ = ½(4 + 4) = 4; classes 0 and 1.
    const w = sampleWeights(y, { sampleWeight: [1, 0.2], classWeight: { 0: 3 } })!;
    expect(Array.from(w)).toEqual([3, 0.2]);
    expect(losses.mse.value(a, y, a, false, w)).toBeCloseTo((3 * 0.625 + 0.2 * 4) / 2, 15);
  });

  it.each([
    [
      { sampleWeight: [1, 2] },
      ShapeError,
      /^sampleWeight must have one weight per row of y \(3\); received 2$/,
    ],
    [
      { sampleWeight: [1, -1, 1] },
      DataError,
      /^sampleWeight: row 2 \(counting from 1\) is -1; expected a finite number >= 0$/,
    ],
    [{ sampleWeight: [1, 1, NaN] }, DataError, /row 3 \(counting from 1\) is NaN;/],
    [{ sampleWeight: ['1', 1, 1] }, DataError, /row 1 \(counting from 1\) is "1";/],
    [
      { sampleWeight: 'abc' },
      ConfigError,
      /^sampleWeight must be number\[\] or a Float64Array, one weight per row of y; received "abc"$/,
    ],
    [
      { classWeight: { 3: 1 } },
      ConfigError,
      /^classWeight has class "3"; expected an integer in \[0, 3\) \(the targets' classes\)$/,
    ],
    [{ classWeight: { cat: 1 } }, ConfigError, /^classWeight has class "cat"; expected an integer/],
    [
      { classWeight: { 1: -2 } },
      ConfigError,
      /^classWeight\[1\] must be a finite number >= 0; received -2$/,
    ],
    [{ classWeight: { 1: Infinity } }, ConfigError, /received Infinity$/],
    [
      { classWeight: [1, 2] },
      ConfigError,
      /^classWeight must be an object of class index to weight, e\.g\. \{ 0: 1, 1: 5 \}; received an array of 2$/,
    ],
  ])('throws for %j', (options, type, message) => {
    const call = () => sampleWeights(oneHot, options as Parameters<typeof sampleWeights>[1]);
    expect(call).toThrow(type);
    expect(call).toThrow(message);
  });
});
