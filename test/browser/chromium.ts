import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { createServer, type InlineConfig, type ViteDevServer } from 'vite';

// Helpers of the browser tests: Debian's Chromium driven by playwright-core, and the
// playground's Vite server started in-process. `npx playwright install` downloads browsers and
// cannot run here; `apt-get install -y chromium` (in .ci/run) gives /usr/bin/chromium.

/** Debian's Chromium. */
export const CHROMIUM = '/usr/bin/chromium';

/** True where the browser tests can run. */
export const chromiumInstalled = existsSync(CHROMIUM);

/** True under CI (CI=true, as CI services and .ci/run set it). */
const ci = process.env['CI'] === 'true';

/**
 * True where the browser tests are skipped: Chromium is missing and this is not CI. Under CI
 * a missing Chromium fails them instead (see {@link requireChromium}).
 */
export const skipBrowserTests = !chromiumInstalled && !ci;

/** Why the browser tests were skipped, printed once per file when they are. */
export const SKIP_REASON =
  `${CHROMIUM} is not installed, so the browser tests are skipped; install it with ` +
  '`apt-get update && apt-get install -y chromium` (.ci/run does)';

/**
 * Call first in a browser test file's beforeAll: under CI (CI=true) a missing Chromium is an
 * error, so that the browser tests fail rather than pass by skipping.
 * @throws Error naming the missing executable and how to install it
 */
export function requireChromium(): void {
  if (chromiumInstalled) return;
  throw new Error(
    `CI=true and ${CHROMIUM} is not installed: the browser tests fail under CI rather than ` +
      'skip; install it with `apt-get update && apt-get install -y chromium` (.ci/run does)',
  );
}

/** The repository root. */
export const root = fileURLToPath(new URL('../..', import.meta.url));

/** Where screenshots go (gitignored). */
export const artifacts = join(root, 'test-artifacts');

/** The flags of the developers' brief: headless, no sandbox (root), nothing from the network. */
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-quic',
  '--no-first-run',
  '--disable-component-update',
  '--disable-sync',
];

/** What pages.test.ts starts once for all the page tests: the dev server's URL and Chromium. */
export interface Shared {
  /** The playground's dev server, e.g. http://127.0.0.1:41234/ (ends with a slash). */
  url: string;
  browser: Browser;
}

/** A running Chromium with a fresh profile; `close` ends it and removes the profile. */
export interface Browser {
  context: BrowserContext;
  close(): Promise<void>;
}

/** Starts Chromium with a fresh --user-data-dir. */
export async function launchChromium(): Promise<Browser> {
  const profile = mkdtempSync(join(tmpdir(), 'backprop-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: FLAGS,
    viewport: { width: 1440, height: 1000 },
  });
  return {
    context,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/**
 * Starts the playground's Vite dev server (web/vite.config.ts, as `npm run playground` does) on
 * a free port of 127.0.0.1, without file watching: a file saved during the tests must not
 * reload the page under test.
 */
export async function startPlayground(
  overrides: InlineConfig = {},
): Promise<{ url: string; server: ViteDevServer }> {
  const server = await createServer({
    configFile: join(root, 'web/vite.config.ts'),
    logLevel: 'warn',
    server: { host: '127.0.0.1', port: 0, watch: null, hmr: false },
    ...overrides,
  });
  await server.listen();
  const url = server.resolvedUrls?.local[0];
  if (url === undefined) throw new Error('the Vite server has no local URL');
  return { url, server };
}

/**
 * Collects what a page reports as errors: console.error messages, uncaught exceptions and
 * failed requests. The array fills as the page runs.
 */
export function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`console.error: ${message.text()}`);
  });
  page.on('pageerror', (error) => errors.push(`uncaught: ${error.message}`));
  page.on('requestfailed', (request) => errors.push(`request failed: ${request.url()}`));
  return errors;
}

/** Saves a full-page screenshot as test-artifacts/<name>.png and returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(artifacts, { recursive: true });
  const path = join(artifacts, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/** The exact number an element shows (its `data-value`). */
export async function valueOf(page: Page, selector: string): Promise<number> {
  const text = await page.locator(selector).getAttribute('data-value');
  if (text === null) throw new Error(`${selector} has no data-value`);
  return Number(text);
}
