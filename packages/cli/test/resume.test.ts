import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../core/src/errors.js';
import { inProcess } from './in-process.js';

// Issue 15, item 5: a resumed run keeps the whole story, and refuses changed settings.

let directory: string;
beforeAll(() => {
  directory = mkdtempSync(join(tmpdir(), 'backprop-resume-'));
});
afterAll(() => {
  rmSync(directory, { recursive: true, force: true });
});

interface Saved {
  metadata: { history: { epoch: number; loss: number; testAccuracy: number }[] };
}

function history(path: string): Saved['metadata']['history'] {
  return (JSON.parse(readFileSync(path, 'utf8')) as Saved).metadata.history;
}

/** iris, 4-16-3, Adam, one checkpoint directory per test. */
function common(name: string, ...more: string[]): string[] {
  return [
    'train',
    '--dataset',
    'iris',
    '--optimizer',
    'adam',
    '--backend',
    'js',
    '--json',
    '--checkpoint-dir',
    join(directory, name),
    '--output',
    join(directory, `${name}.json`),
    ...more,
  ];
}

describe('backprop train --resume', () => {
  it('saves the whole history, the epochs before the resume included, in the model file and report', async () => {
    const whole = await inProcess(...common('whole', '--epochs', '3'));
    expect(whole.error).toBeUndefined();
    const uninterrupted = history(join(directory, 'whole.json'));
    expect(uninterrupted.map((r) => r.epoch)).toEqual([1, 2, 3]);

    expect((await inProcess(...common('split', '--epochs', '2'))).error).toBeUndefined();
    const report = join(directory, 'split-report');
    const resumed = await inProcess(
      ...common('split', '--epochs', '3', '--resume', '--report', report),
    );
    expect(resumed.error).toBeUndefined();
    // Only epoch 3 was trained (and printed), but the file holds all three, bit-identical to
    // the uninterrupted run's (seconds and speed aside).
    expect(resumed.stdout.trim().split('\n')).toHaveLength(1);
    const records = history(join(directory, 'split.json'));
    expect(records.map((r) => r.epoch)).toEqual([1, 2, 3]);
    expect(records.map((r) => [r.loss, r.testAccuracy])).toEqual(
      uninterrupted.map((r) => [r.loss, r.testAccuracy]),
    );
    const html = readFileSync(join(report, 'report.html'), 'utf8');
    // The report's epoch table has a row per epoch: 1, 2 and 3.
    const rows = [...html.matchAll(/<tr><td class="number">(\d+)<\/td>/g)].map((m) => m[1]);
    expect(rows).toEqual(['1', '2', '3']);
  });

  it('keeps the history when resuming a finished run (nothing left to train)', async () => {
    expect((await inProcess(...common('done', '--epochs', '2'))).error).toBeUndefined();
    const before = history(join(directory, 'done.json'));
    const again = await inProcess(...common('done', '--epochs', '2', '--resume'));
    expect(again.error).toBeUndefined();
    expect(history(join(directory, 'done.json'))).toEqual(before);
    expect(before.map((r) => r.epoch)).toEqual([1, 2]);
  });

  it('accepts a larger --epochs and refuses fewer', async () => {
    expect((await inProcess(...common('more', '--epochs', '2'))).error).toBeUndefined();
    const fewer = await inProcess(...common('more', '--epochs', '1', '--resume'));
    expect(fewer.error).toBeInstanceOf(ConfigError);
    expect(fewer.error!.message).toBe(
      `--resume: the checkpoint ${join(directory, 'more', 'checkpoint.json')} was saved with ` +
        '--epochs 2; this run has --epochs 1; help: give --epochs 2 or more to continue the run',
    );
    expect((await inProcess(...common('more', '--epochs', '4', '--resume'))).error).toBeUndefined();
    expect(history(join(directory, 'more.json')).map((r) => r.epoch)).toEqual([1, 2, 3, 4]);
  });

  const changed: [string[], string, string, string][] = [
    [['--seed', '2'], '--seed', '1', '2'],
    [['--test-split', '0.3'], '--test-split', '0.2', '0.3'],
    [['--validation-split', '0.1'], '--validation-split', '(not set)', '0.1'],
    [['--learning-rate', '0.002'], '--learning-rate', '0.001', '0.002'],
    [['--l2', '0.01'], '--l2', '0', '0.01'],
    [['--l1', '0.01'], '--l1', '0', '0.01'],
    [['--weight-decay', '0.1'], '--weight-decay', '(not set)', '0.1'],
    [['--schedule', 'cosine'], '--schedule', '(not set)', '{"type":"cosine"}'],
    [['--batch-size', '16'], '--batch-size', '32', '16'],
    [['--dropout', '0.1'], '--dropout', '0', '0.1'],
  ];
  it('refuses a changed setting, naming it and both values', async () => {
    expect((await inProcess(...common('same', '--epochs', '1'))).error).toBeUndefined();
    const path = join(directory, 'same', 'checkpoint.json');
    for (const [args, flag, theirs, ours] of changed) {
      const run = await inProcess(...common('same', '--epochs', '2', '--resume', ...args));
      expect(run.error).toBeInstanceOf(ConfigError);
      expect(run.error!.message).toBe(
        `--resume: the checkpoint ${path} was saved with ${flag} ${theirs}; this run has ` +
          `${flag} ${ours}; help: resume with the same settings, or start afresh without --resume`,
      );
      expect(run.stdout).toBe(''); // refused before training
    }
    // Another optimizer, by name.
    const sgd = [...common('same', '--epochs', '2', '--resume')];
    sgd[sgd.indexOf('adam')] = 'sgd';
    const run = await inProcess(...sgd);
    expect(run.error!.message).toMatch(
      /saved with --optimizer adam; this run has --optimizer sgd;/,
    );
  });
});
