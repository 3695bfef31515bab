import { accessSync, constants, statSync, type Stats } from 'node:fs';
import { dirname, resolve, sep } from 'node:path';
import { ConfigError } from '../index.js';

/**
 * Checks the `--output` path before training, so that a run is not lost to a path that cannot be
 * written at the end. Missing parent directories are fine: saveModel creates them.
 * @param path - the model file path as typed
 * @throws {ConfigError} naming the path and the problem: an empty path, a device, FIFO or
 *   socket (never replaced), a path that ends in a separator or is an existing directory, a parent that exists but is not a directory, or a
 *   directory that cannot be written.
 */
export function checkOutput(path: string): void {
  if (path.trim() === '') {
    throw new ConfigError(
      `--output must be a file path, e.g. model.json; received ${JSON.stringify(path)}`,
    );
  }
  const existing = stat(path);
  if (existing !== undefined && !existing.isFile() && !existing.isDirectory()) {
    // Devices (/dev/null), FIFOs and sockets are never replaced (see writeFileAtomic).
    throw new ConfigError(
      `--output ${path}: expected a regular file or a new path, found ${
        existing.isCharacterDevice() || existing.isBlockDevice()
          ? 'a device'
          : existing.isFIFO()
            ? 'a FIFO (named pipe)'
            : 'a socket'
      }; it is left as it is`,
    );
  }
  const isDirectory = existing?.isDirectory() === true;
  if (isDirectory || path.endsWith('/') || path.endsWith(sep)) {
    const problem = isDirectory ? 'is a directory' : `ends in ${path.at(-1)}, like a directory`;
    const example = `${path.replace(/[\\/]+$/, '')}${sep}model.json`;
    throw new ConfigError(`--output ${path} ${problem}; give a file path, e.g. ${example}`);
  }
  // The nearest ancestor that exists must be a directory we may write in.
  let ancestor = dirname(resolve(path));
  let info = stat(ancestor);
  while (info === undefined && dirname(ancestor) !== ancestor) {
    ancestor = dirname(ancestor);
    info = stat(ancestor);
  }
  if (info !== undefined && !info.isDirectory()) {
    throw new ConfigError(
      `--output ${path} cannot be created: ${ancestor} is a file, not a directory`,
    );
  }
  try {
    accessSync(ancestor, constants.W_OK);
  } catch {
    throw new ConfigError(
      `--output ${path} cannot be created: no permission to write in ${ancestor}`,
    );
  }
}

/** The file's status, or undefined when nothing is there (or it cannot be examined). */
function stat(path: string): Stats | undefined {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}
