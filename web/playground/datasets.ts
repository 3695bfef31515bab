import { Random } from '../../packages/core/src/browser.js';

/** The playground's two-class data sets in the plane. */
export type DatasetName = 'xor' | 'circles' | 'spirals' | 'blobs';

/** Every data set, in menu order. */
export const DATASET_NAMES: readonly DatasetName[] = ['xor', 'circles', 'spirals', 'blobs'];

/** Labelled points: x [n, 2] (each coordinate about in [−1, 1]) and y [n, 1] of 0s and 1s. */
export interface Points {
  x: number[][];
  y: number[][];
}

/** Options of {@link generate}. */
export interface GenerateOptions {
  /** How many points, an integer >= 1. */
  points: number;
  /** Standard deviation of Gaussian noise added to each coordinate after labelling, >= 0. */
  noise: number;
}

/**
 * Draws a two-class data set in the plane from a seeded generator, so the same seed gives the
 * same points in Node and in every browser.
 *
 * - `xor`: uniform in the square, |x₁|, |x₂| in [0.1, 1] (a gap along the axes); class 1 where
 *   x₁x₂ > 0 (the first and third quadrants).
 * - `circles`: class 1 in the disc of radius 0.5, class 0 in the ring 0.7 ≤ r ≤ 1.
 * - `spirals`: two interleaved spirals of 1.75 turns, r uniform in [0, 1], one per class.
 * - `blobs`: two Gaussian blobs, σ = 0.25, centred at (0.4, 0.4) (class 1) and (−0.4, −0.4).
 *
 * Classes alternate for circles and spirals (even rows class 1) and are drawn at random for
 * xor and blobs.
 * @param random - the generator; it advances by a fixed number of draws per point
 * @returns x [points, 2] and y [points, 1]
 */
export function generate(name: DatasetName, random: Random, options: GenerateOptions): Points {
  const x: number[][] = [];
  const y: number[][] = [];
  const point = POINT[name];
  for (let i = 0; i < options.points; i++) {
    const [x1, x2, label] = point(random, i);
    x.push([x1 + options.noise * random.normal(), x2 + options.noise * random.normal()]);
    y.push([label]);
  }
  return { x, y };
}

type PointMaker = (random: Random, i: number) => [number, number, number];

/** A number in [lo, hi). */
function between(random: Random, lo: number, hi: number): number {
  return lo + (hi - lo) * random.uniform();
}

const POINT: Readonly<Record<DatasetName, PointMaker>> = {
  xor(random) {
    const side = () => (random.uniform() < 0.5 ? -1 : 1) * between(random, 0.1, 1);
    const x1 = side();
    const x2 = side();
    return [x1, x2, x1 * x2 > 0 ? 1 : 0];
  },
  circles(random, i) {
    const label = i % 2 === 0 ? 1 : 0;
    const r = label === 1 ? between(random, 0, 0.5) : between(random, 0.7, 1);
    const angle = between(random, 0, 2 * Math.PI);
    return [r * Math.cos(angle), r * Math.sin(angle), label];
  },
  spirals(random, i) {
    const label = i % 2 === 0 ? 1 : 0;
    const r = random.uniform();
    const angle = 1.75 * 2 * Math.PI * r + (label === 1 ? 0 : Math.PI);
    return [r * Math.sin(angle), r * Math.cos(angle), label];
  },
  blobs(random) {
    const label = random.uniform() < 0.5 ? 1 : 0;
    const centre = label === 1 ? 0.4 : -0.4;
    return [centre + 0.25 * random.normal(), centre + 0.25 * random.normal(), label];
  },
};
