import type { ViteDevServer } from 'vite';
import { afterAll, beforeAll, describe } from 'vitest';
import { builtPages } from './built-pages.js';
import {
  SKIP_REASON,
  launchChromium,
  requireChromium,
  skipBrowserTests,
  startPlayground,
  type Shared,
} from './chromium.js';
import { digitsPage } from './digits-page.js';
import { lessonsPage } from './lessons-page.js';
import { playgroundPage } from './playground-page.js';
import { stepThroughPage } from './step-through-page.js';
import { replayPage } from './replay-page.js';

// The browser tests: the playground's two pages in Chromium, served by Vite's dev server as
// `npm run playground` serves them, and the built pages. One server and one Chromium serve
// every test (each page test opens its own tab); the tests themselves are in the modules
// imported above.

if (skipBrowserTests) console.warn(SKIP_REASON);

const shared = {} as Shared;
let server: ViteDevServer | undefined;

beforeAll(async () => {
  if (skipBrowserTests) return;
  requireChromium();
  const started = await startPlayground();
  server = started.server;
  shared.url = started.url;
  shared.browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await shared.browser?.close();
  await server?.close();
});

describe.skipIf(skipBrowserTests)('the playground page in Chromium', () => playgroundPage(shared));
describe.skipIf(skipBrowserTests)('the digits page in Chromium', () => digitsPage(shared));
describe.skipIf(skipBrowserTests)('the playground step-through in Chromium', () =>
  stepThroughPage(shared),
);
describe.skipIf(skipBrowserTests)('the playground lessons in Chromium', () => lessonsPage(shared));
describe.skipIf(skipBrowserTests)('rewind and replay on the playground page', () =>
  replayPage(shared),
);
describe('the built pages (npm run build:web)', () => builtPages(shared));
