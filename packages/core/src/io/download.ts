import { ConfigError } from '../errors.js';

/**
 * Offers a model file to the user as a download: an `<a download>` link to a Blob of the text,
 * clicked once and removed (the browser saves it to its downloads folder or asks where).
 * @param fileName - the file's name, e.g. `xor.json`
 * @param text - the model file's text, saved as UTF-8 JSON (`application/json`)
 * @throws {ConfigError} where there is no document (Node, a Web Worker)
 */
export function downloadText(fileName: string, text: string): void {
  const page = (globalThis as { document?: Document }).document;
  if (page === undefined) {
    throw new ConfigError(
      `downloads://${fileName} needs a page's document to offer the download, which this ` +
        'runtime lacks; in a Web Worker use indexeddb://, in Node a file path',
    );
  }
  const url = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
  const link = page.createElement('a');
  link.href = url;
  link.download = fileName;
  link.style.display = 'none';
  page.body.append(link);
  link.click();
  link.remove();
  // The download has started from the click; the URL can go once the click has been handled.
  setTimeout(() => URL.revokeObjectURL(url), 0);
}
