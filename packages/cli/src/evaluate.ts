import {
  ConfigError,
  DataError,
  loadDataset,
  loadModel,
  Matrix,
  MISSING_MARKERS,
  type Sequential,
} from './api.js';
import { csvBatches, listed } from './csv-batches.js';
import { recordedSplit } from './dataset-example.js';
import { datasetTruth, modelInputs } from './model-data.js';
import { describeOutputs, lossOf, type Outputs } from './model-outputs.js';
import { formatEvaluation, Tally } from './tally.js';

/** The parsed options of `backprop evaluate`. */
export interface EvaluateCommandOptions {
  model: string;
  /** A data set by name; its test split is evaluated. */
  dataset?: string;
  /** Or a CSV file with a header row. */
  input?: string;
  /** The target column(s) of --input, comma-separated; default the model's target names. */
  target?: string;
  /** Seed of the data set's train/test split; default the model file's, else the loader's. */
  seed?: number;
  json: boolean;
  dropMissing: boolean;
  /** Read the input columns in order when the header names none of the model's columns. */
  byPosition?: boolean;
}

/**
 * The whole `backprop evaluate` command: the loss, and accuracy with a confusion matrix for a
 * classifier or the mean squared and absolute errors for regression, on a data set's test split
 * or on a CSV file (streamed).
 * @throws {ConfigError} for neither or both of --dataset and --input, or no target column.
 * @throws {ModelFileError} for a bad model file; {DataError} for bad data (names the file, row
 *   and column), a class the model does not know, or data whose features are not the model's.
 */
export async function evaluateCommand(options: EvaluateCommandOptions): Promise<void> {
  if ((options.dataset === undefined) === (options.input === undefined)) {
    throw new ConfigError(
      'give --dataset <name> or --input <file.csv> (one of them), e.g. ' +
        'backprop evaluate --model model.json --dataset mnist',
    );
  }
  const model = await loadModel(options.model);
  const outputs = describeOutputs(model);
  const tally = new Tally(model, outputs, lossOf(model, outputs));
  let data: string;
  let dropped = 0;
  if (options.dataset !== undefined) {
    // The split the model was trained on (its file records it), so that the test rows are
    // rows it never saw; --seed overrides the seed.
    const split = recordedSplit(model, options.dataset);
    if (options.seed !== undefined) split.seed = options.seed;
    const dataset = await loadDataset(options.dataset, { ...split, dtype: model.dtype });
    const test = dataset.test;
    if (test.x.rows === 0) throw new DataError(`${options.dataset}: the test split has no rows`);
    tally.add(modelInputs(model, dataset, test.x), datasetTruth(dataset, test, outputs));
    data = `${dataset.source}, test split`;
  } else {
    const targets = targetColumns(model, options.target);
    if (outputs.kind === 'classes' && targets.length !== 1) {
      throw new ConfigError(
        `--target must name one column for a classifier; received ${listed(targets)}`,
      );
    }
    const path = options.input!;
    for await (const batch of csvBatches(model, path, {
      targets,
      dropMissing: options.dropMissing,
      byPosition: options.byPosition ?? false,
    })) {
      dropped += batch.dropped;
      const truth = csvTruth(
        batch.targets,
        batch.rows,
        targets,
        outputs,
        path,
        options.dropMissing,
      );
      dropped += truth.dropped;
      if (truth.keep.length === 0) continue;
      const x = truth.dropped > 0 ? pickRows(batch.x, truth.keep) : batch.x;
      tally.add(x, truth.values);
    }
    data = path;
  }
  const record = tally.record(data, dropped);
  if (record.rows === 0) throw new DataError(`${data}: no rows to evaluate`);
  process.stdout.write(options.json ? `${JSON.stringify(record)}\n` : formatEvaluation(record));
}

/** The target columns: --target (comma-separated), else the model's. */
function targetColumns(model: Sequential, target: string | undefined): string[] {
  if (target !== undefined) return target.split(',').map((name) => name.trim());
  const names = model.preprocessing?.targetNames;
  if (names === undefined) {
    throw new ConfigError(
      '--target is needed: this model has no preprocessing that names its target column; ' +
        'e.g. --target label',
    );
  }
  return names;
}

const missingText = new Set(MISSING_MARKERS.map((marker) => marker.toLowerCase()));

/**
 * The truth of a batch of CSV rows from the target columns' text: class indices, or values.
 * @throws {DataError} for an unknown class, a non-number, or a missing target (unless dropped)
 */
function csvTruth(
  texts: string[][],
  rows: number[],
  targets: string[],
  outputs: Outputs,
  path: string,
  dropMissing: boolean,
): { values: Int32Array | Matrix; keep: number[]; dropped: number } {
  const keep: number[] = [];
  const found: number[][] = [];
  texts.forEach((fields, i) => {
    const where = `${path}, row ${rows[i]} (header = row 1)`;
    const parsed: number[] = [];
    for (let t = 0; t < fields.length; t++) {
      const text = fields[t]!.trim();
      const column = `column ${JSON.stringify(targets[t])}`;
      if (missingText.has(text.toLowerCase())) {
        if (dropMissing) return;
        throw new DataError(`${where}, ${column}: missing target value; help: --drop-missing`);
      }
      if (outputs.kind === 'classes') {
        const c = outputs.names.indexOf(text);
        if (c < 0) {
          throw new DataError(
            `${where}, ${column}: expected one of the model's classes ${listed(outputs.names)}, ` +
              `found ${JSON.stringify(text)}`,
          );
        }
        parsed.push(c);
      } else {
        const value = Number(text);
        if (!Number.isFinite(value)) {
          throw new DataError(
            `${where}, ${column}: expected a number, found ${JSON.stringify(text)}`,
          );
        }
        parsed.push(value);
      }
    }
    keep.push(i);
    found.push(parsed);
  });
  const dropped = texts.length - keep.length;
  if (outputs.kind === 'classes') {
    return { values: Int32Array.from(found, (row) => row[0]!), keep, dropped };
  }
  if (targets.length !== outputs.names.length) {
    throw new DataError(
      `${path}: expected ${outputs.names.length} target columns (the model's outputs), found ` +
        `${targets.length}: ${listed(targets)}`,
    );
  }
  const values = new Matrix(found.length, targets.length, 'float64');
  found.forEach((row, i) => values.data.set(row, i * targets.length));
  return { values, keep, dropped };
}

/** The given rows of a matrix, as a new matrix. */
function pickRows(x: Matrix, rows: number[]): Matrix {
  const out = new Matrix(rows.length, x.cols, x.dtype);
  rows.forEach((row, i) => out.data.set(x.row(row), i * x.cols));
  return out;
}
