import {
  ConfigError,
  loadDataset,
  loadMnist,
  ModelFileError,
  type DatasetName,
  type Matrix,
  type Sequential,
} from './api.js';
import { datasetTruth, modelInputs, modelTargets } from './model-data.js';
import { describeOutputs } from './model-outputs.js';

/** One example: x, y, and where it came from (for the header). */
export interface Example {
  x: number[];
  y: number[];
  source: string;
}

/**
 * Row `index` of a named data set's test split, as the model takes it: MNIST's test image
 * (pixels / 255, one-hot digit), or a table's test row split as the model file records
 * (metadata.data.splitSeed and testSplit, as `backprop train` writes them; else the loader's
 * seed 1 and 20%), its inputs scaled with the model's preprocessing and its target encoded as
 * the model's outputs (one-hot in the model's class order, or scaled as the model's targets).
 * A model without preprocessing takes the row as the loader gives it.
 * @param index - 0-based row of the test split
 * @returns x [n⁰] and y [nᴸ], and a description such as `iris test row 3, species virginica`
 * @throws {ConfigError} for an index out of range, or a data set whose widths are not the
 *   model's (names both)
 * @throws {DataError} when the model's preprocessing names other features or classes than the
 *   data set has
 */
export async function datasetExample(
  model: Sequential,
  dataset: DatasetName,
  index: number,
): Promise<Example> {
  if (dataset === 'mnist') {
    const { test } = loadMnist({ dtype: 'float64', limit: { train: 0, test: index + 1 } });
    const row = checkRow(model, dataset, test, index, 'test images');
    return { ...row, source: `mnist test image ${index}, label ${test.labels[index]}` };
  }
  // float64, so that rescaling for the model's preprocessing loses nothing; explain rounds x
  // to the model's dtype as predict does.
  const data = await loadDataset(dataset, { ...recordedSplit(model, dataset), dtype: 'float64' });
  const row = checkRow(model, dataset, data.test, index, 'test rows');
  if (model.preprocessing === undefined) return { ...row, source: `${dataset} test row ${index}` };
  const outputs = describeOutputs(model);
  const x = modelInputs(model, data, data.test.x);
  const truth = datasetTruth(data, data.test, outputs);
  const answer =
    truth instanceof Int32Array
      ? outputs.names[truth[index]!]!
      : Array.from(truth.row(index), (value) => Number(value.toPrecision(6))).join(', ');
  return {
    x: Array.from(x.row(index)),
    y: Array.from(modelTargets(model, truth, outputs).row(index)),
    source: `${dataset} test row ${index}, ${data.targetNames.join(', ')} ${answer}`,
  };
}

/**
 * Row `index` of a test split as loaded, after checking that it exists and fits the model.
 * @throws {ConfigError} naming the range of rows, or both widths
 */
function checkRow(
  model: Sequential,
  dataset: DatasetName,
  test: { x: Matrix; y: Matrix },
  index: number,
  rows: string,
): { x: number[]; y: number[] } {
  if (index >= test.x.rows) {
    throw new ConfigError(
      test.x.rows === 0
        ? `--dataset ${dataset} has no ${rows}: the model was trained with --test-split 0`
        : `--index must be from 0 to ${test.x.rows - 1} (the ${dataset} ${rows}); ` +
            `received ${index}`,
    );
  }
  if (model.inputs !== test.x.cols || model.outputs !== test.y.cols) {
    throw new ConfigError(
      `--dataset ${dataset} has ${test.x.cols} inputs and ${test.y.cols} outputs, but the model ` +
        `takes ${model.inputs} and gives ${model.outputs}; give a --model trained on ${dataset}`,
    );
  }
  return { x: Array.from(test.x.row(index)), y: Array.from(test.y.row(index)) };
}

/**
 * The test fraction and seed of the split the model was trained on, when its file records them
 * (metadata.data of `backprop train`) for this data set; else nothing (the loader's defaults).
 * @throws {ModelFileError} naming the field when testSplit is not a fraction in [0, 1) or
 *   splitSeed not an integer from 0 to 2³² − 1, e.g. `metadata.data.testSplit: expected a
 *   fraction from 0 up to (not including) 1, found 7` (the CLI adds the file, see
 *   namingModelFile)
 */
export function recordedSplit(
  model: Sequential,
  dataset: string,
): { test?: number; seed?: number } {
  const data = model.metadata['data'];
  if (typeof data !== 'object' || data === null) return {};
  const { name, testSplit, splitSeed } = data as Record<string, unknown>;
  if (name !== dataset) return {};
  const fail = (field: string, expected: string, found: unknown): never => {
    throw new ModelFileError(
      `metadata.data.${field}: expected ${expected}, found ${JSON.stringify(found) ?? String(found)}`,
    );
  };
  if (
    testSplit !== undefined &&
    !(typeof testSplit === 'number' && testSplit >= 0 && testSplit < 1)
  ) {
    fail('testSplit', 'a fraction from 0 up to (not including) 1', testSplit);
  }
  if (
    splitSeed !== undefined &&
    !(
      Number.isSafeInteger(splitSeed) &&
      (splitSeed as number) >= 0 &&
      (splitSeed as number) < 2 ** 32
    )
  ) {
    fail('splitSeed', 'an integer from 0 to 4294967295', splitSeed);
  }
  return {
    ...(typeof testSplit === 'number' ? { test: testSplit } : {}),
    ...(typeof splitSeed === 'number' ? { seed: splitSeed } : {}),
  };
}
