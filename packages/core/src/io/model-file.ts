import { ModelFileError } from '../errors.js';
import { oneLine } from './one-line.js';
import type { Sequential, SequentialOptions } from '../model/sequential.js';
import { writeFileAtomic } from './atomic-write.js';
import { modelFromJSON, modelToJSON } from './model-json.js';
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
 * @param options.metadata - free-form, JSON-serialisable notes stored under `metadata`
 * @throws {ModelFileError} when the file cannot be written (names the path and the cause); the
 *   temporary file is removed and an existing file at `path` is left as it was.
 * @throws {ConfigError} for a layer or activation the format cannot hold (names the layer)
 */
export async function saveModel(
  model: Sequential,
  path: string,
  options: SaveModelOptions = {},
): Promise<void> {
  const { format = 'json', metadata } = options;
  const encoded = format === 'json' ? undefined : encodeModelAs(model, format);
  try {
    if (encoded !== undefined) await writeEncoded(path, encoded);
    else await writeFileAtomic(path, `${JSON.stringify(modelToJSON(model, metadata), null, 2)}\n`);
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
 * @param path - a model file or tfjs model directory
 * @param options.backend - the kernels the model computes with; default the TypeScript backend
 * @param options.format - the format to read, instead of detecting it
 * @returns the model, built with the file's dtype and seed
 * @throws {ModelFileError} when the file cannot be read, is not JSON, or has a wrong field
 *   (names the file and the field, e.g. `model.json: version: expected 1 or 2, found 3`).
 */
export async function loadModel(
  path: string,
  options: Pick<SequentialOptions, 'backend'> & { format?: LoadFormat } = {},
): Promise<Sequential> {
  const { model, text } = await readModelAs(path, options.format, { backend: options.backend });
  if (model !== undefined) return model;
  let json: unknown;
  try {
    json = JSON.parse(text!);
  } catch (error) {
    throw new ModelFileError(
      `${path}: expected a JSON model file, found text that is not JSON (${oneLine(messageOf(error))})`,
      {
        cause: error,
      },
    );
  }
  try {
    return modelFromJSON(json, { backend: options.backend });
  } catch (error) {
    if (!(error instanceof ModelFileError)) throw error;
    throw new ModelFileError(`${path}: ${error.message}`, { cause: error });
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
