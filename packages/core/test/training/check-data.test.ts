import { describe, expect, it } from 'vitest';
import {
  ConfigError,
  DataError,
  getLoss,
  losses,
  Matrix,
  ShapeError,
  type Loss,
} from '../../src/index.js';
import { checkData, checkValidationData } from '../../src/training/check-data.js';

const shape = { inputs: 1, outputs: 3 };
const x3 = [[0], [1], [2]];

/** The error that checkData throws for targets y with the given loss (float64 unless said). */
function targetError(y: unknown, loss: Loss, dtype: 'float32' | 'float64' = 'float64'): Error {
  try {
    checkData(x3.slice(0, (y as unknown[]).length), y as number[][], shape, dtype, { loss });
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected checkData to throw');
}

describe('checkData with a sparse loss: class labels become one-hot rows', () => {
  const loss = losses.sparseCrossEntropy;

  it.each([
    [[0, 3, 1], 'row 2 (counting from 1) has label 3'],
    [[[0], [1], [-1]], 'row 3 (counting from 1) has label -1'],
    [[1.5, 0, 0], 'row 1 (counting from 1) has label 1.5'],
    [[0, NaN, 0], 'row 2 (counting from 1) has label NaN'],
    [[0, '1', 0], 'row 2 (counting from 1) has label "1"'],
  ])('refuses %j with a DataError naming the row and the label', (labels, where) => {
    const error = targetError(labels, loss);
    expect(error).toBeInstanceOf(DataError);
    expect(error.message).toBe(
      `y: ${where}; sparseCrossEntropy expects an integer class index in [0, 3) (the model's 3 outputs)`,
    );
  });

  it('refuses one-hot rows with a ShapeError that points to crossEntropy', () => {
    const error = targetError(
      [
        [1, 0, 0],
        [0, 1, 0],
      ],
      loss,
    );
    expect(error).toBeInstanceOf(ShapeError);
    expect(error.message).toBe(
      'y must be integer class labels for sparseCrossEntropy, [n, 1] or a flat array; ' +
        'received shape [2, 3] (for one-hot rows use crossEntropy)',
    );
  });

  it('refuses no labels, and labels for another number of rows', () => {
    expect(() => checkData(x3, [], shape, 'float64', { loss })).toThrow(
      /^y must have at least one row; received shape \[0, 0\]$/,
    );
    expect(() => checkData(x3, [0, 1], shape, 'float64', { loss })).toThrow(
      /^y must have as many rows as x \(3\); received shape \[2, 3\]$/,
    );
  });

  it('keeps the old call form: checkData(x, y, shape, dtype, names)', () => {
    const { y } = checkData(x3, [[1], [2], [3]], { inputs: 1, outputs: 1 }, 'float64', ['a', 'b']);
    expect(y.toArray()).toEqual([[1], [2], [3]]);
    expect(() =>
      checkData(x3, [[1], [2]], { inputs: 1, outputs: 1 }, 'float64', ['a', 'b']),
    ).toThrow(/^b must have as many rows as a \(3\)/);
  });
});

describe('target checks of each loss, before training', () => {
  const ce = losses.crossEntropy;

  it('crossEntropy refuses a row that does not sum to 1: [1, 0.5, 0] (float64, 1e-12)', () => {
    const error = targetError(
      [
        [0, 1, 0],
        [1, 0.5, 0],
      ],
      ce,
    );
    expect(error).toBeInstanceOf(DataError);
    expect(error.message).toBe(
      'y: row 2 (counting from 1) sums to 1.5; crossEntropy expects each row to sum to 1 ' +
        '(one-hot, or a probability distribution) within 1e-12 in float64',
    );
  });

  it('allows 1e-5 in float32 and 1e-12 in float64', () => {
    const near = [[0.5, 0.5 + 4e-6, 0]];
    expect(() => checkData([[0]], near, shape, 'float32', { loss: ce })).not.toThrow();
    expect(targetError(near, ce).message).toMatch(
      /^y: row 1 \(counting from 1\) sums to 1\.000004/,
    );
    expect(targetError([[0.5, 0.5 + 3e-5, 0]], ce, 'float32').message).toMatch(
      /within 0\.00001 in float32$/,
    );
    const soft = [[0.1, 0.2, 0.7]];
    expect(checkData([[0]], soft, shape, 'float64', { loss: ce }).y.toArray()).toEqual(soft);
  });

  it('crossEntropy refuses a negative probability even in a row summing to 1', () => {
    expect(targetError([[1.5, -0.5, 0]], ce).message).toBe(
      'y: row 1, column 2 (counting from 1) is -0.5; crossEntropy expects targets >= 0',
    );
  });

  it('binaryCrossEntropy refuses targets outside [0, 1]', () => {
    const error = targetError(
      [
        [0, 1, 0.5],
        [0, 1.5, 1],
      ],
      losses.binaryCrossEntropy,
    );
    expect(error).toBeInstanceOf(DataError);
    expect(error.message).toBe(
      'y: row 2, column 2 (counting from 1) is 1.5; binaryCrossEntropy expects targets in [0, 1]',
    );
  });

  it('hinge takes −1/1 or 0/1 labels, and refuses other values or both kinds mixed', () => {
    const hinge = losses.hinge;
    expect(() => checkData([[0]], [[1, -1, 1]], shape, 'float64', { loss: hinge })).not.toThrow();
    expect(() => checkData([[0]], [[1, 0, 1]], shape, 'float64', { loss: hinge })).not.toThrow();
    expect(targetError([[1, 0.5, 1]], hinge).message).toBe(
      'y: row 1, column 2 (counting from 1) is 0.5; hinge expects labels -1 or 1 (or 0 or 1)',
    );
    expect(
      targetError(
        [
          [1, 0, 1],
          [-1, 1, 1],
        ],
        hinge,
      ).message,
    ).toBe(
      'y: row 2 (counting from 1) has a -1 and row 1 (counting from 1) a 0; hinge expects ' +
        'labels -1 or 1, or 0 or 1, not both kinds',
    );
  });

  it('klDivergence refuses negative targets', () => {
    expect(targetError([[0.5, 0.6, -0.1]], losses.klDivergence).message).toBe(
      'y: row 1, column 3 (counting from 1) is -0.1; klDivergence expects targets >= 0',
    );
  });

  it('mse, mae and huber take any finite targets; checks name validationData[1]', () => {
    for (const loss of [losses.mse, losses.mae, getLoss({ name: 'huber', delta: 3 })]) {
      expect(() => checkData([[0]], [[-7, 1e6, 0.5]], shape, 'float64', { loss })).not.toThrow();
    }
    expect(() => checkValidationData([[[0]], [[2, 0, 0]]], shape, 'float64', ce)).toThrow(
      /^validationData\[1\]: row 1 \(counting from 1\) sums to 2;/,
    );
  });

  it('label smoothing comes after the check and leaves the given Matrix unchanged', () => {
    const y = Matrix.from([[0, 1, 0]], 'float64');
    const loss = getLoss({ name: 'crossEntropy', labelSmoothing: 0.3 });
    const checked = checkData([[0]], y, shape, 'float64', { loss }).y;
    expect(checked).not.toBe(y);
    expect(checked.toArray()[0]!.map((v) => Math.round(v * 1e12) / 1e12)).toEqual([0.1, 0.8, 0.1]);
    expect(y.toArray()).toEqual([[0, 1, 0]]);
  });
});

describe('checkValidationData', () => {
  it.each([
    [5, 'validationData must be a pair [x, y]; received 5'],
    [[[[0]]], 'validationData must be a pair [x, y]; received an array of 1'],
    ['xy', 'validationData must be a pair [x, y]; received "xy"'],
  ])('throws ConfigError for %j', (value, message) => {
    expect(() => checkValidationData(value, shape, 'float64')).toThrow(ConfigError);
    expect(() => checkValidationData(value, shape, 'float64')).toThrow(message);
  });

  it('checks the pair as training data, under its own names', () => {
    const { y } = checkValidationData([[[0]], [2]], shape, 'float64', losses.sparseCrossEntropy);
    expect(y.toArray()).toEqual([[0, 0, 1]]);
    expect(() => checkValidationData([[[0, 1]], [[0, 0, 1]]], shape, 'float64')).toThrow(
      /^validationData\[0\] must have 1 columns/,
    );
  });
});
