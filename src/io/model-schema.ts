import * as z from 'zod';
import { ACTIVATION_NAMES, type ActivationName } from '../activations.js';
import type { Preprocessing } from '../data/preprocess.js';
import { parsePreprocessing } from '../data/preprocessing-schema.js';
import { ModelFileError } from '../errors.js';
import { DTYPES, type DType, type FloatArray } from '../tensor/matrix.js';
import { base64ToBytes, BYTES_PER_ELEMENT, bytesToFloats } from './base64.js';
import { defaultMessage, describe, expecting, fieldOf } from './describe.js';
import { MODEL_FORMAT, READABLE_VERSIONS } from './model-format.js';

const positive = z.int(expecting('a positive integer')).min(1, expecting('a positive integer'));

const denseSchema = z.object({
  type: z.literal('Dense'),
  inputs: positive,
  outputs: positive,
  activation: z.enum(ACTIVATION_NAMES as [ActivationName, ...ActivationName[]], {
    error: (issue) =>
      `expected one of ${ACTIVATION_NAMES.join(', ')}, found ${JSON.stringify(issue.input)}`,
  }),
  weights: z.string(expecting('a base64 string')),
  bias: z.string(expecting('a base64 string')),
});

const dropoutSchema = z.object({
  type: z.literal('Dropout'),
  rate: z
    .number(expecting('a number in [0, 1)'))
    .min(0, expecting('a number in [0, 1)'))
    .lt(1, expecting('a number in [0, 1)')),
});

const layerSchema = z.discriminatedUnion('type', [denseSchema, dropoutSchema], {
  error: (issue) =>
    issue.code === 'invalid_union'
      ? `expected "Dense" or "Dropout", found ${describe((issue.input as { type?: unknown }).type)}`
      : `expected an object, found ${describe(issue.input)}`,
});

/** The structure of a model file, checked field by field before any weight is decoded. */
const fileSchema = z.object(
  {
    format: z.literal(MODEL_FORMAT),
    version: z.literal(READABLE_VERSIONS),
    dtype: z.enum(DTYPES as [DType, ...DType[]]),
    seed: z.int(expecting('a non-negative integer')).min(0, expecting('a non-negative integer')),
    layers: z
      .array(layerSchema, expecting('a non-empty array'))
      .min(1, expecting('a non-empty array')),
    classNames: z
      .array(z.string(expecting('a string')), expecting('an array of strings'))
      .optional(),
    preprocessing: z.unknown().optional(),
    metadata: z.record(z.string(), z.unknown(), expecting('an object')).optional(),
  },
  expecting('an object'),
);

type FileShape = z.infer<typeof fileSchema>;

/** One checked Dense layer with its decoded parameters. */
export interface ParsedDense {
  type: 'Dense';
  inputs: number;
  outputs: number;
  activation: ActivationName;
  /** Wˡ's row-major values, outputs·inputs of them. */
  weights: FloatArray;
  /** bˡ's values, outputs of them. */
  bias: FloatArray;
}

/** A model file's content after every check, with the parameters decoded. */
export interface ParsedModel {
  dtype: DType;
  seed: number;
  /** Dense layers, each possibly preceded by a Dropout (which drops its input in training). */
  layers: (ParsedDense | { type: 'Dropout'; rate: number })[];
  classNames?: string[];
  preprocessing?: Preprocessing;
  metadata: Record<string, unknown>;
}

/**
 * Validates a parsed model file (version 1 or 2) and decodes its parameters.
 * @param json - the JSON.parse'd content of a model file, or its text
 * @returns the checked content, with `Float32Array`/`Float64Array` parameters
 * @throws {ModelFileError} for text that is not JSON; naming the first wrong field and what
 *   was expected and found, e.g.
 *   `layers[1].weights: expected 1280 float32 values (5120 bytes), found 5116 bytes`.
 */
export function parseModelJSON(json: unknown): ParsedModel {
  if (typeof json === 'string') {
    try {
      json = JSON.parse(json) as unknown;
    } catch (error) {
      throw new ModelFileError(
        `expected a JSON model file, found text that is not JSON (${(error as Error).message})`,
        { cause: error },
      );
    }
  }
  const result = fileSchema.safeParse(json, { error: defaultMessage });
  if (!result.success) {
    const issue = result.error.issues[0]!;
    throw new ModelFileError(`${fieldOf(issue.path, 'the model file')}: ${issue.message}`);
  }
  return decode(result.data);
}

/**
 * Checks what spans fields (layer connections, byte counts, names against outputs) and decodes.
 * @throws {ModelFileError} at the first problem
 */
function decode(file: FileShape): ParsedModel {
  const fail = (path: PropertyKey[], message: string): never => {
    throw new ModelFileError(`${fieldOf(path, 'the model file')}: ${message}`);
  };
  const dtype = file.dtype;
  let previous: { outputs: number; index: number } | undefined;
  const layers = file.layers.map((layer, i): ParsedModel['layers'][number] => {
    if (layer.type === 'Dropout') {
      const next = file.layers[i + 1];
      if (next?.type !== 'Dense') {
        fail(
          ['layers', i + 1],
          `expected a Dense layer after the Dropout, found ${next?.type ?? 'nothing'}`,
        );
      }
      return layer;
    }
    if (previous !== undefined && layer.inputs !== previous.outputs) {
      fail(
        ['layers', i, 'inputs'],
        `expected ${previous.outputs} (layers[${previous.index}].outputs), found ${layer.inputs}`,
      );
    }
    previous = { outputs: layer.outputs, index: i };
    const floats = (field: 'weights' | 'bias', count: number): FloatArray => {
      const bytes = base64ToBytes(layer[field]);
      if (bytes === undefined) {
        return fail(
          ['layers', i, field],
          'expected base64 text (A-Z a-z 0-9 + / =), found other text',
        );
      }
      const expected = count * BYTES_PER_ELEMENT[dtype];
      if (bytes.length !== expected) {
        fail(
          ['layers', i, field],
          `expected ${count} ${dtype} values (${expected} bytes), found ${bytes.length} bytes`,
        );
      }
      return bytesToFloats(bytes, dtype);
    };
    return {
      ...layer,
      weights: floats('weights', layer.outputs * layer.inputs),
      bias: floats('bias', layer.outputs),
    };
  });
  const dense = layers.filter((layer) => layer.type === 'Dense');
  const inputs = dense[0]!.inputs;
  const outputs = dense[dense.length - 1]!.outputs;
  const metadata = file.metadata ?? {};
  const problem = classNamesProblem(file.classNames, outputs);
  if (problem !== undefined) fail(['classNames'], problem);
  // Older writers kept the preprocessing under metadata; it is read from there too.
  const field = file.preprocessing !== undefined ? 'preprocessing' : 'metadata.preprocessing';
  const raw = file.preprocessing ?? metadata['preprocessing'];
  let preprocessing: Preprocessing | undefined;
  if (raw !== undefined) {
    preprocessing = parsePreprocessing(raw, field);
    const wrong = preprocessingProblem(preprocessing, inputs, outputs);
    if (wrong !== undefined) throw new ModelFileError(`${field}.${wrong}`);
    const names = preprocessing.classNames;
    if (
      file.classNames !== undefined &&
      names !== undefined &&
      !sameNames(file.classNames, names)
    ) {
      fail(['classNames'], `expected the names of ${field}.classNames, found others`);
    }
  }
  const parsed: ParsedModel = { dtype, seed: file.seed, layers, metadata };
  if (file.classNames !== undefined) parsed.classNames = file.classNames;
  if (preprocessing !== undefined) parsed.preprocessing = preprocessing;
  return parsed;
}

function sameNames(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((name, i) => name === b[i]);
}

/**
 * Checks class names against the output width: one name per output, or two names for a single
 * sigmoid output (negative class first); names must be distinct.
 * @returns what is wrong, as `expected …, found …`, or undefined
 * @throws never
 */
export function classNamesProblem(
  classNames: readonly string[] | undefined,
  outputs: number,
): string | undefined {
  if (classNames === undefined) return undefined;
  const count = classNames.length;
  if (count !== outputs && !(outputs === 1 && count === 2)) {
    const expected = outputs === 1 ? '1 or 2 names' : `${outputs} names`;
    return `expected ${expected} (the model's outputs), found ${count}`;
  }
  const duplicate = classNames.find((name, i) => classNames.indexOf(name) !== i);
  if (duplicate !== undefined) {
    return `expected distinct names, found ${JSON.stringify(duplicate)} twice`;
  }
  return undefined;
}

/**
 * Checks a preprocessing against a model's widths: n⁰ feature names; nᴸ classes (or two for one
 * output) for classification, nᴸ targets for regression.
 * @returns what is wrong, as `<field>: expected …, found …`, or undefined
 * @throws never
 */
export function preprocessingProblem(
  preprocessing: Preprocessing,
  inputs: number,
  outputs: number,
): string | undefined {
  const features = preprocessing.featureNames.length;
  if (features !== inputs) {
    return `featureNames: expected ${inputs} names (the model's inputs), found ${features}`;
  }
  if (preprocessing.classNames !== undefined) {
    const problem = classNamesProblem(preprocessing.classNames, outputs);
    return problem === undefined ? undefined : `classNames: ${problem}`;
  }
  const targets = preprocessing.targetNames.length;
  if (targets !== outputs) {
    return `targetNames: expected ${outputs} names (the model's outputs), found ${targets}`;
  }
  return undefined;
}
