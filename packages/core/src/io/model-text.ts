import { ModelFileError } from '../errors.js';
import type { Sequential, SequentialOptions } from '../model/sequential.js';
import { modelFromJSON, modelToJSON } from './model-json.js';
import { messageOf } from './one-line.js';

/**
 * The text of a model file: {@link modelToJSON}'s object as JSON, indented by two spaces, with
 * a final newline. The same text goes to a file, to browser storage and to a download, so a
 * model saved anywhere loads from anywhere else bit-exactly.
 * @param model - the model to describe
 * @param metadata - notes stored under `metadata`; default the model's own
 * @returns the model file's text (UTF-8 when written as bytes)
 * @throws {ConfigError} for a layer a model file cannot hold (a custom activation given as
 *   functions)
 */
export function modelToText(model: Sequential, metadata?: Record<string, unknown>): string {
  return `${JSON.stringify(modelToJSON(model, metadata), null, 2)}\n`;
}

/**
 * Rebuilds a model from a model file's text, naming where the text came from in every error.
 * @param text - the model file's content
 * @param source - the path or URL it was read from, e.g. `model.json` or `indexeddb://xor`
 * @param options.backend - the kernels the model computes with; default {@link defaultBackend}
 * @returns the model, predicting bit-identically to the one saved
 * @throws {ModelFileError} for text that is not JSON or a wrong field, prefixed with the source:
 *   `indexeddb://xor: version: expected 1, 2 or 3, found 9`.
 */
export function modelFromText(
  text: string,
  source: string,
  options: Pick<SequentialOptions, 'backend'> = {},
): Sequential {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ModelFileError(
      `${source}: expected a JSON model file, found text that is not JSON (${messageOf(error)})`,
      { cause: error },
    );
  }
  try {
    return modelFromJSON(json, options);
  } catch (error) {
    if (!(error instanceof ModelFileError)) throw error;
    throw new ModelFileError(`${source}: ${error.message}`, { cause: error });
  }
}
