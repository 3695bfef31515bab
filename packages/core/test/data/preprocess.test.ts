import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataError, ModelFileError, ShapeError } from '../../src/errors.js';
import { loadCsv, readCsvRows } from '../../../datasets/src/csv.js';
import {
  applyPreprocessing,
  predictedClasses,
  preprocessRows,
  unscaleTargets,
  type Preprocessing,
} from '../../src/data/preprocess.js';
import { parsePreprocessing } from '../../src/data/preprocessing-schema.js';
import { loadRecords } from '../../../datasets/src/records.js';
import { fitScaling } from '../../src/data/scaling.js';
import { Matrix } from '../../src/tensor/matrix.js';

let directory: string;
beforeAll(() => {
  directory = mkdtempSync(join(tmpdir(), 'backprop-preprocess-'));
});
afterAll(() => {
  rmSync(directory, { recursive: true, force: true });
});

describe('fitScaling', () => {
  it('fits min-max and standard statistics on the given rows only', () => {
    const values = Float64Array.from([1, 10, 3, 30, 1000, -1000]); // rows [1, 10], [3, 30], [1000, −1000]
    expect(fitScaling('minmax', values, 2, [0, 1])).toEqual({
      kind: 'minmax',
      offset: [1, 10],
      scale: [2, 20],
    });
    expect(fitScaling('standard', values, 2, [0, 1])).toEqual({
      kind: 'standard',
      offset: [2, 20],
      scale: [1, 10], // population standard deviation of {1, 3} is 1, of {10, 30} is 10
    });
    expect(fitScaling('none', values, 2, [0, 1, 2])).toEqual({
      kind: 'none',
      offset: [0, 0],
      scale: [1, 1],
    });
  });

  it('gives a constant column scale 1, so it maps to 0 rather than NaN', () => {
    const values = Float64Array.from([5, 5, 5]);
    expect(fitScaling('standard', values, 1, [0, 1, 2]).scale).toEqual([1]);
    expect(fitScaling('minmax', values, 1, [0, 1, 2]).scale).toEqual([1]);
  });
});

describe('scaling statistics come from the training rows only', () => {
  it('standardises with the training mean and deviation; test rows keep their outliers', async () => {
    // 10 rows: values 1..8 and two far outliers, 1000 and 2000.
    const rows = [1, 2, 3, 4, 5, 6, 7, 8, 1000, 2000].map((v, i) => `${v},${i % 2 ? 'a' : 'b'}`);
    const path = join(directory, 'outliers.csv');
    writeFileSync(path, `v,label\n${rows.join('\n')}\n`);
    const data = await loadCsv(path, { target: 'label', test: 0.3, seed: 5, dtype: 'float64' });
    const raw = [1, 2, 3, 4, 5, 6, 7, 8, 1000, 2000];
    const train = [...data.split.train].map((i) => raw[i]!);
    const mean = train.reduce((a, b) => a + b) / train.length;
    const sd = Math.sqrt(train.reduce((a, b) => a + (b - mean) ** 2, 0) / train.length);
    expect(data.preprocessing.scaling.offset[0]).toBeCloseTo(mean, 10);
    expect(data.preprocessing.scaling.scale[0]).toBeCloseTo(sd, 10);
    // The training part has mean 0 and deviation 1; the whole table does not.
    const trainValues = Array.from(data.train.x.data);
    const trainMean = trainValues.reduce((a, b) => a + b) / trainValues.length;
    expect(trainMean).toBeCloseTo(0, 12);
    expect(trainValues.reduce((a, b) => a + b * b, 0) / trainValues.length).toBeCloseTo(1, 12);
    const allMean = Array.from(data.x.data).reduce((a, b) => a + b) / data.x.rows;
    expect(Math.abs(allMean)).toBeGreaterThan(0.01);
  });
});

describe('applyPreprocessing repeats training exactly', () => {
  const text = [
    'date,origin,hp,weight,label',
    '2012-01-01,USA,130,3504,x',
    '2012-03-15,Japan,95,2372,y',
    '2013-07-04,USA,150,3436,x',
    '2014-12-31,Europe,97,2130,y',
    '2015-06-30,Japan,88,2130,y',
    '2015-09-01,USA,165,3693,x',
  ].join('\n');
  let path: string;
  beforeAll(() => {
    path = join(directory, 'mixed.csv');
    writeFileSync(path, `${text}\n`);
  });

  it('gives bit-identical inputs for records read back from the file', async () => {
    for (const dtype of ['float32', 'float64'] as const) {
      const data = await loadCsv(path, {
        target: 'label',
        categorical: ['origin'],
        test: 0.34,
        dtype,
      });
      const records = [];
      for await (const { record } of readCsvRows(path)) records.push(record);
      const x = applyPreprocessing(data.preprocessing, records, { dtype });
      expect(x.shape).toEqual(data.x.shape);
      expect(x.dtype).toBe(dtype);
      expect(Array.from(x.data)).toEqual(Array.from(data.x.data));
      // A JSON round trip of the preprocessing (as in a model file) changes nothing.
      const stored = JSON.parse(JSON.stringify(data.preprocessing)) as Preprocessing;
      const again = applyPreprocessing(parsePreprocessing(stored), records, { dtype });
      expect(Array.from(again.data)).toEqual(Array.from(data.x.data));
    }
  });

  it('accepts arrays in column order and already encoded feature matrices', async () => {
    const data = await loadCsv(path, {
      target: 'label',
      features: ['hp', 'weight'],
      scale: 'minmax',
      test: 0,
      dtype: 'float64',
    });
    const p = data.preprocessing;
    expect(p.scaling).toEqual({ kind: 'minmax', offset: [88, 2130], scale: [77, 1563] });
    expect(applyPreprocessing(p, [[165, '2130']]).toArray()).toEqual([[1, 0]]);
    const features = Matrix.from([[88, 3693]], 'float64');
    expect(applyPreprocessing(p, features).toArray()).toEqual([[0, 1]]);
    expect(() => applyPreprocessing(p, Matrix.zeros(1, 3))).toThrow(ShapeError);
    expect(() => applyPreprocessing(p, Matrix.zeros(1, 3))).toThrow(
      /^features must have 2 columns \(hp, weight\); received shape \[1, 3\]$/,
    );
  });

  it('names the row and column of a bad or missing value, or drops the missing', async () => {
    const data = await loadCsv(path, { target: 'label', categorical: ['origin'], test: 0 });
    const p = data.preprocessing;
    const good = { date: '2013-01-01', origin: 'USA', hp: '100', weight: '3000' };
    expect(() => applyPreprocessing(p, [good, { ...good, hp: 'fast' }])).toThrow(
      /^rows\[1\], column "hp": expected a number, found "fast"/,
    );
    expect(() =>
      applyPreprocessing(p, [good, { ...good, origin: 'Mars' }], {
        source: 'new.csv',
        rows: [2, 3],
      }),
    ).toThrow(
      /^new\.csv, row 3 \(header = row 1\), column "origin": expected one of "Europe", "Japan", "USA", found "Mars"$/,
    );
    expect(() => applyPreprocessing(p, [{ ...good, weight: '' }])).toThrow(DataError);
    expect(() => applyPreprocessing(p, [['2013-01-01', 'USA', '100']])).toThrow(
      /^rows\[0\]: expected 4 values \(date, origin, hp, weight\), found 3$/,
    );
    const { x, kept, dropped } = preprocessRows(p, [good, { ...good, weight: 'NA' }, good], {
      dropMissing: true,
    });
    expect([x.rows, [...kept], dropped]).toEqual([2, [0, 2], 1]);
  });
});

describe('outputs back to answers', () => {
  it('undoes the target scaling of a regression and names the predicted classes', async () => {
    const cars = await loadRecords(
      [
        { hp: 130, mpg: 18 },
        { hp: 95, mpg: 24 },
        { hp: 150, mpg: 15 },
        { hp: 60, mpg: 35 },
      ],
      { target: 'mpg', test: 0, dtype: 'float64' },
    );
    expect(cars.preprocessing.targetScaling!.offset).toEqual([23]);
    expect(unscaleTargets(cars.preprocessing, cars.y).toArray()).toEqual([[18], [24], [15], [35]]);

    const p: Preprocessing = {
      columns: [{ name: 'v', kind: 'number' }],
      featureNames: ['v'],
      scaling: { kind: 'none', offset: [0], scale: [1] },
      task: 'classification',
      targetNames: ['kind'],
      classNames: ['cat', 'dog', 'eel'],
    };
    const output = Matrix.from([
      [0.1, 0.7, 0.2],
      [0.5, 0.2, 0.3],
    ]);
    expect(predictedClasses(p, output)).toEqual(['dog', 'cat']);
    expect(unscaleTargets(p, output).toArray()).toEqual(output.toArray());
    expect(() => predictedClasses(p, Matrix.zeros(1, 2))).toThrow(ShapeError);
  });
});

describe('parsePreprocessing', () => {
  const valid: Preprocessing = {
    columns: [
      { name: 'a', kind: 'number' },
      { name: 'c', kind: 'category', categories: ['x', 'y'] },
    ],
    featureNames: ['a', 'c=x', 'c=y'],
    scaling: { kind: 'standard', offset: [1, 0, 0], scale: [2, 1, 1] },
    task: 'classification',
    targetNames: ['label'],
    classNames: ['no', 'yes'],
  };

  it('accepts a valid object', () => {
    expect(parsePreprocessing(valid)).toEqual(valid);
  });

  const cases: [string, unknown, RegExp][] = [
    [
      'a missing offset',
      { ...valid, scaling: { ...valid.scaling, offset: [1, 0] } },
      /^metadata\.preprocessing\.scaling\.offset: expected 3 numbers \(one per feature\), found 2$/,
    ],
    [
      'a zero scale',
      { ...valid, scaling: { ...valid.scaling, scale: [2, 0, 1] } },
      /^metadata\.preprocessing\.scaling\.scale\[1\]: /,
    ],
    [
      'too few feature names',
      { ...valid, featureNames: ['a'] },
      /^metadata\.preprocessing\.featureNames: expected 3 names \(what the columns encode to\), found 1$/,
    ],
    [
      'an unknown column kind',
      { ...valid, columns: [{ name: 'a', kind: 'text' }] },
      /^metadata\.preprocessing\.columns\[0\]\.kind: /,
    ],
    [
      'a classifier without classes',
      { ...valid, classNames: undefined },
      /^metadata\.preprocessing\.classNames: expected the class names of a classifier, found nothing$/,
    ],
  ];
  it.each(cases)('rejects %s, naming the field', (_, value, message) => {
    expect(() => parsePreprocessing(value, 'metadata.preprocessing')).toThrow(ModelFileError);
    expect(() => parsePreprocessing(value, 'metadata.preprocessing')).toThrow(message);
  });
});
