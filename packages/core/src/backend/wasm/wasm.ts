import type { Activation } from '../../activations.js';
import type { ByteMatrix } from '../../tensor/byte-matrix.js';
import { allocate, type DType, type Matrix } from '../../tensor/matrix.js';
import type { Backend, ShardPrograms } from '../backend.js';
import { jsBackend } from '../js.js';
import { WasmHeap } from './heap.js';
import type { Kernels, KernelsInstance } from './kernels.js';
import { wasmPrograms } from './programs-hook.js';
import type { RowKernel, ThreadPool } from './threads.js';

/**
 * Products below this many multiply-adds (m·n·k, before zero skipping) run on one thread by
 * default. Measured on the 2-core machine: splitting the products of a 32- or 64-example MNIST
 * batch (3–6 M) made training 35% slower (the wake-ups cost more than half a product saves),
 * while predict's 1024-row batches (100 M) gain 1.3×.
 */
export const DEFAULT_PARALLEL_WORK = 1 << 25;

/**
 * The WASM backend: float32 kernels in AssemblyScript with 128-bit SIMD (register-blocked
 * matrix products, fused per-example SGD update), on matrices that live in its WebAssembly
 * memory, with worker threads that run recorded programs (`programs`: data-parallel training
 * and inference) and split large products by rows. float64 matrices go to the reference
 * TypeScript kernels. Matrices from elsewhere (a user's input) are copied into scratch memory.
 */
export class WasmBackend implements Backend {
  readonly name: string;
  /**
   * Recorded programs run on the pool's threads (data-parallel training and inference), with
   * a pool and once src/data-parallel.ts is loaded; else undefined (the serial loop).
   */
  readonly programs: ShardPrograms | undefined;
  readonly #kernels: Kernels;
  readonly #heap: WasmHeap;
  readonly #pool: ThreadPool | undefined;
  readonly #parallelWork: number;
  /** Scratch arrays for inputs that live outside the WASM memory, one per argument slot. */
  readonly #scratch: Float32Array[] = [];
  /** Each byte matrix's decoding table (its `values`) as float32 in the WASM memory. */
  readonly #tables = new WeakMap<Float64Array, Float32Array>();
  /** The bytes of a batch being decoded: a view of scratch slot 5. */
  #batchBytes: Uint8Array | undefined;

  /**
   * @param instance - from `instantiateKernels` (the compiled kernels)
   * @param pool - worker threads sharing the instance's memory, or none
   * @param parallelWork - products of at least this many multiply-adds are split over the pool
   */
  constructor(instance: KernelsInstance, pool?: ThreadPool, parallelWork = DEFAULT_PARALLEL_WORK) {
    this.#parallelWork = parallelWork;
    this.#kernels = instance.kernels;
    this.#heap = new WasmHeap(instance.memory);
    this.#pool = pool;
    this.name = (pool ? `wasm×${pool.threads}` : 'wasm') + (instance.relaxed ? '+relaxed' : '');
    this.programs = pool === undefined ? undefined : wasmPrograms(this.#heap, pool);
  }

  allocate(dtype: DType, length: number) {
    return dtype === 'float32' ? this.#heap.allocate(length) : allocate(dtype, length);
  }

  gemm(
    a: Matrix,
    transposeA: boolean,
    b: Matrix,
    transposeB: boolean,
    c: Matrix,
    alpha: number,
    beta: number,
  ) {
    if (isFloat64(a, b, c) || (transposeA && transposeB)) {
      return jsBackend.gemm(a, transposeA, b, transposeB, c, alpha, beta);
    }
    const m = c.rows;
    const n = c.cols;
    const k = transposeA ? a.rows : a.cols;
    const pa = this.#in(a, 0);
    const pb = this.#in(b, 1);
    const pc = this.#out(c, 2, beta !== 0);
    if (transposeA && k === 1 && beta === 1) {
      // C += α·aᵀb with one row: the per-example SGD update, skipping units whose δ is 0.
      this.#kernels.rank1Update(pc, pa, pb, m, n, alpha, 0, m);
    } else if (transposeB && k >= 64 && mostlyZero(a)) {
      // Z = X Wᵀ for sparse inputs (MNIST pixels): each row's nonzero 4-float chunks are listed
      // once, then 8 rows of W at a time are dotted over them. Measured per MNIST row: 3.2 µs,
      // against 4.2 for the 4-row kernel (batch 64) and 3.6 for adding a row of a transposed W
      // per nonzero pixel (batch 1024).
      const lists = this.#scratchFor(3, Math.ceil((m * k) / 4)).byteOffset;
      this.#rows('gemmNTChunks', [pa, pb, pc, m, n, k, alpha, beta, lists], m, n, k);
    } else if (transposeB) {
      this.#rows('gemmNT', [pa, pb, pc, m, n, k, alpha, beta], m, n, k);
    } else {
      // Per 8-column block of B, the rows p not all zero there (blank MNIST pixels in
      // ∂L/∂W = ΔᵀX add nothing), found once for all the row blocks of C. Measured per MNIST
      // example at batch 64: 2.7 µs, against 3.7 testing every p in every block; a dense B
      // (∂L/∂A = ΔW) pays about 5% for its full lists.
      const lists = this.#scratchFor(4, (n >> 3) * (k + 1) + 1).byteOffset;
      this.#kernels.listNonzeroBlocks(pb, k, n, lists);
      const args = [pa, transposeA ? 1 : 0, pb, pc, m, n, k, alpha, beta, lists];
      this.#rows('gemmXN', args, m, n, k);
    }
    this.#copyBack(c, pc);
  }

  addBias(z: Matrix, bias: Matrix) {
    if (isFloat64(z, bias)) return jsBackend.addBias(z, bias);
    const pb = this.#in(bias, 0);
    const pz = this.#out(z, 1, true);
    this.#kernels.addBias(pz, pb, z.rows, z.cols);
    this.#copyBack(z, pz);
  }

  sumColumns(a: Matrix, out: Matrix, alpha: number, beta: number) {
    if (isFloat64(a, out)) return jsBackend.sumColumns(a, out, alpha, beta);
    const pa = this.#in(a, 0);
    const po = this.#out(out, 1, beta !== 0);
    this.#kernels.sumColumns(pa, po, a.rows, a.cols, alpha, beta);
    this.#copyBack(out, po);
  }

  activate(activation: Activation, z: Matrix, a: Matrix) {
    // float64, and activations without a kernel (custom ones), run on the JavaScript loops.
    if (isFloat64(z, a) || (activation.kind === 'elementwise' && !activation.kernel)) {
      return jsBackend.activate(activation, z, a);
    }
    const pz = this.#in(z, 0);
    const pa = this.#out(a, 1, false);
    if (activation.kind === 'softmax') this.#kernels.softmaxRows(pz, pa, z.rows, z.cols);
    else {
      const { code, parameters } = activation.kernel!;
      this.#kernels.activate(pz, pa, z.data.length, code, parameters[0], parameters[1]);
    }
    this.#copyBack(a, pa);
  }

  activateBackward(activation: Activation, z: Matrix, a: Matrix, gradA: Matrix, delta: Matrix) {
    if (
      isFloat64(z, a, gradA, delta) ||
      (activation.kind === 'elementwise' && !activation.kernel)
    ) {
      return jsBackend.activateBackward(activation, z, a, gradA, delta);
    }
    const pz = this.#in(z, 0);
    const pa = this.#in(a, 1);
    const pg = this.#in(gradA, 2);
    const pd = this.#out(delta, 3, false);
    if (activation.kind === 'softmax') this.#kernels.softmaxBackward(pa, pg, pd, a.rows, a.cols);
    else {
      const { code, parameters } = activation.kernel!;
      const length = z.data.length;
      this.#kernels.activateBackward(pz, pa, pg, pd, length, code, parameters[0], parameters[1]);
    }
    this.#copyBack(delta, pd);
  }

  subtract(a: Matrix, b: Matrix, out: Matrix) {
    if (isFloat64(a, b, out)) return jsBackend.subtract(a, b, out);
    const pa = this.#in(a, 0);
    const pb = this.#in(b, 1);
    const po = this.#out(out, 2, false);
    this.#kernels.subtract(pa, pb, po, a.data.length);
    this.#copyBack(out, po);
  }

  axpy(alpha: number, x: Matrix, y: Matrix) {
    if (isFloat64(x, y)) return jsBackend.axpy(alpha, x, y);
    const px = this.#in(x, 0);
    const py = this.#out(y, 1, true);
    this.#kernels.axpy(alpha, px, py, x.data.length);
    this.#copyBack(y, py);
  }

  decodeRows(source: ByteMatrix, order: Uint32Array | undefined, start: number, target: Matrix) {
    if (isFloat64(target)) return jsBackend.decodeRows(source, order, start, target);
    // The batch's bytes are copied into the WASM memory (a memcpy per row), then decoded there.
    const cols = source.cols;
    const count = target.rows * cols;
    const scratch = this.#scratchFor(5, Math.ceil(count / 4));
    // A byte view of the scratch, made again only when the scratch is (no garbage per batch).
    if (this.#batchBytes?.byteOffset !== scratch.byteOffset || this.#batchBytes.length < count) {
      this.#batchBytes = new Uint8Array(scratch.buffer, scratch.byteOffset, 4 * scratch.length);
    }
    const bytes = this.#batchBytes;
    for (let r = 0; r < target.rows; r++) {
      const row = order === undefined ? start + r : order[start + r]!;
      bytes.set(source.bytes.subarray(row * cols, (row + 1) * cols), r * cols);
    }
    let table = this.#tables.get(source.values);
    if (table === undefined) {
      table = this.#heap.allocate(256);
      this.#tables.set(source.values, table);
    }
    // The values may have changed since the last batch (they are a plain array): 256 compares.
    for (let b = 0; b < 256; b++) {
      if (!Object.is(table[b], Math.fround(source.values[b]!))) {
        table.set(source.values);
        break;
      }
    }
    const pt = this.#out(target, 2, false);
    this.#kernels.decodeBytes(bytes.byteOffset, table.byteOffset, pt, count);
    this.#copyBack(target, pt);
  }

  /** Runs a row kernel on the pool when the product is large enough, else on this thread. */
  #rows(kernel: RowKernel, args: number[], m: number, n: number, k: number): void {
    if (this.#pool && m >= 8 && m * n * k >= this.#parallelWork) this.#pool.run(kernel, args, m);
    else this.#kernels[kernel](...args, 0, m);
  }

  /** The pointer of an input matrix, copying it into scratch slot `slot` if it lives elsewhere. */
  #in(m: Matrix, slot: number): number {
    const pointer = this.#heap.pointer(m.data);
    if (pointer >= 0) return pointer;
    const scratch = this.#scratchFor(slot, m.data.length);
    scratch.set(m.data);
    return scratch.byteOffset;
  }

  /** The pointer of an output matrix; `read` copies its old contents too (β ≠ 0, in place). */
  #out(m: Matrix, slot: number, read: boolean): number {
    const pointer = this.#heap.pointer(m.data);
    if (pointer >= 0) return pointer;
    const scratch = this.#scratchFor(slot, m.data.length);
    if (read) scratch.set(m.data);
    return scratch.byteOffset;
  }

  /** Copies a scratch output back into a matrix that lives outside the WASM memory. */
  #copyBack(m: Matrix, pointer: number): void {
    if (this.#heap.pointer(m.data) < 0) m.data.set(this.#heap.view(pointer, m.data.length));
  }

  #scratchFor(slot: number, length: number): Float32Array {
    let scratch = this.#scratch[slot];
    if (scratch === undefined || scratch.length < length) {
      scratch = this.#heap.allocate(length);
      this.#scratch[slot] = scratch;
    }
    return scratch;
  }
}

/** True when at least half of the first rows of `a` (up to 4) are zeros: worth listing chunks. */
function mostlyZero(a: Matrix): boolean {
  const data = a.data;
  const length = Math.min(4, a.rows) * a.cols;
  let zeros = 0;
  for (let i = 0; i < length; i++) if (data[i] === 0) zeros++;
  return 2 * zeros >= length;
}

function isFloat64(...matrices: Matrix[]): boolean {
  return matrices.some((m) => m.dtype === 'float64');
}
