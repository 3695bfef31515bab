// `backprop explain --model`: a model file explained on an MNIST image or a table row, with the
// numbers of the library's own forward and backward pass.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BatchNormalization,
  Dense,
  Dropout,
  loadModel,
  Matrix,
  saveModel,
  Sequential,
  type LossName,
} from '../../core/src/index.js';
import { loadDataset, loadMnist } from '@backpropjs/datasets';
import { backprop, errorLine } from './backprop.js';

let directory: string;
beforeAll(() => {
  directory = mkdtempSync(join(tmpdir(), 'backprop-explain-'));
});
afterAll(() => {
  rmSync(directory, { recursive: true, force: true });
});

describe('backprop explain --model', () => {
  it('summarises a 784-128-10 model on an MNIST test image', async () => {
    const model = new Sequential(
      [new Dense(784, 128, { activation: 'relu' }), new Dense(128, 10, { activation: 'softmax' })],
      { seed: 5 },
    );
    const path = join(directory, 'mnist.json');
    await saveModel(model, path);
    const run = await backprop('explain', '--model', path, '--dataset', 'mnist', '--index', '3');
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const label = loadMnist({ limit: { train: 0, test: 4 } }).test.labels[3];
    expect(run.stdout).toContain(
      `example (mnist test image 3, label ${label}): x = a⁰ has 784 entries`,
    );
    expect(run.stdout).toContain('loss crossEntropy, learning rate η = 0.1');
    expect(run.stdout).toMatch(/W¹: 128×784, the first 5 rows and columns shown; ‖W¹‖ = /);
    expect(run.stdout).toContain('δ² = a² − y');
    expect(run.stdout.split('\n').length).toBeLessThan(400);

    const json = JSON.parse(
      (await backprop('explain', '--model', path, '--dataset', 'mnist', '--index', '3', '--json'))
        .stdout,
    );
    expect(json.layers[0].weights.shape).toEqual([128, 784]);
    expect(json.layers[1].a).toHaveLength(10);
  });

  it('explains a model with BatchNormalization and Dropout, one JSON entry per layer', async () => {
    const model = new Sequential(
      [
        new Dense(3, 4, { activation: 'tanh' }),
        new BatchNormalization(),
        new Dropout(0.5),
        new Dense(4, 2, { activation: 'softmax' }),
      ],
      { dtype: 'float64', seed: 2 },
    );
    const path = join(directory, 'normalized.json');
    await saveModel(model, path);
    const args = ['explain', '--model', path, '--input', '1,2,3', '--target', '1'];
    const json = JSON.parse((await backprop(...args, '--json', '--gradcheck')).stdout);
    expect(json.layers.map((l: { className?: string }) => l.className ?? 'Dense')).toEqual([
      'Dense',
      'BatchNormalization',
      'Dropout',
      'Dense',
    ]);
    const trace = model.forward([[1, 2, 3]]);
    expect(json.layers[1].output).toEqual(Array.from(trace.outputs[2]!.data));
    expect(json.layers[2].mask).toBeNull();
    expect(json.gradcheck.total).toBe(16 + 8 + 10);
    const training = await backprop(...args, '--training');
    expect(training.status, training.stderr).toBe(0);
    expect(training.stdout).toContain('  h⁽³⁾ = h⁽²⁾ ⊙ m⁽³⁾');
    expect(training.stdout).toContain('a training step:');
  });

  it('takes --target as a class index', async () => {
    const model = new Sequential(
      [new Dense(3, 4, { activation: 'tanh' }), new Dense(4, 3, { activation: 'softmax' })],
      { dtype: 'float64' },
    );
    const path = join(directory, 'small.json');
    await saveModel(model, path);
    const run = await backprop(
      'explain',
      '--model',
      path,
      '--input',
      '1,2,3',
      '--target',
      '2',
      '--json',
    );
    expect(run.status).toBe(0);
    expect(JSON.parse(run.stdout).y).toEqual([0, 0, 1]);
  });
});

describe('backprop explain --model --dataset with a table', () => {
  const models = new Map<string, Promise<string>>();
  /** A model trained on a named table by the CLI (once per name), for one epoch; its path. */
  function trained(name: string, ...flags: string[]): Promise<string> {
    const path = join(directory, `${name}.json`);
    if (!models.has(name)) {
      const args = ['train', '--dataset', name, '--epochs', '1', '--output', path, ...flags];
      models.set(
        name,
        backprop(...args).then((run) => {
          expect(run.status, run.stderr).toBe(0);
          return path;
        }),
      );
    }
    return models.get(name)!;
  }

  /** The explanation's numbers equal the library's forward and backward pass on x and y. */
  async function expectLibraryValues(path: string, json: ExplainJSON): Promise<void> {
    const model = await loadModel(path);
    const trace = model.forward([json.x]);
    const gradients = model.backward(trace, [json.y], json.loss.name as LossName);
    // JSON writes −0 as 0: + 0 turns the library's −0 into 0 too.
    const values = (m: Matrix) => Array.from(m.data, (value) => value + 0);
    json.layers.forEach((layer, i) => {
      expect(layer.a).toEqual(values(trace.a[i + 1]!));
      expect(layer.delta).toEqual(values(gradients.delta[i + 1]!));
    });
  }

  it('explains an iris test row, scaled as the model file says, with a one-hot target', async () => {
    const path = await trained('iris');
    const run = await backprop('explain', '--model', path, '--dataset', 'iris', '--index', '3');
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const iris = await loadDataset('iris');
    const label = iris.classNames![iris.test.labels![3]!];
    expect(run.stdout).toContain(`example (iris test row 3, species ${label}): x = a⁰`);
    expect(run.stdout).toContain('loss crossEntropy, learning rate η = 0.1');
    const json = await explainJSON(path, 'iris', 3);
    expect(json.x).toEqual(Array.from(iris.test.x.row(3)));
    expect(json.y).toEqual(Array.from(iris.test.y.row(3)));
    await expectLibraryValues(path, json);
    // --index alone takes the data set the model file says it was trained on.
    const alone = await backprop('explain', '--model', path, '--index', '3');
    expect(alone.stderr).toBe('');
    expect(alone.stdout).toBe(run.stdout);
  });

  it("uses the model's own split and scaling (--seed, --test-split, --scale minmax)", async () => {
    const flags = ['--seed', '7', '--test-split', '0.3', '--scale', 'minmax'];
    const path = await trained('penguins', ...flags);
    const penguins = await loadDataset('penguins', { seed: 7, test: 0.3, scale: 'minmax' });
    const json = await explainJSON(path, 'penguins', 10);
    expect(json.x).toEqual(Array.from(penguins.test.x.row(10)));
    expect(json.y).toEqual(Array.from(penguins.test.y.row(10)));
    await expectLibraryValues(path, json);
  });

  it('explains a regression row (cars) with its target scaled as in training', async () => {
    const path = await trained('cars');
    const run = await backprop('explain', '--model', path, '--dataset', 'cars', '--index', '2');
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/example \(cars test row 2, Miles_per_Gallon \d+(\.\d+)?\)/);
    expect(run.stdout).toContain('loss mse');
    const cars = await loadDataset('cars');
    const json = await explainJSON(path, 'cars', 2);
    expect(json.x).toEqual(Array.from(cars.test.x.row(2)));
    expect(json.y[0]).toBeCloseTo(cars.test.y.get(2, 0), 12);
    await expectLibraryValues(path, json);
  });

  it("rejects a data set whose columns are not the model's, and an index out of range", async () => {
    const path = await trained('iris');
    expect(errorLine(await backprop('explain', '--model', path, '--dataset', 'penguins'))).toMatch(
      /^error: .*penguins\.json: expected the model's features "sepal length \(cm\)"/,
    );
    expect(
      errorLine(await backprop('explain', '--model', path, '--dataset', 'iris', '--index', '30')),
    ).toBe('error: --index must be from 0 to 29 (the iris test rows); received 30');
  });
});

/** The parts of `backprop explain --json` these tests read. */
interface ExplainJSON {
  x: number[];
  y: number[];
  loss: { name: string; value: number };
  layers: { a: number[]; delta: number[] }[];
}

async function explainJSON(model: string, dataset: string, index: number): Promise<ExplainJSON> {
  const run = await backprop(
    'explain',
    '--model',
    model,
    '--dataset',
    dataset,
    '--index',
    String(index),
    '--json',
    '--full',
  );
  expect(run.status, run.stderr).toBe(0);
  return JSON.parse(run.stdout) as ExplainJSON;
}
