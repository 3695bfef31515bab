import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { runInProcess } from './in-process.js';

// packages/*/dist is compiled by test/global-setup.ts before the tests run.
const root = fileURLToPath(new URL('../../..', import.meta.url));

/** What a run of the CLI did. */
export interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs `backprop …args` in this process (see runInProcess: the program of main.ts, its exit
 * status and output); a run that needs a process of its own uses {@link spawned}.
 * @throws never
 */
export function backprop(...args: string[]): Promise<Run> {
  return runInProcess(...args);
}

/**
 * Runs `node packages/cli/dist/main.js …args` in the repository root and resolves with its exit
 * code and output: for what only a process shows (exit codes set by main.ts, closed pipes,
 * the build itself).
 * @throws never; rejects only when node itself cannot be spawned
 */
export function spawned(...args: string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['packages/cli/dist/main.js', ...args], { cwd: root });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

/**
 * Asserts the CLI's error contract: exit status 1, nothing on stdout, and exactly one line on
 * stderr, `error: …`, without a stack trace.
 * @returns that line
 * @throws an assertion error when the run broke the contract
 */
export function errorLine(run: Run): string {
  expect(run.status).toBe(1);
  expect(run.stdout).toBe('');
  const lines = run.stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^error: /);
  return lines[0]!;
}

/**
 * What a run printed on stderr besides the model summary that `backprop train` prints before
 * training (the table from `model.summary()`, which ends with the non-trainable count).
 */
export function withoutSummary(stderr: string): string {
  return stderr.replace(/^Model: Sequential[\s\S]*?Non-trainable params: \d+\n/, '');
}
