import { BackpropError } from '../../errors.js';

/** The kernels a pool can split by rows: each takes its row range [i0, i1) as its last two arguments. */
export type RowKernel = 'gemmNT' | 'gemmNTSparse' | 'gemmXN';

const KERNELS: readonly RowKernel[] = ['gemmNT', 'gemmNTSparse', 'gemmXN'];

// The control block in page 0 of the shared memory, as Int32 indices.
const GENERATION = 0; // bumped by the main thread to start a job (workers wait on it)
const PENDING = 1; // workers still running the job (the main thread waits on it)
const KERNEL = 2; // index into KERNELS
const ARGUMENTS = 3; // how many arguments precede the row range
const FAILED = 4; // set by a worker whose kernel threw
const RANGES = 16; // [i0, i1] of thread t at RANGES + 2t (thread 0 is the main thread)
const ARGUMENT_BYTES = 1024; // Float64 arguments from byte 1024 on
const MAX_THREADS = 64;

/** How long the main thread waits for a worker before declaring it dead. */
const TIMEOUT_MS = 30_000;

/**
 * The code each worker runs: instantiate the kernels on the shared memory, then wait for jobs
 * and run its rows. It is written as a function so that it is type-checked, and started from
 * its source text so that it needs no separate file (works the same from src/ and dist/).
 */
function workerMain(): void {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { workerData } = require('node:worker_threads') as typeof import('node:worker_threads');
  const { module, memory, thread, names, layout } = workerData as {
    module: WebAssembly.Module;
    memory: WebAssembly.Memory;
    thread: number;
    names: string[];
    layout: Record<string, number>;
  };
  const exports = new WebAssembly.Instance(module, { env: { memory, abort() {} } }).exports;
  const control = new Int32Array(memory.buffer, 0, 256);
  const args = new Float64Array(memory.buffer, layout['argumentBytes']!, 32);
  let seen = 0;
  for (;;) {
    // No spinning: measured here, a spinning thread slows the other one's SIMD work more than
    // the wake-up latency (about 50 µs) costs.
    Atomics.wait(control, layout['generation']!, seen);
    seen = Atomics.load(control, layout['generation']!);
    try {
      const count = control[layout['arguments']!]!;
      const call = Array.from(args.subarray(0, count));
      const range = layout['ranges']! + 2 * thread;
      const kernel = exports[names[control[layout['kernel']!]!]!] as (...a: number[]) => void;
      kernel(...call, control[range]!, control[range + 1]!);
    } catch {
      Atomics.store(control, layout['failed']!, 1);
    }
    if (Atomics.sub(control, layout['pending']!, 1) === 1)
      Atomics.notify(control, layout['pending']!);
  }
}

/** The part of Node's worker_threads this pool uses. */
interface WorkerConstructor {
  new (
    code: string,
    options: { eval: true; workerData: unknown },
  ): { unref(): void; terminate(): Promise<number> };
}

/**
 * A pool of worker threads that run one WASM kernel together, each on its own rows of the
 * output, with the main thread as thread 0. The split is fixed for a given row count and
 * thread count and every output element is computed by one thread, so results are the same on
 * every run. Workers are unref'd: they never keep the process alive.
 */
export class ThreadPool {
  /** Threads including the main one. */
  readonly threads: number;
  readonly #control: Int32Array;
  readonly #args: Float64Array;
  readonly #exports: WebAssembly.Exports;

  /**
   * @param threads - total threads, main included (2..64)
   * @param Worker - Node's `Worker` class from `node:worker_threads`
   */
  constructor(
    threads: number,
    module: WebAssembly.Module,
    memory: WebAssembly.Memory,
    exports: WebAssembly.Exports,
    Worker: WorkerConstructor,
  ) {
    this.threads = Math.min(threads, MAX_THREADS);
    this.#control = new Int32Array(memory.buffer, 0, 256);
    this.#args = new Float64Array(memory.buffer, ARGUMENT_BYTES, 32);
    this.#exports = exports;
    const layout = {
      generation: GENERATION,
      pending: PENDING,
      kernel: KERNEL,
      arguments: ARGUMENTS,
      failed: FAILED,
      ranges: RANGES,
      argumentBytes: ARGUMENT_BYTES,
    };
    Atomics.store(this.#control, GENERATION, 0);
    for (let thread = 1; thread < this.threads; thread++) {
      const worker = new Worker(`(${workerMain.toString()})()`, {
        eval: true,
        workerData: { module, memory, thread, names: KERNELS, layout },
      });
      worker.unref();
    }
  }

  /**
   * Runs `kernel(...args, i0, i1)` over rows [0, rows), split in blocks of 4 rows among the
   * threads; returns when every thread is done.
   * @throws {BackpropError} when a worker fails or does not answer within 30 s.
   */
  run(kernel: RowKernel, args: readonly number[], rows: number): void {
    const control = this.#control;
    const blocks = Math.ceil(rows / 4);
    for (let t = 0; t < this.threads; t++) {
      control[RANGES + 2 * t] = Math.min(rows, 4 * Math.floor((blocks * t) / this.threads));
      control[RANGES + 2 * t + 1] = Math.min(
        rows,
        4 * Math.floor((blocks * (t + 1)) / this.threads),
      );
    }
    for (let i = 0; i < args.length; i++) this.#args[i] = args[i]!;
    control[KERNEL] = KERNELS.indexOf(kernel);
    control[ARGUMENTS] = args.length;
    Atomics.store(control, PENDING, this.threads - 1);
    Atomics.add(control, GENERATION, 1);
    Atomics.notify(control, GENERATION);
    (this.#exports[kernel] as (...a: number[]) => void)(
      ...args,
      control[RANGES]!,
      control[RANGES + 1]!,
    );
    this.#wait();
  }

  #wait(): void {
    const control = this.#control;
    for (let spin = 0; spin < 1000; spin++) if (Atomics.load(control, PENDING) === 0) break;
    const deadline = performance.now() + TIMEOUT_MS;
    for (let pending = Atomics.load(control, PENDING); pending !== 0;) {
      if (performance.now() > deadline) {
        throw new BackpropError('a WASM worker thread did not answer within 30 s');
      }
      Atomics.wait(control, PENDING, pending, 100);
      pending = Atomics.load(control, PENDING);
    }
    if (Atomics.exchange(control, FAILED, 0) !== 0) {
      throw new BackpropError('a WASM kernel failed in a worker thread');
    }
  }
}
