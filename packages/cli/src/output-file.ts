import { once } from 'node:events';
import { BackpropError, DataError, openFileAtomic, writeFileAtomic } from './api.js';

/** A text sink: a file written atomically, or stdout. */
export interface Output {
  /** Writes text, waiting when the stream's buffer is full (so memory stays bounded). */
  write(text: string): Promise<void>;
  /** Finishes: a file is flushed and renamed over its path. */
  commit(): Promise<void>;
  /** Gives up: a file's temporary copy is removed, an existing file is left as it was. */
  abort(): Promise<void>;
}

/**
 * Opens stdout (for undefined), or a file written atomically by openFileAtomic: a
 * temporary file beside the target, flushed to disk (fsync) and only then renamed over the path
 * by commit(), then the directory is flushed; a failed run never leaves half a file. Parent
 * directories are created; a device, FIFO or directory at `path` is refused, a symlink is
 * written through.
 * @param path - the file, or undefined for stdout
 * @throws {ConfigError} when `path` exists and is not a regular file (names it and what it is)
 * @throws {DataError} when the file cannot be created or written (names it and the cause)
 */
export async function openOutput(path: string | undefined): Promise<Output> {
  if (path === undefined) {
    return {
      write: async (text) => {
        if (!process.stdout.write(text)) await once(process.stdout, 'drain');
      },
      commit: async () => undefined,
      abort: async () => undefined,
    };
  }
  const fail = (error: unknown): Error =>
    error instanceof BackpropError
      ? error
      : new DataError(`cannot write ${path}: ${(error as Error).message}`, { cause: error });
  const file = await openFileAtomic(path).catch((error: unknown) => {
    throw fail(error);
  });
  return {
    write: (text) =>
      file.write(text).catch((error: unknown) => {
        throw fail(error);
      }),
    commit: () =>
      file.commit().catch((error: unknown) => {
        throw fail(error);
      }),
    abort: () => file.abort(),
  };
}

/**
 * Writes bytes to a file atomically (see {@link writeFileAtomic}), creating parent directories.
 * @throws {ConfigError} when `path` exists and is not a regular file (names it and what it is)
 * @throws {DataError} naming the file and the cause; an existing file is left as it was
 */
export async function writeOutputFile(path: string, bytes: Uint8Array): Promise<void> {
  try {
    await writeFileAtomic(path, bytes);
  } catch (error) {
    if (error instanceof BackpropError) throw error;
    throw new DataError(`cannot write ${path}: ${(error as Error).message}`, { cause: error });
  }
}
