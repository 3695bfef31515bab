import * as backprop from '../../../packages/core/src/browser.js';

// The page of test/browser/library.test.ts: the library's browser entry, from source, on
// `window.backprop`, for the test's page.evaluate calls (fit and animation frames, model URLs,
// tableFromRecords).

/** The browser entry's exports. */
export type Library = typeof backprop;

declare global {
  interface Window {
    backprop: Library;
  }
}

window.backprop = backprop;
