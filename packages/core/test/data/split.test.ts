import { describe, expect, it } from 'vitest';
import { ConfigError, DataError } from '../../src/errors.js';
import { splitIndices, takeRows } from '../../src/data/split.js';
import { Matrix } from '../../src/tensor/matrix.js';

/** Class counts of the rows `indices` for `labels`. */
function counts(labels: ArrayLike<number>, indices: ArrayLike<number>, classes: number): number[] {
  const result = new Array<number>(classes).fill(0);
  for (let k = 0; k < indices.length; k++) result[labels[indices[k]!]!]!++;
  return result;
}

describe('splitIndices', () => {
  it('uses every row exactly once: test and validation ascending, train shuffled', () => {
    const { train, validation, test } = splitIndices(103, { test: 0.2, validation: 0.1, seed: 7 });
    expect([train.length, validation.length, test.length]).toEqual([72, 10, 21]);
    const all = [...train, ...validation, ...test].sort((a, b) => a - b);
    expect(all).toEqual(Array.from({ length: 103 }, (_, i) => i));
    for (const part of [validation, test]) {
      expect([...part]).toEqual([...part].sort((a, b) => a - b));
    }
    expect([...train]).not.toEqual([...train].sort((a, b) => a - b));
  });

  it('is deterministic for a seed and differs between seeds', () => {
    const a = splitIndices(50, { seed: 3 });
    const b = splitIndices(50, { seed: 3 });
    const c = splitIndices(50, { seed: 4 });
    expect([...a.test]).toEqual([...b.test]);
    expect([...a.test]).not.toEqual([...c.test]);
  });

  it('mixes the classes in the training order, so that its last rows are a random sample', () => {
    const labels = Array.from({ length: 150 }, (_, i) => Math.floor(i / 50)); // sorted, as Iris
    const { train } = splitIndices(150, { stratify: labels, seed: 1 });
    const last = train.subarray(train.length - 12); // a Keras-style validation_split of 0.1
    expect(counts(labels, last, 3).filter((count) => count > 0).length).toBeGreaterThan(1);
  });

  it('keeps the class proportions in every part when stratified', () => {
    // 60 / 30 / 10 rows of classes 0 / 1 / 2, interleaved.
    const labels = Array.from({ length: 100 }, (_, i) => (i % 10 === 0 ? 2 : i % 10 <= 3 ? 1 : 0));
    expect(
      counts(
        labels,
        Uint32Array.from({ length: 100 }, (_, i) => i),
        3,
      ),
    ).toEqual([60, 30, 10]);
    const split = splitIndices(100, { test: 0.2, validation: 0.1, stratify: labels, seed: 1 });
    expect(counts(labels, split.test, 3)).toEqual([12, 6, 2]);
    expect(counts(labels, split.validation, 3)).toEqual([6, 3, 1]);
    expect(counts(labels, split.train, 3)).toEqual([42, 21, 7]);
  });

  it('rounds stratified quotas so they sum to round(n·test), largest remainders first', () => {
    // Classes of 5, 5 and 3 rows; n·test = 13·0.3 = 3.9 → 4 test rows: exact 1.5, 1.5, 0.9.
    const labels = [0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 2, 2, 2];
    const { test } = splitIndices(13, { test: 0.3, stratify: labels, seed: 1 });
    expect(test.length).toBe(4);
    // Floors 1, 1, 0; the two rows left go to class 2 (remainder 0.9), then class 0 (0.5, the
    // lower index of the tie with class 1).
    expect(counts(labels, test, 3)).toEqual([2, 1, 1]);
  });

  it('rejects fractions outside [0, 1), a sum of 1 or more, and no training rows', () => {
    expect(() => splitIndices(10, { test: 1 })).toThrow(ConfigError);
    expect(() => splitIndices(10, { test: -0.1 })).toThrow(
      /^test must be a fraction in \[0, 1\); received -0\.1$/,
    );
    expect(() => splitIndices(10, { test: 0.5, validation: 0.5 })).toThrow(
      /^test \+ validation must be less than 1 .*; received test 0\.5 \+ validation 0\.5 = 1$/,
    );
    expect(() => splitIndices(1, { test: 0.6 })).toThrow(
      /^the split leaves no training rows: 1 rows, 1 for test \(test 0\.6\)/,
    );
    expect(() => splitIndices(3, { stratify: [0, 1] })).toThrow(DataError);
  });
});

describe('takeRows', () => {
  it('copies the chosen rows of x, y and labels in order', () => {
    const x = Matrix.from(
      [
        [1, 2],
        [3, 4],
        [5, 6],
      ],
      'float64',
    );
    const y = Matrix.from(
      [
        [1, 0],
        [0, 1],
        [1, 0],
      ],
      'float64',
    );
    const part = takeRows({ x, y, labels: Uint8Array.from([0, 1, 0]) }, [2, 0]);
    expect(part.x.toArray()).toEqual([
      [5, 6],
      [1, 2],
    ]);
    expect(part.y.toArray()).toEqual([
      [1, 0],
      [1, 0],
    ]);
    expect(Array.from(part.labels!)).toEqual([0, 0]);
    part.x.set(0, 0, 99);
    expect(x.get(2, 0)).toBe(5); // a copy
  });
});
