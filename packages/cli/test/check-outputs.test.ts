import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeDirectorySet } from '../src/staged-directory.js';
import { ConfigError } from '../../core/src/errors.js';
import { inProcess } from './in-process.js';

// Issue 15, item 6: every output is checked before the first batch; a report is written as a set.

let directory: string;
let file: string;
beforeAll(() => {
  directory = mkdtempSync(join(tmpdir(), 'backprop-outputs-'));
  file = join(directory, 'notes.txt');
  writeFileSync(file, 'mine\n');
});
afterAll(() => {
  rmSync(directory, { recursive: true, force: true });
});

describe('backprop train checks every output before training', () => {
  const cases = (): [string[], string][] => [
    [
      ['--report', join(file, 'report')],
      `--report ${join(file, 'report')} cannot be created: ${file} is a file, not a directory`,
    ],
    [['--report', file], `--report ${file} is a file; give a directory, e.g. ${file}-report`],
    [
      ['--report', '/dev/null'],
      '--report /dev/null is a character device; give a directory, e.g. /dev/null-report',
    ],
    [
      ['--checkpoint-dir', file],
      `--checkpoint-dir ${file} is a file; give a directory, e.g. ${file}-checkpoint-dir`,
    ],
    [
      ['--checkpoint-dir', join(file, 'ckpt')],
      `--checkpoint-dir ${join(file, 'ckpt')} cannot be created: ${file} is a file, not a directory`,
    ],
    [
      ['--output', '/dev/null'],
      '--output /dev/null is a character device, not a regular file; give a file path, e.g. model.json',
    ],
  ];
  it('refuses each bad output with one line naming the flag and the path, training nothing', async () => {
    for (const [args, message] of cases()) {
      const run = await inProcess(
        'train',
        '--dataset',
        'iris',
        '--output',
        join(directory, 'model.json'),
        ...args,
      );
      expect(run.error).toBeInstanceOf(ConfigError);
      expect(run.error!.message).toBe(message);
      expect(run.stdout).toBe('');
    }
    expect(readFileSync(file, 'utf8')).toBe('mine\n');
    expect(existsSync(join(directory, 'model.json'))).toBe(false);
  });
});

describe('writeDirectorySet', () => {
  const failing = async (staging: string): Promise<never> => {
    writeFileSync(join(staging, 'report.html'), 'half');
    throw new Error('ENOSPC: no space left on device');
  };

  it('leaves nothing behind when writing fails into a new directory', async () => {
    const target = join(directory, 'new-report');
    await expect(writeDirectorySet(target, failing)).rejects.toThrow('ENOSPC');
    expect(existsSync(target)).toBe(false);
    expect(readdirSync(directory).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });

  it('leaves an existing report as it was when writing fails, and replaces its files on success', async () => {
    const target = join(directory, 'old-report');
    mkdirSync(target);
    writeFileSync(join(target, 'report.html'), 'old');
    writeFileSync(join(target, 'other.txt'), 'kept');
    await expect(writeDirectorySet(target, failing)).rejects.toThrow('ENOSPC');
    expect(readFileSync(join(target, 'report.html'), 'utf8')).toBe('old');
    expect(readdirSync(target).sort()).toEqual(['other.txt', 'report.html']);
    const result = await writeDirectorySet(target, async (staging) => {
      writeFileSync(join(staging, 'report.html'), 'new');
      writeFileSync(join(staging, 'loss.svg'), '<svg/>');
      return 'done';
    });
    expect(result).toBe('done');
    expect(readFileSync(join(target, 'report.html'), 'utf8')).toBe('new');
    expect(readdirSync(target).sort()).toEqual(['loss.svg', 'other.txt', 'report.html']);
    expect(readdirSync(directory).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });
});
