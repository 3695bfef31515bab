import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inProcess } from './in-process.js';

// `backprop train --diagnose --report out`: the report holds each epoch's diagnostics, the same
// numbers as the model file's history.

let directory: string;
beforeAll(() => {
  directory = mkdtempSync(join(tmpdir(), 'backprop-cli-diagnose-report-'));
});
afterAll(() => rmSync(directory, { recursive: true, force: true }));

describe('backprop train --diagnose --report', () => {
  it('puts the warnings, the per-layer table and the gradient-norm chart into the report', async () => {
    const output = join(directory, 'model.json');
    const out = join(directory, 'report');
    // η = 30: updates far above 10% of the weights, a warning the report must show.
    const run = await inProcess(
      'train',
      ...['--limit', '500', '--epochs', '2', '--backend', 'js', '--layers', '784,16,10'],
      ...['--learning-rate', '30', '--diagnose', '--report', out, '--output', output],
    );
    expect(run.error).toBeUndefined();
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    const history = (
      JSON.parse(readFileSync(output, 'utf8')) as {
        metadata: {
          history: { diagnostics: { layers: { gradientNorm: number }[]; warnings: object[] } }[];
        };
      }
    ).metadata.history;
    expect(html).toContain('<h2>Diagnostics</h2>');
    expect(html).toMatch(
      /<li class="warning" data-kind="largeUpdates">Each update changes layer \d/,
    );
    const rows = /<table class="diagnostics">.*?<\/table>/s.exec(html)![0].match(/<tr><td/g);
    expect(rows).toHaveLength(2);
    history.forEach((record) => {
      for (const layer of record.diagnostics.layers) {
        expect(html).toContain(`<td class="number">${layer.gradientNorm.toPrecision(3)}</td>`);
      }
    });
    expect(html).toContain('id="chart-gradients"');
    expect(html).toContain('<th>--diagnose</th><td>true</td>');
    expect(readFileSync(join(out, 'gradients.svg'), 'utf8')).toMatch(/^<svg /);
  });
});
