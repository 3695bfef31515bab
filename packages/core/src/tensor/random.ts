import { ConfigError } from '../errors.js';

/** The serialisable state of a {@link Random}: four 32-bit words. */
export type RandomState = [number, number, number, number];

/**
 * A seeded pseudo-random generator: xoshiro128** (Blackman & Vigna, "Scrambled linear
 * pseudorandom number generators", 2018), seeded through splitmix32. The same seed gives the
 * same bits on every platform, and the state can be saved and restored.
 *
 * @example
 * const rng = new Random(1);
 * rng.uniform(); // a float in [0, 1), the same for every run with seed 1
 */
export class Random {
  #s0 = 0;
  #s1 = 0;
  #s2 = 0;
  #s3 = 0;

  /**
   * @param seed - an integer in [0, 2^32)
   * @throws {ConfigError} when the seed is not an integer in [0, 2^32).
   */
  constructor(seed: number) {
    if (!Number.isInteger(seed) || seed < 0 || seed >= 2 ** 32) {
      throw new ConfigError(`seed must be an integer in [0, 2^32); received ${seed}`);
    }
    // splitmix32 expands one 32-bit seed into four well-mixed state words.
    let x = seed >>> 0;
    const next = (): number => {
      x = (x + 0x9e3779b9) | 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.#s0 = next();
    this.#s1 = next();
    this.#s2 = next();
    this.#s3 = next();
  }

  /** The next 32-bit unsigned integer (xoshiro128**). */
  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.#s1, 5), 7), 9) >>> 0;
    const t = this.#s1 << 9;
    this.#s2 ^= this.#s0;
    this.#s3 ^= this.#s1;
    this.#s1 ^= this.#s2;
    this.#s0 ^= this.#s3;
    this.#s2 ^= t;
    this.#s3 = rotl(this.#s3, 11);
    return result;
  }

  /** A float in [0, 1) with 53 random bits. */
  uniform(): number {
    const high = this.nextUint32() >>> 5; // 27 bits
    const low = this.nextUint32() >>> 6; // 26 bits
    return (high * 67108864 + low) / 9007199254740992;
  }

  /** An integer in [0, n), exactly uniform (rejection sampling). */
  integer(n: number): number {
    const limit = 4294967296 - (4294967296 % n);
    let r = this.nextUint32();
    while (r >= limit) r = this.nextUint32();
    return r % n;
  }

  /** A standard normal sample N(0, 1) by the Box–Muller transform. */
  normal(): number {
    const u1 = 1 - this.uniform(); // in (0, 1], so the log is finite
    const u2 = this.uniform();
    return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  }

  /**
   * Shuffles `order` in place by Fisher–Yates (Knuth, TAOCP vol. 2, Algorithm P).
   * @param order - the array to permute, e.g. the indices 0..n−1 of the examples
   */
  shuffle(order: Uint32Array | number[]): void {
    for (let i = order.length - 1; i > 0; i--) {
      const j = this.integer(i + 1);
      const t = order[i]!;
      order[i] = order[j]!;
      order[j] = t;
    }
  }

  /** The generator's state, to save in a checkpoint. */
  getState(): RandomState {
    return [this.#s0 >>> 0, this.#s1 >>> 0, this.#s2 >>> 0, this.#s3 >>> 0];
  }

  /** Restores a state returned by {@link Random.getState}. */
  setState(state: RandomState): void {
    [this.#s0, this.#s1, this.#s2, this.#s3] = state.map((w) => w >>> 0) as RandomState;
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}
