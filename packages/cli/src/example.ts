import {
  ConfigError,
  DATASET_NAMES,
  LECTURE_EXAMPLE,
  type DatasetName,
  type Sequential,
} from './api.js';
import { datasetExample, type Example } from './dataset-example.js';

/** A decimal number as people type it (as in options.ts). */
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

/** Where the example of `backprop explain` comes from, as typed. */
export interface ExampleOptions {
  input?: string;
  target?: string;
  dataset?: DatasetName;
  index?: number;
}

/**
 * The example to explain: `--input` with `--target`, row `--index` of `--dataset`'s test split
 * (see {@link datasetExample}), or (for the lecture network, `lecture` true) the lecture's
 * example, whose x or y `--input` or `--target` may replace.
 * @returns x [n⁰], y [nᴸ] and where they came from
 * @throws {ConfigError} naming the option: a malformed or wrong-length vector, a missing
 *   target, an index out of range, a data set that does not fit the model, or options that
 *   exclude each other.
 * @throws {DataError} when the model's preprocessing does not fit `--dataset`'s columns.
 */
export async function chooseExample(
  model: Sequential,
  options: ExampleOptions,
  lecture: boolean,
): Promise<Example> {
  const fromData = options.dataset !== undefined || options.index !== undefined;
  if (options.input !== undefined && fromData) {
    throw new ConfigError(
      `--input and --${options.dataset !== undefined ? 'dataset' : 'index'} both choose the ` +
        'example; give one of them',
    );
  }
  if (options.target !== undefined && options.input === undefined && (fromData || !lecture)) {
    throw new ConfigError('--target goes with --input (a data set brings its own targets)');
  }
  if (fromData) {
    const dataset = options.dataset ?? trainedOn(model) ?? 'mnist';
    return datasetExample(model, dataset, options.index ?? 0);
  }
  if (options.input === undefined) {
    if (!lecture) {
      throw new ConfigError(
        'a --model needs an example: give --input (and --target), or --dataset <name> --index i',
      );
    }
    if (options.target !== undefined) {
      const y = parseTarget(options.target, model.outputs);
      return { x: [...LECTURE_EXAMPLE.x], y, source: "the lecture's x, --target" };
    }
    return {
      x: [...LECTURE_EXAMPLE.x],
      y: [...LECTURE_EXAMPLE.y],
      source: "the lecture's example",
    };
  }
  const x = parseVector(options.input, '--input', model.inputs, "the model's inputs");
  if (options.target === undefined) {
    if (!lecture) {
      throw new ConfigError(
        `--input needs --target, the example's y (${model.outputs} values` +
          `${model.outputs > 1 ? ', or a class index' : ''})`,
      );
    }
    return { x, y: [...LECTURE_EXAMPLE.y], source: '--input' };
  }
  return { x, y: parseTarget(options.target, model.outputs), source: '--input' };
}

/**
 * Parses a vector typed as a CSV row (`0.5,-1,2`) or a JSON array (`[0.5, -1, 2]`).
 * @param length - the number of values expected; @param what - what they are, for messages
 * @throws {ConfigError} e.g. `--input must have 3 values (the model's inputs); received 2`
 */
export function parseVector(text: string, option: string, length: number, what: string): number[] {
  const values = parseNumbers(text, option);
  if (values.length !== length) {
    throw new ConfigError(
      `${option} must have ${length} values (${what}); received ${values.length}: ${text}`,
    );
  }
  return values;
}

/**
 * The named data set the model file says the model was trained on (`metadata.data.name`, as
 * `backprop train` writes it), for `--index` without `--dataset`; undefined for other data.
 * @throws never
 */
function trainedOn(model: Sequential): DatasetName | undefined {
  const data = model.metadata['data'];
  const name = typeof data === 'object' && data !== null ? (data as { name?: unknown }).name : '';
  const lower = typeof name === 'string' ? name.toLowerCase() : '';
  return (DATASET_NAMES as readonly string[]).includes(lower) ? (lower as DatasetName) : undefined;
}

/** y from `--target`: nᴸ values, or one class index (one-hot) when nᴸ > 1. */
function parseTarget(text: string, outputs: number): number[] {
  const values = parseNumbers(text, '--target');
  if (values.length === 1 && outputs > 1) {
    const index = values[0]!;
    if (!Number.isInteger(index) || index < 0 || index >= outputs) {
      throw new ConfigError(
        `--target as one number is a class index from 0 to ${outputs - 1}; received ${text}`,
      );
    }
    return Array.from({ length: outputs }, (_, j) => (j === index ? 1 : 0));
  }
  return parseVector(text, '--target', outputs, "the model's outputs");
}

function parseNumbers(text: string, option: string): number[] {
  const fail = (): never => {
    throw new ConfigError(
      `${option} must be a CSV row (0.5,-1,2) or a JSON array ([0.5, -1, 2]) of numbers; ` +
        `received ${text === '' ? '""' : text}`,
    );
  };
  const trimmed = text.trim();
  if (trimmed.startsWith('[')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(trimmed);
    } catch {
      return fail();
    }
    if (!Array.isArray(parsed) || parsed.length === 0) return fail();
    if (!parsed.every((v) => typeof v === 'number' && Number.isFinite(v))) return fail();
    return parsed as number[];
  }
  const parts = trimmed.split(',').map((part) => part.trim());
  if (!parts.every((part) => DECIMAL.test(part))) return fail();
  return parts.map(Number);
}
