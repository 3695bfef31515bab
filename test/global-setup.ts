import { execFileSync } from 'node:child_process';
import { readdirSync, statSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

/** The workspaces, each after the ones it imports. */
const PACKAGES = ['core', 'onnx', 'report', 'datasets', 'cli'];

/** Modification time in ms, or -Infinity for a missing file. */
function modified(path: string): number {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return -Infinity;
  }
}

/** The newest modification time of a file or of any file under a directory. */
function newest(path: string): number {
  let time = modified(path);
  try {
    for (const name of readdirSync(path, { recursive: true })) {
      time = Math.max(time, modified(join(path, String(name))));
    }
  } catch {
    // a file, or missing: its own time
  }
  return time;
}

/**
 * Vitest global setup: builds the WASM kernels and compiles each package's src/ to dist/ when
 * its build is older than a source (the kernels, the sources, its build configuration), so that
 * the tests run the current kernels and the spawned CLI runs the current code; an up-to-date
 * checkout (e.g. right after `npm ci`, whose prepare script builds) costs no build.
 * @throws the build's error when a build fails
 */
export default function setup(): void {
  for (const name of PACKAGES) {
    const directory = join(root, 'packages', name);
    const built = modified(join(directory, 'dist/.tsbuildinfo'));
    const inputs = ['src', 'assembly', 'scripts', 'package.json', 'tsconfig.build.json'];
    const stale =
      inputs.some((input) => newest(join(directory, input)) > built) ||
      modified(join(root, 'tsconfig.json')) > built;
    if (!stale) continue;
    execFileSync('npm', ['run', '--silent', 'build', '--workspace', `packages/${name}`], {
      cwd: root,
      stdio: 'inherit',
    });
    // tsc leaves its build info alone when no output changed (a source only touched): mark the
    // build as newer than the sources all the same.
    const now = new Date();
    utimesSync(join(directory, 'dist/.tsbuildinfo'), now, now);
  }
}
