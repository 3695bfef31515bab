import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const source = (name: string) =>
  fileURLToPath(new URL(`./packages/${name}/src/index.ts`, import.meta.url));

// Every package's tests, and the repository's own (examples, pages) in test/. The packages'
// names resolve to their sources, so the tests run the current code without a build; the CLI
// tests that spawn `backprop` run the build of test/global-setup.ts.
export default defineConfig({
  resolve: {
    alias: {
      '@backpropjs/core': source('core'),
      '@backpropjs/onnx': source('onnx'),
      '@backpropjs/report': source('report'),
      '@backpropjs/datasets': source('datasets'),
    },
  },
  test: {
    include: ['packages/*/test/**/*.test.ts', 'test/**/*.test.ts'],
    // Long checks (*.long.test.ts: the threaded wasm backend in Chromium, …) run after
    // `npm test` with `npm run test:long` (vitest.long.config.ts); .ci/run runs both. The
    // consumer test runs on its own: npm run test:package (test/package/vitest.config.ts).
    exclude: ['**/node_modules/**', '**/*.long.test.ts', 'test/package/**'],
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 90_000,
    pool: 'forks',
  },
});
