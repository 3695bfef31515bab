import { describe, expect, it } from 'vitest';
import { BackpropError, DataError, Dense, Sequential, ShapeError } from '../../src/index.js';

/**
 * Inputs that are not number[][] at all (issue 10 item 8, issue 15 item 7), through the public
 * API: each gets a typed error that says what was given instead, never a TypeError or a message
 * about "columns" of a string.
 */

/** A 2-3-1 float64 network (tanh, sigmoid). */
function model(): Sequential {
  return new Sequential(
    [new Dense(2, 3, { activation: 'tanh' }), new Dense(3, 1, { activation: 'sigmoid' })],
    { dtype: 'float64', seed: 1 },
  );
}

const x = [
  [0, 0],
  [0, 1],
  [1, 0],
  [1, 1],
];
const y = [[0], [1], [1], [0]];

/** The error a call throws or a promise rejects with (fails the test if there is none). */
async function errorOf(action: () => unknown): Promise<Error> {
  try {
    await action();
  } catch (error) {
    expect(error).toBeInstanceOf(BackpropError);
    return error as Error;
  }
  throw new Error('expected an error, but the call succeeded');
}

describe('inputs that are not number[][]', () => {
  it('a row or a target given as a string throws DataError saying a string was given', async () => {
    const error = await errorOf(() =>
      model().fit(['[0.97,0.94]', '[0,1]'] as unknown as number[][], [[0], [1]]),
    );
    expect(error).toBeInstanceOf(DataError);
    expect(error.message).toBe(
      'x[0] is a string ("[0.97,0.94]"); expected an array of numbers: parse the text ' +
        'first, e.g. with JSON.parse',
    );
    expect(() => model().evaluate(x, '[[0],[1],[1],[0]]' as unknown as number[][])).toThrow(
      /^y is a string \("\[\[0\],\[1\],\[1\],\[0\]\]"\); expected number\[\]\[\] \(one array of numbers per example\) or a Matrix: parse the text first/,
    );
    expect(() => model().predict([[0, 1], '[1,0]'] as unknown as number[][])).toThrow(
      /^x\[1\] is a string/,
    );
  });

  it('predict([1, 0]), a flat array, throws ShapeError suggesting [[1, 0]]', () => {
    const call = () => model().predict([1, 0] as unknown as number[][]);
    expect(call).toThrow(ShapeError);
    expect(call).toThrow(
      /^x must have one row per example; received a flat array of 2 numbers: for one example write \[\[1, 0\]\]$/,
    );
    expect(() => model().forward([1, 0] as unknown as number[][])).toThrow(ShapeError);
  });

  it('fit(undefined, y), null rows and BigInt elements throw DataError naming the argument', async () => {
    const missing = await errorOf(() => model().fit(undefined as unknown as number[][], y));
    expect(missing).toBeInstanceOf(DataError);
    expect(missing.message).toBe(
      'x is undefined; expected number[][] (one array of numbers per example) or a Matrix',
    );
    const nullRow = await errorOf(() =>
      model().fit([[0, 0], null, [1, 0], [1, 1]] as unknown as number[][], y),
    );
    expect(nullRow).toBeInstanceOf(DataError);
    expect(nullRow.message).toBe('x[1] is null; expected an array of numbers');
    expect(() => model().evaluate(x, null as unknown as number[][])).toThrow(/^y is null;/);
    const bigint = await errorOf(() =>
      model().fit(
        [
          [0, 0],
          [3n, 1],
          [1, 0],
          [1, 1],
        ] as unknown as number[][],
        y,
      ),
    );
    expect(bigint).toBeInstanceOf(DataError);
    expect(bigint.message).toBe(
      'x: row 1, column 0: expected a number, got the BigInt 3n; convert it with Number()',
    );
  });
});
