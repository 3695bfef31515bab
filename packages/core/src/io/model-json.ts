import { Sequential, type SequentialOptions } from '../model/sequential.js';
import { encodeModel, type ModelJSON } from './model-format.js';
import { checkNames, decodeParameters, parseModelJSON } from './model-schema.js';

export {
  MODEL_FORMAT,
  MODEL_VERSION,
  READABLE_VERSIONS,
  type DenseJSON,
  type ModelLayerJSON,
  type ModelJSON,
} from './model-format.js';
export { parseModelJSON, type ParsedLayer, type ParsedModel } from './model-schema.js';

/**
 * Describes a model as a plain, JSON-serialisable object (version 3 of the model file); the
 * same as `model.toJSON()`, with other metadata if given. Parameters are stored exactly: base64
 * of the little-endian float32 or float64 bytes, so save → load is bit-exact.
 * @param model - any Sequential
 * @param metadata - notes stored under `metadata`; default the model's own `metadata`
 * @returns `{ format: 'backprop-model', version: 3, dtype, seed, inputs, layers, classNames?,
 *   preprocessing?, metadata }`
 * @throws never
 * @example
 * JSON.stringify(modelToJSON(model, { trainedOn: 'MNIST' }));
 */
export function modelToJSON(model: Sequential, metadata?: Record<string, unknown>): ModelJSON {
  return encodeModel(model, metadata);
}

/**
 * Rebuilds a model from {@link modelToJSON}'s output or a parsed model file (version 1, 2 or
 * 3), validated field by field; the model predicts bit-identically to the saved one. The
 * parser lives here, not on the model class, so that a page that only trains does not bundle
 * it (the model knows no file format).
 * @param json - the parsed content of a model file, or its text
 * @param options.backend - the kernels the model computes with; default {@link defaultBackend}
 * @returns a Sequential with the file's dtype, seed, layers, parameters, class names,
 *   preprocessing, training configuration and metadata
 * @throws {ModelFileError} naming the first wrong field and what was expected and found, e.g.
 *   `layers[1].weights: expected 1280 float32 values (5120 bytes), found 5116 bytes`.
 * @example
 * const copy = modelFromJSON(JSON.parse(JSON.stringify(model)));
 */
export function modelFromJSON(
  json: unknown,
  options: Pick<SequentialOptions, 'backend'> = {},
): Sequential {
  const parsed = parseModelJSON(json);
  const model = new Sequential(
    parsed.layers.map(({ layer }) => layer),
    {
      dtype: parsed.dtype,
      seed: parsed.seed,
      backend: options.backend,
      inputs: parsed.inputs,
      metadata: parsed.metadata,
    },
  );
  decodeParameters(parsed.layers, parsed.dtype);
  checkNames(parsed, model.inputs, model.outputs);
  model.classNames = parsed.classNames;
  model.preprocessing = parsed.preprocessing;
  model.trainingConfig = parsed.training;
  return model;
}
