// Data-parallel training and inference on the 'wasm' backend's threads (shards of SHARD_ROWS
// rows, recorded programs, gradients summed in shard order): imported for its side effect by
// the Node entry, and loaded by createBackendAsync when a page asks for threads. A backend
// without threads computes the same bits without it (the serial loop; tested).
import { WasmPrograms } from './backend/wasm/recorder.js';
import { provideWasmPrograms } from './backend/wasm/programs-hook.js';
import { DataParallel } from './model/data-parallel.js';
import { provideDataParallel } from './model/data-parallel-hook.js';

provideWasmPrograms((heap, pool) => new WasmPrograms(heap, pool));
provideDataParallel(
  (network, workspaces, context) => new DataParallel(network, workspaces, context),
);
