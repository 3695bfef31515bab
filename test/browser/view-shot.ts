import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator } from 'playwright-core';
import { artifacts } from './chromium.js';

/**
 * Saves a screenshot of one view (an element) as test-artifacts/views/<name>.png, for the
 * README's pictures (copies are committed in docs/images/).
 * @returns the file's path
 */
export async function viewShot(view: Locator, name: string): Promise<string> {
  const folder = join(artifacts, 'views');
  mkdirSync(folder, { recursive: true });
  const path = join(folder, `${name}.png`);
  await view.screenshot({ path });
  return path;
}
