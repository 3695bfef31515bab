import type { Activation } from '../../activations.js';
import { BackpropError } from '../../errors.js';
import type { DType, FloatArray, Matrix } from '../../tensor/matrix.js';
import type { Backend, ShardPrograms } from '../backend.js';
import { GatheredProducts } from './gather.js';
import type { WasmHeap } from './heap.js';
import { JOB_SLOTS, OP, ProgramBuffer, type MemoryViews } from './program.js';
import type { ThreadPool } from './threads.js';

/**
 * The WASM backend's {@link ShardPrograms}: a recording backend that writes kernel calls into a
 * program in the shared memory, and a runner that executes the program's tasks on the pool's
 * threads (the calling thread among them).
 */
export class WasmPrograms implements ShardPrograms {
  readonly threads: number;
  readonly recorder: RecordingBackend;
  readonly #program: ProgramBuffer;
  readonly #pool: ThreadPool;
  readonly #views: MemoryViews = {};
  /** Page 0's control block (a view of the memory as first made, valid as it grows). */
  readonly #control: Int32Array;

  /**
   * @param heap - the backend's heap (its memory is the kernels' memory)
   * @param kernels - the instance's exports
   * @param pool - the worker threads sharing the memory
   */
  constructor(heap: WasmHeap, pool: ThreadPool) {
    this.threads = pool.threads;
    this.#program = new ProgramBuffer(heap);
    this.recorder = new RecordingBackend(heap, this.#program);
    this.#control = new Int32Array(heap.memory.buffer, 0, JOB_SLOTS + 5);
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

  barrier(): void {
    this.recorder.list(); // the lists of the products gathered so far, before the barrier
    this.#program.barrier();
  }

  run(): void {
    this.recorder.list();
    const control = this.#control;
    control[JOB_SLOTS] = this.#program.tasks;
    control[JOB_SLOTS + 1] = 0;
    control[JOB_SLOTS + 2] = this.#program.table;
    control[JOB_SLOTS + 3] = this.#program.code;
    control[JOB_SLOTS + 4] = 0;
    this.#pool.runTasks(this.#views);
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
  /** The parameter gradients' products, gathered (see ShardPrograms.gather). */
  readonly #gatheredProducts: GatheredProducts;

  constructor(heap: WasmHeap, program: ProgramBuffer) {
    this.#heap = heap;
    this.#program = program;
    this.#gatheredProducts = new GatheredProducts(heap, program);
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
    if (!transposeB && this.#gatheredProducts.product(c, transposeA, pa, pb, k, alpha, beta)) {
      return;
    }
    if (transposeB && k >= 64) {
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
    if (this.#gatheredProducts.columnSum(out, this.#at(a), a.rows, alpha, beta)) return;
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
    this.#gatheredProducts.gather(target);
  }

  /** See ShardPrograms.sum. */
  sum(target: Matrix): void {
    this.#gatheredProducts.sum(target, this.#at(target));
  }

  /** Records the tasks that list the nonzeros of the products gathered since the last call. */
  list(): void {
    this.#gatheredProducts.list();
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
