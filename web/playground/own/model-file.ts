import {
  DataError,
  explain,
  explanationToText,
  modelFromText,
  preprocessRows,
  type Sequential,
} from '../../../packages/core/src/browser.js';
import type { StepThroughSource } from '../step-source.js';
import type { CsvText } from './csv-text.js';

/** Examples read from a CSV: at most this many rows. */
const MAX_EXAMPLES = 1000;

/**
 * Reads a model file (JSON, as `backprop train` or the digits page's MNIST model writes it).
 * @throws {ModelFileError} naming the file and the field that is wrong
 */
export function loadModelText(text: string, source: string): Sequential {
  return modelFromText(text, source);
}

/**
 * The examples a loaded model can be stepped through on. With a CSV loaded and a model that
 * keeps its preprocessing (a `backprop train` model of a CSV), the CSV's rows preprocessed as at
 * training (rows with a missing value left out), their targets one-hot (classification) or
 * scaled (regression); a row whose target is missing or unknown gets the model's own prediction
 * (one-hot). Otherwise one example: a blank input (zeros, e.g. an empty MNIST image) with the
 * model's prediction as its target.
 * @throws {DataError} when the CSV lacks a column of the model (names them and the header), when
 *   its values do not fit the model's columns (names row and column), or when every row has a
 *   missing input value
 */
export function modelExamples(model: Sequential, csv: CsvText | undefined): StepThroughSource[] {
  const preprocessing = model.preprocessing;
  if (csv === undefined || preprocessing === undefined) {
    const x = new Array<number>(model.inputs).fill(0);
    return [{ model, x, y: predicted(model, x), label: 'a blank input (every x = 0)' }];
  }
  const absent = preprocessing.columns.filter(({ name }) => !csv.header.includes(name));
  if (absent.length > 0) {
    throw new DataError(
      `${csv.source}: expected the model's columns ${absent.map(({ name }) => JSON.stringify(name)).join(', ')} ` +
        `in the header; found ${csv.header.map((name) => JSON.stringify(name)).join(', ')}`,
    );
  }
  const records = csv.records.slice(0, MAX_EXAMPLES);
  const { x, kept } = preprocessRows(preprocessing, records, {
    source: csv.source,
    dtype: model.dtype,
    dropMissing: true,
    rows: records.map((_, i) => i + 2),
  });
  if (kept.length === 0) {
    throw new DataError(
      `${csv.source}: expected a row with every input value, found a missing value in each of ` +
        `rows 2 to ${records.length + 1}`,
    );
  }
  return Array.from(kept, (row, i) => {
    const input = Array.from(x.row(i));
    const record = records[row]!;
    const [target] = preprocessing.targetNames;
    const value = target === undefined ? undefined : record[target];
    let y: number[] | undefined;
    if (preprocessing.task === 'classification' && value !== undefined) {
      const k = preprocessing.classNames?.indexOf(value.trim()) ?? -1;
      if (k >= 0) y = Array.from({ length: model.outputs }, (_, j) => (j === k ? 1 : 0));
    } else if (
      preprocessing.targetScaling &&
      value !== undefined &&
      Number.isFinite(Number(value))
    ) {
      const { offset, scale } = preprocessing.targetScaling;
      y = [(Number(value) - offset[0]!) / scale[0]!];
    }
    return {
      model,
      x: input,
      y: y ?? predicted(model, input),
      label: `${csv.source}, row ${row + 2}${y === undefined ? ' (target: the prediction)' : ''}`,
    };
  });
}

/** The model's prediction as a target: one-hot of the most probable class, or the output itself. */
function predicted(model: Sequential, x: readonly number[]): number[] {
  const output = Array.from(model.predict([x as number[]]).row(0));
  if (model.outputActivation !== 'softmax' && model.outputActivation !== 'sigmoid') return output;
  if (output.length === 1) return [output[0]! >= 0.5 ? 1 : 0];
  const best = output.indexOf(Math.max(...output));
  return output.map((_, j) => (j === best ? 1 : 0));
}

/**
 * The lecture's derivation for one example, as `backprop explain` prints it: forward layer by
 * layer, the loss, backpropagation and the SGD update, large matrices summarised (first rows
 * and columns, shape, norm, range and largest entries).
 * @throws {ShapeError} when the example does not fit the model
 */
export function explainExample(example: StepThroughSource): string {
  return explanationToText(explain(example.model, example.x, example.y), {
    source: example.label,
  });
}
