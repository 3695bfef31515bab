import { ConfigError, ModelFileError } from '../errors.js';
import { messageOf } from './one-line.js';

/** The IndexedDB database that holds saved models, and its object store (keys: the names). */
export const INDEXED_DB = { database: 'backprop-models', store: 'models' } as const;

/**
 * Stores a model file's text in IndexedDB (database `backprop-models`, store `models`, key
 * `<name>`), replacing what was there; resolves once the transaction has committed. Works in
 * pages and Web Workers; the quota is a share of the disk.
 * @param name - the name of `indexeddb://<name>`
 * @param text - the model file's text
 * @throws {ConfigError} (rejects) where there is no IndexedDB (Node)
 * @throws {ModelFileError} (rejects) when the database cannot be opened or the write fails
 *   (quota exceeded, private mode); names the URL and the browser's reason
 */
export async function saveToIndexedDb(name: string, text: string): Promise<void> {
  await transact(name, 'readwrite', (store) => store.put(text, name));
}

/**
 * Reads the model file's text stored by {@link saveToIndexedDb}.
 * @param name - the name of `indexeddb://<name>`
 * @returns the text
 * @throws {ConfigError} (rejects) where there is no IndexedDB
 * @throws {ModelFileError} (rejects) when no model is stored under the name, or the database
 *   cannot be read
 */
export async function loadFromIndexedDb(name: string): Promise<string> {
  const text = await transact(name, 'readonly', (store) => store.get(name));
  if (typeof text !== 'string') {
    throw new ModelFileError(
      `indexeddb://${name}: expected a saved model in the database ` +
        `${JSON.stringify(INDEXED_DB.database)}, found ${text === undefined ? 'none' : 'another value'}`,
    );
  }
  return text;
}

/** Runs one request in a transaction on the models' store; resolves to its result once committed. */
async function transact(
  name: string,
  mode: IDBTransactionMode,
  request: (store: IDBObjectStore) => IDBRequest,
): Promise<unknown> {
  const database = await open(name);
  try {
    return await new Promise<unknown>((resolve, reject) => {
      try {
        const transaction = database.transaction(INDEXED_DB.store, mode);
        const pending = request(transaction.objectStore(INDEXED_DB.store));
        transaction.oncomplete = () => resolve(pending.result);
        transaction.onerror = () => reject(failure(name, transaction.error));
        transaction.onabort = () => reject(failure(name, transaction.error));
      } catch (error) {
        reject(failure(name, error));
      }
    });
  } finally {
    database.close();
  }
}

/** Opens (creating on first use) the models' database. */
function open(name: string): Promise<IDBDatabase> {
  const factory = (globalThis as { indexedDB?: IDBFactory }).indexedDB;
  if (factory === undefined) {
    throw new ConfigError(
      `indexeddb://${name} needs IndexedDB (a page or a Web Worker), which this runtime lacks; ` +
        'in Node use a file path',
    );
  }
  return new Promise((resolve, reject) => {
    const opening = factory.open(INDEXED_DB.database, 1);
    opening.onupgradeneeded = () => opening.result.createObjectStore(INDEXED_DB.store);
    opening.onsuccess = () => resolve(opening.result);
    opening.onerror = () => reject(failure(name, opening.error));
    opening.onblocked = () =>
      reject(failure(name, new Error('another tab holds an older version of the database open')));
  });
}

function failure(name: string, cause: unknown): ModelFileError {
  return new ModelFileError(`indexeddb://${name}: ${messageOf(cause ?? 'the request failed')}`, {
    cause,
  });
}
