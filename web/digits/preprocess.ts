/** MNIST images are SIDE × SIDE pixels. */
export const SIDE = 28;
/** MNIST digits are scaled to fit a BOX × BOX box, keeping their aspect ratio. */
export const BOX = 20;

/**
 * Turns a drawing into an MNIST-like input, the way MNIST's digits were made (LeCun et al.):
 * the ink's bounding box is scaled to fit a 20 × 20 box, keeping its aspect ratio, and placed
 * in the 28 × 28 image so that its centre of mass falls on the centre. Resampling is an exact
 * box filter (each output pixel is the mean ink over the source area it covers), and the
 * values are rounded to 8 bits, like MNIST's pixels after division by 255.
 *
 * @param ink - ink per source pixel in [0, 1], row-major, `width × height` (white on black = 1)
 * @returns 784 values in {0, 1/255, …, 1}, row-major; all 0 when there is no ink
 * @example
 * toMnistInput(new Float32Array(280 * 280), 280, 280).every((v) => v === 0); //=> true
 */
export function toMnistInput(ink: ArrayLike<number>, width: number, height: number): Float32Array {
  const out = new Float32Array(SIDE * SIDE);
  let [left, right, top, bottom] = [width, -1, height, -1];
  let mass = 0;
  let sumX = 0;
  let sumY = 0;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const v = ink[y * width + x]!;
      if (v <= 0) continue;
      left = Math.min(left, x);
      right = Math.max(right, x);
      top = Math.min(top, y);
      bottom = Math.max(bottom, y);
      mass += v;
      sumX += v * (x + 0.5);
      sumY += v * (y + 0.5);
    }
  }
  if (mass === 0) return out;
  // Output pixel u covers source [cx + (u − 14) / scale, cx + (u + 1 − 14) / scale).
  const scale = BOX / Math.max(right - left + 1, bottom - top + 1);
  const columns = overlaps(sumX / mass, scale, width);
  const rows = overlaps(sumY / mass, scale, height);
  const area = 1 / (scale * scale);
  for (let v = 0; v < SIDE; v++) {
    for (let u = 0; u < SIDE; u++) {
      let sum = 0;
      for (const [y, wy] of rows[v]!) {
        let line = 0;
        for (const [x, wx] of columns[u]!) line += wx * ink[y * width + x]!;
        sum += wy * line;
      }
      const value = Math.min(1, sum / area);
      out[v * SIDE + u] = Math.round(value * 255) / 255;
    }
  }
  return out;
}

/**
 * For each output index u in 0..27, the source pixels s in [0, size) whose span [s, s + 1)
 * overlaps the source interval of u, with the length of the overlap.
 */
function overlaps(centre: number, scale: number, size: number): [number, number][][] {
  const result: [number, number][][] = [];
  for (let u = 0; u < SIDE; u++) {
    const from = centre + (u - SIDE / 2) / scale;
    const to = centre + (u + 1 - SIDE / 2) / scale;
    const pixels: [number, number][] = [];
    for (let s = Math.max(0, Math.floor(from)); s < Math.min(size, Math.ceil(to)); s++) {
      const overlap = Math.min(to, s + 1) - Math.max(from, s);
      if (overlap > 0) pixels.push([s, overlap]);
    }
    result.push(pixels);
  }
  return result;
}
