import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, sep } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { wasmAvailable } from '../../core/src/index.js';
import { backprop, errorLine } from './backprop.js';

let directory: string;
beforeAll(() => {
  directory = mkdtempSync(join(tmpdir(), 'backprop-cli-'));
  mkdirSync(join(directory, 'models'));
  writeFileSync(join(directory, 'notes.txt'), 'a file, not a directory\n');
});
afterAll(() => {
  rmSync(directory, { recursive: true, force: true });
});

/** The `training` metadata of a model file. */
function trainingOf(path: string): Record<string, unknown> {
  const file = JSON.parse(readFileSync(path, 'utf8')) as {
    metadata: { training: Record<string, unknown>; data: Record<string, unknown> };
  };
  return { ...file.metadata.training, trainExamples: file.metadata.data['trainExamples'] };
}

describe('backprop train checks --output before training', () => {
  const cases: [string, () => string, (path: string) => string][] = [
    [
      'an empty path',
      () => '',
      () => 'error: --output must be a file path, e.g. model.json; received ""',
    ],
    [
      'an existing directory',
      () => join(directory, 'models'),
      (path) =>
        `error: --output ${path} is a directory; give a file path, e.g. ${path}${sep}model.json`,
    ],
    [
      'a path ending in a separator',
      () => join(directory, 'new') + sep,
      (path) =>
        `error: --output ${path} ends in ${sep}, like a directory; give a file path, e.g. ` +
        `${path}model.json`,
    ],
    [
      'a parent that is a file',
      () => join(directory, 'notes.txt', 'm.json'),
      () =>
        `error: --output ${join(directory, 'notes.txt', 'm.json')} cannot be created: ` +
        `${join(directory, 'notes.txt')} is a file, not a directory`,
    ],
    [
      'an ancestor that is a file',
      () => join(directory, 'notes.txt', 'a', 'b', 'm.json'),
      (path) =>
        `error: --output ${path} cannot be created: ${join(directory, 'notes.txt')} is a file, ` +
        'not a directory',
    ],
  ];
  it.concurrent.each(cases)(
    'rejects %s in one line, exit 1, nothing trained',
    async (_, path, message) => {
      const run = await backprop('train', '--epochs', '50', '--output', path());
      expect(errorLine(run)).toBe(message(path()));
      expect(run.stdout).not.toMatch(/epoch/); // rejected before any training
    },
  );

  it('creates missing parent directories', async () => {
    const output = join(directory, 'runs', 'today', 'm.json');
    const run = await backprop(
      'train',
      '--limit',
      '300',
      '--epochs',
      '1',
      '--json',
      '--output',
      output,
    );
    expect(run.status).toBe(0);
    expect(existsSync(output)).toBe(true);
    expect(trainingOf(output)['trainExamples']).toBe(300);
  });
});

describe('backprop train --backend and --threads', () => {
  const runs: [string[], string][] = [[['--backend', 'js'], 'js']];
  if (wasmAvailable()) {
    runs.push([['--backend', 'wasm', '--threads', '1'], 'wasm']);
    runs.push([['--backend', 'wasm', '--threads', '2'], 'wasm×2']);
  }
  it.each(runs)('%j names the backend in the header and the model file', async (args, name) => {
    const output = join(directory, `${name}.json`);
    const run = await backprop(
      'train',
      ...args,
      '--limit',
      '400',
      '--epochs',
      '1',
      '--output',
      output,
    );
    expect(run.status).toBe(0);
    expect(run.stdout.split('\n')[0]).toMatch(
      new RegExp(
        `^training Sequential\\(.*\\) on 400 MNIST images \\(float32, seed 1, backend ${name}\\)$`,
      ),
    );
    expect(trainingOf(output)).toMatchObject({ backend: name, epochs: 1, learningRate: 0.1 });
  });

  it('the js backend ignores --threads', async () => {
    const output = join(directory, 'js-threads.json');
    const run = await backprop(
      'train',
      '--backend',
      'js',
      '--threads',
      '8',
      '--limit',
      '100',
      '--epochs',
      '1',
      '--output',
      output,
    );
    expect(run.status).toBe(0);
    expect(trainingOf(output)['backend']).toBe('js');
  });
});

describe('backprop train --limit above the 60000 training images', () => {
  it('trains on all 60000 and says so on stderr', async () => {
    const output = join(directory, 'all.json');
    const run = await backprop(
      'train',
      '--limit',
      '100000',
      '--epochs',
      '1',
      '--json',
      '--output',
      output,
    );
    expect(run.status).toBe(0);
    expect(run.stderr.split('\n')[0]).toBe(
      'note: --limit 100000 is more than the 60,000 MNIST training images; using all 60,000',
    );
    const epoch = JSON.parse(run.stdout) as Record<string, number>;
    expect(epoch['examplesPerSecond']! * epoch['seconds']!).toBeCloseTo(60000, 3);
    expect(trainingOf(output)['trainExamples']).toBe(60000);
  }, 60_000);
});
