import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorLine, spawned } from './backprop.js';
import { csv, FLOWER_COLUMNS, flowerModel, saved } from './model-files.js';

// The other CLI tests run `backprop` in the test's process (see in-process.ts); these few run
// the built packages/cli/dist/main.js as its own process, for what only a process shows: that
// the build runs at all, the exit status main.ts sets, and what reaches the real stdout and
// stderr. Closed pipes are in closed-pipe.test.ts and predict.test.ts.

let directory: string;
beforeAll(() => {
  directory = mkdtempSync(join(tmpdir(), 'backprop-process-'));
});
afterAll(() => {
  rmSync(directory, { recursive: true, force: true });
});

describe('backprop as a process', () => {
  it('prints its package version and exits 0', async () => {
    const { version } = JSON.parse(
      readFileSync(new URL('../package.json', import.meta.url), 'utf8'),
    ) as { version: string };
    const run = await spawned('--version');
    expect(run).toEqual({ status: 0, stdout: `${version}\n`, stderr: '' });
  });

  it('exits 1 with one error line for an unknown option and for a bad input', async () => {
    expect(errorLine(await spawned('predict', '--bogus'))).toMatch(
      /^error: required option '--model <path>' not specified; see backprop predict --help$/,
    );
    const missing = join(directory, 'missing.json');
    expect(errorLine(await spawned('predict', '--model', missing, '--input', missing))).toMatch(
      /missing\.json/,
    );
  });

  it('predicts to stdout with the built packages', async () => {
    const model = await saved(flowerModel(), directory, 'flowers.json');
    const input = csv(directory, 'flowers.csv', [FLOWER_COLUMNS.join(','), '5.1,3.5,1.4,0.2']);
    const run = await spawned('predict', '--model', model, '--input', input);
    expect(run.status).toBe(0);
    expect(run.stderr).toBe('');
    const lines = run.stdout.trim().split('\n');
    expect(lines).toHaveLength(2);
    const p = lines[1]!.split(',').slice(2).map(Number);
    expect(p).toHaveLength(3);
    expect(p.reduce((sum, value) => sum + value, 0)).toBeCloseTo(1, 5);
  });
});
