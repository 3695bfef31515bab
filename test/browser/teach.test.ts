import type { ViteDevServer } from 'vite';
import { afterAll, beforeAll, describe } from 'vitest';
import { chainRulePage } from './chain-rule-page.js';
import { ownDataPage } from './own-data-page.js';
import { reportPage } from './report-page.js';
import {
  SKIP_REASON,
  launchChromium,
  requireChromium,
  skipBrowserTests,
  startPlayground,
  type Shared,
} from './chromium.js';

// The teaching views in Chromium (issue 14): the chain-rule page, and the playground's own-data,
// model-file and diagnostics panels. One Vite dev server and one Chromium, as pages.test.ts.

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

describe.skipIf(skipBrowserTests)('the chain-rule page in Chromium', () => chainRulePage(shared));
describe.skipIf(skipBrowserTests)('the playground’s own-data panel in Chromium', () =>
  ownDataPage(shared),
);
describe.skipIf(skipBrowserTests)('a training report’s diagnostics in Chromium', () =>
  reportPage(shared),
);
