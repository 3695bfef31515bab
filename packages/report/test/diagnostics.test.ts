import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Dense, Diagnostics, Random, Sequential } from '@backpropjs/core';
import { reportCharts, renderSvg, writeTrainingReport, type TrainingReport } from '../src/index.js';

// A training report with diagnostics: a network built to show a problem (three of four ReLU
// units dead, from a bias of −100) trained with the core's Diagnostics callback; the report
// shows its warning in plain language, each epoch's numbers and the gradient-norm chart.

let directory: string;
let report: TrainingReport;
let diagnostics: Diagnostics;
beforeAll(async () => {
  directory = mkdtempSync(join(tmpdir(), 'backprop-report-diagnostics-'));
  const random = new Random(5);
  const x = Array.from({ length: 64 }, () => [random.normal(), random.normal()]);
  const y = x.map(([a, b]) => (a! + b! > 0 ? [1, 0] : [0, 1]));
  const relu = new Dense(2, 4, { activation: 'relu' });
  const model = new Sequential([relu, new Dense(4, 2, { activation: 'softmax' })], {
    seed: 2,
    dtype: 'float64',
  });
  relu.bias.data.set([-100, -100, -100, 1]);
  diagnostics = new Diagnostics({ sampleEvery: 1 });
  const history = await model.fit(x, y, {
    epochs: 3,
    batchSize: 16,
    learningRate: 0.05,
    callbacks: [diagnostics],
  });
  report = {
    title: 'dead ReLUs',
    settings: { '--diagnose': true },
    epochs: history.history['loss']!.map((loss, i) => ({ epoch: i + 1, loss })),
    diagnostics: diagnostics.epochs,
  };
});
afterAll(() => rmSync(directory, { recursive: true, force: true }));

describe('a training report with diagnostics', () => {
  it('shows the warning once, with its epochs and hint, and a row per epoch', async () => {
    expect(diagnostics.epochs.map((e) => e.layers[0]!.dead)).toEqual([0.75, 0.75, 0.75]);
    const files = await writeTrainingReport(join(directory, 'dead'), report);
    const html = readFileSync(files.html, 'utf8');
    const warnings = html.match(/<li class="warning" data-kind="dead">.*?<\/li>/g) ?? [];
    expect(warnings).toEqual([
      '<li class="warning" data-kind="dead">75% of layer 1&#39;s 4 ReLU units are dead (0 on every example) (epochs 1–3). <em>Hint: lower the learning rate, use He initialisation and a bias near 0, or try leakyRelu.</em></li>',
    ]);
    const table = /<table class="diagnostics">.*?<\/table>/s.exec(html)![0];
    expect(table).toContain('<th colspan="3">layer 1 (relu, 4 units)</th>');
    expect(table).toContain('<th colspan="3">layer 2 (softmax, 2 units)</th>');
    const rows = table.match(/<tr><td class="number">\d+<\/td>.*?<\/tr>/g)!;
    expect(rows).toHaveLength(3);
    diagnostics.epochs.forEach((epoch, i) => {
      const cells = [...rows[i]!.matchAll(/<td class="number">([^<]*)<\/td>/g)].map((m) => m[1]);
      const [first, second] = epoch.layers;
      expect(cells).toEqual([
        String(epoch.epoch),
        first!.gradientNorm.toPrecision(3),
        `${(100 * first!.updateRatio).toPrecision(3)}%`,
        '75.0%',
        second!.gradientNorm.toPrecision(3),
        `${(100 * second!.updateRatio).toPrecision(3)}%`,
        '',
      ]);
    });
  });

  it('draws the gradient norms, one line per layer with a point per epoch, as SVG and PNG', async () => {
    const files = await writeTrainingReport(join(directory, 'chart'), report);
    expect(files.images.map((file) => file.split('/').at(-1))).toEqual([
      'loss.svg',
      'loss.png',
      'gradients.svg',
      'gradients.png',
    ]);
    const svg = await renderSvg(reportCharts(report).gradients!);
    const groups = svg.match(/<g class="mark-line role-mark[^"]*"[^>]*>.*?<\/g>/g) ?? [];
    expect(groups.flatMap((g) => g.match(/<path/g) ?? [])).toHaveLength(2);
    const norm = diagnostics.epochs[2]!.layers[1]!.gradientNorm;
    // Vega labels each point with its value to 12 significant digits.
    const label = `epoch: 3; ‖∂L/∂W‖: ${Number(norm.toPrecision(12))}; layer: layer 2`;
    expect(svg).toContain(
      `aria-label="${label}" role="graphics-symbol" aria-roledescription="point"`,
    );
  });

  it('a healthy run says so; a model file’s nulls (NaN in JSON) are shown as dashes', async () => {
    const healthy: TrainingReport = {
      ...report,
      diagnostics: [
        {
          epoch: 1,
          layers: [
            {
              layer: 1,
              activation: 'tanh',
              units: 3,
              frozen: false,
              gradientNorm: null,
              updateRatio: 0.001,
              dead: null,
              saturated: 0,
            },
          ],
          warnings: [],
        },
      ],
    };
    const files = await writeTrainingReport(join(directory, 'healthy'), healthy);
    const html = readFileSync(files.html, 'utf8');
    expect(html).toContain('<p class="no-warnings">No warnings');
    expect(html).toContain(
      '<td class="number">1</td><td class="number">–</td><td class="number">0.100%</td><td class="number">0.00%</td>',
    );
    expect(html).toContain('<th>saturated</th>');
  });

  it('without diagnostics, has no diagnostics section and no gradient chart', () => {
    expect(reportCharts({ ...report, diagnostics: undefined }).gradients).toBeUndefined();
  });
});
