import type { Activation } from '../../activations.js';
import { BackpropError } from '../../errors.js';
import type { DType, FloatArray, Matrix } from '../../tensor/matrix.js';
import type { Backend, ShardPrograms } from '../backend.js';
import type { WasmHeap } from './heap.js';
import { JOB_SLOTS, OP, ProgramBuffer, runTasks, type MemoryViews } from './program.js';
import type { ThreadPool } from './threads.js';

/**
 * The WASM backend's {@link ShardPrograms}: a recording backend that writes kernel calls into a
 * program in the shared memory, and a runner that executes the program's tasks on the pool's
 * threads (or on the calling thread alone, with the same code, when there is no pool).
 */
export class WasmPrograms implements ShardPrograms {
  readonly threads: number;
  readonly recorder: RecordingBackend;
  readonly #program: ProgramBuffer;
  readonly #memory: WebAssembly.Memory;
  readonly #kernels: Record<string, (...args: number[]) => void>;
  readonly #pool: ThreadPool | undefined;
  readonly #views: MemoryViews = {};

  /**
   * @param heap - the backend's heap (its memory is the kernels' memory)
   * @param kernels - the instance's exports
   * @param pool - the worker threads sharing the memory, or none
   */
  constructor(heap: WasmHeap, kernels: WebAssembly.Exports, pool: ThreadPool | undefined) {
    this.threads = pool?.threads ?? 1;
    this.#program = new ProgramBuffer(heap);
    this.recorder = new RecordingBackend(heap, this.#program);
    this.#memory = heap.memory;
    this.#kernels = kernels as Record<string, (...args: number[]) => void>;
    this.#pool = pool;
  }

  begin(): void {
    this.#program.reset();
  }

  task(scratch: number): void {
    this.#program.task();
    this.recorder.scratchSet = scratch;
  }

  gather(target: Matrix): void {
    this.recorder.gather(target);
  }

  sum(target: Matrix): void {
    this.recorder.sum(target);
  }

  run(): void {
    const control = new Int32Array(this.#memory.buffer, 0, JOB_SLOTS + 4);
    control[JOB_SLOTS] = this.#program.tasks;
    control[JOB_SLOTS + 1] = 0;
    control[JOB_SLOTS + 2] = this.#program.table;
    control[JOB_SLOTS + 3] = this.#program.code;
    if (this.#pool) this.#pool.runTasks(this.#views);
    else runTasks(this.#kernels, this.#memory, control, JOB_SLOTS, this.#views);
  }
}

/**
 * A backend that computes nothing: each kernel call becomes a command of the current task of a
 * program, with the byte offsets of its matrices (which must live in the backend's memory),
 * its sizes and its scalars; the matrix products get the scratch memory (nonzero lists) of
 * the current scratch set. The choices the WASM backend makes from the data (whether an input
 * is mostly zeros) are made when the command runs.
 */
export class RecordingBackend implements Backend {
  readonly name = 'wasm recorder';
  /** The scratch set of the current task (see ShardPrograms.task). */
  scratchSet = 0;
  readonly #heap: WasmHeap;
  readonly #program: ProgramBuffer;
  /** Per scratch set: the chunk lists of gemmNTChunks, the row lists of gemmXN. */
  readonly #scratch: Float32Array[][] = [];
  /** The calls gathered per target (see ShardPrograms.gather). */
  readonly #gathered = new WeakMap<Matrix, Gathered>();

  constructor(heap: WasmHeap, program: ProgramBuffer) {
    this.#heap = heap;
    this.#program = program;
  }

  allocate(dtype: DType, length: number): FloatArray {
    if (dtype !== 'float32') throw new BackpropError('the WASM recorder holds float32 only');
    return this.#heap.allocate(length);
  }

  gemm(
    a: Matrix,
    transposeA: boolean,
    b: Matrix,
    transposeB: boolean,
    c: Matrix,
    alpha: number,
    beta: number,
  ): void {
    const m = c.rows;
    const n = c.cols;
    const k = transposeA ? a.rows : a.cols;
    const pa = this.#at(a);
    const pb = this.#at(b);
    const pc = this.#at(c);
    if (transposeA && transposeB) throw new BackpropError('the WASM recorder has no AᵀBᵀ product');
    const gathered = this.#gathered.get(c);
    if (gathered?.active && !transposeB) {
      // Its nonzero lists now (B is this task's), the product in `sum`.
      const lists = (gathered.lists[this.scratchSet] = this.#grown(
        gathered.lists[this.scratchSet],
        (n >> 3) * (k + 1) + 1,
      )).byteOffset;
      this.#program.emit(OP.listNonzeroBlocks, pb, k, n, lists);
      gathered.push(PRODUCT, pa, transposeA ? 1 : 0, pb, m, n, k, alpha, beta, lists);
    } else if (gathered?.active) {
      throw new BackpropError('the WASM recorder gathers products A·B and Aᵀ·B only');
    } else if (transposeB && k >= 64) {
      const lists = this.#lists(0, Math.ceil((m * k) / 4));
      this.#program.emit(OP.gemmNTSparse, pa, pb, pc, m, n, k, alpha, beta, lists);
    } else if (transposeB) {
      this.#program.emit(OP.gemmNT, pa, pb, pc, m, n, k, alpha, beta);
    } else {
      const lists = this.#lists(1, (n >> 3) * (k + 1) + 1);
      this.#program.emit(OP.gemmXN, pa, transposeA ? 1 : 0, pb, pc, m, n, k, alpha, beta, lists);
    }
  }

  addBias(z: Matrix, bias: Matrix): void {
    this.#program.emit(OP.addBias, this.#at(z), this.#at(bias), z.rows, z.cols);
  }

  sumColumns(a: Matrix, out: Matrix, alpha: number, beta: number): void {
    const gathered = this.#gathered.get(out);
    if (gathered?.active) {
      gathered.push(COLUMN_SUM, this.#at(a), 0, 0, a.rows, a.cols, 0, alpha, beta, 0);
      return;
    }
    this.#program.emit(OP.sumColumns, this.#at(a), this.#at(out), a.rows, a.cols, alpha, beta);
  }

  activate(activation: Activation, z: Matrix, a: Matrix): void {
    const pz = this.#at(z);
    const pa = this.#at(a);
    if (activation.kind === 'softmax') {
      this.#program.emit(OP.softmaxRows, pz, pa, z.rows, z.cols);
    } else {
      const { code, parameters } = kernelOf(activation);
      const length = z.rows * z.cols;
      this.#program.emit(OP.activate, pz, pa, length, code, parameters[0], parameters[1]);
    }
  }

  activateBackward(activation: Activation, z: Matrix, a: Matrix, gradA: Matrix, delta: Matrix) {
    const pa = this.#at(a);
    const pg = this.#at(gradA);
    const pd = this.#at(delta);
    if (activation.kind === 'softmax') {
      this.#program.emit(OP.softmaxBackward, pa, pg, pd, a.rows, a.cols);
    } else {
      const { code, parameters } = kernelOf(activation);
      const p0 = parameters[0];
      const p1 = parameters[1];
      const length = z.rows * z.cols;
      this.#program.emit(OP.activateBackward, this.#at(z), pa, pg, pd, length, code, p0, p1);
    }
  }

  subtract(a: Matrix, b: Matrix, out: Matrix): void {
    const length = a.rows * a.cols;
    this.#program.emit(OP.subtract, this.#at(a), this.#at(b), this.#at(out), length);
  }

  axpy(alpha: number, x: Matrix, y: Matrix): void {
    this.#program.emit(OP.axpy, alpha, this.#at(x), this.#at(y), x.rows * x.cols);
  }

  /** See ShardPrograms.gather. */
  gather(target: Matrix): void {
    let gathered = this.#gathered.get(target);
    if (gathered === undefined) {
      gathered = new Gathered();
      this.#gathered.set(target, gathered);
    }
    gathered.count = 0;
    gathered.active = true;
  }

  /** See ShardPrograms.sum. */
  sum(target: Matrix): void {
    const gathered = this.#gathered.get(target);
    if (!gathered?.active) return;
    gathered.active = false;
    const c = this.#at(target);
    const calls = gathered.calls;
    for (let i0 = 0; i0 < target.rows; i0 += SUM_ROWS) {
      this.#program.task();
      for (let j = 0; j < gathered.count; j++) {
        const at = 10 * j;
        const a = calls[at + 1]!;
        const m = calls[at + 4]!;
        const n = calls[at + 5]!;
        const alpha = calls[at + 7]!;
        const beta = j === 0 ? calls[at + 8]! : 1;
        if (calls[at] === COLUMN_SUM) this.#program.emit(OP.sumColumns, a, c, m, n, alpha, beta);
        else {
          const i1 = Math.min(m, i0 + SUM_ROWS);
          const program = this.#program;
          program.emit(
            OP.gemmXNRows,
            a,
            calls[at + 2]!,
            calls[at + 3]!,
            c,
            m,
            n,
            calls[at + 6]!,
            alpha,
            beta,
            calls[at + 9]!,
            i0,
            i1,
          );
        }
      }
      if (target.rows === 1 || calls[0] === COLUMN_SUM) break; // column sums: one task
    }
  }

  decodeRows(): void {
    throw new BackpropError('the WASM recorder does not decode rows');
  }

  /** The byte offset of a float32 matrix of the memory. */
  #at(m: Matrix): number {
    const pointer = m.dtype === 'float32' ? this.#heap.pointer(m.data) : -1;
    if (pointer < 0) {
      throw new BackpropError(
        `the WASM recorder takes float32 matrices of its memory; received a ${m.dtype} [${m.rows}, ${m.cols}] matrix from elsewhere`,
      );
    }
    return pointer;
  }

  /** The byte offset of scratch list `slot` of the current set, of at least `length` floats. */
  #lists(slot: number, length: number): number {
    const set = (this.#scratch[this.scratchSet] ??= []);
    set[slot] = this.#grown(set[slot], length);
    return set[slot].byteOffset;
  }

  /** `array` when it holds `length` floats, else a new array of the heap that does. */
  #grown(array: Float32Array | undefined, length: number): Float32Array {
    return array !== undefined && array.length >= length ? array : this.#heap.allocate(length);
  }
}

/** An element-wise activation's kernel. @throws {BackpropError} for a custom one (no kernel). */
function kernelOf(activation: Activation & { kind: 'elementwise' }) {
  if (activation.kernel === undefined) {
    throw new BackpropError(`the WASM recorder has no kernel for activation ${activation.label}`);
  }
  return activation.kernel;
}

/** Rows of a gathered product's target per task of `sum` (a multiple of 4: see gemm.ts). */
const SUM_ROWS = 16;
const PRODUCT = 0;
const COLUMN_SUM = 1;

/** The calls gathered for one target: 10 numbers each (kind, then the kernel's arguments). */
class Gathered {
  active = false;
  count = 0;
  calls = new Float64Array(10 * 16);
  /** Per scratch set (shard): the nonzero lists of its product. */
  readonly lists: Float32Array[] = [];

  /** Appends a call: its kind and up to 9 arguments (fixed parameters: no allocation). */
  push(
    kind: number,
    a: number,
    b: number,
    c: number,
    d: number,
    e: number,
    f: number,
    g: number,
    h: number,
    i: number,
  ): void {
    if (10 * (this.count + 1) > this.calls.length) {
      const calls = new Float64Array(2 * this.calls.length);
      calls.set(this.calls);
      this.calls = calls;
    }
    const at = 10 * this.count++;
    const calls = this.calls;
    calls[at] = kind;
    calls[at + 1] = a;
    calls[at + 2] = b;
    calls[at + 3] = c;
    calls[at + 4] = d;
    calls[at + 5] = e;
    calls[at + 6] = f;
    calls[at + 7] = g;
    calls[at + 8] = h;
    calls[at + 9] = i;
  }
}
