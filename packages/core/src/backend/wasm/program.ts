import type { WasmHeap } from './heap.js';

/**
 * The commands of a program, each followed by its numeric arguments (pointers are byte
 * offsets into the WASM memory). `runTasks` below spells the same numbers as literals, since
 * it runs from its source text in the workers.
 */
export const OP = {
  /** a, b, c, m, n, k, α, β: gemmNT. */
  gemmNT: 0,
  /** a, b, c, m, n, k, α, β, lists: gemmNTChunks when a's first rows are mostly 0, else gemmNT. */
  gemmNTSparse: 1,
  /** a, transposeA, b, c, m, n, k, α, β, lists: listNonzeroBlocks, then gemmXN. */
  gemmXN: 2,
  /** z, bias, m, n. */
  addBias: 3,
  /** z, a, length, code, p0, p1. */
  activate: 4,
  /** z, a, gradA, delta, length, code, p0, p1. */
  activateBackward: 5,
  /** z, a, m, n. */
  softmaxRows: 6,
  /** a, gradA, delta, m, n. */
  softmaxBackward: 7,
  /** a, out, m, n, α, β. */
  sumColumns: 8,
  /** α, x, y, length. */
  axpy: 9,
  /** a, b, out, length. */
  subtract: 10,
  /** b, k, n, lists: listNonzeroBlocks alone (for gemmXNRows later). */
  listNonzeroBlocks: 11,
  /** a, transposeA, b, c, m, n, k, α, β, lists, i0, i1: rows [i0, i1) of gemmXN. */
  gemmXNRows: 12,
  /** count: waits until `count` tasks of the program are finished (a barrier, see `barrier`). */
  await: 13,
} as const;

/** The number of arguments of each command, by its code. */
export const ARITY: readonly number[] = [8, 9, 10, 4, 6, 8, 4, 5, 6, 4, 4, 4, 12, 1];

/**
 * Where a job's description sits in the control block (Int32 indices of page 0): the number
 * of tasks, the next task to claim (an atomic counter), the byte offsets of the task table
 * and of the commands (Float64 arrays in the WASM memory), and the tasks finished.
 */
export const JOB_SLOTS = 8;

/** The views a thread keeps on the memory, made again only after it grows. */
export interface MemoryViews {
  f32?: Float32Array;
  f64?: Float64Array;
}

/**
 * Claims tasks of the current program (an atomic counter, so a thread that is late or busy
 * takes fewer) and runs each task's commands in order. Which thread runs a task never changes
 * what it computes: a task only reads what earlier phases wrote and writes its own outputs.
 * Run by every thread of a job, the calling one included, from its source text in the workers:
 * it uses nothing but its arguments and the language's globals.
 * @param kernels - the instance's exports
 * @param slot - JOB_SLOTS: control[slot] tasks, [slot + 1] next, [slot + 2] table, [slot + 3]
 *   code, [slot + 4] finished
 */
export function runTasks(
  kernels: Record<string, (...args: number[]) => void>,
  memory: WebAssembly.Memory,
  control: Int32Array,
  slot: number,
  views: MemoryViews,
): void {
  if (views.f64?.buffer.byteLength !== memory.buffer.byteLength) {
    views.f32 = new Float32Array(memory.buffer);
    views.f64 = new Float64Array(memory.buffer);
  }
  const f32 = views.f32!;
  const f = views.f64;
  const { gemmNT, gemmNTChunks, gemmXN, listNonzeroBlocks, addBias, activate } = kernels;
  const { activateBackward, softmaxRows, softmaxBackward, sumColumns, axpy, subtract } = kernels;
  const tasks = control[slot]!;
  const table = control[slot + 2]! / 8;
  const code = control[slot + 3]! / 8;
  for (let task = Atomics.add(control, slot + 1, 1); task < tasks;) {
    let i = code + f[table + task]!;
    const end = code + f[table + task + 1]!;
    while (i < end) {
      const op = f[i]!;
      // The arguments (the ones past a command's arity are the next command's, unused).
      const a = f[i + 1]!;
      const b = f[i + 2]!;
      const c = f[i + 3]!;
      const d = f[i + 4]!;
      const e = f[i + 5]!;
      const g = f[i + 6]!;
      const h = f[i + 7]!;
      const p = f[i + 8]!;
      const q = f[i + 9]!;
      const r = f[i + 10]!;
      const s = f[i + 11]!;
      const t = f[i + 12]!;
      if (op === 0) {
        gemmNT!(a, b, c, d, e, g, h, p, 0, d);
        i += 9;
      } else if (op === 1) {
        // The first (up to 4) rows of A half zeros or more: list its nonzero chunks (wasm.ts).
        const length = Math.min(4, d) * g;
        // Counted until the answer is known (as wasm.ts's mostlyZero, without the full count).
        let zeros = 0;
        let others = 0;
        for (let o = a / 4; 2 * zeros < length && 2 * others <= length; o++) {
          if (f32[o] === 0) zeros++;
          else others++;
        }
        if (2 * zeros >= length) gemmNTChunks!(a, b, c, d, e, g, h, p, q, 0, d);
        else gemmNT!(a, b, c, d, e, g, h, p, 0, d);
        i += 10;
      } else if (op === 2) {
        listNonzeroBlocks!(c, h, g, r);
        gemmXN!(a, b, c, d, e, g, h, p, q, r, 0, e);
        i += 11;
      } else if (op === 3) {
        addBias!(a, b, c, d);
        i += 5;
      } else if (op === 4) {
        activate!(a, b, c, d, e, g);
        i += 7;
      } else if (op === 5) {
        activateBackward!(a, b, c, d, e, g, h, p);
        i += 9;
      } else if (op === 6) {
        softmaxRows!(a, b, c, d);
        i += 5;
      } else if (op === 7) {
        softmaxBackward!(a, b, c, d, e);
        i += 6;
      } else if (op === 8) {
        sumColumns!(a, b, c, d, e, g);
        i += 7;
      } else if (op === 9) {
        axpy!(a, b, c, d);
        i += 5;
      } else if (op === 10) {
        subtract!(a, b, c, d);
        i += 5;
      } else if (op === 11) {
        listNonzeroBlocks!(a, b, c, d);
        i += 5;
      } else if (op === 12) {
        gemmXN!(a, b, c, d, e, g, h, p, q, r, s, t);
        i += 13;
      } else {
        // The tasks before a barrier are claimed already: wait for the last ones to finish.
        for (let spin = 0, done = Atomics.load(control, slot + 4); done < a; spin++) {
          if (spin > 1000) Atomics.wait(control, slot + 4, done, 1);
          done = Atomics.load(control, slot + 4);
        }
        i += 2;
      }
    }
    Atomics.add(control, slot + 4, 1);
    Atomics.notify(control, slot + 4);
    task = Atomics.add(control, slot + 1, 1);
  }
}

/**
 * A program being recorded: tasks of commands in two Float64 arrays of the WASM memory (the
 * task table, then the commands), grown when full, reused from one program to the next.
 */
export class ProgramBuffer {
  readonly #heap: WasmHeap;
  /** The heap's Float32 arrays behind the Float64 views (the heap frees what is collected). */
  #tableStore: Float32Array;
  #codeStore: Float32Array;
  #table: Float64Array;
  #code: Float64Array;
  /** Tasks recorded, and commands' length. */
  #tasks = 0;
  #length = 0;
  /** Tasks that must finish before the tasks recorded now start (0: none). */
  #barrier = 0;

  constructor(heap: WasmHeap) {
    this.#heap = heap;
    [this.#tableStore, this.#table] = this.#allocate(256);
    [this.#codeStore, this.#code] = this.#allocate(4096);
  }

  /** The number of tasks recorded. */
  get tasks(): number {
    return this.#tasks;
  }

  /** Forgets the commands recorded: a new program. */
  reset(): void {
    this.#tasks = 0;
    this.#barrier = 0;
    this.#length = 0;
    this.#table[0] = 0;
  }

  /**
   * Makes the tasks recorded from now on start only when those recorded so far are finished
   * (tasks are claimed in order, so those are running already: no thread waits for a task that
   * nobody took).
   */
  barrier(): void {
    this.#barrier = this.#tasks;
  }

  /** Starts a new task: the commands emitted from now on, up to the next task. */
  task(): void {
    if (this.#tasks + 2 > this.#table.length) {
      const [store, table] = this.#allocate(2 * this.#table.length);
      table.set(this.#table);
      [this.#tableStore, this.#table] = [store, table];
    }
    this.#tasks++;
    this.#table[this.#tasks] = this.#length;
    if (this.#barrier > 0) this.emit(OP.await, this.#barrier, 0, 0, 0);
  }

  /**
   * Appends a command and its first ARITY[op] arguments to the current task (after `task()`).
   * Fixed parameters, not a rest array: recording allocates nothing.
   */
  emit(
    op: number,
    a: number,
    b: number,
    c: number,
    d: number,
    e = 0,
    g = 0,
    h = 0,
    p = 0,
    q = 0,
    r = 0,
    s = 0,
    t = 0,
  ): void {
    const arity = ARITY[op]!;
    if (this.#length + 13 > this.#code.length) {
      const [store, code] = this.#allocate(2 * this.#code.length);
      code.set(this.#code);
      [this.#codeStore, this.#code] = [store, code];
    }
    const code = this.#code;
    const at = this.#length;
    code[at] = op;
    code[at + 1] = a;
    code[at + 2] = b;
    code[at + 3] = c;
    code[at + 4] = d;
    // Past the arity these land in the next command's place (or nowhere): harmless.
    code[at + 5] = e;
    code[at + 6] = g;
    code[at + 7] = h;
    code[at + 8] = p;
    code[at + 9] = q;
    code[at + 10] = r;
    code[at + 11] = s;
    code[at + 12] = t;
    this.#length = at + 1 + arity;
    this.#table[this.#tasks] = this.#length;
  }

  /** The byte offset of the task table: task t runs the commands from table[t] to table[t + 1]. */
  get table(): number {
    return this.#tableStore.byteOffset;
  }

  /** The byte offset of the commands. */
  get code(): number {
    return this.#codeStore.byteOffset;
  }

  #allocate(length: number): [Float32Array, Float64Array] {
    const store = this.#heap.allocate(2 * length);
    return [store, new Float64Array(store.buffer, store.byteOffset, length)];
  }
}
