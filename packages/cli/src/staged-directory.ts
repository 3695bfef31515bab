import { randomBytes } from 'node:crypto';
import { mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';

/**
 * Writes a set of files into `directory` as one step (issue 15, item 6): `write` fills a
 * staging directory beside it (`.<name>.<pid>.<12 hex digits>.tmp`, on the same file system),
 * which is then renamed to `directory` when that does not exist yet, or whose files are renamed
 * into it one by one when it does (other files there are kept). A failure while writing (a full
 * disk, no permission) removes the staging directory and leaves `directory` as it was: never
 * half a set. Parent directories are created.
 *
 * (A directory-atomic helper is planned for src/io/atomic-write.ts; this one can be replaced by
 * it.)
 * @param directory - the directory the files belong in, e.g. the `--report` directory
 * @param write - writes the files into the staging directory it is given
 * @returns what `write` returned
 * @throws whatever `write`, mkdir or rename threw, after removing the staging directory
 */
export async function writeDirectorySet<T>(
  directory: string,
  write: (staging: string) => Promise<T>,
): Promise<T> {
  const target = resolve(directory);
  const staging = join(
    dirname(target),
    `.${basename(target)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`,
  );
  try {
    await mkdir(staging, { recursive: true });
    const result = await write(staging);
    const exists = await stat(target).then(
      () => true,
      () => false,
    );
    if (exists) {
      for (const name of await readdir(staging)) {
        await rename(join(staging, name), join(target, name));
      }
    } else {
      await rename(staging, target);
    }
    return result;
  } finally {
    await rm(staging, { recursive: true, force: true }).catch(() => undefined);
  }
}
