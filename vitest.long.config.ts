import { defineConfig } from 'vitest/config';
import base from './vitest.config.js';

// `npm run test:long`: the long checks that `npm test` leaves out (files named *.long.test.ts),
// with the same aliases and global setup. .ci/run runs it after `npm test`.
export default defineConfig({
  ...base,
  test: {
    ...base.test,
    include: ['packages/*/test/**/*.long.test.ts', 'test/**/*.long.test.ts'],
    exclude: ['**/node_modules/**'],
  },
});
