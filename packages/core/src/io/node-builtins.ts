import { ConfigError } from '../errors.js';

// Node's file modules, loaded when a writer runs rather than imported, so that the modules of
// the browser entry that can write files (atomic writes, checkpoints) import no Node built-in.
// Their types live here, away from the declarations of file-target.ts and atomic-write.ts that
// the package's types reach, so that a TypeScript user needs no @types/node.

/** node:fs/promises. */
export type Fs = ReturnType<typeof process.getBuiltinModule<'node:fs/promises'>>;
/** node:path. */
export type Path = ReturnType<typeof process.getBuiltinModule<'node:path'>>;
/** An open file of node:fs/promises. */
export type FileHandle = Awaited<ReturnType<Fs['open']>>;

/**
 * A Node built-in, loaded at run time with `process.getBuiltinModule` (Node ≥ 20.16).
 * @param id - 'node:fs/promises' or 'node:path'
 * @returns the module
 * @throws {ConfigError} outside Node.js, e.g. `writing files needs Node.js (node:path); …`
 */
export function node<ID extends 'node:fs/promises' | 'node:path'>(
  id: ID,
): ID extends 'node:path' ? Path : Fs {
  const module = globalThis.process?.getBuiltinModule?.(id);
  if (module === undefined) {
    throw new ConfigError(`writing files needs Node.js (${id}); received no ${id}`);
  }
  return module as ID extends 'node:path' ? Path : Fs;
}

/**
 * The stat of a path, or undefined when it cannot be read (missing, no permission).
 * @throws {ConfigError} outside Node.js
 */
export async function statOrUndefined(path: string) {
  return node('node:fs/promises')
    .stat(path)
    .catch(() => undefined);
}
