import { ConfigError } from '../errors.js';
import type { Sequential, SequentialOptions } from '../model/sequential.js';
import { downloadText } from './download.js';
import { fetchText } from './fetch-text.js';
import { loadFromIndexedDb, saveToIndexedDb } from './indexed-db.js';
import { loadFromLocalStorage, saveToLocalStorage } from './local-storage.js';
import { modelFromText, modelToText } from './model-text.js';

/** Where a model can be saved or loaded by URL, as TensorFlow.js names them. */
export type ModelUrlScheme = 'localstorage' | 'indexeddb' | 'downloads' | 'http' | 'https';

/** The URL schemes {@link saveModel} and {@link loadModel} accept, in messages' order. */
export const MODEL_URL_SCHEMES: readonly ModelUrlScheme[] = [
  'localstorage',
  'indexeddb',
  'downloads',
  'http',
  'https',
];

/**
 * Splits a model URL into its scheme and the rest (the name, or for http(s) the whole URL).
 * @param target - e.g. `indexeddb://xor`
 * @returns the scheme and name, or undefined when `target` starts with none of the schemes
 *   (case-insensitive), e.g. for a file path
 * @throws {ConfigError} for a known scheme with an empty name, e.g. `localstorage://`
 */
export function parseModelUrl(
  target: string,
): { scheme: ModelUrlScheme; name: string } | undefined {
  const match = /^([a-z]+):\/\/(.*)$/is.exec(target);
  const scheme = match?.[1]!.toLowerCase() as ModelUrlScheme | undefined;
  if (match === null || scheme === undefined || !MODEL_URL_SCHEMES.includes(scheme))
    return undefined;
  const name = match[2]!;
  if (name === '') {
    throw new ConfigError(`${target}: expected a model name after ${scheme}://, found none`);
  }
  return { scheme, name };
}

/**
 * Saves a model in the browser by URL, as TensorFlow.js's `model.save(url)` does; the model
 * itself knows no storage. The stored text is the model file's ({@link modelToText}), so the
 * round trip is bit-exact and a download loads in Node with `loadModel(path)`.
 * - `localstorage://name`: the page's localStorage, key `backprop-models/name` (about 5 MB).
 * - `indexeddb://name`: IndexedDB database `backprop-models`, store `models` (pages, workers).
 * - `downloads://name`: a download of `name.json` (`.json` is added unless given).
 * @param model - the model to save
 * @param url - one of the URLs above
 * @param options.metadata - free-form, JSON-serialisable notes stored under `metadata`
 * @throws {ConfigError} (rejects) for a URL with another scheme (a file path needs Node's
 *   entry), `http(s)://` (read-only here), or storage this runtime lacks
 * @throws {ModelFileError} (rejects) when the browser refuses the write (names the URL)
 * @example
 * await saveModel(model, 'indexeddb://xor');
 * const same = await loadModel('indexeddb://xor');
 */
export async function saveModel(
  model: Sequential,
  url: string,
  options: { metadata?: Record<string, unknown> } = {},
): Promise<void> {
  const { metadata } = options;
  const { scheme, name } = requireUrl(url, 'saveModel');
  const text = modelToText(model, metadata);
  if (scheme === 'localstorage') saveToLocalStorage(name, text);
  else if (scheme === 'indexeddb') await saveToIndexedDb(name, text);
  else if (scheme === 'downloads')
    downloadText(name.endsWith('.json') ? name : `${name}.json`, text);
  else {
    throw new ConfigError(
      `saveModel cannot write ${url}: http(s) URLs are read-only here; expected ` +
        'localstorage://, indexeddb:// or downloads://',
    );
  }
}

/**
 * Loads a model saved by {@link saveModel} (`localstorage://name`, `indexeddb://name`), or a
 * model file at an `http://` or `https://` URL (fetched); it predicts bit-identically to the
 * saved model. A `downloads://` file is read back with a file input and {@link modelFromText}.
 * @param url - one of the URLs above
 * @param options.backend - the kernels the model computes with; default {@link defaultBackend}
 * @returns the model, with the file's dtype, seed, class names and preprocessing
 * @throws {ConfigError} (rejects) for another scheme (a file path needs Node's entry),
 *   `downloads://`, or storage this runtime lacks
 * @throws {ModelFileError} (rejects) when nothing is stored under the name, the request fails or
 *   answers another status than 2xx, or the text is not a valid model file (names the URL and
 *   the field)
 */
export async function loadModel(
  url: string,
  options: Pick<SequentialOptions, 'backend'> = {},
): Promise<Sequential> {
  const { scheme, name } = requireUrl(url, 'loadModel');
  let text: string;
  if (scheme === 'localstorage') text = loadFromLocalStorage(name);
  else if (scheme === 'indexeddb') text = await loadFromIndexedDb(name);
  else if (scheme === 'downloads') {
    throw new ConfigError(
      `loadModel cannot read ${url}: downloads:// is write-only; read the file with a file ` +
        'input and pass its text to modelFromText',
    );
  } else text = await fetchText(url);
  return modelFromText(text, url, options);
}

/** @throws {ConfigError} when `url` has none of the schemes. */
function requireUrl(url: string, method: string): { scheme: ModelUrlScheme; name: string } {
  if (typeof url !== 'string') {
    throw new ConfigError(`${method} expects a URL string; received ${typeof url}`);
  }
  const parsed = parseModelUrl(url);
  if (parsed === undefined) {
    throw new ConfigError(
      `${method}: expected a URL starting with ${MODEL_URL_SCHEMES.map((s) => `${s}://`).join(', ')}; ` +
        `received ${JSON.stringify(url)} (a file path needs Node: import @backpropjs/core there)`,
    );
  }
  return parsed;
}
