import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  launchChromium,
  requireChromium,
  SKIP_REASON,
  skipBrowserTests,
  watchErrors,
} from '../../../test/browser/chromium.js';
import { backprop, errorLine, withoutSummary, type Run } from './backprop.js';

if (skipBrowserTests) console.warn(SKIP_REASON);

let directory: string;
let out: string;
let run: Run;
beforeAll(async () => {
  directory = mkdtempSync(join(tmpdir(), 'backprop-train-report-'));
  out = join(directory, 'out');
  run = await backprop(
    'train',
    '--limit',
    '500',
    '--epochs',
    '2',
    '--report',
    out,
    '--output',
    join(directory, 'model.json'),
  );
}, 120_000);
afterAll(() => {
  rmSync(directory, { recursive: true, force: true });
});

describe('backprop train --report', () => {
  it('writes report.html, loss and accuracy as SVG and PNG, and prints the path', () => {
    expect(withoutSummary(run.stderr)).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout.trim().split('\n').at(-1)).toBe(
      `wrote the training report to ${join(out, 'report.html')}`,
    );
    for (const file of ['report.html', 'loss.svg', 'loss.png', 'accuracy.svg', 'accuracy.png']) {
      expect(existsSync(join(out, file)), file).toBe(true);
    }
  });

  it('plots a line per split in the SVGs: training and test, one point per epoch', () => {
    for (const name of ['loss', 'accuracy']) {
      const svg = readFileSync(join(out, `${name}.svg`), 'utf8');
      // One mark-line group per split (vega facets the colour), one path in each.
      const groups = svg.match(/<g class="mark-line role-mark[^"]*"[^>]*>.*?<\/g>/g) ?? [];
      const paths = groups.flatMap((group) =>
        [...group.matchAll(/<path[^>]* d="(M[^"]+)"/g)].map((m) => m[1]!),
      );
      expect(paths).toHaveLength(2);
      for (const d of paths) expect(d).toMatch(/^M[\d.,-]+L[\d.,-]+$/);
    }
  });

  it('embeds everything in the page: no http(s) script or stylesheet', () => {
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    expect(html).not.toMatch(/<script[^>]*\ssrc=/i);
    expect(html).not.toMatch(/<link[^>]*\shref=["']?https?:/i);
    expect(html).toContain('<th>--epochs</th><td>2</td>');
    expect(html).toContain('MNIST test set');
    // The settings of tables do not apply to MNIST.
    expect(html).not.toContain('<th>--scale</th>');
    expect(html).not.toContain('<th>--test-split</th>');
  });

  it('counts the confusion matrix of the 10,000 test images, agreeing with the test accuracy', () => {
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    const specs = /<script type="application\/json" id="report-specs">(.*?)<\/script>/s.exec(html);
    const values = JSON.parse(specs![1]!)['chart-confusion'].data.values as {
      actual: string;
      predicted: string;
      count: number;
    }[];
    expect(values).toHaveLength(100);
    const total = values.reduce((sum, cell) => sum + cell.count, 0);
    const correct = values.reduce((sum, c) => sum + (c.actual === c.predicted ? c.count : 0), 0);
    expect(total).toBe(10_000);
    const model = JSON.parse(readFileSync(join(directory, 'model.json'), 'utf8'));
    expect(correct / total).toBe(model.metadata.history.at(-1).testAccuracy);
  });

  it('puts the path on stderr with --json, keeping stdout to the JSON lines', async () => {
    const json = await backprop(
      'train',
      '--limit',
      '200',
      '--epochs',
      '1',
      '--json',
      '--report',
      join(directory, 'json-report'),
      '--output',
      join(directory, 'json.json'),
    );
    expect(json.status).toBe(0);
    expect(json.stdout.trim().split('\n')).toHaveLength(1);
    expect(json.stderr).toContain(
      `wrote the training report to ${join(directory, 'json-report', 'report.html')}`,
    );
  }, 60_000);

  it('reports a regression run with its loss curve, without accuracy or confusion matrix', async () => {
    const report = join(directory, 'cars-report');
    const cars = await backprop(
      'train',
      '--dataset',
      'cars',
      '--epochs',
      '3',
      '--report',
      report,
      '--output',
      join(directory, 'cars.json'),
    );
    expect(cars.status).toBe(0);
    expect(cars.stdout).toContain(`wrote the training report to ${join(report, 'report.html')}`);
    expect(existsSync(join(report, 'loss.svg'))).toBe(true);
    expect(existsSync(join(report, 'accuracy.svg'))).toBe(false);
    const html = readFileSync(join(report, 'report.html'), 'utf8');
    expect(html).toContain('id="chart-loss"');
    expect(html).not.toContain('id="chart-confusion"');
  }, 60_000);

  it('rejects a --report that is a file, before training', async () => {
    const file = join(directory, 'a-file');
    writeFileSync(file, 'x');
    expect(
      errorLine(
        await backprop('train', '--report', file, '--output', join(directory, 'never.json')),
      ),
    ).toBe(`error: --report ${file} is a file; give a directory, e.g. ${file}-report`);
    expect(
      errorLine(await backprop('train', '--report', '', '--output', join(directory, 'never.json'))),
    ).toBe('error: --report must be a directory, e.g. out; received ""');
    expect(existsSync(join(directory, 'never.json'))).toBe(false);
  });
});

describe.skipIf(skipBrowserTests)('report.html in headless Chromium', () => {
  it('draws every chart offline: lines, points and the confusion matrix cells', async () => {
    requireChromium();
    const { context, close } = await launchChromium();
    try {
      // Any request but the page itself would be a network dependency: refuse and record it.
      const requests: string[] = [];
      await context.route('**/*', (route) => {
        const url = route.request().url();
        if (url.startsWith('file:')) return route.continue();
        requests.push(url);
        return route.abort();
      });
      const page = context.pages()[0] ?? (await context.newPage());
      const errors = watchErrors(page);
      await page.goto(pathToFileURL(join(out, 'report.html')).href);
      await page.waitForFunction(() => document.body.dataset['charts'] !== undefined, null, {
        timeout: 20_000,
      });
      expect(await page.evaluate(() => document.body.dataset['charts'])).toBe('rendered');
      const marks = await page.evaluate(() =>
        Object.fromEntries(
          [...document.querySelectorAll('.chart')].map((chart) => [
            chart.id,
            {
              lines: chart.querySelectorAll('svg g.mark-line path').length,
              points: chart.querySelectorAll('svg g.mark-symbol.role-mark path').length,
              cells: chart.querySelectorAll('svg g.mark-rect.role-mark path').length,
            },
          ]),
        ),
      );
      expect(marks).toEqual({
        'chart-loss': { lines: 2, points: 4, cells: 0 },
        'chart-accuracy': { lines: 2, points: 4, cells: 0 },
        'chart-learningRate': { lines: 1, points: 2, cells: 0 },
        'chart-confusion': { lines: 0, points: 0, cells: 100 },
      });
      const d = await page.getAttribute('#chart-loss svg g.mark-line path', 'd');
      expect(d).toMatch(/^M[\d.,-]+L[\d.,-]+$/);
      expect(errors).toEqual([]);
      expect(requests).toEqual([]);
    } finally {
      await close();
    }
  }, 60_000);
});
