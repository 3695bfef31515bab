import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// Issue 15, item 4: `backprop train … | head -1` must not exit 0 without saving. A real process,
// since the closed pipe is the process's own: its stdout and stderr are closed before it writes.

const root = fileURLToPath(new URL('../../..', import.meta.url));
let directory: string;
beforeAll(() => {
  directory = mkdtempSync(join(tmpdir(), 'backprop-pipe-'));
});
afterAll(() => {
  rmSync(directory, { recursive: true, force: true });
});

/** Runs the CLI with its stdout and stderr closed from the start; resolves with the status. */
function withClosedPipes(...args: string[]): Promise<number | null> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['packages/cli/dist/main.js', ...args], { cwd: root });
    child.stdout.destroy();
    child.stderr.destroy();
    child.on('error', reject);
    child.on('close', resolve);
  });
}

describe('a closed pipe', () => {
  it('train drops its output, trains every epoch and saves the model (exit 0)', async () => {
    for (const json of [[], ['--json']]) {
      const output = join(directory, `model${json.length}.json`);
      const status = await withClosedPipes(
        'train',
        '--dataset',
        'iris',
        '--epochs',
        '4',
        '--backend',
        'js',
        ...json,
        '--output',
        output,
      );
      expect(status).toBe(0);
      const saved = JSON.parse(readFileSync(output, 'utf8')) as {
        metadata: { history: { epoch: number }[] };
      };
      expect(saved.metadata.history.map((record) => record.epoch)).toEqual([1, 2, 3, 4]);
    }
  });
});
