import { describe, expect, it } from 'vitest';
// The browser entry: what a page bundles. tableFromRecords must work from it alone.
import {
  applyPreprocessing,
  ConfigError,
  DataError,
  predictedClasses,
  tableFromRecords,
  Matrix,
} from '../../src/browser.js';

// Eight penguins-like records: a number, a text category, a numeric text, a missing value.
const records = [
  { mass: 3750, island: 'Torgersen', bill: '39.1', species: 'Adelie' },
  { mass: 3800, island: 'Torgersen', bill: '39.5', species: 'Adelie' },
  { mass: 3250, island: 'Dream', bill: '40.3', species: 'Adelie' },
  { mass: 4675, island: 'Biscoe', bill: '46.1', species: 'Gentoo' },
  { mass: 5700, island: 'Biscoe', bill: '50.0', species: 'Gentoo' },
  { mass: 3500, island: 'Dream', bill: '46.5', species: 'Chinstrap' },
  { mass: 3900, island: 'Dream', bill: '50.0', species: 'Chinstrap' },
  { mass: null, island: 'Dream', bill: '45.0', species: 'Chinstrap' },
];

/** Population mean and standard deviation, the float64 reference of 'standard' scaling. */
function moments(values: number[]): { mean: number; std: number } {
  const mean = values.reduce((s, v) => s + v, 0) / values.length;
  const variance = values.reduce((s, v) => s + (v - mean) ** 2, 0) / values.length;
  return { mean, std: Math.sqrt(variance) };
}

describe('tableFromRecords (browser entry)', () => {
  const data = tableFromRecords(records, {
    target: 'species',
    categorical: ['island'],
    dropMissing: true,
    test: 0,
    dtype: 'float64',
  });
  const kept = records.slice(0, 7);

  it('one-hot encodes the category and the text target, with sorted class names', () => {
    expect(data.task).toBe('classification');
    expect(data.dropped).toBe(1);
    expect(data.classNames).toEqual(['Adelie', 'Chinstrap', 'Gentoo']);
    expect(data.featureNames).toEqual([
      'mass',
      'island=Biscoe',
      'island=Dream',
      'island=Torgersen',
      'bill',
    ]);
    expect(data.y.toArray()).toEqual(
      ['Adelie', 'Adelie', 'Adelie', 'Gentoo', 'Gentoo', 'Chinstrap', 'Chinstrap'].map((s) =>
        ['Adelie', 'Chinstrap', 'Gentoo'].map((c) => (c === s ? 1 : 0)),
      ),
    );
  });

  it('standardises every input column with the training rows: x′ = (x − μ)/σ', () => {
    const raw = kept.map((r) => [
      r.mass!,
      r.island === 'Biscoe' ? 1 : 0,
      r.island === 'Dream' ? 1 : 0,
      r.island === 'Torgersen' ? 1 : 0,
      Number(r.bill),
    ]);
    const x = data.x.toArray();
    for (let j = 0; j < 5; j++) {
      const { mean, std } = moments(raw.map((row) => row[j]!));
      expect(data.preprocessing.scaling.offset[j]).toBeCloseTo(mean, 10);
      expect(data.preprocessing.scaling.scale[j]).toBeCloseTo(std, 10);
      for (let i = 0; i < kept.length; i++) {
        expect(Math.abs(x[i]![j]! - (raw[i]![j]! - mean) / std)).toBeLessThan(1e-12);
      }
    }
  });

  it('gives a preprocessing that applyPreprocessing repeats bit for bit on new records', () => {
    const again = applyPreprocessing(data.preprocessing, kept, { dtype: 'float64' });
    expect(Array.from(again.data)).toEqual(Array.from(data.x.data));
    const scores = new Matrix(2, 3, 'float64');
    scores.data.set([0.1, 0.2, 0.7, 0.8, 0.1, 0.1]);
    expect(predictedClasses(data.preprocessing, scores)).toEqual(['Gentoo', 'Adelie']);
  });

  it('fits minmax scaling on the training split only', () => {
    const split = tableFromRecords(kept, {
      target: 'species',
      features: ['bill'],
      scale: 'minmax',
      test: 0.3,
      seed: 3,
    });
    const train = [...split.split.train].map((i) => Number(kept[i]!.bill));
    expect(split.preprocessing.scaling.offset[0]).toBe(Math.min(...train));
    expect(split.preprocessing.scaling.scale[0]).toBeCloseTo(
      Math.max(...train) - Math.min(...train),
      12,
    );
    expect(split.train.x.rows + split.test.x.rows).toBe(7);
  });

  it('names the method, the element and the column in its errors', () => {
    expect(() => tableFromRecords(records, { target: 'colour' })).toThrow(ConfigError);
    expect(() => tableFromRecords(records, { target: 'species', scale: 'z' as never })).toThrow(
      'scale must be one of standard, minmax, none; received "z"',
    );
    expect(() => tableFromRecords(records, { target: 'species', categorical: ['island'] })).toThrow(
      'records, records[7], column "mass"',
    );
    expect(() => tableFromRecords([{ a: 1 }, 2] as never, { target: 'a' }, 'page data')).toThrow(
      new DataError('page data, records[1]: expected an object, found number 2'),
    );
    expect(() => tableFromRecords(records, {})).toThrow(/^tableFromRecords needs a target column/);
    expect(() => tableFromRecords(records, { target: 'species', tests: 0 } as never)).toThrow(
      /tableFromRecords.*tests/,
    );
  });
});
