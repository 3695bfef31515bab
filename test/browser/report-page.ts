import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, expect, it } from 'vitest';
import { Dense, Diagnostics, Random, Sequential } from '../../packages/core/src/index.js';
import { writeTrainingReport } from '../../packages/report/src/index.js';
import { watchErrors, type Shared } from './chromium.js';
import { viewShot } from './view-shot.js';

// A training report with diagnostics, opened in Chromium: a 10-layer sigmoid network, built to
// show vanishing gradients, whose report draws the gradient norms and says so in words.

/** The test of the report's diagnostics view, in a describe block of teach.test.ts. */
export function reportPage(shared: Shared): void {
  const directory = mkdtempSync(join(tmpdir(), 'backprop-report-view-'));
  afterAll(() => rmSync(directory, { recursive: true, force: true }));

  it('draws the gradient norm of each layer and lists the warnings', async () => {
    const random = new Random(3);
    const x = Array.from({ length: 64 }, () => [random.normal(), random.normal()]);
    const y = x.map(([a, b]) => (a! * b! > 0 ? [1, 0] : [0, 1]));
    const sizes = [2, 8, 8, 8, 8, 8, 8, 8, 8, 8];
    const layers = sizes.map(
      (n, i) => new Dense(n, sizes[i + 1] ?? 2, { activation: i === 9 ? 'softmax' : 'sigmoid' }),
    );
    const model = new Sequential(layers, { seed: 1, dtype: 'float64' });
    const diagnostics = new Diagnostics({ sampleEvery: 1 });
    const history = await model.fit(x, y, { epochs: 4, batchSize: 16, callbacks: [diagnostics] });
    const { html } = await writeTrainingReport(join(directory, 'report'), {
      title: 'a 10-layer sigmoid network',
      settings: { '--diagnose': true },
      epochs: history.history['loss']!.map((loss, i) => ({ epoch: i + 1, loss })),
      diagnostics: diagnostics.epochs,
    });
    const page = await shared.browser.context.newPage();
    const errors = watchErrors(page);
    await page.goto(pathToFileURL(html).href);
    await page.locator('body[data-charts="rendered"]').waitFor();
    expect(await page.locator('li.warning[data-kind="vanishing"]').count()).toBe(1);
    expect(await page.locator('#chart-gradients svg .mark-line path').count()).toBe(10);
    await viewShot(page.locator('#chart-gradients'), 'report-gradients');
    await viewShot(page.locator('ul.warnings'), 'report-warnings');
    expect(errors).toEqual([]);
    await page.close();
  }, 60_000);
}
