import { ConfigError, ModelFileError } from '../errors.js';
import { messageOf } from './one-line.js';

/** The prefix of the localStorage keys of saved models: `backprop-models/<name>`. */
export const LOCAL_STORAGE_PREFIX = 'backprop-models/';

/**
 * Stores a model file's text in the page's localStorage under `backprop-models/<name>`,
 * replacing what was there (localStorage holds about 5 MB per origin, as UTF-16).
 * @param name - the name of `localstorage://<name>`
 * @param text - the model file's text
 * @throws {ConfigError} where there is no localStorage (Node, a Web Worker)
 * @throws {ModelFileError} when the browser refuses the write (quota exceeded, storage
 *   disabled); names the URL and the browser's reason
 */
export function saveToLocalStorage(name: string, text: string): void {
  const storage = localStorageOf(name);
  try {
    storage.setItem(LOCAL_STORAGE_PREFIX + name, text);
  } catch (error) {
    throw new ModelFileError(
      `cannot save localstorage://${name} (${text.length} characters): ${messageOf(error)}`,
      { cause: error },
    );
  }
}

/**
 * Reads the model file's text stored by {@link saveToLocalStorage}.
 * @param name - the name of `localstorage://<name>`
 * @returns the text
 * @throws {ConfigError} where there is no localStorage
 * @throws {ModelFileError} when no model is stored under the name
 */
export function loadFromLocalStorage(name: string): string {
  const text = localStorageOf(name).getItem(LOCAL_STORAGE_PREFIX + name);
  if (text === null) {
    throw new ModelFileError(
      `localstorage://${name}: expected a saved model under the key ` +
        `${JSON.stringify(LOCAL_STORAGE_PREFIX + name)}, found none`,
    );
  }
  return text;
}

/** @throws {ConfigError} where the runtime has no localStorage. */
function localStorageOf(name: string): Storage {
  const storage = (globalThis as { localStorage?: Storage }).localStorage;
  if (storage === undefined) {
    throw new ConfigError(
      `localstorage://${name} needs a page's localStorage, which this runtime lacks; in a ` +
        'Web Worker use indexeddb://, in Node a file path',
    );
  }
  return storage;
}
