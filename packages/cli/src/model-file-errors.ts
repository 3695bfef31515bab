import { ModelFileError } from './api.js';

/**
 * Runs a command that reads the model file `path`, so that every ModelFileError it ends with
 * names the file (issue 15, item 11): an error from using the model's fields after loading
 * (e.g. `metadata.data.testSplit`), which knows the field but not the file, is given the path
 * in front, `model.json: metadata.data.testSplit: expected …`; one that names it already is
 * passed on unchanged.
 * @param path - the model file (`--model`), or undefined when the command reads none
 * @returns what `work` returned
 * @throws {ModelFileError} naming the file; other errors as `work` threw them
 */
export async function namingModelFile<T>(
  path: string | undefined,
  work: () => Promise<T>,
): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (!(error instanceof ModelFileError) || path === undefined) throw error;
    if (error.message.includes(path)) throw error;
    throw new ModelFileError(`${path}: ${error.message}`, { cause: error });
  }
}
