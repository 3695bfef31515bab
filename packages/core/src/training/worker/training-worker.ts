import { serveTraining, type TrainingPort } from './serve.js';

// The Web Worker that trainInWorker starts by default, as
// `new Worker(new URL('./training-worker.js', import.meta.url), { type: 'module' })`: bundlers
// (Vite, webpack) find it from that expression and bundle it with what it imports. A page
// with its own worker script calls serveTraining(self) there instead.

serveTraining(globalThis as unknown as TrainingPort);
