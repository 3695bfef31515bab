import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { artifacts } from './chromium.js';

/**
 * Saves test-artifacts/<name>.png cropped to the elements (their bounding box together): the
 * view alone, small enough for the README (docs/images/ holds copies).
 */
export async function crop(page: Page, name: string, selectors: string[]): Promise<void> {
  // In page coordinates (a full-page clip's), not the viewport's that boundingBox gives.
  const { x, y, right, bottom } = await page.evaluate((list) => {
    const boxes = list.map((s) => document.querySelector(s)!.getBoundingClientRect());
    return {
      x: Math.min(...boxes.map((b) => b.left)) + window.scrollX,
      y: Math.min(...boxes.map((b) => b.top)) + window.scrollY,
      right: Math.max(...boxes.map((b) => b.right)) + window.scrollX,
      bottom: Math.max(...boxes.map((b) => b.bottom)) + window.scrollY,
    };
  }, selectors);
  mkdirSync(artifacts, { recursive: true });
  await page.screenshot({
    path: join(artifacts, `${name}.png`),
    clip: { x, y, width: right - x, height: bottom - y },
    fullPage: true,
  });
}
