import { ModelFileError } from '../errors.js';
import type { Sequential, SequentialOptions } from '../model/sequential.js';
import { writeFileAtomic } from './atomic-write.js';
import { modelFromText, modelToText } from './model-text.js';
import * as urls from './model-url.js';
import { messageOf } from './one-line.js';
import {
  encodeModelAs,
  readModelAs,
  writeEncoded,
  type LoadFormat,
  type SaveFormat,
} from './model-formats.js';

/** Options of {@link saveModel}. */
export interface SaveModelOptions {
  /** 'json' (default, our model file), 'tfjs' (a directory: model.json + weights.bin) or 'safetensors'. */
  format?: SaveFormat;
  /** Free-form, JSON-serialisable notes stored under `metadata` (JSON format). */
  metadata?: Record<string, unknown>;
}

/**
 * Saves a model, atomically (see {@link writeFileAtomic}): readers see the old file or the new
 * one, never half of one. Creates the parent directory. `format` chooses: 'json' (default) our
 * model file (see {@link modelToJSON}); 'tfjs' a TensorFlow.js layers model directory (model.json
 * and weights.bin, written as a set) that `tf.loadLayersModel` reads; 'safetensors' one file with
 * PyTorch nn.Sequential tensor names (see io/safetensors-model.ts).
 * @param model - the model to save
 * @param path - the file (or, for tfjs, directory) to write, e.g. 'model.json'
 *   A `localstorage://`, `indexeddb://` or `downloads://` URL is saved as in a browser (the JSON
 *   format; see the browser entry's saveModel), where the runtime has that storage.
 * @param options.metadata - free-form, JSON-serialisable notes stored under `metadata`
 * @throws {ModelFileError} when the file cannot be written (names the path and the cause); the
 *   temporary file is removed and an existing file at `path` is left as it was.
 * @throws {ConfigError} for a layer or activation the format cannot hold (names the layer), or
 *   a URL whose storage this runtime lacks (Node has no localStorage)
 */
export async function saveModel(
  model: Sequential,
  path: string,
  options: SaveModelOptions = {},
): Promise<void> {
  const { format = 'json', metadata } = options;
  if (urls.parseModelUrl(path) !== undefined && format === 'json') {
    return urls.saveModel(model, path, { metadata });
  }
  const encoded = format === 'json' ? undefined : encodeModelAs(model, format);
  try {
    if (encoded !== undefined) await writeEncoded(path, encoded);
    else await writeFileAtomic(path, modelToText(model, metadata));
  } catch (error) {
    throw new ModelFileError(`cannot write the model file ${path}: ${messageOf(error)}`, {
      cause: error,
    });
  }
}

/**
 * Loads a model saved by {@link saveModel} (it predicts bit-identically to the saved model), or
 * a tfjs layers model (a directory or its model.json), a safetensors file, a brain.js
 * `toJSON()` file or an ONNX file (.onnx): the format is detected from the content (see
 * io/model-formats.ts) unless `options.format` forces it.
 *   An `http://` or `https://` URL is fetched; `localstorage://` and `indexeddb://` URLs are read
 *   as in a browser, where the runtime has that storage.
 * @param path - a model file, a tfjs model directory, or a model URL
 * @param options.backend - the kernels the model computes with; default the TypeScript backend
 * @param options.format - the format to read, instead of detecting it
 * @returns the model, built with the file's dtype and seed
 * @throws {ModelFileError} when the file cannot be read, is not JSON, or has a wrong field
 *   (names the file and the field, e.g. `model.json: version: expected 1 or 2, found 3`).
 * @throws {ConfigError} for a URL whose storage this runtime lacks
 */
export async function loadModel(
  path: string,
  options: Pick<SequentialOptions, 'backend'> & { format?: LoadFormat } = {},
): Promise<Sequential> {
  if (urls.parseModelUrl(path) !== undefined) return urls.loadModel(path, options);
  const { model, text } = await readModelAs(path, options.format, { backend: options.backend });
  if (model !== undefined) return model;
  return modelFromText(text!, path, options);
}
