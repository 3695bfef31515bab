import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NumericalError } from '../../core/src/index.js';
import { inProcess } from './in-process.js';

let directory: string;
beforeAll(() => {
  directory = mkdtempSync(join(tmpdir(), 'backprop-cli-diagnose-'));
});
afterAll(() => rmSync(directory, { recursive: true, force: true }));

const common = ['--limit', '1000', '--epochs', '1', '--backend', 'js', '--layers', '784,32,10'];

describe('backprop train --diagnose', () => {
  it('prints each layer after the epoch line, and the model file keeps the diagnostics', async () => {
    const output = join(directory, 'text.json');
    const run = await inProcess('train', ...common, '--diagnose', '--output', output);
    expect(run.error).toBeUndefined();
    const lines = run.stdout.split('\n');
    const epoch = lines.findIndex((line) => line.startsWith('epoch 1/1'));
    expect(lines[epoch + 1]).toMatch(
      /^ {2}layer 1 \(relu, 32 units\) {2}‖∂L\/∂W‖ \d\.\d\d+ {2}update \d.*% {2}dead \d.*%$/,
    );
    expect(lines[epoch + 2]).toMatch(/^ {2}layer 2 \(softmax, 10 units\) {2}‖∂L\/∂W‖ /);
    const file = JSON.parse(readFileSync(output, 'utf8')) as {
      metadata: { history: { diagnostics: { layers: { gradientNorm: number }[] } }[] };
    };
    const [kept] = file.metadata.history;
    expect(kept!.diagnostics.layers).toHaveLength(2);
    expect(kept!.diagnostics.layers[0]!.gradientNorm).toBeGreaterThan(0);
  });

  it('--json puts the diagnostics in the JSON lines, with the warnings', async () => {
    const output = join(directory, 'json.json');
    // η = 30: updates far above 10% of the weights.
    const run = await inProcess(
      'train',
      ...common,
      '--learning-rate',
      '30',
      '--diagnose',
      '--json',
      '--output',
      output,
    );
    const records = run.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { diagnostics: { warnings: { kind: string }[] } });
    expect(records).toHaveLength(1);
    expect(records[0]!.diagnostics.warnings.map((warning) => warning.kind)).toContain(
      'largeUpdates',
    );
  });

  it('without --diagnose, prints and keeps none', async () => {
    const output = join(directory, 'plain.json');
    const run = await inProcess('train', ...common, '--json', '--output', output);
    expect(run.stdout).not.toContain('diagnostics');
    expect(readFileSync(output, 'utf8')).not.toContain('gradientNorm');
  });

  it('names where a non-finite loss came from', async () => {
    const run = await inProcess(
      'train',
      ...common,
      '--learning-rate',
      '1e30',
      '--diagnose',
      '--output',
      join(directory, 'nan.json'),
    );
    expect(run.error).toBeInstanceOf(NumericalError);
    expect(run.error!.message).toMatch(
      /; first non-finite value: .* of layer \d.*; help: training diverged, try a smaller --learning-rate than 1e\+30$/,
    );
  });
});
