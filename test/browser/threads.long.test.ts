import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { build, preview, type PreviewServer, type ViteDevServer } from 'vite';
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
import type { PageReport } from './threads-page/main.js';

// The 'wasm' backend with threads in Chromium. The page test/browser/threads-page/ starts a
// Web Worker that creates the backend with createBackendAsync and trains the same seeded model
// with one thread and with two. It is served with the playground's Vite configuration
// (web/vite.config.ts, whose dev and preview servers send the cross-origin isolation headers):
// from source by the dev server, and built (minified, as a user's bundle) under `vite preview`.

if (skipBrowserTests) console.warn(SKIP_REASON);

const configFile = join(root, 'web/vite.config.ts');
const pageRoot = join(root, 'test/browser/threads-page');

describe.skipIf(skipBrowserTests)('the wasm backend with threads in Chromium', () => {
  let outDir: string | undefined;
  let dev: ViteDevServer | undefined;
  let built: PreviewServer | undefined;
  let browser: Browser | undefined;
  /** The page's URL on each server. */
  const urls = { dev: '', built: '' };

  beforeAll(async () => {
    requireChromium();
    const started = await startPlayground({ root: pageRoot });
    dev = started.server;
    urls.dev = started.url;
    outDir = mkdtempSync(join(tmpdir(), 'backprop-threads-'));
    await build({
      configFile,
      root: pageRoot,
      logLevel: 'error',
      build: {
        outDir,
        emptyOutDir: true,
        rolldownOptions: { input: join(pageRoot, 'index.html') }, // not the playground's pages
      },
    });
    built = await preview({
      configFile,
      root: pageRoot,
      logLevel: 'warn',
      build: { outDir },
      preview: { host: '127.0.0.1', port: 0 },
    });
    urls.built = built.resolvedUrls?.local[0] ?? '';
    browser = await launchChromium();
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await built?.close();
    await dev?.close();
    if (outDir !== undefined) rmSync(outDir, { recursive: true, force: true });
  });

  /** Opens the page in a new tab and waits for its report; the page must log no error. */
  async function report(url: string, setUp?: (page: Page) => Promise<void>): Promise<PageReport> {
    const page = await browser!.context.newPage();
    const errors = watchErrors(page);
    await setUp?.(page);
    await page.goto(url);
    const result = await page.evaluate(() => window.report);
    expect(errors).toEqual([]);
    await page.close();
    return result;
  }

  it.each(['dev', 'built'] as const)(
    'trains in a Web Worker on 2 threads bit-identically to 1 thread (%s page)',
    async (server) => {
      const { worker } = await report(urls[server]);
      if ('error' in worker) throw new Error(worker.error);
      expect(worker.crossOriginIsolated).toBe(true);
      const [one, two] = worker.runs;
      expect([one!.backend, two!.backend]).toEqual(['wasm', 'wasm×2']);
      expect(one!.loss).toHaveLength(3);
      expect(one!.loss[2]!).toBeLessThan(0.9 * one!.loss[0]!);
      expect(two!.parameters).toEqual(one!.parameters);
      expect(two!.predictions).toEqual(one!.predictions);
      expect(two!.loss).toEqual(one!.loss);
    },
    60_000,
  );

  it("says on the page's own thread that threads need a Web Worker", async () => {
    const { page } = await report(urls.dev);
    expect(page).toBe(
      'ConfigError: threads > 1 in a browser needs a thread that may block in Atomics.wait, ' +
        "which the page's own thread may not: create the backend and train inside a Web " +
        'Worker; received threads=2',
    );
  }, 60_000);

  it('names the headers on a page that is not cross-origin isolated', async () => {
    // The built page without the headers: the responses lose COOP and COEP on their way. (Not
    // the dev page: its client's WebSocket to the dev server, an intercepted page's, is refused.)
    const { worker } = await report(urls.built, async (page) => {
      await page.route('**/*', async (route) => {
        const response = await route.fetch();
        const headers = response.headers();
        delete headers['cross-origin-opener-policy'];
        delete headers['cross-origin-embedder-policy'];
        await route.fulfill({ response, headers });
      });
    });
    expect(worker).toEqual({
      error:
        'ConfigError: threads > 1 in a browser needs a cross-origin-isolated page, to share ' +
        'the WASM memory with the workers: serve it with the headers ' +
        'Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: ' +
        'require-corp (crossOriginIsolated is false here); received threads=2',
    });
  }, 60_000);
});
