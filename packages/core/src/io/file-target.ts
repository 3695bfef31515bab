import { ConfigError } from '../errors.js';
import { node, type FileHandle, type Fs } from './node-builtins.js';

// The file-system side of atomic-write.ts: where a write goes, temporary names, stale ones.
// Node built-ins are loaded at run time (node-builtins.ts), so that importing this stays
// browser-safe.

/** Temporary files of this process that are being written (never removed as stale). */
export const active = new Set<string>();

/**
 * Removes the temporary files of `path` that an interrupted writer left behind:
 * `.<basename>.<pid>-<12 hex>.tmp` in the same directory, last modified before `before` (ms since
 * 1970), of a process that no longer runs or of this process (not being written now).
 * @returns the number of files removed
 * @throws never (files that cannot be removed are left)
 */
export async function removeStaleTemporaries(path: string, before = Date.now()): Promise<number> {
  const fs = node('node:fs/promises');
  const { basename, dirname, join } = node('node:path');
  const escaped = basename(path).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const pattern = new RegExp(`^\\.${escaped}\\.(\\d+)-[0-9a-f]{12}\\.tmp$`);
  let removed = 0;
  let names: string[];
  try {
    names = await fs.readdir(dirname(path));
  } catch {
    return 0; // a missing directory has nothing to clean
  }
  for (const name of names) {
    const pid = pattern.exec(name)?.[1];
    const file = join(dirname(path), name);
    if (pid === undefined || active.has(file) || running(Number(pid))) continue;
    try {
      if ((await fs.lstat(file)).mtimeMs >= before) continue;
      await fs.rm(file, { recursive: true, force: true });
      removed++;
    } catch {
      // Gone already, or not ours to remove.
    }
  }
  return removed;
}

/**
 * The file a write to `path` replaces: `path` itself, or for a symlink (a chain of them, even
 * dangling) its final target.
 * @throws {ConfigError} when that target exists and is not `kind` (a regular file by default)
 */
export async function resolveTarget(path: string, kind = 'a regular file'): Promise<string> {
  const fs = node('node:fs/promises');
  const { dirname, resolve } = node('node:path');
  let target = resolve(path);
  for (let hops = 0; hops < 40; hops++) {
    const info = await lstatOrUndefined(target);
    if (info === undefined) return target;
    if (info.isSymbolicLink()) {
      target = resolve(dirname(target), await fs.readlink(target));
      continue;
    }
    const ok = kind === 'a directory' ? info.isDirectory() : info.isFile();
    if (!ok) {
      throw new ConfigError(
        `cannot write ${path}: expected ${kind} or a new path, found ${fileKind(info)}` +
          (target === resolve(path) ? '' : ` at ${target}`) +
          '; it is left as it is',
      );
    }
    return target;
  }
  throw new ConfigError(`cannot write ${path}: expected a file, found a loop of symlinks`);
}

function fileKind(info: Awaited<ReturnType<Fs['lstat']>>): string {
  if (info.isCharacterDevice()) return 'a character device';
  if (info.isBlockDevice()) return 'a block device';
  if (info.isFIFO()) return 'a FIFO (named pipe)';
  if (info.isSocket()) return 'a socket';
  if (info.isDirectory()) return 'a directory';
  return 'a regular file';
}

export function temporaryName(target: string): string {
  const { basename, dirname, join } = node('node:path');
  const random = Array.from(crypto.getRandomValues(new Uint8Array(6)), (byte) =>
    byte.toString(16).padStart(2, '0'),
  ).join('');
  return join(dirname(target), `.${basename(target)}.${process.pid}-${random}.tmp`);
}

/** Whether a process with this id runs (this process counts as not running: see `active`). */
function running(pid: number): boolean {
  if (pid === process.pid || !Number.isSafeInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as { code?: unknown }).code === 'EPERM';
  }
}

async function lstatOrUndefined(path: string) {
  return node('node:fs/promises')
    .lstat(path)
    .catch(() => undefined);
}

/** Flushes a directory entry (a rename) to disk where the platform allows it. */
export async function syncDirectory(directory: string): Promise<void> {
  let handle: FileHandle | undefined;
  try {
    handle = await node('node:fs/promises').open(directory, 'r');
    await handle.sync();
  } catch {
    // Not supported everywhere (e.g. Windows); the rename itself is still atomic.
  } finally {
    await handle?.close();
  }
}
