import {
  accessSync,
  closeSync,
  constants,
  openSync,
  realpathSync,
  statSync,
  unlinkSync,
  type Stats,
} from 'node:fs';
import { basename, dirname, join, resolve, sep } from 'node:path';
import { ConfigError } from './api.js';

// Every output of a command is checked before any work is done (issue 15, item 6), so that a
// run is not lost to a path that cannot be written at the end.

/**
 * Checks a file output (`--output`) before training or predicting. Missing parent directories
 * are fine: the writers create them.
 * @param path - the file path as typed
 * @param flag - the option named in errors
 * @throws {ConfigError} naming the flag, the path and the problem: an empty path, a path that
 *   ends in a separator or is an existing directory, an existing target that is not a regular
 *   file (a device, FIFO or socket), a parent that exists but is not a directory, or a directory
 *   that cannot be written.
 */
export function checkOutput(path: string, flag = '--output'): void {
  if (path.trim() === '') {
    throw new ConfigError(
      `${flag} must be a file path, e.g. model.json; received ${JSON.stringify(path)}`,
    );
  }
  const target = stat(path);
  if (target?.isDirectory() === true || path.endsWith('/') || path.endsWith(sep)) {
    const problem =
      target !== undefined ? 'is a directory' : `ends in ${path.at(-1)}, like a directory`;
    const example = `${path.replace(/[\\/]+$/, '')}${sep}model.json`;
    throw new ConfigError(`${flag} ${path} ${problem}; give a file path, e.g. ${example}`);
  }
  if (target !== undefined && !target.isFile()) {
    throw new ConfigError(
      `${flag} ${path} is ${kind(target)}, not a regular file; give a file path, e.g. model.json`,
    );
  }
  checkAncestor(dirname(resolve(path)), path, flag);
}

/**
 * Checks a directory output (`--report`, `--checkpoint-dir`) before training: it exists and
 * can be written in, or it can be created.
 * @param path - the directory as typed
 * @param flag - the option named in errors
 * @throws {ConfigError} naming the flag, the path and the problem: an empty path, an existing
 *   target that is not a directory, an ancestor that is a file, or no permission to write.
 */
export function checkDirectory(path: string, flag: string): void {
  if (path.trim() === '') {
    throw new ConfigError(`${flag} must be a directory, e.g. out; received ""`);
  }
  const target = stat(path);
  if (target !== undefined && !target.isDirectory()) {
    const name = path.replace(/[\\/]+$/, '');
    throw new ConfigError(
      `${flag} ${path} is ${kind(target)}; give a directory, e.g. ${name}-${flag.slice(2)}`,
    );
  }
  checkAncestor(resolve(path), path, flag);
}

/**
 * The nearest existing ancestor of `start` (or `start` itself) must be a directory that this
 * process may write in.
 * @throws {ConfigError} naming the flag, the path and the ancestor
 */
function checkAncestor(start: string, path: string, flag: string): void {
  let ancestor = start;
  let info = stat(ancestor);
  while (info === undefined && dirname(ancestor) !== ancestor) {
    ancestor = dirname(ancestor);
    info = stat(ancestor);
  }
  if (info !== undefined && !info.isDirectory()) {
    throw new ConfigError(
      `${flag} ${path} cannot be created: ${ancestor} is a file, not a directory`,
    );
  }
  try {
    accessSync(ancestor, constants.W_OK);
  } catch {
    throw new ConfigError(
      `${flag} ${path} cannot be written: no permission to write in ${ancestor}`,
    );
  }
  // Permission bits do not tell everything (root, read-only or virtual file systems such as
  // /proc): create and remove a probe file, so that a run is not lost at the end.
  const probe = join(ancestor, `.backprop-probe-${process.pid}`);
  try {
    closeSync(openSync(probe, 'wx'));
    unlinkSync(probe);
  } catch (error) {
    const code = (error as { code?: string }).code ?? String(error);
    throw new ConfigError(
      `${flag} ${path} cannot be written: ${ancestor} refused a new file (${code})`,
    );
  }
}

/** 'a file', 'a character device', … for messages. */
function kind(info: Stats): string {
  if (info.isFile()) return 'a file';
  if (info.isDirectory()) return 'a directory';
  if (info.isCharacterDevice()) return 'a character device';
  if (info.isBlockDevice()) return 'a block device';
  if (info.isFIFO()) return 'a FIFO';
  if (info.isSocket()) return 'a socket';
  return 'not a regular file';
}

/** The file's status, or undefined when nothing is there (or it cannot be examined). */
function stat(path: string): Stats | undefined {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}

/**
 * Refuses an output that is one of the command's inputs, followed through symlinks (writing it
 * would replace the model or the data being read).
 * @param inputs - `[flag, path]` of each input, e.g. `['--model', 'm.json']`
 * @throws {ConfigError} naming both flags and the path
 */
export function checkNotAnInput(
  output: string,
  inputs: readonly (readonly [string, string | undefined])[],
  flag = '--output',
): void {
  const target = realPath(output);
  for (const [name, path] of inputs) {
    if (path !== undefined && realPath(path) === target) {
      throw new ConfigError(
        `${flag} ${output} is the ${name.replace(/^--/, '')} file itself (${path}); give another path`,
      );
    }
  }
}

/** The path with every symlink resolved; for a path that does not exist yet, its parent's. */
function realPath(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    try {
      return join(realpathSync(dirname(path)), basename(path));
    } catch {
      return resolve(path);
    }
  }
}
