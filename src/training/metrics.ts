import type { Matrix } from '../tensor/matrix.js';

/**
 * Counts the rows whose predicted class equals the target's: the index of the largest output
 * (argmax) for several outputs, or the side of 0.5 for a single output (binary).
 * @param a - predictions [B, outputs]
 * @param y - targets [B, outputs], one-hot (or 0/1 for one output)
 * @returns the number of correct rows, an integer in [0, B]
 * @throws never (shapes are trusted: a and y must both be [B, outputs])
 */
export function countCorrect(a: Matrix, y: Matrix): number {
  const n = a.cols;
  const A = a.data;
  const Y = y.data;
  let correct = 0;
  for (let i = 0; i < a.rows; i++) {
    const row = i * n;
    if (n === 1) {
      if (A[row]! >= 0.5 === Y[row]! >= 0.5) correct++;
      continue;
    }
    let predicted = 0;
    let expected = 0;
    for (let j = 1; j < n; j++) {
      if (A[row + j]! > A[row + predicted]!) predicted = j;
      if (Y[row + j]! > Y[row + expected]!) expected = j;
    }
    if (predicted === expected) correct++;
  }
  return correct;
}
