import { BackpropError } from '../../errors.js';
import { JOB_SLOTS, runTasks, type MemoryViews } from './program.js';

/** The kernels a pool can split by rows: each takes its row range [i0, i1) as its last two arguments. */
export type RowKernel = 'gemmNT' | 'gemmNTChunks' | 'gemmXN';

const KERNELS: readonly RowKernel[] = ['gemmNT', 'gemmNTChunks', 'gemmXN'];

// The control block in page 0 of the shared memory, as Int32 indices.
const GENERATION = 0; // bumped by the pool's thread to start a job (workers wait on it)
const PENDING = 1; // workers still running the job (the pool's thread waits on it)
const KERNEL = 2; // index into KERNELS
const ARGUMENTS = 3; // how many arguments precede the row range
const FAILED = 4; // set by a worker whose kernel threw
const JOB = 5; // 0: a row kernel; 1: the tasks of a program (program.ts, at JOB_SLOTS)
const RANGES = 16; // [i0, i1] of thread t at RANGES + 2t (thread 0 is the pool's own)
const ARGUMENT_BYTES = 1024; // Float64 arguments from byte 1024 on
const MAX_THREADS = 64;

/** How long the pool waits for a worker to start or to finish a job before declaring it dead. */
const TIMEOUT_MS = 30_000;

/** What a worker gets to join the pool (by workerData in Node, by postMessage in a browser). */
interface WorkerInit {
  module: WebAssembly.Module;
  memory: WebAssembly.Memory;
  /** Its index, 1..threads − 1 (thread 0 is the pool's own thread). */
  thread: number;
  names: readonly RowKernel[];
  /** The control block's indices, as the constants above (the worker's code sees no module scope). */
  layout: Record<string, number>;
}

/**
 * The code each worker runs, in Node and in browsers: instantiate the kernels on the shared
 * memory, call `ready`, then wait for jobs and run its rows, forever. It is written as a
 * function so that it is type-checked, and started from its source text so that it needs no
 * separate file (works the same from src/, dist/ and a page's bundle); it uses nothing but its
 * arguments and the language's globals.
 */
function workerMain(init: WorkerInit, ready: () => void, tasks: typeof runTasks): void {
  const { module, memory, thread, names, layout } = init;
  const exports = new WebAssembly.Instance(module, { env: { memory, abort() {} } }).exports;
  const kernels = exports as Record<string, (...args: number[]) => void>;
  const views: MemoryViews = {};
  const control = new Int32Array(memory.buffer, 0, 256);
  const args = new Float64Array(memory.buffer, layout['argumentBytes']!, 32);
  ready();
  let seen = 0;
  for (;;) {
    // No spinning: measured here, a spinning thread slows the other one's SIMD work more than
    // the wake-up latency (about 50 µs) costs.
    Atomics.wait(control, layout['generation']!, seen);
    seen = Atomics.load(control, layout['generation']!);
    try {
      if (control[layout['job']!] === 1) tasks(kernels, memory, control, layout['slots']!, views);
      else {
        const count = control[layout['arguments']!]!;
        const call = Array.from(args.subarray(0, count));
        const range = layout['ranges']! + 2 * thread;
        const kernel = exports[names[control[layout['kernel']!]!]!] as (...a: number[]) => void;
        kernel(...call, control[range]!, control[range + 1]!);
      }
    } catch {
      Atomics.store(control, layout['failed']!, 1);
    }
    if (Atomics.sub(control, layout['pending']!, 1) === 1)
      Atomics.notify(control, layout['pending']!);
  }
}

/**
 * A Node worker's script: workerMain with its workerData; Node starts it without waiting. (Not
 * `require`, which an ES module worker lacks: workers inherit `node --input-type=module`.)
 */
const NODE_WORKER = `const { workerData } = process.getBuiltinModule('node:worker_threads');
(${workerMain.toString()})(workerData, () => {}, ${runTasks.toString()});`;

/** A Web Worker's script: workerMain with the first message it gets; it answers 'ready'. */
const WEB_WORKER = `onmessage = (event) => {
  onmessage = null;
  (${workerMain.toString()})(event.data, () => postMessage('ready'), ${runTasks.toString()});
};`;

/** The part of Node's worker_threads this pool uses. */
interface NodeWorkerConstructor {
  new (code: string, options: { eval: true; workerData: WorkerInit }): { unref(): void };
}

/** The kernels and their shared memory, as instantiateKernels (kernels.ts) makes them. */
interface Instance {
  module: WebAssembly.Module;
  memory: WebAssembly.Memory;
  exports: WebAssembly.Exports;
}

/**
 * A pool of worker threads that run one WASM kernel together, each on its own rows of the
 * output, with the pool's own thread (the one that calls `run`) as thread 0. The split is fixed
 * for a given row count and thread count and every output element is computed by one thread,
 * so results are the same on every run, with or without the pool. `run` blocks in
 * Atomics.wait: in a browser the pool works inside a Web Worker, not on the page's thread.
 */
export class ThreadPool {
  /** Threads including the pool's own. */
  readonly threads: number;
  readonly #control: Int32Array;
  readonly #args: Float64Array;
  readonly #instance: Instance;

  private constructor(threads: number, instance: Instance) {
    this.threads = Math.min(threads, MAX_THREADS);
    this.#control = new Int32Array(instance.memory.buffer, 0, 256);
    this.#args = new Float64Array(instance.memory.buffer, ARGUMENT_BYTES, 32);
    this.#instance = instance;
    Atomics.store(this.#control, GENERATION, 0);
  }

  /**
   * A pool of Node worker threads. It is usable at once: a Node worker starts on its own
   * thread even while this one blocks. Workers are unref'd: they never keep the process alive.
   * @param threads - total threads, this one included (2..64)
   * @param Worker - Node's `Worker` class from `node:worker_threads`
   */
  static node(threads: number, instance: Instance, Worker: NodeWorkerConstructor): ThreadPool {
    const pool = new ThreadPool(threads, instance);
    for (let thread = 1; thread < pool.threads; thread++) {
      new Worker(NODE_WORKER, { eval: true, workerData: pool.#init(thread) }).unref();
    }
    return pool;
  }

  /**
   * A pool of Web Workers, started from a Blob URL of the same worker code, that resolves when
   * every worker has instantiated the kernels: a browser may not start a worker while its
   * creator blocks in Atomics.wait, so the first job must wait for this. Needs a
   * cross-origin-isolated context (to share the memory) whose thread may block (a worker).
   * @param threads - total threads, this one included (2..64)
   * @throws {BackpropError} (rejects) when a worker fails to start, or does not start within 30 s;
   *   the workers already started are terminated.
   */
  static async web(threads: number, instance: Instance): Promise<ThreadPool> {
    const pool = new ThreadPool(threads, instance);
    const url = URL.createObjectURL(new Blob([WEB_WORKER], { type: 'text/javascript' }));
    const workers: Worker[] = [];
    let timer: ReturnType<typeof setTimeout> | undefined;
    try {
      const started = [];
      for (let thread = 1; thread < pool.threads; thread++) {
        const worker = new Worker(url, { name: `backprop wasm thread ${thread}` });
        workers.push(worker);
        started.push(
          new Promise<void>((resolve, reject) => {
            const fail = (what: string) =>
              reject(new BackpropError(`WASM worker thread ${thread} failed to start: ${what}`));
            worker.onmessage = () => resolve();
            worker.onerror = (event) => fail(event.message || 'an error in the worker');
            worker.onmessageerror = () => fail('it could not receive the kernels and memory');
          }),
        );
        worker.postMessage(pool.#init(thread));
      }
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new BackpropError('a WASM worker thread did not start within 30 s')),
          TIMEOUT_MS,
        );
      });
      await Promise.race([Promise.all(started), timeout]);
    } catch (error) {
      for (const worker of workers) worker.terminate();
      throw error;
    } finally {
      clearTimeout(timer);
      URL.revokeObjectURL(url);
    }
    return pool;
  }

  /** What worker `thread` needs to join the pool. */
  #init(thread: number): WorkerInit {
    const { module, memory } = this.#instance;
    const layout = {
      generation: GENERATION,
      pending: PENDING,
      kernel: KERNEL,
      arguments: ARGUMENTS,
      failed: FAILED,
      job: JOB,
      slots: JOB_SLOTS,
      ranges: RANGES,
      argumentBytes: ARGUMENT_BYTES,
    };
    return { module, memory, thread, names: KERNELS, layout };
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
    control[JOB] = 0;
    control[KERNEL] = KERNELS.indexOf(kernel);
    control[ARGUMENTS] = args.length;
    Atomics.store(control, PENDING, this.threads - 1);
    Atomics.add(control, GENERATION, 1);
    Atomics.notify(control, GENERATION);
    (this.#instance.exports[kernel] as (...a: number[]) => void)(
      ...args,
      control[RANGES]!,
      control[RANGES + 1]!,
    );
    this.#wait();
  }

  /**
   * Runs the tasks of the program whose description is at JOB_SLOTS of the control block (see
   * program.ts) on every thread, this one included; returns when all are done.
   * @throws {BackpropError} when a worker fails or does not answer within 30 s.
   */
  runTasks(views: MemoryViews): void {
    const control = this.#control;
    control[JOB] = 1;
    Atomics.store(control, PENDING, this.threads - 1);
    Atomics.add(control, GENERATION, 1);
    Atomics.notify(control, GENERATION);
    const kernels = this.#instance.exports as Record<string, (...args: number[]) => void>;
    runTasks(kernels, this.#instance.memory, control, JOB_SLOTS, views);
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
