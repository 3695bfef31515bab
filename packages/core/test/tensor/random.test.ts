import { describe, it, expect } from 'vitest';
import { ConfigError, Random } from '../../src/index.js';

function draws(random: Random, count: number, draw: (r: Random) => number): number[] {
  return Array.from({ length: count }, () => draw(random));
}

/** Pearson's χ² statistic of observed counts against equal expected counts. */
function chiSquare(counts: number[]): number {
  const total = counts.reduce((s, c) => s + c, 0);
  const expected = total / counts.length;
  return counts.reduce((s, c) => s + (c - expected) ** 2 / expected, 0);
}

describe('Random', () => {
  it('produces the reference xoshiro128** outputs from the state [1, 2, 3, 4]', () => {
    // The first ten outputs of the C reference implementation v1.1
    // (http://xoshiro.di.unimi.it/xoshiro128starstar.c) from s = {1, 2, 3, 4}, as in the test
    // vectors of Rust's rand_xoshiro crate.
    const random = new Random(0);
    random.setState([1, 2, 3, 4]);
    expect(draws(random, 10, (r) => r.nextUint32())).toEqual([
      11520, 0, 5927040, 70819200, 2031721883, 1637235492, 1287239034, 3734860849, 3729100597,
      4258142804,
    ]);
  });

  it('gives the same sequence for the same seed', () => {
    for (const seed of [0, 1, 42, 2 ** 32 - 1]) {
      const a = new Random(seed);
      const b = new Random(seed);
      expect(draws(a, 1000, (r) => r.nextUint32())).toEqual(draws(b, 1000, (r) => r.nextUint32()));
      expect(draws(a, 100, (r) => r.uniform())).toEqual(draws(b, 100, (r) => r.uniform()));
      expect(draws(a, 100, (r) => r.normal())).toEqual(draws(b, 100, (r) => r.normal()));
    }
  });

  it('gives different sequences for different seeds', () => {
    const sequences = [0, 1, 2, 3].map((seed) =>
      draws(new Random(seed), 8, (r) => r.nextUint32()).join(','),
    );
    expect(new Set(sequences).size).toBe(4);
  });

  it('draws unsigned 32-bit integers', () => {
    const values = draws(new Random(9), 10_000, (r) => r.nextUint32());
    expect(values.every((v) => Number.isInteger(v) && v >= 0 && v < 2 ** 32)).toBe(true);
    // All 32 bits are used: some draw sets the top bit, some the bottom one.
    expect(values.some((v) => v >= 2 ** 31)).toBe(true);
    expect(values.some((v) => v % 2 === 1)).toBe(true);
  });

  it('resumes exactly from getState/setState, on the same or another generator', () => {
    const random = new Random(7);
    draws(random, 13, (r) => r.uniform());
    const saved = random.getState();
    expect(saved).toHaveLength(4);
    const expected = draws(random, 200, (r) => r.nextUint32());
    const other = new Random(99);
    other.setState(saved);
    expect(draws(other, 200, (r) => r.nextUint32())).toEqual(expected);
    random.setState(saved);
    expect(draws(random, 200, (r) => r.nextUint32())).toEqual(expected);
  });

  it('survives a JSON round trip of its state', () => {
    const random = new Random(3);
    draws(random, 5, (r) => r.nextUint32());
    const restored = new Random(0);
    restored.setState(JSON.parse(JSON.stringify(random.getState())));
    expect(draws(restored, 50, (r) => r.uniform())).toEqual(draws(random, 50, (r) => r.uniform()));
  });

  it('draws uniform() in [0, 1) with mean ≈ 1/2 and variance ≈ 1/12', () => {
    const values = draws(new Random(5), 100_000, (r) => r.uniform());
    expect(values.every((v) => v >= 0 && v < 1)).toBe(true);
    const mean = values.reduce((s, v) => s + v, 0) / values.length;
    const variance = values.reduce((s, v) => s + (v - mean) ** 2, 0) / values.length;
    expect(Math.abs(mean - 0.5)).toBeLessThan(0.005);
    expect(Math.abs(variance - 1 / 12)).toBeLessThan(0.002);
  });

  it('draws integer(n) in [0, n), including n = 1 and n just above 2^31', () => {
    const random = new Random(11);
    for (const n of [1, 2, 3, 7, 10, 1000, 2 ** 31 + 1]) {
      const values = draws(random, 2000, (r) => r.integer(n));
      expect(
        values.every((v) => Number.isInteger(v) && v >= 0 && v < n),
        `n = ${n}`,
      ).toBe(true);
    }
  });

  it('draws integer(10) roughly uniformly (χ² with 9 degrees of freedom < 30)', () => {
    const counts = new Array<number>(10).fill(0);
    for (const v of draws(new Random(12), 100_000, (r) => r.integer(10))) counts[v]!++;
    // P(χ²₉ > 30) ≈ 4e-4: loose, yet it catches a biased or stuck generator.
    expect(chiSquare(counts)).toBeLessThan(30);
  });

  it('draws integer(3) on both halves of the 2^31 range evenly (rejection, no modulo bias)', () => {
    // With n = 3·2^30, r % n without rejection would give the low third twice as often.
    const n = 3 * 2 ** 30;
    const counts = [0, 0, 0];
    for (const v of draws(new Random(13), 30_000, (r) => r.integer(n))) {
      counts[Math.floor(v / 2 ** 30)]!++;
    }
    expect(chiSquare(counts)).toBeLessThan(20);
  });

  it('draws normal() with mean ≈ 0 and variance ≈ 1 over 1e5 samples', () => {
    const values = draws(new Random(14), 100_000, (r) => r.normal());
    expect(values.every(Number.isFinite)).toBe(true);
    const mean = values.reduce((s, v) => s + v, 0) / values.length;
    const variance = values.reduce((s, v) => s + (v - mean) ** 2, 0) / values.length;
    // Standard errors: 0.003 for the mean, 0.0045 for the variance.
    expect(Math.abs(mean)).toBeLessThan(0.02);
    expect(Math.abs(variance - 1)).toBeLessThan(0.03);
    // About 68.3% within one standard deviation.
    const within = values.filter((v) => Math.abs(v) < 1).length / values.length;
    expect(Math.abs(within - 0.6827)).toBeLessThan(0.01);
  });

  describe('shuffle', () => {
    it('permutes an array in place: same elements, a different order', () => {
      const order = Array.from({ length: 100 }, (_, i) => i);
      new Random(15).shuffle(order);
      expect([...order].sort((a, b) => a - b)).toEqual(Array.from({ length: 100 }, (_, i) => i));
      expect(order).not.toEqual(Array.from({ length: 100 }, (_, i) => i));
    });

    it('permutes a Uint32Array, and the same seed gives the same permutation', () => {
      const a = new Uint32Array(50).map((_, i) => i);
      const b = new Uint32Array(50).map((_, i) => i);
      new Random(16).shuffle(a);
      new Random(16).shuffle(b);
      expect(Array.from(a)).toEqual(Array.from(b));
      expect(Array.from(a).sort((p, q) => p - q)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    });

    it('leaves empty and one-element arrays alone', () => {
      const empty: number[] = [];
      const one = [7];
      new Random(1).shuffle(empty);
      new Random(1).shuffle(one);
      expect(empty).toEqual([]);
      expect(one).toEqual([7]);
    });

    it('gives each of the 6 orders of 3 elements about equally often', () => {
      const random = new Random(17);
      const counts = new Map<string, number>();
      for (let trial = 0; trial < 12_000; trial++) {
        const order = [0, 1, 2];
        random.shuffle(order);
        counts.set(order.join(''), (counts.get(order.join('')) ?? 0) + 1);
      }
      expect(counts.size).toBe(6);
      // P(χ²₅ > 25) ≈ 1.4e-4.
      expect(chiSquare([...counts.values()])).toBeLessThan(25);
    });
  });

  it('throws ConfigError for a negative, fractional or non-numeric seed', () => {
    expect(() => new Random(-1)).toThrow(ConfigError);
    expect(() => new Random(1.5)).toThrow(/seed must be an integer in \[0, 2\^32\); received 1\.5/);
    expect(() => new Random(NaN)).toThrow(ConfigError);
    expect(() => new Random('1' as unknown as number)).toThrow(ConfigError);
  });
});
