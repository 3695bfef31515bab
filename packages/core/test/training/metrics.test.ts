import { describe, expect, it } from 'vitest';
import {
  classificationReport,
  ConfigError,
  ConfusionMatrix,
  countTopK,
  createMetric,
  Dense,
  Matrix,
  Sequential,
  type MetricName,
} from '../../src/index.js';

const m = (rows: number[][]) => Matrix.from(rows, 'float64');

/** A metric over the rows in one batch. */
function metric(name: MetricName, a: number[][], y: number[][]): number {
  const accumulator = createMetric(name, a[0]!.length);
  accumulator.update(m(a), m(y));
  return accumulator.result();
}

describe('regression metrics, by hand', () => {
  const a = [
    [1, 2],
    [3, 5],
    [0, 0],
  ];
  const y = [
    [1, 4],
    [2, 5],
    [2, 3],
  ];
  // Differences: 0, −2, 1, 0, −2, −3 → MSE 18/6 = 3; MAE 8/6.
  it('mse is the mean squared difference over every element', () => {
    expect(metric('mse', a, y)).toBe(3);
  });

  it('mae is the mean absolute difference', () => {
    expect(metric('mae', a, y)).toBeCloseTo(8 / 6, 15);
  });

  it('r2 is 1 − SSres/SStot per output, averaged (scikit-learn’s uniform average)', () => {
    // Output 0: ȳ = 5/3, SStot = 4/9 + 1/9 + 1/9 = 2/3, SSres = 0 + 1 + 4 = 5 → 1 − 7.5 = −6.5
    // Output 1: ȳ = 4, SStot = 0 + 1 + 1 = 2, SSres = 4 + 0 + 9 = 13 → 1 − 6.5 = −5.5
    expect(metric('r2', a, y)).toBeCloseTo(-6, 13);
    expect(metric('r2', y, y)).toBe(1);
    // A constant target counts 1 when predicted exactly, else 0.
    expect(metric('r2', [[2], [2]], [[2], [2]])).toBe(1);
    expect(metric('r2', [[1], [2]], [[2], [2]])).toBe(0);
  });

  it('gives the same values batch by batch as over all rows at once', () => {
    for (const name of ['mse', 'mae', 'r2'] as const) {
      const split = createMetric(name, 2);
      split.update(m(a.slice(0, 2)), m(y.slice(0, 2)));
      split.update(m(a.slice(2)), m(y.slice(2)));
      expect(split.result()).toBeCloseTo(metric(name, a, y), 14);
      const restored = createMetric(name, 2);
      restored.setState(split.getState());
      expect(restored.result()).toBe(split.result());
    }
  });
});

describe('classification metrics, by hand', () => {
  const a = [
    [0.7, 0.2, 0.1], // predicted 0, true 0
    [0.1, 0.5, 0.4], // predicted 1, true 2 (2 is second: top-2 hit)
    [0.3, 0.3, 0.4], // predicted 2, true 0 (0 ties with 1 for second: top-2 hit)
    [0.1, 0.8, 0.1], // predicted 1, true 1
  ];
  const y = [
    [1, 0, 0],
    [0, 0, 1],
    [1, 0, 0],
    [0, 1, 0],
  ];

  it('accuracy and top-k accuracy', () => {
    expect(metric('accuracy', a, y)).toBe(0.5);
    expect(metric('top2Accuracy', a, y)).toBe(1);
    expect(metric('top1Accuracy', a, y)).toBe(0.5);
    expect(countTopK(m(a), m(y), 3)).toBe(4);
  });

  it('the confusion matrix has true classes as rows, predictions as columns', () => {
    const matrix = new ConfusionMatrix(3);
    matrix.update(m(a), m(y));
    expect(matrix.toArray()).toEqual([
      [1, 0, 1],
      [0, 1, 0],
      [0, 1, 0],
    ]);
    // precision: 1/1, 1/2, 0/1; recall: 1/2, 1/1, 0/1; F1: 2/3, 2/3, 0
    const { perClass, macro, weighted } = matrix.scores();
    expect(perClass.map((c) => c.precision)).toEqual([1, 0.5, 0]);
    expect(perClass.map((c) => c.recall)).toEqual([0.5, 1, 0]);
    perClass.forEach((c, i) => expect(c.f1).toBeCloseTo([2 / 3, 2 / 3, 0][i]!, 15));
    expect(perClass.map((c) => c.support)).toEqual([2, 1, 1]);
    expect(macro.precision).toBe(0.5);
    expect(macro.recall).toBe(0.5);
    expect(macro.f1).toBeCloseTo(4 / 9, 15);
    expect(weighted.recall).toBeCloseTo((2 * 0.5 + 1 + 0) / 4, 15);
    expect(metric('precision', a, y)).toBe(0.5);
    expect(metric('f1', a, y)).toBeCloseTo(4 / 9, 15);
  });

  it('treats a single output as two classes split at 0.5', () => {
    const matrix = new ConfusionMatrix(1);
    matrix.update(m([[0.9], [0.2], [0.6], [0.4]]), m([[1], [0], [0], [1]]));
    expect(matrix.toArray()).toEqual([
      [1, 1],
      [1, 1],
    ]);
  });

  it('classificationReport and evaluate’s metrics report the same numbers', () => {
    const model = new Sequential([new Dense(2, 3, { activation: 'softmax' })], {
      dtype: 'float64',
    });
    const x = [
      [1, 0],
      [0, 1],
      [1, 1],
      [-1, 0.5],
      [0.3, -2],
    ];
    const y = [
      [1, 0, 0],
      [0, 1, 0],
      [0, 0, 1],
      [0, 1, 0],
      [1, 0, 0],
    ];
    const report = classificationReport(model, x, y, { batchSize: 2 });
    const logs = model.evaluate(x, y, {
      loss: 'crossEntropy',
      metrics: ['precision', 'recall', 'f1', 'top2Accuracy'],
      batchSize: 3,
    });
    expect(report.accuracy).toBe(logs['accuracy']);
    expect(report.macro).toEqual({
      precision: logs['precision'],
      recall: logs['recall'],
      f1: logs['f1'],
    });
    expect(report.confusionMatrix.flat().reduce((s, v) => s + v, 0)).toBe(5);
    expect(Object.keys(logs)).toEqual([
      'loss',
      'accuracy',
      'precision',
      'recall',
      'f1',
      'top2Accuracy',
    ]);
  });

  it('rejects an unknown metric, listing the valid ones', () => {
    const model = new Sequential([new Dense(2, 1)]);
    const evaluate = () => model.evaluate([[1, 2]], [[1]], { metrics: ['acc' as MetricName] });
    expect(evaluate).toThrow(ConfigError);
    expect(evaluate).toThrow(
      /^metrics: unknown metric "acc"; expected accuracy, mse, mae, r2, precision, recall, f1 or topKAccuracy \(e.g. top5Accuracy\)$/,
    );
  });
});
