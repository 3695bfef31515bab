import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { Matrix, modelFromJSON } from '../../packages/core/src/index.js';
import { root, screenshot, watchErrors, type Shared } from './chromium.js';

// The digits page (web/digits.html) in Chromium, with a model trained on MNIST by the CLI:
// it loads the model file by path and by file picker, and its probabilities for a drawn digit
// are the library's prediction for the 28 × 28 input it shows.

/** Draws one stroke through the points (pad pixels) with the mouse. */
async function stroke(page: Page, points: [number, number][]): Promise<void> {
  const box = (await page.locator('#pad').boundingBox())!;
  const [first, ...rest] = points;
  await page.mouse.move(box.x + first![0], box.y + first![1]);
  await page.mouse.down();
  for (const [x, y] of rest) await page.mouse.move(box.x + x, box.y + y, { steps: 8 });
  await page.mouse.up();
}

/** The tests of the digits page, in a describe block of pages.test.ts. */
export function digitsPage(shared: Shared): void {
  let page: Page;
  let errors: string[];
  const folder = mkdtempSync(join(tmpdir(), 'backprop-digits-'));
  const modelFile = join(folder, 'mnist-model.json');

  beforeAll(async () => {
    // A small model trained by the CLI (packages/cli/dist is compiled by test/global-setup.ts): 784-64-10
    // on 10,000 MNIST images for 2 epochs, about 91% test accuracy, in a few seconds.
    execFileSync(
      process.execPath,
      [
        'packages/cli/dist/main.js',
        'train',
        '--layers=784,64,10',
        '--limit=10000',
        '--epochs=2',
        `--output=${modelFile}`,
      ],
      { cwd: root, stdio: 'pipe' },
    );
    process.env['BACKPROP_MODEL'] = modelFile; // served at /model.json by web/vite.config.ts
    page = await shared.browser.context.newPage();
    errors = watchErrors(page);
  }, 90_000);

  afterAll(() => {
    delete process.env['BACKPROP_MODEL'];
    rmSync(folder, { recursive: true, force: true });
  });

  it('loads a model trained by the CLI from a path, with no console errors', async () => {
    await page.goto(`${shared.url}digits.html?model=model.json`);
    await page.locator('#model-status[data-state="loaded"]').waitFor();
    expect(await page.locator('#model-status').textContent()).toMatch(
      /^Loaded model\.json: Sequential\(Dense\(784 => 64, relu\), Dense\(64 => 10, softmax\)\), float32, test accuracy \d+\.\d\d%$/,
    );
    expect(await page.locator('#probabilities li').count()).toBe(10);
    expect(errors).toEqual([]);
  }, 30_000);

  it('shows the probabilities the library predicts for the 28 × 28 input it shows', async () => {
    // A 7: a bar across the top and a stroke down to the lower left.
    await stroke(page, [
      [90, 60],
      [190, 60],
      [120, 240],
    ]);
    await page.locator('#prediction[data-digit="7"]').waitFor({ timeout: 5_000 });
    const pixels = await page
      .locator('#preview')
      .evaluate((canvas: HTMLCanvasElement) =>
        Array.from(canvas.getContext('2d')!.getImageData(0, 0, 28, 28).data).filter(
          (_, i) => i % 4 === 0,
        ),
      );
    expect(pixels).toHaveLength(784);
    expect(pixels.filter((v) => v > 0).length).toBeGreaterThan(40);

    const model = modelFromJSON(JSON.parse(readFileSync(modelFile, 'utf8')));
    const input = new Matrix(1, 784, 'float32');
    input.data.set(pixels.map((v) => v / 255));
    const expected = Array.from(model.predict(input).data);
    const shown = await page
      .locator('#probabilities .value')
      .evaluateAll((cells) => cells.map((cell) => Number(cell.getAttribute('data-value'))));
    expect(shown).toHaveLength(10);
    // Same float32 code; Chromium's and Node's Math.exp may differ in their last bit.
    shown.forEach((p, digit) => expect(Math.abs(p - expected[digit]!)).toBeLessThan(1e-6));
    expect(expected.indexOf(Math.max(...expected))).toBe(7);
    await screenshot(page, 'digits');
  }, 30_000);

  it('loads a model file chosen with the file picker, and names what is wrong with a bad one', async () => {
    const bad = join(folder, 'bad.json');
    writeFileSync(bad, JSON.stringify({ format: 'backprop-model', version: 99 }));
    await page.locator('#model-file').setInputFiles(bad);
    await page.locator('#model-status[data-state="error"]').waitFor();
    expect(await page.locator('#model-status').textContent()).toMatch(/^bad\.json: .*version/);

    await page.locator('#model-file').setInputFiles(modelFile);
    await page.locator('#model-status[data-state="loaded"]').waitFor();
    expect(await page.locator('#model-status').textContent()).toMatch(
      /^Loaded mnist-model\.json: /,
    );
    await page.locator('#clear').click();
    expect(await page.locator('#prediction').textContent()).toBe('');
    expect(errors).toEqual([]);
  }, 30_000);
}
