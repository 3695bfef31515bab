import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backprop, errorLine, withoutSummary } from './backprop.js';

let directory: string;
beforeAll(() => {
  directory = mkdtempSync(join(tmpdir(), 'backprop-cli-training-'));
});
afterAll(() => {
  rmSync(directory, { recursive: true, force: true });
});

/** The model file's metadata. */
function metadata(path: string): Record<string, Record<string, unknown>> {
  return (
    JSON.parse(readFileSync(path, 'utf8')) as { metadata: Record<string, Record<string, unknown>> }
  ).metadata;
}

describe('backprop train: optimizers, regularisation, schedules, validation, checkpoints', () => {
  it('still trains with the lecture’s SGD by default', async () => {
    const output = join(directory, 'sgd.json');
    const run = await backprop('train', '--limit', '500', '--epochs', '1', '--output', output);
    expect(run.status).toBe(0);
    expect(metadata(output)['training']!['optimizer']).toBe('SGD(learningRate=0.1, weightDecay=0)');
  });

  it('--preset mnist-best builds 784-256-128-10 with dropout, Adam and a cosine schedule', async () => {
    const output = join(directory, 'preset.json');
    const run = await backprop(
      'train',
      '--preset',
      'mnist-best',
      '--limit',
      '1000',
      '--epochs',
      '2',
      '--json',
      '--output',
      output,
    );
    expect(run.stderr).not.toMatch(/error/);
    expect(run.status).toBe(0);
    const lines = run.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, number>);
    expect(lines).toHaveLength(2); // --epochs overrides the preset's 15
    // One warm-up epoch up to η₀ = 1e-3, then the cosine decay.
    expect(lines[0]!['learningRate']).toBeCloseTo(1e-3, 15);
    expect(lines[1]!['learningRate']).toBeLessThan(1e-4);
    const training = metadata(output)['training']!;
    expect(training['optimizer']).toBe(
      'Adam(learningRate=0.001, beta1=0.9, beta2=0.999, epsilon=1e-8, weightDecay=0, amsgrad=false)',
    );
    expect(training['dropout']).toBe(0.2);
    expect(training['batchSize']).toBe(128);
    expect(training['schedule']).toEqual({ type: 'cosine', warmupEpochs: 1 });
    const file = JSON.parse(readFileSync(output, 'utf8')) as { layers: { type: string }[] };
    expect(file.layers.map((layer) => layer.type)).toEqual([
      'Dense',
      'Dropout',
      'Dense',
      'Dropout',
      'Dense',
    ]);
  });

  it('reports validation, stops early, and logs the learning rate', async () => {
    const output = join(directory, 'validated.json');
    const run = await backprop(
      'train',
      '--limit',
      '600',
      '--epochs',
      '3',
      '--optimizer',
      'nesterov',
      '--learning-rate',
      '0.05',
      '--momentum',
      '0.8',
      '--l2',
      '1e-4',
      '--clip-norm',
      '5',
      '--schedule',
      'step:stepSize=1,gamma=0.5',
      '--validation-split',
      '0.2',
      '--patience',
      '5',
      '--json',
      '--output',
      output,
    );
    expect(run.status).toBe(0);
    const lines = run.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, number>);
    expect(lines.map((line) => line['learningRate'])).toEqual([0.05, 0.025, 0.0125]);
    expect(lines[0]!['valAccuracy']).toBeGreaterThan(0.3);
    expect(lines[0]!['valLoss']).toBeGreaterThan(0);
    expect(metadata(output)['training']!['optimizer']).toMatch(
      /^Momentum\(learningRate=0.05, momentum=0.8, dampening=0, nesterov=true/,
    );
  });

  it('--checkpoint-dir and --resume continue an earlier run', async () => {
    const checkpoints = join(directory, 'ckpt');
    const output = join(directory, 'resumed.json');
    const common = [
      '--limit',
      '500',
      '--optimizer',
      'adam',
      '--checkpoint-dir',
      checkpoints,
      '--json',
      '--output',
      output,
    ];
    const first = await backprop('train', '--epochs', '1', ...common);
    expect(first.status).toBe(0);
    const second = await backprop('train', '--epochs', '2', '--resume', ...common);
    expect(second.status).toBe(0);
    const lines = second.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, number>);
    expect(lines.map((line) => line['epoch'])).toEqual([2]); // epoch 1 came from the checkpoint
  });

  const bad: [string[], string][] = [
    [
      ['--optimizer', 'lbfgs'],
      'error: --optimizer must be one of sgd, momentum, nesterov, adagrad, rmsprop, adam, adamw; received lbfgs',
    ],
    [
      ['--optimizer', 'momentum', '--momentum', '1'],
      'error: --momentum must be a fraction from 0 up to (not including) 1; received 1',
    ],
    [
      ['--optimizer', 'adam', '--momentum', '0.9'],
      'error: --momentum applies to --optimizer momentum, nesterov or rmsprop; received --optimizer adam',
    ],
    [
      ['--weight-decay', '-0.1'],
      'error: --weight-decay must be a finite number >= 0; received -0.1',
    ],
    [
      ['--dropout', '1'],
      'error: --dropout must be a fraction from 0 up to (not including) 1; received 1',
    ],
    [['--patience', '-1'], 'error: --patience must be an integer >= 0; received -1'],
    [
      ['--schedule', 'step:gamma=2'],
      'error: --schedule step:gamma=2: schedule.gamma must be a number in (0, 1]; received 2',
    ],
    [
      ['--resume'],
      'error: --resume continues from the checkpoint in --checkpoint-dir; received --resume without --checkpoint-dir',
    ],
    [
      ['--preset', 'mnist-best', '--dataset', 'iris'],
      'error: --preset mnist-best trains on MNIST; received --dataset iris',
    ],
  ];
  for (const [args, message] of bad) {
    it(`rejects ${args.join(' ')} with one error line`, async () => {
      const run = await backprop(
        'train',
        '--limit',
        '100',
        '--output',
        join(directory, 'x.json'),
        ...args,
      );
      expect(errorLine(run)).toBe(message);
    });
  }

  it('rejects a checkpoint from another architecture', async () => {
    const checkpoints = join(directory, 'ckpt-arch');
    const common = [
      '--limit',
      '200',
      '--epochs',
      '1',
      '--checkpoint-dir',
      checkpoints,
      '--output',
      join(directory, 'a.json'),
    ];
    expect((await backprop('train', ...common)).status).toBe(0);
    const run = await backprop('train', '--layers', '784,32,10', '--resume', ...common);
    // Found when training starts, after the first line; stderr has the one error line.
    expect(run.status).toBe(1);
    expect(withoutSummary(run.stderr).trim().split('\n')).toHaveLength(1);
    expect(withoutSummary(run.stderr).trim()).toMatch(
      /^error: the checkpoint .*checkpoint.json was saved with the model Sequential\(Dense\(784 => 128, relu\), Dense\(128 => 10, softmax\)\); this run has Sequential\(Dense\(784 => 32, relu\), Dense\(32 => 10, softmax\)\)/,
    );
  });
});
