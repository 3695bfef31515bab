import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

/**
 * Writes a file atomically: the data goes to a temporary file beside `path`
 * (`${path}.<pid>.<12 hex digits>.tmp`, in the same directory so that the rename is atomic), is
 * flushed to disk (fsync), then renamed over `path`, so a reader sees the old file or the new
 * one, never part of one. Creates the parent directory. Text is written as UTF-8.
 * @param path - the file to write, e.g. 'model.json'
 * @param data - the file's content: text, or bytes
 * @throws the file system's error, after removing the temporary file; an existing file at
 *   `path` is left as it was.
 * @example
 * await writeFileAtomic('out/loss.svg', svg);
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  const temporary = `${path}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    await mkdir(dirname(path), { recursive: true });
    await writeFile(temporary, data, { encoding: 'utf8', flush: true });
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true }).catch(() => undefined);
    throw error;
  }
}
