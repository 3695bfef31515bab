import { createBackendAsync } from '../../../packages/core/src/browser.js';
import type { WorkerReport } from './worker.js';

// The page of test/browser/threads.long.test.ts: it asks for a threaded backend on its own thread
// (which must fail: that thread may not block), and starts worker.ts, which trains with one
// and with two threads. The test reads `window.report`.

/** What the page reports: its own thread's error, and the worker's report. */
export interface PageReport {
  page: string;
  worker: WorkerReport;
}

declare global {
  interface Window {
    report: Promise<PageReport>;
  }
}

const page = createBackendAsync('wasm', { threads: 2 }).then(
  (backend) => `created ${backend.name}`,
  (error: Error) => `${error.name}: ${error.message}`,
);
const worker = new Promise<WorkerReport>((resolve) => {
  const started = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module' });
  started.onmessage = (event: MessageEvent<WorkerReport>) => resolve(event.data);
  started.onerror = (event) => resolve({ error: `the worker failed: ${event.message}` });
});
window.report = Promise.all([page, worker]).then(([page, worker]) => ({ page, worker }));
