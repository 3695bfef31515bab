import { readFile } from 'node:fs/promises';
import { ModelFileError } from '../errors.js';
import type { Sequential, SequentialOptions } from '../model/sequential.js';
import { writeFileAtomic } from './atomic-write.js';
import { modelFromText, modelToText } from './model-text.js';
import * as urls from './model-url.js';
import { messageOf } from './one-line.js';

/**
 * Saves a model as a JSON model file (see {@link modelToJSON}), atomically (see
 * {@link writeFileAtomic}): readers see the old file or the new one, never half of one.
 * Creates the parent directory. A `localstorage://`, `indexeddb://` or `downloads://` URL is
 * saved as in a browser (see the browser entry's saveModel), where the runtime has that storage.
 * @param model - the model to save
 * @param path - the file to write, e.g. 'model.json', or a model URL
 * @param metadata - free-form, JSON-serialisable notes stored under `metadata`
 * @throws {ModelFileError} when the file cannot be written (names the path and the cause); the
 *   temporary file is removed and an existing file at `path` is left as it was.
 * @throws {ConfigError} for a URL whose storage this runtime lacks (Node has no localStorage)
 */
export async function saveModel(
  model: Sequential,
  path: string,
  metadata?: Record<string, unknown>,
): Promise<void> {
  if (urls.parseModelUrl(path) !== undefined) return urls.saveModel(model, path, metadata);
  const text = modelToText(model, metadata);
  try {
    await writeFileAtomic(path, text);
  } catch (error) {
    throw new ModelFileError(`cannot write the model file ${path}: ${messageOf(error)}`, {
      cause: error,
    });
  }
}

/**
 * Loads a model saved by {@link saveModel}; it predicts bit-identically to the saved model. An
 * `http://` or `https://` URL is fetched; `localstorage://` and `indexeddb://` URLs are read as
 * in a browser, where the runtime has that storage.
 * @param path - a model file, or a model URL
 * @param options.backend - the kernels the model computes with; default the TypeScript backend
 * @returns the model, built with the file's dtype and seed
 * @throws {ModelFileError} when the file cannot be read, is not JSON, or has a wrong field
 *   (names the file and the field, e.g. `model.json: version: expected 1 or 2, found 3`).
 * @throws {ConfigError} for a URL whose storage this runtime lacks
 */
export async function loadModel(
  path: string,
  options: Pick<SequentialOptions, 'backend'> = {},
): Promise<Sequential> {
  if (urls.parseModelUrl(path) !== undefined) return urls.loadModel(path, options);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new ModelFileError(`cannot read the model file ${path}: ${messageOf(error)}`, {
      cause: error,
    });
  }
  return modelFromText(text, path, options);
}
