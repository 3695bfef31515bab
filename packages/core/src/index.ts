/**
 * The library: layers, backpropagation, optimizers, training, model files and persistence,
 * explanations. This is the Node entry; bundlers pick the browser entry (the same without file
 * paths), see the README's package table.
 * @packageDocumentation
 * @module @backpropjs/core
 */
// The public API for Node: everything of the browser entry (src/browser.ts), plus what reads or
// writes files with Node's modules. A new export whose module imports no Node built-in goes in
// src/browser.ts (test/browser-entry.test.ts checks it).
export * from './browser.js';
// For its side effect: the relaxed-SIMD kernels, so that createBackend can use them at once.
import './backend/wasm/relaxed-node.js';
import './data-parallel.js';
export { readIdx, readIdxFile, readIdxFileSync, type IdxArray } from './data/idx.js';
// Paths and URLs; these replace the browser entry's saveModel and loadModel (URLs only).
export { saveModel, loadModel, type SaveModelOptions } from './io/model-file.js';
// worker_threads; replaces the browser entry's trainInWorker (Web Workers).
export { trainInWorker } from './training/worker/train-in-worker-node.js';
export {
  SAVE_FORMATS,
  LOAD_FORMATS,
  encodeModelAs,
  writeEncoded,
  type SaveFormat,
  type LoadFormat,
} from './io/model-formats.js';
