import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reportCharts, renderSvg, writeTrainingReport, type TrainingReport } from '../src/index.js';

let directory: string;
beforeAll(() => {
  directory = mkdtempSync(join(tmpdir(), 'backprop-report-'));
});
afterAll(() => {
  rmSync(directory, { recursive: true, force: true });
});

const classification: TrainingReport = {
  title: 'backprop train: Sequential(Dense(4 => 8, relu), Dense(8 => 3, softmax))',
  createdAt: '2026-01-02T03:04:05.000Z',
  settings: { '--epochs': 3, '--learning-rate': 0.1, '--json': true },
  epochs: [1, 2, 3].map((epoch) => ({
    epoch,
    learningRate: 0.1 / epoch,
    loss: 1 / epoch,
    accuracy: 0.6 + epoch / 10,
    validationLoss: 1.1 / epoch,
    validationAccuracy: 0.55 + epoch / 10,
    testLoss: 1.2 / epoch,
    testAccuracy: 0.5 + epoch / 10,
  })),
  confusion: {
    data: 'test split, 30 rows',
    classNames: ['setosa', 'versicolor', 'virginica'],
    counts: [
      [10, 0, 0],
      [0, 9, 1],
      [0, 2, 8],
    ],
  },
};

/** The `d` attributes of the line marks' paths in an SVG. */
function linePaths(svg: string): string[] {
  const groups = svg.match(/<g class="mark-line role-mark[^"]*"[^>]*>.*?<\/g>/g) ?? [];
  return groups.flatMap((group) =>
    [...group.matchAll(/<path[^>]* d="([^"]+)"/g)].map((m) => m[1]!),
  );
}

describe('writeTrainingReport', () => {
  it('writes report.html and the loss and accuracy curves as SVG and PNG', async () => {
    const out = join(directory, 'classification');
    const files = await writeTrainingReport(out, classification);
    expect(files.html).toBe(join(out, 'report.html'));
    expect(files.images).toEqual(
      ['loss.svg', 'loss.png', 'accuracy.svg', 'accuracy.png'].map((f) => join(out, f)),
    );
    for (const file of [files.html, ...files.images]) expect(existsSync(file)).toBe(true);
    expect(readdirSync(out).filter((f) => f.endsWith('.tmp'))).toEqual([]); // written atomically

    for (const name of ['loss', 'accuracy']) {
      const svg = readFileSync(join(out, `${name}.svg`), 'utf8');
      expect(svg).toMatch(/^<svg /);
      const paths = linePaths(svg);
      expect(paths).toHaveLength(3); // training, validation, test
      for (const d of paths) expect(d).toMatch(/^M[\d.,-]+L[\d.,-]+L[\d.,-]+$/); // 3 epochs
      expect(svg).toContain('aria-label="epoch: 3;');
      const png = readFileSync(join(out, `${name}.png`));
      expect([...png.subarray(0, 8)]).toEqual([137, 80, 78, 71, 13, 10, 26, 10]);
      const width = Number(/<svg [^>]*width="(\d+)"/.exec(svg)![1]);
      expect(png.readUInt32BE(16)).toBe(2 * width); // IHDR width, drawn at scale 2
    }
  });

  it('makes a page that needs no network: libraries and specs inlined, no src attributes', async () => {
    const out = join(directory, 'page');
    const { html: path } = await writeTrainingReport(out, classification);
    const html = readFileSync(path, 'utf8');
    expect(html).not.toMatch(/<script[^>]+src=/i);
    expect(html).not.toMatch(/<link[^>]+href=/i);
    expect(html).not.toMatch(/src=["']?https?:/i);
    expect(html).toContain('/* vega vega.min.js */');
    expect(html).toContain('/* vega-lite vega-lite.min.js */');
    // Every script element ends where it should: no stray </script> inside the libraries.
    expect(html.match(/<script/g)).toHaveLength(4);
    expect(html.match(/<\/script>/g)).toHaveLength(4);
    const specs = JSON.parse(
      /<script type="application\/json" id="report-specs">(.*?)<\/script>/s.exec(html)![1]!,
    );
    expect(Object.keys(specs)).toEqual([
      'chart-loss',
      'chart-accuracy',
      'chart-learningRate',
      'chart-confusion',
    ]);
    expect(specs['chart-loss'].data.values).toHaveLength(9);
    for (const id of Object.keys(specs)) expect(html).toContain(`<div class="chart" id="${id}"`);
    expect(html).toContain('<th>--learning-rate</th><td>0.1</td>');
    expect(html).toContain('<th>validation accuracy</th>');
    expect(html).toContain('<td class="number">90.00%</td>');
    expect(html).toContain('backprop train: Sequential(Dense(4 =&gt; 8, relu)');
  });

  it('leaves out accuracy for a regression and the confusion matrix when there is none', async () => {
    const out = join(directory, 'regression');
    const files = await writeTrainingReport(out, {
      title: 'regression',
      settings: {},
      epochs: [
        { epoch: 1, loss: 3, testLoss: 3.5 },
        { epoch: 2, loss: 2, testLoss: 2.5 },
      ],
    });
    expect(files.images).toEqual([join(out, 'loss.svg'), join(out, 'loss.png')]);
    expect(existsSync(join(out, 'accuracy.svg'))).toBe(false);
    const html = readFileSync(files.html, 'utf8');
    expect(html).not.toContain('id="chart-accuracy"');
    expect(html).not.toContain('id="chart-confusion"');
    expect(html).not.toContain('id="chart-learningRate"');
  });
});

describe('reportCharts', () => {
  it('draws the confusion matrix as one cell per pair of classes with its count', async () => {
    const svg = await renderSvg(reportCharts(classification).confusion!);
    const cells = svg.match(/<g class="mark-rect role-mark[^"]*"[^>]*>(.*?)<\/g>/)![1]!;
    expect(cells.match(/<path/g)).toHaveLength(9);
    expect(svg).toMatch(
      /aria-label="predicted class: versicolor; true class: virginica; [^"]*count: 2"/,
    );
  });
});
