import type { Page } from 'playwright-core';
import { beforeAll, expect, it } from 'vitest';
import { screenshot, valueOf, watchErrors, type Shared } from './chromium.js';
import { viewShot } from './view-shot.js';

// Rewind and replay on the playground page (web/index.html): Reset goes back to epoch 0 with
// the same initial weights, Replay trains the run again to the same losses, and a run with one
// setting changed is drawn beside the previous one, labelled with the change.

/** Every weight and bias the inspector shows (output unit: the hidden layer's weights). */
async function shownParameters(page: Page): Promise<number[]> {
  return page
    .locator('#inspector [data-q="w"], #inspector [data-q="b"]')
    .evaluateAll((cells) => cells.map((cell) => Number(cell.getAttribute('data-value'))));
}

/** Waits until the page is paused after `epochs` epochs. */
async function pausedAt(page: Page, epochs: number): Promise<void> {
  await page.waitForFunction(
    (epochs) =>
      document.querySelector('#status')?.getAttribute('data-state') === 'paused' &&
      document.querySelector('#epoch')?.getAttribute('data-value') === String(epochs),
    epochs,
    { timeout: 30_000 },
  );
}

/** The current run's curve and the previous run's, as the same kind of point list. */
async function curves(page: Page): Promise<{ current: string; previous: string }> {
  const current = (await page.locator('#loss-chart polyline').getAttribute('points')) ?? '';
  const d = (await page.locator('#loss-chart path.previous-line').getAttribute('d')) ?? '';
  return { current, previous: d.replace(/^M/, '').replaceAll(' L', ' ') };
}

/** The tests of rewind and replay, in a describe block of pages.test.ts. */
export function replayPage(shared: Shared): void {
  let page: Page;
  let errors: string[];
  /** The first run: its epochs, final training loss and loss curve. */
  let first: { epochs: number; loss: number; curve: string };
  let initial: number[];

  beforeAll(async () => {
    page = await shared.browser.context.newPage();
    errors = watchErrors(page);
    await page.goto(shared.url);
    await page.locator('#inspector table').first().waitFor();
  }, 60_000);

  it('rewinds to epoch 0 with the same initial weights', async () => {
    initial = await shownParameters(page);
    expect(initial.length).toBe(4 + 1); // the output unit: 4 weights and its bias
    const initialLoss = await valueOf(page, '#train-loss');
    await page.locator('#train').click();
    await page.waitForFunction(() => Number(document.querySelector('#epoch')?.textContent) >= 40);
    await page.locator('#train').click(); // Pause
    await page.locator('#status[data-state="paused"]').waitFor();
    const epochs = await valueOf(page, '#epoch');
    first = {
      epochs,
      loss: await valueOf(page, '#train-loss'),
      curve: (await curves(page)).current,
    };
    expect(await shownParameters(page)).not.toEqual(initial);

    await page.locator('#reset').click();
    await pausedAt(page, 0);
    expect(await shownParameters(page)).toEqual(initial);
    expect(await valueOf(page, '#train-loss')).toBe(initialLoss);
    // The first run stays on the chart, dashed, for comparison.
    const path = page.locator('#loss-chart path.previous-line');
    expect(await path.getAttribute('data-epochs')).toBe(String(epochs));
    expect(await page.locator('#compare').textContent()).toBe(
      'Dashed: the previous run, same settings.',
    );
  }, 60_000);

  it('replays the same losses as the first run', async () => {
    await page.locator('#replay').click();
    await pausedAt(page, first.epochs);
    expect(await valueOf(page, '#train-loss')).toBe(first.loss);
    const { current, previous } = await curves(page);
    expect(current).toBe(first.curve);
    expect(previous).toBe(first.curve);
  }, 60_000);

  it('replays with one setting changed, and labels the two curves with the change', async () => {
    await page.locator('#learning-rate').fill('0.3');
    await page.locator('#learning-rate').dispatchEvent('change');
    await page.locator('#replay').click();
    await pausedAt(page, first.epochs);
    expect(await page.locator('#compare').textContent()).toBe(
      'Dashed: the previous run, η 0.1 → 0.3.',
    );
    // Both curves span the same epochs, on one scale; they differ.
    const { current, previous } = await curves(page);
    expect(current).not.toBe(previous);
    for (const curve of ['polyline', 'path.previous-line']) {
      expect(await page.locator(`#loss-chart ${curve}`).getAttribute('data-epochs')).toBe(
        String(first.epochs),
      );
    }
    await screenshot(page, 'playground-replay');
    await viewShot(page.locator('#loss-chart'), 'playground-replay');
    // It started from the same initial weights: rewinding shows them again.
    await page.locator('#reset').click();
    await pausedAt(page, 0);
    expect(await shownParameters(page)).toEqual(initial);
  }, 60_000);

  it('reported no console errors while rewinding and replaying', () => {
    expect(errors).toEqual([]);
  });
}
