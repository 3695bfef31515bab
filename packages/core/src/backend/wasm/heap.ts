import { ConfigError } from '../../errors.js';

/** Bytes in one WebAssembly page. */
export const PAGE = 65536;
/** The most pages the backend's memory grows to: 32768, i.e. 2 GiB. */
export const MAX_PAGES = 32768;
/** Bytes in a MiB, the one unit of the heap's messages. */
const MIB = 2 ** 20;
/** The allocator's first byte: pages 0 and 1 belong to the thread pool and AssemblyScript. */
const HEAP_START = 2 * PAGE;
/** Allocations are aligned to 16 bytes, the width of a SIMD vector. */
const ALIGN = 16;

/**
 * A first-fit allocator of float32 arrays inside a shared WebAssembly.Memory, so that the WASM
 * kernels (and worker threads) work on them in place. Freed blocks are coalesced with their
 * neighbours; an array is freed when it is garbage-collected (FinalizationRegistry), so a view
 * made with `subarray` must not outlive the array it came from.
 */
export class WasmHeap {
  /** The shared memory the kernels run on. */
  readonly memory: WebAssembly.Memory;
  /** Free blocks, sorted by offset, never adjacent. */
  readonly #free: { offset: number; size: number }[] = [];
  /** Every SharedArrayBuffer object this memory has handed out (one per size it has grown to). */
  readonly #buffers = new WeakSet<ArrayBufferLike>();
  readonly #registry = new FinalizationRegistry<{ offset: number; size: number }>((block) =>
    this.#release(block.offset, block.size),
  );

  /** The memory's maximum in bytes (the `maximum` it was created with). */
  readonly #maxBytes: number;

  /**
   * @param memory - a shared memory whose first two pages are taken (see HEAP_START)
   * @param maxPages - the `maximum` the memory was created with, for messages
   */
  constructor(memory: WebAssembly.Memory, maxPages = MAX_PAGES) {
    this.memory = memory;
    this.#maxBytes = maxPages * PAGE;
    this.#buffers.add(memory.buffer);
    this.#free.push({ offset: HEAP_START, size: memory.buffer.byteLength - HEAP_START });
  }

  /**
   * A zero-filled Float32Array of `length` elements in the WASM memory.
   * @throws {ConfigError} when the memory cannot grow (its maximum is 2 GiB): gives the array's
   *   size, the memory's size and its maximum in MiB, and suggests smaller layers when the array
   *   alone takes over a quarter of the maximum (a layer's parameters), else smaller batches.
   */
  allocate(length: number): Float32Array {
    const size = Math.max(ALIGN, Math.ceil((length * 4) / ALIGN) * ALIGN);
    let index = this.#free.findIndex((block) => block.size >= size);
    if (index < 0) index = this.#grow(size);
    const block = this.#free[index]!;
    const offset = block.offset;
    if (block.size === size) this.#free.splice(index, 1);
    else {
      block.offset += size;
      block.size -= size;
    }
    const view = new Float32Array(this.memory.buffer, offset, length);
    // With threads, `memory.buffer` may answer a new SharedArrayBuffer object for the same
    // memory (measured in Node once workers share it): know every one an array was made on.
    this.#buffers.add(view.buffer);
    view.fill(0);
    this.#registry.register(view, { offset, size });
    return view;
  }

  /** The byte offset of `data` in the WASM memory, or −1 when it lives elsewhere. */
  pointer(data: ArrayBufferView): number {
    return this.#buffers.has(data.buffer) ? data.byteOffset : -1;
  }

  /** A Float32Array view of [offset, offset + 4·length) of the memory (for scratch copies). */
  view(offset: number, length: number): Float32Array {
    return new Float32Array(this.memory.buffer, offset, length);
  }

  /** Grows the memory so that a block of `size` bytes fits; returns its free-list index. */
  #grow(size: number): number {
    const end = this.memory.buffer.byteLength;
    const last = this.#free[this.#free.length - 1];
    const tail = last !== undefined && last.offset + last.size === end ? last.size : 0;
    const needed = Math.ceil((size - tail) / PAGE);
    const pages = needed + Math.ceil(end / PAGE / 8); // +12.5% headroom
    try {
      this.memory.grow(Math.min(pages, Math.max(needed, this.#maxBytes / PAGE - end / PAGE)));
    } catch (error) {
      const mib = (bytes: number) => `${(bytes / MIB).toFixed(1)} MiB`;
      const help =
        size > this.#maxBytes / 4
          ? "this one array is too large: use smaller layers (a layer's weights [nˡ, nˡ⁻¹] take " +
            "4·nˡ·nˡ⁻¹ bytes) or the 'js' backend"
          : "use smaller batches or smaller layers, or the 'js' backend";
      throw new ConfigError(
        `the WASM backend cannot allocate an array of ${mib(size)} (${size / 4} float32 values): ` +
          `its memory holds ${mib(end)} and grows to at most ${mib(this.#maxBytes)}; help: ${help}`,
        { cause: error },
      );
    }
    this.#buffers.add(this.memory.buffer);
    this.#release(end, this.memory.buffer.byteLength - end);
    return this.#free.length - 1;
  }

  /** Returns [offset, offset + size) to the free list, merging with its neighbours. */
  #release(offset: number, size: number): void {
    let i = 0;
    while (i < this.#free.length && this.#free[i]!.offset < offset) i++;
    const before = this.#free[i - 1];
    const after = this.#free[i];
    if (before !== undefined && before.offset + before.size === offset) {
      before.size += size;
      if (after !== undefined && before.offset + before.size === after.offset) {
        before.size += after.size;
        this.#free.splice(i, 1);
      }
    } else if (after !== undefined && offset + size === after.offset) {
      after.offset = offset;
      after.size += size;
    } else {
      this.#free.splice(i, 0, { offset, size });
    }
  }
}
