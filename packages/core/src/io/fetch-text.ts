import { ConfigError, ModelFileError } from '../errors.js';
import { messageOf } from './one-line.js';

/**
 * Reads a model file over HTTP(S) with `fetch` (a page, a Web Worker or Node ≥ 18).
 * @param url - an `http://` or `https://` URL
 * @returns the response's text
 * @throws {ConfigError} (rejects) where there is no fetch
 * @throws {ModelFileError} (rejects) when the request fails (names the URL and the reason) or
 *   the status is not 2xx (names the status, e.g. `expected HTTP 200, found 404 Not Found`)
 */
export async function fetchText(url: string): Promise<string> {
  if (typeof fetch !== 'function') {
    throw new ConfigError(`loading ${url} needs fetch, which this runtime lacks`);
  }
  let response: Response;
  try {
    response = await fetch(url);
  } catch (error) {
    throw new ModelFileError(`cannot fetch the model file ${url}: ${messageOf(error)}`, {
      cause: error,
    });
  }
  if (!response.ok) {
    throw new ModelFileError(
      `${url}: expected HTTP 200, found ${response.status} ${response.statusText}`.trimEnd(),
    );
  }
  try {
    return await response.text();
  } catch (error) {
    throw new ModelFileError(`cannot read the model file ${url}: ${messageOf(error)}`, {
      cause: error,
    });
  }
}
