import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Preprocessing } from '../../core/src/data/preprocess.js';
import { Dense } from '../../core/src/layers/dense.js';
import { Sequential } from '../../core/src/model/sequential.js';
import { saveModel } from '../../core/src/io/model-file.js';

/** The flower columns of the CSV-trained classifier. */
export const FLOWER_COLUMNS = ['sepal length', 'sepal width', 'petal length', 'petal width'];

/** A 4-6-3 softmax classifier with the preprocessing a CSV loader fits (iris-like). */
export function flowerModel(): Sequential {
  const preprocessing: Preprocessing = {
    columns: FLOWER_COLUMNS.map((name) => ({ name, kind: 'number' })),
    featureNames: FLOWER_COLUMNS,
    scaling: { kind: 'standard', offset: [5.8, 3.1, 3.8, 1.2], scale: [0.8, 0.4, 1.8, 0.8] },
    task: 'classification',
    targetNames: ['species'],
    classNames: ['setosa', 'versicolor', 'virginica'],
  };
  return new Sequential(
    [new Dense(4, 6, { activation: 'tanh' }), new Dense(6, 3, { activation: 'softmax' })],
    { seed: 5, preprocessing, metadata: { training: { loss: 'crossEntropy' } } },
  );
}

/** A 3-4-2 regression model with standardised targets (mpg, hp), in target units on output. */
export function carModel(): Sequential {
  const features = ['weight', 'year', 'cylinders'];
  const preprocessing: Preprocessing = {
    columns: features.map((name) => ({ name, kind: 'number' })),
    featureNames: features,
    scaling: { kind: 'standard', offset: [2970, 76, 5.5], scale: [850, 3.7, 1.7] },
    task: 'regression',
    targetNames: ['mpg', 'hp'],
    targetScaling: { kind: 'standard', offset: [23.4, 104], scale: [7.8, 38.5] },
  };
  return new Sequential(
    [new Dense(3, 4, { activation: 'tanh' }), new Dense(4, 2, { activation: 'linear' })],
    { seed: 3, preprocessing },
  );
}

/** Saves a model to `directory/name` and returns the path. */
export async function saved(model: Sequential, directory: string, name: string): Promise<string> {
  const path = join(directory, name);
  await saveModel(model, path);
  return path;
}

/** Writes CSV text (lines joined with \n, trailing newline) and returns the path. */
export function csv(directory: string, name: string, lines: string[]): string {
  const path = join(directory, name);
  writeFileSync(path, `${lines.join('\n')}\n`);
  return path;
}
