import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyPreprocessing } from '../../core/src/data/preprocess.js';
import { DataError, ModelFileError } from '../../core/src/errors.js';
import { Dense } from '../../core/src/layers/dense.js';
import { Sequential } from '../../core/src/model/sequential.js';
import { inProcess } from './in-process.js';
import { csv, flowerModel, saved } from './model-files.js';

// Issue 15, items 8 and 11: reading by position needs --by-position; model-file errors name
// the file.

let directory: string;
let flowers: string;
beforeAll(async () => {
  directory = mkdtempSync(join(tmpdir(), 'backprop-columns-'));
  flowers = await saved(flowerModel(), directory, 'flowers.json');
});
afterAll(() => {
  rmSync(directory, { recursive: true, force: true });
});

const ROWS = [
  [5.1, 3.5, 1.4, 0.2],
  [6.3, 3.3, 6.0, 2.5],
];

describe('backprop predict, a header that names none of the model’s columns', () => {
  it('is an error naming both headers, with a hint', async () => {
    const input = csv(directory, 'unnamed.csv', ['w,x,y,z', ...ROWS.map((r) => r.join(','))]);
    const run = await inProcess('predict', '--model', flowers, '--input', input);
    expect(run.error).toBeInstanceOf(DataError);
    expect(run.error!.message).toBe(
      `${input}: expected the model's input columns "sepal length", "sepal width", ` +
        '"petal length", "petal width", found "w", "x", "y", "z"; help: add --by-position to ' +
        "read the columns in this order as the model's",
    );
    expect(run.stdout).toBe('');
  });

  it('is read in order with --by-position', async () => {
    const input = csv(directory, 'unnamed.csv', ['w,x,y,z', ...ROWS.map((r) => r.join(','))]);
    const run = await inProcess('predict', '--model', flowers, '--input', input, '--by-position');
    expect(run.error).toBeUndefined();
    const model = flowerModel();
    const expected = model.predict(applyPreprocessing(model.preprocessing!, ROWS)).toArray();
    const lines = run.stdout.trim().split('\n').slice(1);
    expect(lines.map((line) => line.split(',').slice(2).map(Number))).toEqual(expected);
  });

  it('is an error with a different column count, even with --by-position', async () => {
    const input = csv(directory, 'three.csv', ['w,x,y', '5.1,3.5,1.4']);
    const run = await inProcess('predict', '--model', flowers, '--input', input, '--by-position');
    expect(run.error).toBeInstanceOf(DataError);
    expect(run.error!.message).toBe(
      `${input}: the header names none of the model's 4 input columns "sepal length", ` +
        '"sepal width", "petal length", "petal width", and its 3 columns "w", "x", "y" cannot ' +
        'stand for them by position either',
    );
  });
});

describe('errors from a model file’s fields name the file', () => {
  const bad: [Record<string, unknown>, string][] = [
    [
      { name: 'iris', testSplit: 7 },
      'metadata.data.testSplit: expected a fraction from 0 up to (not including) 1, found 7',
    ],
    [
      { name: 'iris', splitSeed: 'x' },
      'metadata.data.splitSeed: expected an integer from 0 to 4294967295, found "x"',
    ],
  ];
  for (const [data, field] of bad) {
    it(`evaluate --dataset iris: ${field}`, async () => {
      const model = new Sequential([new Dense(4, 3, { activation: 'softmax' })], {
        metadata: { data },
      });
      const path = await saved(model, directory, 'bad-data.json');
      const run = await inProcess('evaluate', '--model', path, '--dataset', 'iris');
      expect(run.error).toBeInstanceOf(ModelFileError);
      expect(run.error!.message).toBe(`${path}: ${field}`);
    });
  }
});
