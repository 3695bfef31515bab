import { describe, expect, it, vi } from 'vitest';
import { ConfigError, Dense, Matrix, Sequential } from '../../src/index.js';

// evaluate's onBatch option: the outputs and targets of each batch, from the pass that
// computes the loss, so that a caller's own metrics need no second forward pass.

function network(): Sequential {
  return new Sequential(
    [new Dense(2, 3, { activation: 'tanh' }), new Dense(3, 2, { activation: 'softmax' })],
    { dtype: 'float64', seed: 7 },
  );
}

const x = Matrix.from([
  [0.5, -1],
  [1.5, 0.25],
  [-0.75, 2],
  [0, 0],
  [1, 1],
  [-2, 0.5],
  [0.3, -0.3],
]);
const y = Matrix.from([
  [1, 0],
  [0, 1],
  [1, 0],
  [0, 1],
  [1, 0],
  [0, 1],
  [1, 0],
]);

describe('evaluate with onBatch', () => {
  it('hands every batch its outputs (as predict gives them), its targets and its first row', () => {
    const model = network();
    const forward = vi.spyOn(model, 'forwardTrace');
    const seen: { start: number; outputs: number[][]; targets: number[][] }[] = [];
    const logs = model.evaluate(x, y, {
      loss: 'crossEntropy',
      batchSize: 3,
      onBatch: (outputs, targets, start) =>
        seen.push({ start, outputs: outputs.toArray(), targets: targets.toArray() }),
    });
    expect(forward).toHaveBeenCalledTimes(3); // batches of 3, 3 and 1 rows: one pass each
    expect(seen.map((batch) => batch.start)).toEqual([0, 3, 6]);
    expect(seen.flatMap((batch) => batch.targets)).toEqual(y.toArray());
    const predicted = network().predict(x).toArray();
    const outputs = seen.flatMap((batch) => batch.outputs);
    outputs.forEach((row, i) => row.forEach((v, j) => expect(v).toBe(predicted[i]![j])));
    // The loss is that of the same outputs: mean of −ln a[target] (float64 reference).
    const reference =
      -outputs.reduce((sum, row, i) => sum + Math.log(row[i % 2 === 0 ? 0 : 1]!), 0) / 7;
    expect(logs['loss']).toBeCloseTo(reference, 12);
  });

  it('refuses an onBatch that is not a function', () => {
    expect(() => network().evaluate(x, y, { onBatch: 5 as never })).toThrow(ConfigError);
    expect(() => network().evaluate(x, y, { onBatch: 5 as never })).toThrow(
      /^evaluate: onBatch must be a function \(outputs, targets, start\) => void; received number$/,
    );
  });
});
