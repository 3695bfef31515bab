import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { build, preview, type Plugin, type PreviewServer } from 'vite';
import { root, skipBrowserTests, watchErrors, type Shared } from './chromium.js';

// The built playground (`npm run build:web`): the bundles import no Node built-in, and the
// built pages run in Chromium as served by `vite preview`.

const configFile = join(root, 'web/vite.config.ts');

/** The tests of the built pages, in a describe block of pages.test.ts. */
export function builtPages(shared: Shared): void {
  const outDir = mkdtempSync(join(tmpdir(), 'backprop-web-'));
  let server: PreviewServer | undefined;

  /** Node built-ins that our page code imports, as `specifier (imported by file)`. */
  const builtins: string[] = [];

  beforeAll(async () => {
    // A plugin that sees every import the bundler resolves, and lets it resolve as usual.
    const watchBuiltins: Plugin = {
      name: 'watch-node-builtins',
      enforce: 'pre',
      resolveId(source, importer) {
        // Our modules only: a package may guard an optional require, as protobufjs does
        // with try { require('fs') } in its util/fs.js.
        if (isBuiltin(source) && !importer?.includes('/node_modules/')) {
          builtins.push(`${source} (imported by ${importer ?? '?'})`);
        }
        return null;
      },
    };
    await build({
      configFile,
      logLevel: 'error',
      plugins: [watchBuiltins],
      build: { outDir, emptyOutDir: true },
    });
  }, 60_000);

  afterAll(async () => {
    await server?.close();
    rmSync(outDir, { recursive: true, force: true });
  });

  it('writes the pages and bundles that import no Node built-in', () => {
    const files = readdirSync(outDir, { recursive: true, encoding: 'utf8' });
    expect(files).toContain('index.html');
    expect(files).toContain('digits.html');
    expect(files).toContain('chain-rule.html');
    expect(files.filter((file) => file.endsWith('.js')).length).toBeGreaterThan(0);
    // Vite would replace them with an empty module (and warn "Module "node:fs" has been
    // externalized for browser compatibility"); the page would fail when it used one.
    expect(builtins).toEqual([]);
    // Relative URLs (base './'), so the pages work from any folder of a static server.
    expect(readFileSync(join(outDir, 'index.html'), 'utf8')).toMatch(/src="\.\/assets\//);
  });

  it.skipIf(skipBrowserTests)(
    'runs in Chromium: the pages load with no console errors, and a Step trains',
    async () => {
      server = await preview({
        configFile,
        logLevel: 'warn',
        build: { outDir },
        preview: { host: '127.0.0.1', port: 0 },
      });
      const url = server.resolvedUrls?.local[0];
      expect(url).toBeDefined();
      const page = await shared.browser.context.newPage();
      const errors = watchErrors(page);
      await page.goto(`${url}index.html`);
      await page.locator('#inspector table').first().waitFor();
      expect(await page.locator('#epoch').textContent()).toBe('0');
      await page.locator('#step').click();
      await page.locator('#epoch[data-value="1"]').waitFor();
      await page.goto(`${url}digits.html`);
      await page.locator('#probabilities li').first().waitFor();
      expect(await page.locator('#model-status').textContent()).toMatch(/^No model yet/);
      await page.goto(`${url}chain-rule.html`);
      await page.locator('#chain-text:not(:empty)').waitFor();
      expect(await page.locator('#chain-text').textContent()).toMatch(/-36|−36/);
      expect(errors).toEqual([]);
    },
    60_000,
  );
}
