import { describe, expect, it } from 'vitest';
import { ConfigError, DataError } from '../../src/errors.js';
import { oneHot } from '../../src/data/one-hot.js';

describe('oneHot', () => {
  it('puts a single 1 in the column of each label', () => {
    const y = oneHot([2, 0, 1], 3, 'float64');
    expect(y.shape).toEqual([3, 3]);
    expect(y.dtype).toBe('float64');
    expect(y.toArray()).toEqual([
      [0, 0, 1],
      [1, 0, 0],
      [0, 1, 0],
    ]);
  });

  it('defaults to float32 and accepts typed arrays', () => {
    const y = oneHot(Uint8Array.from([1]), 2);
    expect(y.dtype).toBe('float32');
    expect(y.toArray()).toEqual([[0, 1]]);
  });

  it('returns an empty [0, classes] matrix for no labels', () => {
    expect(oneHot([], 4).shape).toEqual([0, 4]);
  });

  it('throws DataError naming the row for a label out of range', () => {
    expect(() => oneHot([0, 3], 3)).toThrow(DataError);
    expect(() => oneHot([0, 3], 3)).toThrow(
      /row 1: label 3 is not an integer class index in \[0, 2\]/,
    );
    expect(() => oneHot([-1], 3)).toThrow(/row 0: label -1/);
  });

  it('throws DataError naming the row for a non-integer label', () => {
    expect(() => oneHot([1, 1, 0.5], 3)).toThrow(DataError);
    expect(() => oneHot([1, 1, 0.5], 3)).toThrow(/row 2: label 0\.5 is not an integer/);
    expect(() => oneHot([NaN], 3)).toThrow(/row 0: label NaN/);
  });

  it('throws ConfigError for a class count that is not a positive integer', () => {
    expect(() => oneHot([0], 0)).toThrow(ConfigError);
    expect(() => oneHot([0], 2.5)).toThrow(/classes must be a positive integer; received 2\.5/);
  });
});
