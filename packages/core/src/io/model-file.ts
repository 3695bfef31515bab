import { readFile } from 'node:fs/promises';
import { ModelFileError } from '../errors.js';
import { oneLine } from './one-line.js';
import type { Sequential, SequentialOptions } from '../model/sequential.js';
import { writeFileAtomic } from './atomic-write.js';
import { modelFromJSON, modelToJSON } from './model-json.js';

/**
 * Saves a model as a JSON model file (see {@link modelToJSON}), atomically (see
 * {@link writeFileAtomic}): readers see the old file or the new one, never half of one.
 * Creates the parent directory.
 * @param model - the model to save
 * @param path - the file to write, e.g. 'model.json'
 * @param metadata - free-form, JSON-serialisable notes stored under `metadata`
 * @throws {ModelFileError} when the file cannot be written (names the path and the cause); the
 *   temporary file is removed and an existing file at `path` is left as it was.
 */
export async function saveModel(
  model: Sequential,
  path: string,
  metadata?: Record<string, unknown>,
): Promise<void> {
  try {
    await writeFileAtomic(path, `${JSON.stringify(modelToJSON(model, metadata), null, 2)}\n`);
  } catch (error) {
    throw new ModelFileError(`cannot write the model file ${path}: ${messageOf(error)}`, {
      cause: error,
    });
  }
}

/**
 * Loads a model saved by {@link saveModel}; it predicts bit-identically to the saved model.
 * @param path - a model file
 * @param options.backend - the kernels the model computes with; default the TypeScript backend
 * @returns the model, built with the file's dtype and seed
 * @throws {ModelFileError} when the file cannot be read, is not JSON, or has a wrong field
 *   (names the file and the field, e.g. `model.json: version: expected 1 or 2, found 3`).
 */
export async function loadModel(
  path: string,
  options: Pick<SequentialOptions, 'backend'> = {},
): Promise<Sequential> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new ModelFileError(`cannot read the model file ${path}: ${messageOf(error)}`, {
      cause: error,
    });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ModelFileError(
      `${path}: expected a JSON model file, found text that is not JSON (${oneLine(messageOf(error))})`,
      {
        cause: error,
      },
    );
  }
  try {
    return modelFromJSON(json, options);
  } catch (error) {
    if (!(error instanceof ModelFileError)) throw error;
    throw new ModelFileError(`${path}: ${error.message}`, { cause: error });
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
