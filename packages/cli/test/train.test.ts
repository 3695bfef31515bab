import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { availableParallelism } from 'node:os';
import { wasmAvailable } from '../../core/src/index.js';
import { loadMnist } from '../../datasets/src/mnist.js';
import { loadModel } from '../../core/src/io/model-file.js';
import { backprop, errorLine, withoutSummary } from './backprop.js';

/** The default backend's name: wasm on every core where WebAssembly SIMD runs, else js. */
const THREADS = Math.min(64, availableParallelism());
const DEFAULT_BACKEND = !wasmAvailable() ? 'js' : THREADS > 1 ? `wasm×${THREADS}` : 'wasm';

let directory: string;
beforeAll(() => {
  directory = mkdtempSync(join(tmpdir(), 'backprop-cli-'));
});
afterAll(() => {
  rmSync(directory, { recursive: true, force: true });
});

describe('backprop train --json', () => {
  it('prints one JSON object per epoch and saves a model that loads and predicts', async () => {
    const output = join(directory, 'm.json');
    const run = await backprop(
      'train',
      '--limit',
      '2000',
      '--epochs',
      '1',
      '--json',
      '--output',
      output,
    );
    expect(run.stderr).not.toMatch(/error/);
    expect(run.status).toBe(0);
    const lines = run.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const epoch = JSON.parse(lines[0]!) as Record<string, number>;
    expect(epoch['epoch']).toBe(1);
    expect(epoch['loss']).toBeGreaterThan(0);
    expect(epoch['loss']).toBeLessThan(2.3); // below chance, ln 10
    expect(epoch['trainAccuracy']).toBeGreaterThan(0.5);
    expect(epoch['trainAccuracy']).toBeLessThanOrEqual(1);
    expect(epoch['testAccuracy']).toBeGreaterThan(0.7);
    expect(epoch['testAccuracy']).toBeLessThanOrEqual(1);
    expect(epoch['seconds']).toBeGreaterThan(0);
    expect(epoch['examplesPerSecond']).toBeCloseTo(2000 / epoch['seconds']!, 6);
    expect(run.stderr).toMatch(/saved the model to .*m\.json/);

    const model = await loadModel(output);
    expect(String(model)).toBe('Sequential(Dense(784 => 128, relu), Dense(128 => 10, softmax))');
    const { test } = loadMnist({ limit: { train: 0, test: 200 } });
    const predictions = model.predict(test.x);
    expect(predictions.shape).toEqual([200, 10]);
    let correct = 0;
    for (let i = 0; i < 200; i++) {
      const row = Array.from(predictions.row(i));
      expect(row.reduce((a, b) => a + b)).toBeCloseTo(1, 5);
      if (row.indexOf(Math.max(...row)) === test.labels[i]) correct++;
    }
    expect(correct / 200).toBeGreaterThan(0.7);
  });

  it('prints one line per epoch with a human-readable summary without --json', async () => {
    const output = join(directory, 'h.json');
    const run = await backprop('train', '--limit', '500', '--epochs', '2', '--output', output);
    expect(run.status).toBe(0);
    const lines = run.stdout.trim().split('\n');
    expect(lines[0]).toBe(
      'training Sequential(Dense(784 => 128, relu), Dense(128 => 10, softmax)) on 500 MNIST ' +
        `images (float32, seed 1, backend ${DEFAULT_BACKEND})`,
    );
    expect(lines[1]).toMatch(
      /^epoch 1\/2 {2}loss \d\.\d{4} {2}train acc \d+\.\d\d% {2}test acc \d+\.\d\d% {2}\d+\.\d s {2}[\d,]+ ex\/s$/,
    );
    expect(lines[2]).toMatch(/^epoch 2\/2 /);
    expect(lines[3]).toBe(`saved the model to ${output}`);
    expect(run.stderr).toMatch(/^Model: Sequential \(float32, 784 inputs\)\n/); // the summary
    expect(withoutSummary(run.stderr)).toBe(''); // no progress bar when stderr is not a terminal
  });
});

describe('backprop train rejects bad options', () => {
  const cases: [string[], RegExp][] = [
    [['--learning-rate', '0'], /--learning-rate must be a finite number > 0; received 0$/],
    [['--learning-rate', '-1'], /--learning-rate must be a finite number > 0; received -1$/],
    [['--learning-rate', 'abc'], /--learning-rate must be a finite number > 0; received abc$/],
    [['--learning-rate', '0x10'], /--learning-rate must be a finite number > 0; received 0x10$/],
    [['--batch-size', '0'], /--batch-size must be an integer >= 1; received 0$/],
    [['--batch-size', '2.5'], /--batch-size must be an integer >= 1; received 2\.5$/],
    [['--epochs', '0'], /--epochs must be an integer >= 1; received 0$/],
    [['--seed', '-3'], /--seed must be an integer from 0 to 4294967295; received -3$/],
    [['--limit', 'all'], /--limit must be an integer >= 1; received all$/],
    [
      ['--activation', 'swoosh'],
      /--activation must be one of sigmoid, tanh, relu, leakyRelu, linear, softmax, elu, .*, mish; received swoosh$/,
    ],
    [['--output-activation', 'foo'], /--output-activation must be one of .*relu.*; received foo$/],
    [
      ['--loss', 'squaredHinge'],
      /--loss must be one of mse, crossEntropy, binaryCrossEntropy, sparseCrossEntropy, mae, huber, hinge, klDivergence; received squaredHinge$/,
    ],
    [['--dtype', 'float16'], /--dtype must be one of float32, float64; received float16$/],
    [
      ['--layers', '100,128,10'],
      /--layers must start with 784 .*; received 100,128,10, which starts with 100$/,
    ],
    [
      ['--layers', '784,128,2'],
      /--layers must end with 10 .*; received 784,128,2, which ends with 2$/,
    ],
    [['--layers', '784,,10'], /--layers must be a comma-separated list .*; received 784,,10$/],
    [['--backend', 'cuda'], /^error: --backend must be one of js, wasm; received cuda$/],
    [['--threads', '0'], /^error: --threads must be an integer from 1 to 64; received 0$/],
    [['--threads', '65'], /--threads must be an integer from 1 to 64; received 65$/],
    [['--threads', '1.5'], /--threads must be an integer from 1 to 64; received 1\.5$/],
    [['--threads', 'all'], /--threads must be an integer from 1 to 64; received all$/],
    [['--limit', '0'], /--limit must be an integer >= 1; received 0$/],
    [['--no-such-option'], /^error: unknown option '--no-such-option'; see backprop train --help$/],
  ];
  it.concurrent.each(cases)('%j', async (args, message) => {
    const run = await backprop('train', ...args, '--output', join(directory, 'never.json'));
    expect(errorLine(run)).toMatch(message);
  });
});

describe('backprop train with a huge learning rate', () => {
  it('stops with the non-finite loss error, naming epoch and batch', async () => {
    const output = join(directory, 'diverged.json');
    const run = await backprop(
      'train',
      '--limit',
      '500',
      '--learning-rate',
      '1e6',
      '--output',
      output,
    );
    expect(run.status).toBe(1);
    expect(withoutSummary(run.stderr)).toMatch(
      /^error: the loss became (NaN|-?Infinity) in epoch 1, batch \d+ of 16; .*smaller --learning-rate than 1000000\n$/,
    );
    expect(run.stderr).not.toMatch(/^\s+at /m);
    expect(existsSync(output)).toBe(false); // nothing saved
  });
});

describe('backprop --help', () => {
  const options = [
    '--layers <sizes>',
    '--activation <name>',
    '--output-activation <name>',
    '--loss <name>',
    '--learning-rate <number>',
    '--batch-size <int>',
    '--epochs <int>',
    '--seed <int>',
    '--dtype <dtype>',
    '--backend <name>',
    '--threads <n>',
    '--output <path>',
    '--limit <n>',
    '--json',
  ];
  it('train --help lists every train option, the examples, and that directories are created', async () => {
    const run = await backprop('train', '--help');
    expect(run.status).toBe(0);
    for (const option of options) expect(run.stdout).toContain(option);
    expect(run.stdout).toMatch(/\nExamples:\n {2}backprop train /);
    expect(run.stdout.replace(/\s+/g, ' ')).toContain('missing parent directories are created');
  });

  it.each([[['--help']], [['help']]])(
    '%j lists the commands and points to train --help without repeating its options',
    async (args) => {
      const run = await backprop(...args);
      expect(run.status).toBe(0);
      expect(run.stdout).toMatch(/^Usage: backprop \[options\] \[command\]/);
      expect(run.stdout).toMatch(/\n {2}train \[options\] +train a network on the MNIST digits/);
      expect(run.stdout).toContain('Run "backprop train --help" for the training options');
      for (const option of options) expect(run.stdout).not.toContain(option);
    },
  );

  it('names an unknown command in one line and points to backprop --help', async () => {
    expect(errorLine(await backprop('fit'))).toBe(
      "error: unknown command 'fit'; see backprop --help",
    );
    expect(errorLine(await backprop('trian'))).toBe(
      "error: unknown command 'trian' (Did you mean train?); see backprop --help",
    );
    expect(errorLine(await backprop('train', '--epochs'))).toBe(
      "error: option '--epochs <int>' argument missing; see backprop train --help",
    );
    expect(errorLine(await backprop('--epochs', '3'))).toBe(
      "error: unknown option '--epochs'; see backprop --help",
    );
  });

  it('shows the defaults', async () => {
    const help = (await backprop('train', '--help')).stdout.replace(/\s+/g, ' ');
    for (const value of [
      '784,128,10',
      '"relu"',
      '"softmax"',
      '"crossEntropy"',
      '0.1',
      '32',
      '5',
      '"float32"',
      wasmAvailable() ? '"wasm"' : '"js"',
      `${THREADS}, the number of cores`,
      '"model.json"',
    ]) {
      expect(help).toContain(`(default: ${value})`);
    }
  });

  it('prints the version from package.json', async () => {
    expect((await backprop('--version')).stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });
});
