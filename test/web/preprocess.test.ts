import { describe, expect, it } from 'vitest';
import { BOX, SIDE, toMnistInput } from '../../web/digits/preprocess.js';

/** A width × height canvas of ink with the rectangle [x0, x1) × [y0, y1) filled with 1. */
function rectangle(width: number, height: number, x0: number, y0: number, x1: number, y1: number) {
  const ink = new Float32Array(width * height);
  for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) ink[y * width + x] = 1;
  return ink;
}

/** Column and row bounds of the non-zero pixels, and the centre of mass, of a 28 × 28 image. */
function measure(image: Float32Array) {
  let [left, right, top, bottom, mass, cx, cy] = [SIDE, -1, SIDE, -1, 0, 0, 0];
  image.forEach((v, i) => {
    if (v === 0) return;
    const [x, y] = [i % SIDE, Math.floor(i / SIDE)];
    [left, right, top, bottom] = [
      Math.min(left, x),
      Math.max(right, x),
      Math.min(top, y),
      Math.max(bottom, y),
    ];
    mass += v;
    cx += v * (x + 0.5);
    cy += v * (y + 0.5);
  });
  return { width: right - left + 1, height: bottom - top + 1, cx: cx / mass, cy: cy / mass, mass };
}

describe('toMnistInput (the digits page: a drawing to a 28 × 28 MNIST input)', () => {
  it('gives 784 zeros for an empty drawing', () => {
    const out = toMnistInput(new Float32Array(280 * 280), 280, 280);
    expect(out).toHaveLength(784);
    expect(out.every((v) => v === 0)).toBe(true);
  });

  it('scales the ink to a 20-pixel box and puts its centre of mass at the centre', () => {
    // A tall bar in the top-left corner: 40 × 200 pixels of a 280 × 280 pad.
    const out = toMnistInput(rectangle(280, 280, 10, 20, 50, 220), 280, 280);
    const { width, height, cx, cy } = measure(out);
    expect(height).toBe(BOX);
    expect(width).toBe(4);
    expect(cx).toBeCloseTo(14, 1);
    expect(cy).toBeCloseTo(14, 1);
  });

  it('keeps the amount of ink: a box filter, so the mean over the covered area', () => {
    // 100 × 100 of full ink becomes 20 × 20 of full ink.
    const out = toMnistInput(rectangle(280, 280, 100, 100, 200, 200), 280, 280);
    const { width, height, mass } = measure(out);
    expect([width, height]).toEqual([20, 20]);
    expect(mass).toBeCloseTo(400, 6);
    expect(Math.max(...out)).toBe(1);
  });

  it('rounds to 8-bit levels, like MNIST pixels divided by 255', () => {
    const ink = new Float32Array(280 * 280).map((_, i) => ((i * 7919) % 97) / 97);
    for (const v of toMnistInput(ink, 280, 280)) {
      expect(Number.isInteger(Math.round(v * 255 * 1e3) / 1e3)).toBe(true);
      expect(v).toBeGreaterThanOrEqual(0);
      expect(v).toBeLessThanOrEqual(1);
    }
  });

  it('scales up a drawing smaller than the box (a dot becomes a blob)', () => {
    const out = toMnistInput(rectangle(280, 280, 140, 140, 145, 145), 280, 280);
    const { width, height, cx, cy } = measure(out);
    expect([width, height]).toEqual([20, 20]);
    expect([cx, cy]).toEqual([14, 14]);
  });
});
