import { parentPort } from 'node:worker_threads';
import type { ToWorker } from './protocol.js';
import { serveTraining } from './serve.js';

// The worker_threads thread that the Node entry's trainInWorker starts by default: it serves
// training jobs on `parentPort`, as training-worker.ts does on a Web Worker's `self`.

if (parentPort === null) throw new Error('node-training-worker.js runs as a worker_threads thread');
const port = parentPort;
serveTraining({
  postMessage: (message, transfer) => port.postMessage(message, transfer as ArrayBuffer[]),
  addEventListener: (_, listener) => port.on('message', (data: ToWorker) => listener({ data })),
});
