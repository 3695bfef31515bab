import { ConfigError } from '../errors.js';

import {
  active,
  removeStaleTemporaries,
  resolveTarget,
  syncDirectory,
  temporaryName,
} from './file-target.js';
import { node, statOrUndefined, type FileHandle } from './node-builtins.js';

// Node built-ins are loaded when a function is called (see file-target.ts), so that modules of
// the browser entry (checkpoints) can use these writers; in a page they throw a ConfigError.

/** Test-only fault injection: called before each chunk is written; a throw aborts the write. */
export interface WriteHooks {
  /** @internal `written` bytes are on disk, `size` more are about to be written. */
  beforeWrite?(written: number, size: number): void;
}

/** A file being written by {@link openFileAtomic}; nothing is at its path before commit(). */
export interface AtomicFile {
  /** Appends text (UTF-8) or bytes; waits for the disk, so memory stays bounded. */
  write(chunk: string | Uint8Array): Promise<void>;
  /** Flushes the file to disk (fsync), renames it over the target, then fsyncs the directory. */
  commit(): Promise<void>;
  /** Gives up: the temporary file is removed and the target is left as it was. */
  abort(): Promise<void>;
}

const CHUNK = 1 << 16;

/**
 * Writes a file atomically and durably: the data goes to a temporary file
 * `.<basename>.<pid>-<12 hex digits>.tmp` in the target's directory, which is flushed to disk
 * (fsync) and closed, then renamed over the target, and the directory is flushed (fsync) so that
 * the rename survives a power cut. A reader sees the old file or the new one, never part of one.
 *
 * - The parent directory is created when missing. An existing file keeps its permission bits.
 * - A symlink is written through: the temporary file goes beside the link's (final) target and
 *   is renamed over it, so the link stays a link and its target gets the new content.
 * - An existing target that is not a regular file (a device such as /dev/null, a FIFO, a socket,
 *   a directory) is refused: it is never replaced by a file.
 * - Temporary files of the same target left by a killed writer (same naming pattern, older than
 *   this write, of a process that is gone or of this one) are removed first.
 * @param path - the file to write, e.g. 'model.json'
 * @param data - the content: text (written as UTF-8) or bytes
 * @param hooks - test-only fault injection
 * @throws {ConfigError} when the target exists and is not a regular file (names the path and what
 *   it is), or outside Node.js
 * @throws the file system's error, after removing the temporary file; the target is left as it was
 * @example
 * await writeFileAtomic('out/loss.svg', svg);
 */
export async function writeFileAtomic(
  path: string,
  data: string | Uint8Array,
  hooks: WriteHooks = {},
): Promise<void> {
  const file = await openFileAtomic(path, hooks);
  try {
    await file.write(data);
    await file.commit();
  } catch (error) {
    await file.abort();
    throw error;
  }
}

/**
 * Opens a file to be written in chunks and then committed atomically, with the semantics of
 * {@link writeFileAtomic} (same temporary name, checks, symlinks, fsync before rename).
 * @param path - the file to write
 * @param hooks - test-only fault injection
 * @returns the open file; call commit() when done, or abort()
 * @throws {ConfigError} when the target exists and is not a regular file, or outside Node.js
 */
export async function openFileAtomic(path: string, hooks: WriteHooks = {}): Promise<AtomicFile> {
  const fs = node('node:fs/promises');
  const { dirname } = node('node:path');
  const started = Date.now();
  const target = await resolveTarget(path);
  const mode = (await statOrUndefined(target))?.mode;
  await fs.mkdir(dirname(target), { recursive: true });
  await removeStaleTemporaries(target, started);
  const temporary = temporaryName(target);
  active.add(temporary);
  let handle: FileHandle | undefined;
  try {
    handle = await fs.open(temporary, 'wx', mode === undefined ? 0o666 : mode & 0o7777);
    if (mode !== undefined) await handle.chmod(mode & 0o7777);
  } catch (error) {
    active.delete(temporary);
    throw error;
  }
  let written = 0;
  let done = false;
  const open = handle;
  const finish = async (commit: boolean) => {
    if (done) return;
    done = true;
    try {
      if (commit) {
        await open.sync();
        await open.close();
        await fs.rename(temporary, target);
        await syncDirectory(dirname(target));
      } else {
        await open.close().catch(() => undefined);
        await fs.rm(temporary, { force: true }).catch(() => undefined);
      }
    } catch (error) {
      await open.close().catch(() => undefined);
      await fs.rm(temporary, { force: true }).catch(() => undefined);
      throw error;
    } finally {
      active.delete(temporary);
    }
  };
  return {
    async write(chunk) {
      if (done) throw new Error(`${path}: write after commit or abort`);
      const bytes = typeof chunk === 'string' ? new TextEncoder().encode(chunk) : chunk;
      for (let start = 0; start < bytes.length; start += CHUNK) {
        const part = bytes.subarray(start, Math.min(start + CHUNK, bytes.length));
        hooks.beforeWrite?.(written, part.length);
        await open.write(part, 0, part.length);
        written += part.length;
      }
    },
    commit: () => finish(true),
    abort: () => finish(false),
  };
}

/**
 * Writes a set of files into a directory so that a failure leaves none of them: every file is
 * first written and flushed (fsync) in a temporary directory. A missing `dir` is then created
 * by one rename of the temporary directory `.<basename>.<pid>-<random>.tmp` beside it (atomic);
 * in an existing `dir` (whose other files are kept) the files are renamed into place one by one
 * only once all of them are on disk. The same checks as {@link writeFileAtomic} apply to each
 * file (no device, FIFO or directory is replaced; symlinks are written through).
 * @param dir - the directory, e.g. 'out/report'
 * @param files - file names (no separators) and their contents, text (UTF-8) or bytes
 * @param hooks - test-only fault injection, called for every file
 * @throws {ConfigError} when `dir` exists and is not a directory, a name is not a plain file
 *   name, or a file's target is not a regular file (names the path); outside Node.js
 * @throws the file system's error, after removing the temporary directory
 */
export async function writeDirectoryAtomic(
  dir: string,
  files: Readonly<Record<string, string | Uint8Array>>,
  hooks: WriteHooks = {},
): Promise<void> {
  const fs = node('node:fs/promises');
  const { dirname, join } = node('node:path');
  for (const name of Object.keys(files)) {
    if (name === '' || name === '.' || name === '..' || /[\\/]/.test(name)) {
      throw new ConfigError(
        `${dir}: expected plain file names, found ${JSON.stringify(name)} in the file set`,
      );
    }
  }
  const real = await resolveTarget(dir, 'a directory');
  const exists = (await statOrUndefined(real)) !== undefined;
  const targets = new Map<string, string>();
  if (exists) {
    for (const name of Object.keys(files)) targets.set(name, await resolveTarget(join(dir, name)));
  } else {
    await fs.mkdir(dirname(real), { recursive: true });
  }
  const temporary = exists ? temporaryName(join(real, 'files')) : temporaryName(real);
  await fs.mkdir(temporary);
  try {
    for (const [name, data] of Object.entries(files)) {
      await writeFileAtomic(join(temporary, name), data, hooks);
    }
    if (!exists) {
      await fs.rename(temporary, real);
      await syncDirectory(dirname(real));
      return;
    }
    for (const [name, target] of targets) {
      await fs.rename(join(temporary, name), target);
      await syncDirectory(dirname(target));
    }
    await fs.rm(temporary, { recursive: true, force: true });
  } catch (error) {
    await fs.rm(temporary, { recursive: true, force: true }).catch(() => undefined);
    throw error;
  }
}
