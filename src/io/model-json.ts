import { ACTIVATION_NAMES, type ActivationName } from '../activations.js';
import { ModelFileError } from '../errors.js';
import { Dense } from '../layers/dense.js';
import { Sequential, type SequentialOptions } from '../model/sequential.js';
import { DTYPES, type DType, type FloatArray } from '../tensor/matrix.js';
import { base64ToBytes, BYTES_PER_ELEMENT, bytesToFloats, floatsToBase64 } from './base64.js';

/** The `format` tag of every backprop model file. */
export const MODEL_FORMAT = 'backprop-model';
/** The model file version this library writes and reads. */
export const MODEL_VERSION = 1;

/** One Dense layer in a model file; weights [outputs, inputs] and bias [1, outputs], row-major. */
export interface DenseJSON {
  type: 'Dense';
  inputs: number;
  outputs: number;
  activation: ActivationName;
  /** base64 of the little-endian bytes of Wˡ's `data` (outputs·inputs values of the dtype). */
  weights: string;
  /** base64 of the little-endian bytes of bˡ's `data` (outputs values of the dtype). */
  bias: string;
}

/** A model file's content, version 1. */
export interface ModelJSON {
  format: typeof MODEL_FORMAT;
  version: typeof MODEL_VERSION;
  dtype: DType;
  seed: number;
  layers: DenseJSON[];
  /** Free-form, JSON-serialisable notes, e.g. how the model was trained. */
  metadata: Record<string, unknown>;
}

/**
 * Describes a model as a plain, JSON-serialisable object (version 1 of the model file).
 * Parameters are stored exactly: base64 of the little-endian float32 or float64 bytes.
 * The generator's state is not stored (a loaded model starts again from its seed).
 * @param model - any Sequential of Dense layers
 * @param metadata - free-form notes stored under `metadata`; default `{}`
 * @returns `{ format: 'backprop-model', version: 1, dtype, seed, layers, metadata }`
 * @example
 * JSON.stringify(modelToJSON(model, { trainedOn: 'MNIST' }));
 */
export function modelToJSON(model: Sequential, metadata: Record<string, unknown> = {}): ModelJSON {
  return {
    format: MODEL_FORMAT,
    version: MODEL_VERSION,
    dtype: model.dtype,
    seed: model.seed,
    layers: model.layers.map((layer) => ({
      type: 'Dense',
      inputs: layer.inputs,
      outputs: layer.outputs,
      activation: layer.activation.name as ActivationName,
      weights: floatsToBase64(layer.weights.data),
      bias: floatsToBase64(layer.bias.data),
    })),
    metadata,
  };
}

/**
 * Rebuilds a model from {@link modelToJSON}'s output (or its JSON.parse'd text), with
 * bit-identical weights and biases, so it predicts exactly as the saved model did.
 * @param json - the parsed content of a model file
 * @param options.backend - the kernels the model computes with; default the TypeScript backend
 * @returns a new Sequential of the file's dtype and seed
 * @throws {ModelFileError} naming the first wrong field and what was expected and found, e.g.
 *   `layers[1].weights: expected 1280 float32 values (5120 bytes), found 5116 bytes`.
 */
export function modelFromJSON(
  json: unknown,
  options: Pick<SequentialOptions, 'backend'> = {},
): Sequential {
  const file = object(json, 'the model file');
  if (file['format'] !== MODEL_FORMAT) fail('format', `"${MODEL_FORMAT}"`, file['format']);
  if (file['version'] !== MODEL_VERSION) fail('version', String(MODEL_VERSION), file['version']);
  const dtype = file['dtype'];
  if (!DTYPES.includes(dtype as DType)) fail('dtype', DTYPES.map(quote).join(' or '), dtype);
  const seed = file['seed'];
  if (!Number.isSafeInteger(seed) || (seed as number) < 0) {
    fail('seed', 'a non-negative integer', seed);
  }
  const layers = file['layers'];
  if (!Array.isArray(layers) || layers.length === 0) fail('layers', 'a non-empty array', layers);
  if (file['metadata'] !== undefined) object(file['metadata'], 'metadata');

  const parameters: [weights: FloatArray, bias: FloatArray][] = [];
  const dense = layers.map((entry: unknown, i) => {
    const field = `layers[${i}]`;
    const layer = object(entry, field);
    if (layer['type'] !== 'Dense') fail(`${field}.type`, '"Dense"', layer['type']);
    const inputs = size(layer['inputs'], `${field}.inputs`);
    const outputs = size(layer['outputs'], `${field}.outputs`);
    const previous = layers[i - 1] as { outputs: number } | undefined;
    if (previous !== undefined && inputs !== previous.outputs) {
      fail(`${field}.inputs`, `${previous.outputs} (layers[${i - 1}].outputs)`, inputs);
    }
    const activation = layer['activation'];
    if (!ACTIVATION_NAMES.includes(activation as ActivationName)) {
      fail(`${field}.activation`, `one of ${ACTIVATION_NAMES.join(', ')}`, activation);
    }
    parameters.push([
      floats(layer['weights'], outputs * inputs, dtype as DType, `${field}.weights`),
      floats(layer['bias'], outputs, dtype as DType, `${field}.bias`),
    ]);
    return new Dense(inputs, outputs, { activation: activation as ActivationName });
  });
  const model = new Sequential(dense, {
    dtype: dtype as DType,
    seed: seed as number,
    backend: options.backend,
  });
  model.layers.forEach((layer, i) => {
    layer.weights.data.set(parameters[i]![0]);
    layer.bias.data.set(parameters[i]![1]);
  });
  return model;
}

/** Throws a ModelFileError: `field: expected …, found …`. */
function fail(field: string, expected: string, found: unknown): never {
  throw new ModelFileError(`${field}: expected ${expected}, found ${describe(found)}`);
}

/** A plain object (not null, not an array), or a ModelFileError naming the field. */
function object(value: unknown, field: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    fail(field, 'an object', value);
  }
  return value as Record<string, unknown>;
}

/** A positive integer layer size, or a ModelFileError naming the field. */
function size(value: unknown, field: string): number {
  if (!Number.isInteger(value) || (value as number) < 1) fail(field, 'a positive integer', value);
  return value as number;
}

/** Decodes `count` floats of `dtype` from base64, checking the byte length against the shape. */
function floats(value: unknown, count: number, dtype: DType, field: string) {
  if (typeof value !== 'string') fail(field, 'a base64 string', value);
  const bytes = base64ToBytes(value);
  if (bytes === undefined) {
    throw new ModelFileError(
      `${field}: expected base64 text (A-Z a-z 0-9 + / =), found other text`,
    );
  }
  const expected = count * BYTES_PER_ELEMENT[dtype];
  if (bytes.length !== expected) {
    throw new ModelFileError(
      `${field}: expected ${count} ${dtype} values (${expected} bytes), found ${bytes.length} bytes`,
    );
  }
  return bytesToFloats(bytes, dtype);
}

/** A short rendering of a found value for messages. */
function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (typeof value === 'object' && value !== null) return 'an object';
  const text = typeof value === 'string' ? quote(value) : String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function quote(text: string): string {
  return JSON.stringify(text);
}
