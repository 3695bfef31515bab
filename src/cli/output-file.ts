import { randomBytes } from 'node:crypto';
import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { once } from 'node:events';
import { DataError, writeFileAtomic } from '../index.js';

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
 * Opens stdout, or a file written as `${path}.<pid>.<random>.tmp` beside it and renamed over
 * `path` by commit(), so a failed run never leaves half a file. Parent directories are created.
 * @param path - the file, or undefined for stdout
 * @throws {DataError} when the file cannot be created or written (names it and the cause)
 */
export async function openOutput(path: string | undefined): Promise<Output> {
  if (path === undefined) {
    return {
      write: (text) => write(process.stdout, text),
      commit: async () => undefined,
      abort: async () => undefined,
    };
  }
  const temporary = `${path}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  const fail = (error: unknown): DataError =>
    new DataError(`cannot write ${path}: ${(error as Error).message}`, { cause: error });
  try {
    await mkdir(dirname(path), { recursive: true });
  } catch (error) {
    throw fail(error);
  }
  const stream = createWriteStream(temporary, { encoding: 'utf8', flush: true });
  let failure: unknown;
  stream.on('error', (error) => (failure = error));
  const abort = async () => {
    stream.destroy();
    await rm(temporary, { force: true }).catch(() => undefined);
  };
  return {
    write: async (text) => {
      if (failure !== undefined) throw fail(failure);
      await write(stream, text).catch((error: unknown) => {
        throw fail(error);
      });
    },
    commit: async () => {
      try {
        if (failure !== undefined) throw failure;
        stream.end();
        await once(stream, 'finish');
        await rename(temporary, path);
      } catch (error) {
        await abort();
        throw fail(error);
      }
    },
    abort,
  };
}

/** Writes and waits for 'drain' when the buffer is over its high-water mark. */
async function write(stream: WriteStream | NodeJS.WriteStream, text: string): Promise<void> {
  if (!stream.write(text)) await once(stream, 'drain');
}

/**
 * Writes bytes to a file atomically (see {@link writeFileAtomic}), creating parent directories.
 * @throws {DataError} naming the file and the cause; an existing file is left as it was
 */
export async function writeOutputFile(path: string, bytes: Uint8Array): Promise<void> {
  try {
    await writeFileAtomic(path, bytes);
  } catch (error) {
    throw new DataError(`cannot write ${path}: ${(error as Error).message}`, { cause: error });
  }
}
