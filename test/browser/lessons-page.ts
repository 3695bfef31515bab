import type { Page } from 'playwright-core';
import { join } from 'node:path';
import { beforeAll, expect, it } from 'vitest';
import { LESSONS } from '../../web/playground/presets.js';
import { artifacts, screenshot, watchErrors, type Shared } from './chromium.js';
import { viewShot } from './view-shot.js';

// The playground's lessons in Chromium: each loads its settings (or, for the lecture's
// network, the step-through) and shows its two sentences; the dead-ReLU lesson trains on the
// page. Screenshots go to test-artifacts/.

/** The tests of the lessons, in a describe block of pages.test.ts. */
export function lessonsPage(shared: Shared): void {
  let page: Page;
  let errors: string[];

  beforeAll(async () => {
    page = await shared.browser.context.newPage();
    errors = watchErrors(page);
    await page.goto(shared.url);
    await page.locator('#inspector table').first().waitFor();
  }, 60_000);

  it('loads each lesson with its two sentences', async () => {
    for (const lesson of LESSONS) {
      await page.locator('#lesson').selectOption(lesson.id);
      expect(await page.locator('#lesson-text').textContent()).toBe(lesson.text);
      if (lesson.config === undefined) {
        expect(await page.locator('#step-through').isVisible()).toBe(true);
        continue;
      }
      expect(await page.locator('#step-through').isVisible()).toBe(false);
      expect(await page.locator('#hidden').inputValue()).toBe(lesson.config.hidden.join(', '));
      expect(await page.locator('#activation').inputValue()).toBe(lesson.config.activation);
      expect(await page.locator('#dataset').inputValue()).toBe(lesson.config.dataset);
      expect(Number(await page.locator('#learning-rate').inputValue())).toBe(
        lesson.config.learningRate,
      );
      const units = 2 + lesson.config.hidden.reduce((a, b) => a + b, 0) + 1;
      expect(await page.locator('#network .unit').count()).toBe(units);
      await screenshot(page, `lesson-${lesson.id}`);
    }
  });

  it('trains the dead-ReLU lesson on the page (a screenshot of the lesson view)', async () => {
    await page.locator('#lesson').selectOption('dead-relus');
    await page.locator('#train').click();
    await page.waitForFunction(
      () => Number(document.querySelector('#epoch')?.getAttribute('data-value')) >= 30,
      undefined,
      { timeout: 30_000 },
    );
    await page.locator('#train').click(); // Pause
    await page.locator('#status[data-state="paused"]').waitFor();
    await page.locator('#network .unit[data-layer="1"][data-unit="0"]').click();
    await page.locator('#inspector[data-layer="1"][data-unit="0"]').waitFor();
    // Zoomed out a little, to keep the PNG small for the README; the view is at the top.
    await page.evaluate(() => {
      document.body.style.setProperty('zoom', '0.8');
      window.scrollTo(0, 0);
    });
    const [lessons, network] = await Promise.all(
      ['#controls > fieldset', '#network'].map((s) => page.locator(s).first().boundingBox()),
    );
    await page.screenshot({
      path: join(artifacts, 'lesson-dead-relus-trained.png'),
      clip: {
        x: 0,
        y: lessons!.y - 8,
        width: network!.x + network!.width + 8,
        height: network!.y + network!.height - lessons!.y + 16,
      },
    });
    await page.evaluate(() => document.body.style.removeProperty('zoom'));
    expect(errors).toEqual([]);
  }, 60_000);

  it('reported no console errors', () => {
    expect(errors).toEqual([]);
  });
  it('shows the main run’s diagnostics from the training worker: dead ReLUs in that lesson', async () => {
    await page.evaluate(() => document.body.style.removeProperty('zoom'));
    await page.locator('#lesson').selectOption('dead-relus');
    await page.locator('#diagnose').check();
    expect(await page.locator('#diagnostics').textContent()).toBe('Train to see the diagnostics.');
    await page.locator('#train').click();
    await page.waitForFunction(
      () => Number(document.querySelector('#epoch')?.getAttribute('data-value')) >= 10,
      undefined,
      { timeout: 30_000 },
    );
    await page.locator('#train').click(); // Pause
    await page.locator('#status[data-state="paused"]').waitFor();
    expect(Number(await page.locator('#diagnostics').getAttribute('data-epoch'))).toBeGreaterThan(
      5,
    );
    await page.locator('#diagnostics li[data-kind="dead"]').first().waitFor();
    await viewShot(page.locator('#diagnostics'), 'playground-diagnostics');
    await page.locator('#diagnose').uncheck();
    expect(await page.locator('#diagnostics').isHidden()).toBe(true);
    expect(errors).toEqual([]);
  }, 60_000);
}
