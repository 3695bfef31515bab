import { describe, expect, it } from 'vitest';
import { ConfigError, DataError } from '../../core/src/errors.js';
import { DATASET_NAMES, loadDataset } from '../src/datasets.js';
import type { Dataset } from '../../core/src/data/dataset.js';

/** Rows per class of a classification part. */
function classCounts(part: Dataset, classes: number): number[] {
  const counts = new Array<number>(classes).fill(0);
  for (const label of part.labels!) counts[label]!++;
  return counts;
}

describe('loadDataset', () => {
  it('knows the five data sets', () => {
    expect(DATASET_NAMES).toEqual(['mnist', 'iris', 'penguins', 'cars', 'seattle-weather']);
  });

  it('iris: 150 rows of 4 measurements, 3 species, split 120/30 stratified', async () => {
    const iris = await loadDataset('iris');
    expect(iris.task).toBe('classification');
    expect(iris.x.shape).toEqual([150, 4]);
    expect(iris.y.shape).toEqual([150, 3]);
    expect(iris.featureNames).toEqual([
      'sepal length (cm)',
      'sepal width (cm)',
      'petal length (cm)',
      'petal width (cm)',
    ]);
    expect(iris.classNames).toEqual(['setosa', 'versicolor', 'virginica']);
    expect(iris.dropped).toBe(0);
    expect(iris.train.x.shape).toEqual([120, 4]);
    expect(iris.test.x.shape).toEqual([30, 4]);
    expect(iris.validation.x.shape).toEqual([0, 4]);
    expect(classCounts(iris.test, 3)).toEqual([10, 10, 10]);
    // Fisher's first flower, 5.1 3.5 1.4 0.2 setosa, in centimetres: iris is left unscaled.
    expect(iris.preprocessing.scaling.kind).toBe('none');
    expect(Array.from(iris.x.row(0))).toEqual(Array.from(Float32Array.of(5.1, 3.5, 1.4, 0.2)));
    expect(iris.labels![0]).toBe(0);
  });

  it('iris: scale undefined keeps the table default; a given scale is fitted on the training rows', async () => {
    const unscaled = await loadDataset('iris', { scale: undefined, seed: undefined });
    expect(unscaled.preprocessing.scaling.kind).toBe('none');
    const standard = await loadDataset('iris', { scale: 'standard' });
    const { offset, scale } = standard.preprocessing.scaling;
    expect(standard.x.get(0, 0)).toBeCloseTo((5.1 - offset[0]!) / scale[0]!, 6);
    // Training rows standardised: column means 0 (to float32 rounding).
    for (let j = 0; j < 4; j++) {
      let sum = 0;
      for (let i = 0; i < 120; i++) sum += standard.train.x.get(i, j);
      expect(Math.abs(sum / 120)).toBeLessThan(1e-6);
    }
  });

  it('penguins: 4 body measurements, 3 species, the 2 rows with missing values dropped', async () => {
    const penguins = await loadDataset('penguins');
    expect(penguins.x.shape).toEqual([342, 4]);
    expect(penguins.dropped).toBe(2);
    expect(penguins.featureNames).toEqual([
      'Beak Length (mm)',
      'Beak Depth (mm)',
      'Flipper Length (mm)',
      'Body Mass (g)',
    ]);
    expect(penguins.classNames).toEqual(['Adelie', 'Chinstrap', 'Gentoo']);
    expect(classCounts(penguins, 3)).toEqual([151, 68, 123]);
    expect(penguins.test.x.rows).toBe(68); // round(342 · 0.2)
    expect(classCounts(penguins.test, 3)).toEqual([30, 14, 24]);
  });

  it('penguins without dropping: names the file, record and column of the first missing value', async () => {
    const error = await loadDataset('penguins', { dropMissing: false }).catch((e) => e);
    expect(error).toBeInstanceOf(DataError);
    expect(error.message).toMatch(
      /penguins\.json, records\[3\], column "Beak Length \(mm\)": missing value \(null\); 2 of 344 rows have a missing value/,
    );
  });

  it('cars: miles per gallon regression, year as a date, origin one-hot, 14 rows dropped', async () => {
    const cars = await loadDataset('cars');
    expect(cars.task).toBe('regression');
    expect(cars.x.shape).toEqual([392, 11]);
    expect(cars.y.shape).toEqual([392, 1]);
    expect(cars.dropped).toBe(14);
    expect(cars.targetNames).toEqual(['Miles_per_Gallon']);
    expect(cars.classNames).toBeUndefined();
    expect(cars.featureNames.slice(5)).toEqual([
      'Year (year)',
      'Year (day of year, sin)',
      'Year (day of year, cos)',
      'Origin=Europe',
      'Origin=Japan',
      'Origin=USA',
    ]);
    const { offset, scale } = cars.preprocessing.targetScaling!;
    expect(offset[0]).toBeGreaterThan(20); // mean mpg of the training cars, about 23.5
    expect(offset[0]).toBeLessThan(27);
    expect(scale[0]).toBeGreaterThan(6);
    expect(scale[0]).toBeLessThan(9);
  });

  it('seattle-weather: a CSV with a date column and 5 weather classes', async () => {
    const weather = await loadDataset('seattle-weather', { validation: 0.1 });
    expect(weather.x.shape).toEqual([1461, 7]);
    expect(weather.featureNames).toEqual([
      'date (year)',
      'date (day of year, sin)',
      'date (day of year, cos)',
      'precipitation',
      'temp_max',
      'temp_min',
      'wind',
    ]);
    expect(weather.classNames).toEqual(['drizzle', 'fog', 'rain', 'snow', 'sun']);
    expect(classCounts(weather, 5)).toEqual([53, 101, 641, 26, 640]);
    expect([weather.train.x.rows, weather.validation.x.rows, weather.test.x.rows]).toEqual([
      1023, 146, 292,
    ]);
  });

  it('mnist: the official test set, a stratified validation share of the training images', async () => {
    const mnist = await loadDataset('mnist', {
      validation: 0.5,
      limit: { train: 1000, test: 100 },
    });
    expect(mnist.train.x.shape).toEqual([500, 784]);
    expect(mnist.validation.x.shape).toEqual([500, 784]);
    expect(mnist.test.x.shape).toEqual([100, 784]);
    expect(mnist.classNames).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
    expect(mnist.featureNames[29]).toBe('pixel[1][1]');
    expect(mnist.preprocessing.scaling.scale[0]).toBe(255);
  });

  it('rejects an unknown name and options that do not apply', async () => {
    await expect(loadDataset('irises')).rejects.toThrow(
      /^unknown data set "irises"; the data sets are mnist, iris, penguins, cars, seattle-weather$/,
    );
    await expect(loadDataset('mnist', { test: 0.1 })).rejects.toThrow(ConfigError);
    await expect(loadDataset('mnist', { test: 0.1 })).rejects.toThrow(
      /^test does not apply to mnist \(it has a fixed 10000-image test set/,
    );
    await expect(loadDataset('iris', { limit: { train: 10 } })).rejects.toThrow(
      /^limit applies to mnist only; received it for iris$/,
    );
    await expect(loadDataset('iris', { tset: 0.1 } as object)).rejects.toThrow(
      /^loadDataset has no option "tset"/,
    );
  });
});
