import { expect } from 'vitest';
import type { Matrix } from '../../src/index.js';

// The lecture's small network: 3 inputs, 3 sigmoid hidden units, 2 sigmoid outputs, loss
// ½Σ(y − a)², one example. Reference values were computed node by node in float64 from the
// lecture's scalar equations (Python: z_j = Σ_k w_jk a_k + b_j; a = 1/(1 + e^(−z));
// δ²_j = (a_j − y_j) a_j (1 − a_j); δ¹_k = Σ_j w²_jk δ²_j · a¹_k (1 − a¹_k); ∂L/∂w_jk = δ_j a_k).
// test/model/lecture.test.ts checks the library against them, test/explain/explain.test.ts
// checks `explain`.

/** The example x = a⁰ [1, 3] and its target y [1, 2]. */
export const x = [[0.5, -1, 2]];
export const y = [[1, 0]];

/** W¹ [3, 3], b¹ [1, 3], W² [2, 3], b² [1, 2] (row j = the inputs of unit j). */
export const W1 = [
  [0.1, -0.2, 0.3],
  [0.4, 0.5, -0.6],
  [-0.7, 0.8, 0.9],
];
export const b1 = [[0.1, -0.1, 0.2]];
export const W2 = [
  [0.2, -0.3, 0.4],
  [-0.5, 0.6, 0.1],
];
export const b2 = [[0.05, -0.05]];

/** The hand-computed zˡ, aˡ, L, δˡ and ∂L/∂Wˡ of the example. */
export const expected = {
  z1: [0.95, -1.6, 0.85],
  a1: [0.7211151780228631, 0.16798161486607552, 0.700567142473973],
  z2: [0.4240554081343392, -0.23971190584438895],
  a2: [0.6044532650000204, 0.44035734822953326],
  loss: 0.17518590685444527,
  delta2: [-0.09457107720139422, 0.10852287768136148],
  delta1: [-0.014716215192342655, 0.013065825044799233, -0.005658861650099078],
  gradW2: [
    [-0.06819663917189732, -0.015886202267914498, -0.06625338931566625],
    [0.07825749425874838, 0.018229848242828688, 0.07602756231028392],
  ],
  gradW1: [
    [-0.007358107596171328, 0.014716215192342655, -0.02943243038468531],
    [0.006532912522399617, -0.013065825044799233, 0.026131650089598467],
    [-0.002829430825049539, 0.005658861650099078, -0.011317723300198156],
  ],
};

/** Asserts that a matrix holds the reference values (row-major) to within `tolerance`. */
export function expectClose(
  actual: Matrix,
  reference: number[] | number[][],
  tolerance = 1e-12,
): void {
  const flat = reference.flat();
  expect(actual.data.length).toBe(flat.length);
  actual.data.forEach((value, i) => expect(Math.abs(value - flat[i]!)).toBeLessThan(tolerance));
}
