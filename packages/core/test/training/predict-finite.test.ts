import { describe, expect, it } from 'vitest';
import { NumericalError } from '../../src/errors.js';
import { Dense } from '../../src/layers/dense.js';
import { Sequential } from '../../src/model/sequential.js';

/** Dense(2 => 1, linear) with weights [w0, w1] and bias 0: the output is x·w. */
function linear(w0: number, w1: number, dtype: 'float32' | 'float64' = 'float32'): Sequential {
  const model = new Sequential([new Dense(2, 1, { activation: 'linear' })], { dtype, seed: 1 });
  model.denseLayers[0]!.weights.data.set([w0, w1]);
  model.denseLayers[0]!.bias.data.fill(0);
  return model;
}

describe('predict refuses non-finite outputs (issue 15 item 3)', () => {
  it('a NaN parameter: NumericalError naming the first row (1-based) and the output', () => {
    const model = linear(1, NaN);
    const error = (() => {
      try {
        model.predict([[1, 2]]);
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(NumericalError);
    expect((error as Error).message).toBe(
      "predict: row 1 of 1 (1-based): expected finite outputs, found NaN in output 1 of 1; the model's parameters are not finite or overflow on this row",
    );
    expect((error as NumericalError).batch).toBe(1);
  });

  it('finite parameters that overflow float32 on one row name that row', () => {
    const model = linear(1e30, 1);
    // Rows 1 and 2 give 3e30 and -1e30; row 3 gives 1e30 · 1e9 = 1e39 > 3.4e38: Infinity.
    expect(() =>
      model.predict([
        [3, 0],
        [-1, 0],
        [1e9, 0],
      ]),
    ).toThrow(
      new NumericalError(
        "predict: row 3 of 3 (1-based): expected finite outputs, found Infinity in output 1 of 1; the model's parameters are not finite or overflow on this row",
        0,
        3,
      ),
    );
    // float64 holds it: 1e39 exactly as float64 computes 1e30 · 1e9.
    expect(linear(1e30, 1, 'float64').predict([[1e9, 0]]).data[0]).toBe(1e30 * 1e9);
  });

  it('the row counts across batches (row 1500 of 2000 is in the second batch of 1024)', () => {
    const rows = Array.from({ length: 2000 }, (_, i) => [i === 1499 ? 1e38 : i, 0]);
    expect(() => linear(10, 1).predict(rows)).toThrow('predict: row 1500 of 2000 (1-based)');
    expect(
      Array.from(
        linear(2, 3).predict([
          [1, 1],
          [2, -1],
        ]).data,
      ),
    ).toEqual([5, 1]);
  });
});
