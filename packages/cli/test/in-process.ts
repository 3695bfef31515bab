import { vi } from 'vitest';
import { createProgram, runBackprop } from '../src/program.js';

/** What an in-process run of a command did: its output, and the error it ended with. */
export interface InProcessRun {
  stdout: string;
  stderr: string;
  /** The error the command threw (main.ts prints its message as `error: …`), if any. */
  error?: Error;
}

/** The end of the last captured run: runs take turns, since they share process.stdout. */
let queue: Promise<unknown> = Promise.resolve();

/**
 * Runs `work` with process.stdout and process.stderr captured, after every earlier captured run
 * has ended (concurrent tests take turns), and returns what it wrote besides its result.
 * @throws whatever `work` throws, after the streams are restored
 */
export function captured<T>(
  work: () => Promise<T>,
): Promise<{ stdout: string; stderr: string; result: T }> {
  const run = queue.then(async () => {
    let stdout = '';
    let stderr = '';
    const out = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: unknown) => {
      stdout += String(chunk);
      return true;
    });
    const err = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: unknown) => {
      stderr += String(chunk);
      return true;
    });
    try {
      const result = await work();
      return { stdout, stderr, result };
    } finally {
      out.mockRestore();
      err.mockRestore();
    }
  });
  queue = run.catch(() => undefined);
  return run;
}

/**
 * Runs `backprop …args` in this process with the program of dist/main.js (the same command
 * definitions and actions) and returns the error it ended with instead of its status.
 * @throws never; the command's error is returned in `error`
 */
export async function inProcess(...args: string[]): Promise<InProcessRun> {
  const { stdout, stderr, result } = await captured(async () => {
    try {
      await createProgram().parseAsync(args, { from: 'user' });
      return undefined;
    } catch (error) {
      return error as Error;
    }
  });
  return result === undefined ? { stdout, stderr } : { stdout, stderr, error: result };
}

/**
 * Runs `backprop …args` in this process as main.ts does and returns its exit status and
 * output, as a spawned `node packages/cli/dist/main.js` would.
 * @throws never
 */
export async function runInProcess(
  ...args: string[]
): Promise<{ status: number; stdout: string; stderr: string }> {
  const { stdout, stderr, result } = await captured(() => runBackprop(args));
  return { status: result, stdout, stderr };
}
