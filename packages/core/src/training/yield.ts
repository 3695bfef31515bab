import { ConfigError } from '../errors.js';

/**
 * When `fit` lets the event loop run (timers, I/O, input, animation frames), as tfjs's
 * `yieldEvery`: 'auto' (the default) after a batch once 100 ms have passed
 * since the last yield; 'batch' after every batch; 'epoch' after every epoch; a number of
 * milliseconds; or 'never'. Yielding never changes the results, only when other code runs.
 *
 * 'auto' yields every 100 ms, not every frame: measured on this project's machine, a yield
 * costs milliseconds of the training thread (V8 runs pending work at the macrotask boundary),
 * so yielding every 16 ms slowed batch-1 training by about a quarter, every 100 ms by a few
 * percent. A page that animates while training can ask for 16.
 */
export type YieldEvery = 'auto' | 'batch' | 'epoch' | 'never' | number;

/** The time between yields of 'auto', in milliseconds (10 times a second). */
export const AUTO_YIELD_MS = 100;

/**
 * Lets the event loop run once: a macrotask boundary (setImmediate in Node; a MessageChannel
 * message in browsers, which unlike setTimeout(0) is not clamped to 4 ms), so timers, I/O and
 * rendering get their turn.
 */
export function yieldToEventLoop(): Promise<void> {
  const immediate = (globalThis as { setImmediate?: (callback: () => void) => void }).setImmediate;
  if (immediate !== undefined) return new Promise((resolve) => immediate(resolve));
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(undefined);
  });
}

/** Decides, batch by batch, when `fit` yields; see {@link YieldEvery}. */
export class Yielder {
  readonly #every: YieldEvery;
  readonly #interval: number;
  #last = performance.now();

  /** @throws {ConfigError} for a value that is not a {@link YieldEvery}. */
  constructor(every: unknown = 'auto') {
    const named = every === 'auto' || every === 'batch' || every === 'epoch' || every === 'never';
    const ms = typeof every === 'number' && Number.isFinite(every) && every >= 0;
    if (!named && !ms) {
      throw new ConfigError(
        `yieldEvery must be 'auto', 'batch', 'epoch', 'never' or a number of milliseconds >= 0; ` +
          `received ${typeof every === 'string' ? JSON.stringify(every) : String(every)}`,
      );
    }
    this.#every = every as YieldEvery;
    this.#interval = typeof every === 'number' ? every : every === 'auto' ? AUTO_YIELD_MS : 0;
  }

  /**
   * After a batch: true when it is time to yield ('batch'; 'auto' and a number once the
   * interval passed). Synchronous, so that a batch that does not yield costs no promise.
   */
  due(): boolean {
    const every = this.#every;
    if (every === 'never' || every === 'epoch') return false;
    return every === 'batch' || performance.now() - this.#last >= this.#interval;
  }

  /** Yields to the event loop now (after {@link Yielder.due} said so) and restarts the clock. */
  async yield(): Promise<void> {
    await yieldToEventLoop();
    this.#last = performance.now();
  }

  /** After an epoch: yields unless 'never'. */
  async afterEpoch(): Promise<void> {
    if (this.#every === 'never') return;
    await yieldToEventLoop();
    this.#last = performance.now();
  }
}
