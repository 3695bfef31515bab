import { join } from 'node:path';
import type { Page } from 'playwright-core';
import type { ViteDevServer } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  SKIP_REASON,
  launchChromium,
  requireChromium,
  root,
  skipBrowserTests,
  startPlayground,
  watchErrors,
  type Browser,
} from './chromium.js';
import type {} from './library-page/main.js';

// Relaxed SIMD in Chromium (which has it since 114), through the browser entry served from
// source (test/browser/library-page/): the relaxed kernels are not part of the entry, so
// createBackend asks for createBackendAsync until that has loaded them by a dynamic import;
// then the fused products agree with the default ones to 1e-5 and differ in some last bits.

if (skipBrowserTests) console.warn(SKIP_REASON);

describe.skipIf(skipBrowserTests)('relaxed SIMD in Chromium', () => {
  let server: ViteDevServer | undefined;
  let browser: Browser | undefined;
  let page: Page;
  let errors: string[];

  beforeAll(async () => {
    requireChromium();
    const started = await startPlayground({ root: join(root, 'test/browser/library-page') });
    server = started.server;
    browser = await launchChromium();
    page = await browser.context.newPage();
    errors = watchErrors(page);
    await page.goto(started.url);
    await page.waitForFunction(() => window.backprop !== undefined);
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('is loaded by createBackendAsync, then agrees with the default kernels to 1e-5', async () => {
    const result = await page.evaluate(async () => {
      const { createBackend, createBackendAsync, Matrix, Random, relaxedSimdAvailable } =
        window.backprop;
      let before = '';
      try {
        createBackend('wasm', { relaxedSimd: true });
      } catch (error) {
        before = `${(error as Error).name}: ${(error as Error).message}`;
      }
      const relaxed = await createBackendAsync('wasm', { relaxedSimd: true });
      const plain = createBackend('wasm');
      const random = new Random(4);
      const matrix = (rows: number, cols: number) => {
        const m = new Matrix(rows, cols);
        for (let i = 0; i < m.data.length; i++) m.data[i] = 4 * random.uniform() - 2;
        return m;
      };
      const [a, b] = [matrix(29, 203), matrix(17, 203)];
      const product = (backend: typeof plain) => {
        const c = new Matrix(29, 17);
        backend.gemm(a, false, b, true, c, 1, 0);
        return Array.from(c.data);
      };
      return {
        available: relaxedSimdAvailable(),
        before,
        name: relaxed.name,
        afterLoad: createBackend('wasm', { relaxedSimd: true }).name,
        fused: product(relaxed),
        expected: product(plain),
      };
    });
    expect(result.available).toBe(true);
    expect(result.before).toMatch(
      /^ConfigError: relaxedSimd: the relaxed-SIMD kernels are not loaded yet; in a browser create the backend with createBackendAsync/,
    );
    expect([result.name, result.afterLoad]).toEqual(['wasm+relaxed', 'wasm+relaxed']);
    let different = 0;
    result.expected.forEach((e, i) => {
      const v = result.fused[i]!;
      expect(Math.abs(v - e)).toBeLessThanOrEqual(1e-5 * Math.max(1, Math.abs(e)));
      if (v !== e) different++;
    });
    expect(different).toBeGreaterThan(0);
    expect(errors).toEqual([]);
  });
});
