import { describe, expect, it } from 'vitest';
import { Random } from '../../packages/core/src/index.js';
import { DATASET_NAMES, generate } from '../../web/playground/datasets.js';

describe('the playground data sets', () => {
  it.each(DATASET_NAMES)('%s: gives the same points for the same seed', (name) => {
    const first = generate(name, new Random(7), { points: 50, noise: 0.1 });
    const again = generate(name, new Random(7), { points: 50, noise: 0.1 });
    const other = generate(name, new Random(8), { points: 50, noise: 0.1 });
    expect(again).toEqual(first);
    expect(other.x).not.toEqual(first.x);
  });

  it.each(DATASET_NAMES)(
    '%s: gives x [n, 2] in about [−1.5, 1.5] and labels 0 or 1 of both classes',
    (name) => {
      const { x, y } = generate(name, new Random(1), { points: 400, noise: 0 });
      expect(x).toHaveLength(400);
      expect(y).toHaveLength(400);
      for (const row of x) {
        expect(row).toHaveLength(2);
        for (const v of row) expect(Math.abs(v)).toBeLessThan(1.5);
      }
      const ones = y.filter(([label]) => label === 1).length;
      expect(y.every(([label]) => label === 0 || label === 1)).toBe(true);
      expect(ones).toBeGreaterThan(150);
      expect(ones).toBeLessThan(250);
    },
  );

  it('xor: labels class 1 in the first and third quadrants, with a gap along the axes', () => {
    const { x, y } = generate('xor', new Random(3), { points: 300, noise: 0 });
    x.forEach(([x1, x2], i) => {
      expect(y[i]![0]).toBe(x1! * x2! > 0 ? 1 : 0);
      expect(Math.min(Math.abs(x1!), Math.abs(x2!))).toBeGreaterThanOrEqual(0.1);
    });
  });

  it('circles: puts class 1 within radius 0.5 and class 0 from 0.7 to 1', () => {
    const { x, y } = generate('circles', new Random(3), { points: 300, noise: 0 });
    x.forEach(([x1, x2], i) => {
      const r = Math.hypot(x1!, x2!);
      if (y[i]![0] === 1) expect(r).toBeLessThanOrEqual(0.5);
      else expect(r >= 0.7 - 1e-12 && r <= 1 + 1e-12).toBe(true);
    });
  });

  it('adds noise only to the coordinates, not to the labels', () => {
    const clean = generate('blobs', new Random(5), { points: 100, noise: 0 });
    const noisy = generate('blobs', new Random(5), { points: 100, noise: 0.3 });
    expect(noisy.y).toEqual(clean.y);
    expect(noisy.x).not.toEqual(clean.x);
  });
});
