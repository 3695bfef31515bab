import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCsvRows } from '../../datasets/src/csv.js';
import { applyPreprocessing, predictedClasses } from '../../core/src/data/preprocess.js';
import { loadModel } from '../../core/src/io/model-file.js';
import { backprop, errorLine } from './backprop.js';

/** The tables vendored in @backpropjs/datasets. */
const tables = fileURLToPath(new URL('../../datasets/data/', import.meta.url));

let directory: string;
beforeAll(() => {
  directory = mkdtempSync(join(tmpdir(), 'backprop-train-data-'));
});
afterAll(() => {
  rmSync(directory, { recursive: true, force: true });
});

/** The epoch objects of a `--json` run. */
function epochs(stdout: string): Record<string, number>[] {
  return stdout
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Record<string, number>);
}

/** The parsed model file. */
function modelFile(path: string): {
  preprocessing?: Record<string, unknown>;
  classNames?: string[];
  metadata: Record<string, Record<string, unknown>>;
} {
  return JSON.parse(readFileSync(path, 'utf8'));
}

describe('backprop train on the shipped tables', () => {
  it('--dataset iris: 4-16-3, Adam, unscaled centimetres, >= 95% of the 30 held-out flowers', async () => {
    const output = join(directory, 'iris.json');
    const run = await backprop('train', '--dataset', 'iris', '--json', '--output', output);
    expect(run.status).toBe(0);
    const records = epochs(run.stdout);
    expect(records).toHaveLength(500); // 120 rows / 32 per batch = 4 updates per epoch
    const last = records.at(-1)!;
    expect(last['trainAccuracy']).toBeGreaterThanOrEqual(0.95);
    // The bar: 29 of 30. The split of seed 1 holds out the versicolor/virginica
    // borderline flowers 73, 78 and 107 (1-based); the default before (SGD on standardised
    // inputs) missed 78 and 107, this one misses 73. Over split seeds 1-100 it averages 97.1%
    // test accuracy, the default before 95.2%.
    expect(last['testAccuracy']).toBeGreaterThanOrEqual(0.95);
    expect(last['testAccuracy']! * 30).toBeCloseTo(29, 9);
    const file = modelFile(output);
    expect(file.preprocessing?.['featureNames']).toEqual([
      'sepal length (cm)',
      'sepal width (cm)',
      'petal length (cm)',
      'petal width (cm)',
    ]);
    expect(file.preprocessing?.['classNames']).toEqual(['setosa', 'versicolor', 'virginica']);
    expect(file.preprocessing?.['scaling']).toEqual({
      kind: 'none',
      offset: [0, 0, 0, 0],
      scale: [1, 1, 1, 1],
    });
    expect(file.metadata['training']!['optimizer']).toMatch(/^Adam\(learningRate=0\.01, /);
    expect(file.metadata['data']).toMatchObject({
      name: 'iris',
      trainExamples: 120,
      testExamples: 30,
    });
  });

  it('tables default to Adam (η = 0.01); a typed --optimizer, --learning-rate or --scale wins', async () => {
    const trained = async (name: string, ...flags: string[]) => {
      const output = join(directory, `${name}.json`);
      const run = await backprop('train', '--epochs', '2', '--output', output, ...flags);
      expect(run.status, run.stderr).toBe(0);
      const file = modelFile(output);
      return [file.metadata['training']!['optimizer'], file.preprocessing?.['scaling']];
    };
    const [sgd, unscaled] = await trained('iris-sgd', '--dataset', 'iris', '--optimizer', 'sgd');
    expect(sgd).toBe('SGD(learningRate=0.1, weightDecay=0)');
    expect(unscaled).toMatchObject({ kind: 'none' });
    const [adam] = await trained('iris-slow', '--dataset', 'iris', '--learning-rate', '0.05');
    expect(adam).toMatch(/^Adam\(learningRate=0\.05, /);
    const [, scaled] = await trained('iris-scaled', '--dataset', 'iris', '--scale', 'standard');
    expect(scaled).toMatchObject({ kind: 'standard' });
    const [penguins, kind] = await trained('penguins-adam', '--dataset', 'penguins');
    expect(penguins).toMatch(/^Adam\(learningRate=0\.01, /);
    expect(kind).toMatchObject({ kind: 'standard' });
  });

  it('--dataset penguins: drops and counts the 2 rows with missing values, >= 95% on the test split', async () => {
    const output = join(directory, 'penguins.json');
    const run = await backprop('train', '--dataset', 'penguins', '--output', output);
    expect(run.status).toBe(0);
    const lines = run.stdout.trim().split('\n');
    expect(lines[0]).toMatch(
      /^training Sequential\(Dense\(4 => 16, relu\), Dense\(16 => 3, softmax\)\) on 274 rows of penguins, testing on 68 /,
    );
    expect(lines[1]).toBe('dropped 2 of 344 rows with a missing value');
    expect(lines).toHaveLength(2 + 10 + 1); // at most 10 epoch lines, the last included, then saved
    const last = lines.at(-2)!;
    expect(last).toMatch(/^epoch 222\/222 /);
    const accuracy = Number(/test acc (\d+\.\d+)%/.exec(last)![1]);
    expect(accuracy).toBeGreaterThanOrEqual(95);
    expect(accuracy).toBe(98.53); // 67 of 68; split seeds 1-100 average 98.7%, never below 95.59%
    expect(modelFile(output).metadata['data']).toMatchObject({ dropped: 2 });
  });

  it('--input seattle-weather.csv --target weather: a CSV with a date column and text labels', async () => {
    const output = join(directory, 'weather.json');
    const csv = join(tables, 'seattle-weather.csv');
    const run = await backprop(
      'train',
      '--input',
      csv,
      '--target',
      'weather',
      '--json',
      '--output',
      output,
    );
    expect(run.status).toBe(0);
    const last = epochs(run.stdout).at(-1)!;
    expect(last['testAccuracy']).toBeGreaterThan(0.75); // 5 classes; 44% are "rain"
    const preprocessing = modelFile(output).preprocessing!;
    expect(preprocessing['classNames']).toEqual(['drizzle', 'fog', 'rain', 'snow', 'sun']);
    expect(preprocessing['columns']).toContainEqual({ name: 'date', kind: 'date' });
  });

  it('--dataset cars: regression with a linear output, the error in miles per gallon', async () => {
    const output = join(directory, 'cars.json');
    const run = await backprop(
      'train',
      '--dataset',
      'cars',
      '--epochs',
      '50',
      '--json',
      '--output',
      output,
    );
    expect(run.status).toBe(0);
    const last = epochs(run.stdout).at(-1)!;
    expect(last['trainAccuracy']).toBeUndefined();
    expect(last['testRmse']).toBeGreaterThan(1);
    expect(last['testRmse']).toBeLessThan(4.5); // predicting the mean gives about 7.8 mpg
    expect(run.stderr).toContain('dropped 14 of 406 rows with a missing value');
    const model = await loadModel(output);
    expect(String(model)).toBe('Sequential(Dense(11 => 32, relu), Dense(32 => 1, linear))');
  });
});

describe('a CSV of our own: text labels, a header and a missing value', () => {
  /** 40 rows: "big" when width + height > 10, else "small"; row 5 (spreadsheet) misses a height. */
  function write(name: string, rows: number, missingAt?: number): string {
    const lines = ['width,height,size'];
    for (let i = 0; i < rows; i++) {
      const width = (i * 7) % 11;
      const height = (i * 5) % 13;
      const shown = i + 2 === missingAt ? '' : String(height);
      lines.push(`${width},${shown},${width + height > 10 ? 'big' : 'small'}`);
    }
    const path = join(directory, name);
    writeFileSync(path, `${lines.join('\r\n')}\r\n`);
    return path;
  }

  it('stops at the missing value, naming file, row and column, unless --drop-missing', async () => {
    const input = write('sizes.csv', 40, 5);
    const output = join(directory, 'sizes.json');
    const failed = await backprop(
      'train',
      '--input',
      input,
      '--target',
      'size',
      '--output',
      output,
    );
    expect(errorLine(failed)).toBe(
      `error: ${input}, row 5 (header = row 1), column "height": missing value (""); 1 of 40 ` +
        'rows have a missing value; help: drop them with --drop-missing (dropMissing: true in the library)',
    );

    const run = await backprop(
      'train',
      ...['--input', input, '--target', 'size', '--drop-missing', '--output', output],
    );
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('dropped 1 of 40 rows with a missing value');
    expect(run.stdout).toMatch(/on 31 rows of .*sizes\.csv, testing on 8 /);

    // Library path: the saved preprocessing turns raw CSV rows into inputs as in training.
    const model = await loadModel(output);
    expect(model.preprocessing?.classNames).toEqual(['big', 'small']);
    const fresh = write('fresh.csv', 12);
    const records = [];
    for await (const { record } of readCsvRows(fresh)) records.push(record);
    const classes = predictedClasses(
      model.preprocessing!,
      model.predict(applyPreprocessing(model.preprocessing!, records)),
    );
    const truth = records.map((record) => record['size']);
    const correct = classes.filter((name, i) => name === truth[i]).length;
    expect(correct).toBeGreaterThanOrEqual(10);

    // The predict command reads the same preprocessing from the model file.
    const predicted = await backprop('predict', '--model', output, '--input', fresh);
    expect(predicted.status).toBe(0);
    for (const name of classes) expect(predicted.stdout).toContain(name);

    const holes = write('holes.csv', 6, 4);
    const refused = await backprop('predict', '--model', output, '--input', holes);
    expect(errorLine(refused)).toMatch(/row 4 \(header = row 1\), column "height": missing value/);
    const dropped = await backprop(
      'predict',
      '--model',
      output,
      '--input',
      holes,
      '--drop-missing',
    );
    expect(dropped.status).toBe(0);
  });
});

describe('backprop train checks the data options', () => {
  const cases: [string[], RegExp][] = [
    [
      ['--dataset', 'iris', '--layers', '784,128,10'],
      /^error: --layers must start with 4 \(the input features of iris\); received 784,128,10, which starts with 784$/,
    ],
    [
      ['--dataset', 'iris', '--layers', '4,8,2'],
      /^error: --layers must end with 3 \(the classes of iris\); received 4,8,2, which ends with 2$/,
    ],
    [
      ['--dataset', 'irises'],
      /^error: --dataset must be one of mnist, iris, penguins, cars, seattle-weather; received irises$/,
    ],
    [
      ['--dataset', 'iris', '--input', 'x.csv'],
      /^error: --dataset and --input cannot be used together; received --dataset iris and --input x\.csv$/,
    ],
    [
      ['--target', 'species'],
      /^error: --target applies to --input <file\.csv>; received --target species$/,
    ],
    [['--dataset', 'iris', '--limit', '10'], /^error: --limit applies to MNIST only/],
    [
      ['--drop-missing'],
      /^error: --drop-missing applies to tables \(--dataset iris, --input file\.csv\)/,
    ],
    [
      ['--dataset', 'iris', '--test-split', '1'],
      /^error: --test-split must be a fraction from 0 up to \(not including\) 1; received 1$/,
    ],
    [
      ['--dataset', 'iris', '--scale', 'zscore'],
      /^error: --scale must be one of standard, minmax, none; received zscore$/,
    ],
    [
      ['--input', 'no-such.csv', '--target', 'a'],
      /^error: cannot read CSV file no-such\.csv: no such file$/,
    ],
  ];
  it.concurrent.each(cases)('%j', async (args, message) => {
    const run = await backprop('train', ...args, '--output', join(directory, 'never.json'));
    expect(errorLine(run)).toMatch(message);
  });

  it('lists the columns when --input has no --target', async () => {
    const input = join(directory, 'plain.csv');
    writeFileSync(input, 'a,b,c\n1,2,x\n');
    const run = await backprop(
      'train',
      '--input',
      input,
      '--output',
      join(directory, 'never.json'),
    );
    expect(errorLine(run)).toBe(
      `error: loadCsv needs a target column (--target <column>); the columns of ${input} are "a", "b", "c"`,
    );
  });
});
