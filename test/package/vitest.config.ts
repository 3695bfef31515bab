import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// `npm run test:package`: the consumer test alone (not part of `npm test`'s run). It packs the
// packages as npm would publish them and installs the tarballs into fresh projects, so it needs
// the build of test/global-setup.ts and none of the aliases of the root vitest.config.ts.
export default defineConfig({
  root: fileURLToPath(new URL('../..', import.meta.url)),
  test: {
    include: ['test/package/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 180_000,
    hookTimeout: 600_000,
    pool: 'forks',
  },
});
