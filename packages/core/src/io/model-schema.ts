import type { Preprocessing } from '../data/preprocess.js';
import { parsePreprocessing } from '../data/preprocessing-schema.js';
import { ModelFileError } from '../errors.js';
import type { Layer } from '../layers/layer.js';
import { LAYER_FORMATS, LAYER_TYPES } from '../layers/registry.js';
import { DTYPES, type DType, type FloatArray } from '../tensor/matrix.js';
import { base64ToBytes, BYTES_PER_ELEMENT, bytesToFloats } from './base64.js';
import { describe } from './describe.js';
import { oneLine } from './one-line.js';
import { expectedAt, failAt, integerAt, objectAt, stringAt, type FieldPath } from './fields.js';
import { MODEL_FORMAT, READABLE_VERSIONS, type TrainingConfig } from './model-format.js';
import { classNamesProblem, preprocessingProblem } from './model-names.js';

/** One layer of a checked model file: the layer (not built) and its encoded parameters. */
export interface ParsedLayer {
  /** The layer, from its config (built later by the model, then given its parameters). */
  layer: Layer;
  /** Each parameter field of the entry, by name: base64 text, checked when decoded. */
  encoded: Record<string, unknown>;
}

/** A model file's content after the structural checks; see {@link decodeParameters}. */
export interface ParsedModel {
  dtype: DType;
  seed: number;
  /** n⁰ as stored (version 3) or undefined (earlier versions: the first Dense layer's). */
  inputs: number | undefined;
  layers: ParsedLayer[];
  classNames?: string[];
  preprocessing?: Preprocessing;
  /** How the model was last trained, when the file says. */
  training?: TrainingConfig;
  /** Where the preprocessing was read from: 'preprocessing' or 'metadata.preprocessing'. */
  preprocessingField?: string;
  metadata: Record<string, unknown>;
}

/**
 * Validates a model file (version 1, 2 or 3) field by field: format, version, dtype, seed, each
 * layer's type and config, that the layers connect, class names and preprocessing. The
 * parameters are decoded once the model is built ({@link decodeParameters}).
 * @param json - the JSON.parse'd content of a model file, or its text
 * @throws {ModelFileError} for text that is not JSON; naming the first wrong field and what
 *   was expected and found, e.g. `layers[1].inputs: expected 4 (layers[0].outputs), found 5`.
 */
export function parseModelJSON(json: unknown): ParsedModel {
  if (typeof json === 'string') {
    try {
      json = JSON.parse(json) as unknown;
    } catch (error) {
      const reason = oneLine((error as Error).message);
      throw new ModelFileError(
        `expected a JSON model file, found text that is not JSON (${reason})`,
        { cause: error },
      );
    }
  }
  const file = objectAt(json, []);
  if (file['format'] !== MODEL_FORMAT) expectedAt(['format'], `"${MODEL_FORMAT}"`, file['format']);
  const version = file['version'];
  if (!(READABLE_VERSIONS as readonly unknown[]).includes(version)) {
    expectedAt(['version'], READABLE_VERSIONS.join(', ').replace(/, (\d)$/, ' or $1'), version);
  }
  const dtype = file['dtype'] as DType;
  if (!DTYPES.includes(dtype)) expectedAt(['dtype'], '"float32" or "float64"', dtype);
  const seed = integerAt(file['seed'], ['seed'], 0);
  const inputs = version === 3 ? integerAt(file['inputs'], ['inputs'], 1) : undefined;
  const entries = file['layers'];
  if (!Array.isArray(entries) || entries.length === 0) {
    expectedAt(['layers'], 'a non-empty array', entries);
  }
  const layers = (entries as unknown[]).map((value, i) => parseLayer(value, ['layers', i]));
  checkConnections(layers, inputs);
  const metadata = file['metadata'] === undefined ? {} : objectAt(file['metadata'], ['metadata']);
  const classNames = file['classNames'];
  if (classNames !== undefined) {
    if (!Array.isArray(classNames)) expectedAt(['classNames'], 'an array of strings', classNames);
    (classNames as unknown[]).forEach((name, i) => stringAt(name, ['classNames', i]));
  }
  const parsed: ParsedModel = { dtype, seed, inputs, layers, metadata };
  if (file['training'] !== undefined) parsed.training = parseTraining(file['training']);
  if (classNames !== undefined) parsed.classNames = classNames as string[];
  // Older writers kept the preprocessing under metadata; it is read from there too.
  const field = file['preprocessing'] !== undefined ? 'preprocessing' : 'metadata.preprocessing';
  const raw = file['preprocessing'] ?? metadata['preprocessing'];
  if (raw !== undefined) {
    parsed.preprocessing = parsePreprocessing(raw, field);
    parsed.preprocessingField = field;
  }
  return parsed;
}

/** The `training` field: a loss (name or config), an optimizer, metric names. */
function parseTraining(value: unknown): TrainingConfig {
  const training = objectAt(value, ['training']);
  const loss = training['loss'];
  if (typeof loss !== 'string') objectAt(loss, ['training', 'loss']);
  const optimizer = objectAt(training['optimizer'], ['training', 'optimizer']);
  stringAt(optimizer['className'], ['training', 'optimizer', 'className']);
  objectAt(optimizer['config'], ['training', 'optimizer', 'config']);
  const metrics = training['metrics'];
  if (!Array.isArray(metrics)) expectedAt(['training', 'metrics'], 'an array of strings', metrics);
  (metrics as unknown[]).forEach((name, i) => stringAt(name, ['training', 'metrics', i]));
  return training as unknown as TrainingConfig;
}

/** One layer entry: its type, then its config through the type's format. */
function parseLayer(value: unknown, path: FieldPath): ParsedLayer {
  const entry = objectAt(value, path);
  const type = entry['type'];
  if (typeof type !== 'string' || !Object.hasOwn(LAYER_FORMATS, type)) {
    const list = LAYER_TYPES.map((name) => `"${name}"`).join(', ');
    return failAt([...path, 'type'], `expected one of ${list}, found ${describe(type)}`);
  }
  return { layer: LAYER_FORMATS[type]!.read(entry, path), encoded: entry };
}

/** Each Dense layer's inputs must equal the width before it (other layers keep the width). */
function checkConnections(layers: readonly ParsedLayer[], inputs: number | undefined): void {
  let width = inputs;
  let from = 'inputs';
  layers.forEach(({ layer }, i) => {
    const expected = layer.expectedInputs;
    if (expected !== undefined) {
      if (width !== undefined && expected !== width) {
        failAt(['layers', i, 'inputs'], `expected ${width} (${from}), found ${expected}`);
      }
      width = layer.outputs;
      from = `layers[${i}].outputs`;
    }
  });
  if (width === undefined) failAt(['inputs'], 'expected the input width, found nothing');
}

/**
 * Decodes each parameter of a built model's layers from the file, checking its byte count
 * against the built shape and that every value is finite, and copies it in.
 * @param layers - the parsed layers, now built (in a model)
 * @throws {ModelFileError} e.g. `layers[1].weights: expected 12 float32 values (48 bytes),
 *   found 42 bytes`, or `layers[0].bias: expected finite values, found NaN at index 2`.
 */
export function decodeParameters(layers: readonly ParsedLayer[], dtype: DType): void {
  layers.forEach(({ layer, encoded }, i) => {
    for (const { name, value } of layer.parameters()) {
      const path = ['layers', i, name];
      const text = stringAt(encoded[name], path, 'a base64 string');
      const bytes = base64ToBytes(text);
      if (bytes === undefined) {
        failAt(path, 'expected base64 text (A-Z a-z 0-9 + / =), found other text');
      }
      const count = value.rows * value.cols;
      const expected = count * BYTES_PER_ELEMENT[dtype];
      if (bytes.length !== expected) {
        failAt(
          path,
          `expected ${count} ${dtype} values (${expected} bytes), found ${bytes.length} bytes`,
        );
      }
      const floats: FloatArray = bytesToFloats(bytes, dtype);
      const bad = floats.findIndex((v) => !Number.isFinite(v));
      if (bad >= 0) failAt(path, `expected finite values, found ${floats[bad]} at index ${bad}`);
      value.data.set(floats);
    }
  });
}

/**
 * Checks what spans a built model: class names against the outputs, the preprocessing against
 * the widths, and class names against the preprocessing's.
 * @throws {ModelFileError} at the first problem
 */
export function checkNames(parsed: ParsedModel, inputs: number, outputs: number): void {
  const problem = classNamesProblem(parsed.classNames, outputs);
  if (problem !== undefined) failAt(['classNames'], problem);
  const { preprocessing } = parsed;
  if (preprocessing === undefined) return;
  const field = parsed.preprocessingField ?? 'preprocessing';
  const wrong = preprocessingProblem(preprocessing, inputs, outputs);
  if (wrong !== undefined) throw new ModelFileError(`${field}.${wrong}`);
  const names = preprocessing.classNames;
  if (
    parsed.classNames !== undefined &&
    names !== undefined &&
    !sameNames(parsed.classNames, names)
  ) {
    failAt(['classNames'], `expected the names of ${field}.classNames, found others`);
  }
}

function sameNames(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((name, i) => name === b[i]);
}
