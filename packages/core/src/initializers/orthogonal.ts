import type { Matrix } from '../tensor/matrix.js';
import type { Random } from '../tensor/random.js';

/**
 * Fills m [rows, cols] with gain·Q, Q a random orthogonal matrix (Saxe, McClelland & Ganguli,
 * "Exact solutions to the nonlinear dynamics of learning in deep linear neural networks",
 * ICLR 2014; Keras's Orthogonal): a Gaussian matrix A [max, min] (drawn row by row, as Keras)
 * is factored A = QR by modified Gram–Schmidt, each column orthogonalised twice so that
 * QᵀQ = I to float64 rounding. Gram–Schmidt makes R's diagonal positive, which is Keras's sign
 * correction Q·sign(diag R) (Mezzadri 2007: Q is then uniform on the orthogonal matrices).
 * With rows ≥ cols the columns of m are orthonormal (mᵀm = gain²·I), else its rows (m mᵀ =
 * gain²·I). Computed in float64, rounded once to m's dtype.
 */
export function fillOrthogonal(m: Matrix, gain: number, random: Random): void {
  const n = Math.max(m.rows, m.cols);
  const k = Math.min(m.rows, m.cols);
  // Column j of A (and of Q) at [j·n, (j + 1)·n).
  const q = new Float64Array(n * k);
  for (let i = 0; i < n; i++) for (let j = 0; j < k; j++) q[j * n + i] = random.normal();
  for (let j = 0; j < k; j++) {
    const v = j * n;
    for (let pass = 0; pass < 2; pass++) {
      for (let p = 0; p < j; p++) {
        let dot = 0;
        for (let i = 0; i < n; i++) dot += q[p * n + i]! * q[v + i]!;
        for (let i = 0; i < n; i++) q[v + i]! -= dot * q[p * n + i]!;
      }
    }
    let norm = 0;
    for (let i = 0; i < n; i++) norm += q[v + i]! * q[v + i]!;
    norm = Math.sqrt(norm);
    for (let i = 0; i < n; i++) q[v + i]! /= norm;
  }
  const d = m.data;
  const tall = m.rows >= m.cols;
  for (let r = 0; r < m.rows; r++) {
    for (let c = 0; c < m.cols; c++) {
      // Tall: m[r, c] = Q[r, c]; wide: m = Qᵀ, m[r, c] = Q[c, r].
      d[r * m.cols + c] = gain * (tall ? q[c * n + r]! : q[r * n + c]!);
    }
  }
}
