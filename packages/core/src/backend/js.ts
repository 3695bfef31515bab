import { decode } from '../tensor/byte-matrix.js';
import { allocate, type Matrix } from '../tensor/matrix.js';
import type { Backend } from './backend.js';

/**
 * The reference backend in plain TypeScript over typed arrays. It is the oracle the faster
 * backends are tested against. Loops are ordered so the innermost one walks memory
 * contiguously, and products skip zero multipliers (ReLU deltas, blank MNIST pixels).
 */
export const jsBackend: Backend = {
  name: 'js',

  allocate,

  gemm(a, transposeA, b, transposeB, c, alpha, beta) {
    const m = c.rows;
    const n = c.cols;
    const k = transposeA ? a.rows : a.cols;
    const A = a.data;
    const B = b.data;
    const C = c.data;
    if (beta === 0) C.fill(0);
    else if (beta !== 1) for (let i = 0; i < C.length; i++) C[i]! *= beta;
    if (!transposeA && transposeB) {
      // C[i, j] += α Σₚ A[i, p]·B[j, p]: dot products of two contiguous rows.
      for (let i = 0; i < m; i++) {
        const ai = i * k;
        for (let j = 0; j < n; j++) {
          const bj = j * k;
          let sum = 0;
          for (let p = 0; p < k; p++) sum += A[ai + p]! * B[bj + p]!;
          C[i * n + j]! += alpha * sum;
        }
      }
    } else if (!transposeA) {
      // C[i, :] += α A[i, p]·B[p, :]: a contiguous axpy per (i, p).
      for (let i = 0; i < m; i++) {
        const ci = i * n;
        for (let p = 0; p < k; p++) {
          const s = A[i * k + p]!;
          if (s === 0) continue;
          const scaled = alpha * s;
          const bp = p * n;
          for (let j = 0; j < n; j++) C[ci + j]! += scaled * B[bp + j]!;
        }
      }
    } else if (!transposeB) {
      // C[i, :] += α·(A[p, i]·B[p, :]) for each example p (the weight gradient ΔᵀA). α is
      // applied last so that the fused SGD step W += −η·(δ aᵀ) rounds like W − η·(∂L/∂W).
      for (let p = 0; p < k; p++) {
        const bp = p * n;
        for (let i = 0; i < m; i++) {
          const s = A[p * m + i]!;
          if (s === 0) continue;
          const ci = i * n;
          for (let j = 0; j < n; j++) C[ci + j]! += alpha * (s * B[bp + j]!);
        }
      }
    } else {
      // C[i, j] += α Σₚ A[p, i]·B[j, p]: rarely used, kept simple.
      for (let i = 0; i < m; i++) {
        for (let j = 0; j < n; j++) {
          let sum = 0;
          for (let p = 0; p < k; p++) sum += A[p * m + i]! * B[j * k + p]!;
          C[i * n + j]! += alpha * sum;
        }
      }
    }
  },

  addBias(z, bias) {
    const Z = z.data;
    const b = bias.data;
    const n = z.cols;
    for (let i = 0; i < z.rows; i++) {
      const row = i * n;
      for (let j = 0; j < n; j++) Z[row + j]! += b[j]!;
    }
  },

  sumColumns(a, out, alpha, beta) {
    const A = a.data;
    const O = out.data;
    const n = a.cols;
    for (let j = 0; j < n; j++) {
      let sum = 0;
      for (let i = 0; i < a.rows; i++) sum += A[i * n + j]!;
      O[j] = beta === 0 ? alpha * sum : beta * O[j]! + alpha * sum;
    }
  },

  activate(activation, z, a) {
    if (activation.kind === 'softmax') return softmaxRows(z, a);
    const { g } = activation;
    const Z = z.data;
    const A = a.data;
    for (let i = 0; i < Z.length; i++) A[i] = g(Z[i]!);
  },

  activateBackward(activation, z, a, gradA, delta) {
    if (activation.kind === 'softmax') return softmaxBackward(a, gradA, delta);
    const { derivative } = activation;
    const Z = z.data;
    const A = a.data;
    const G = gradA.data;
    const D = delta.data;
    for (let i = 0; i < Z.length; i++) D[i] = derivative(Z[i]!, A[i]!) * G[i]!;
  },

  subtract(a, b, out) {
    const A = a.data;
    const B = b.data;
    const O = out.data;
    for (let i = 0; i < A.length; i++) O[i] = A[i]! - B[i]!;
  },

  axpy(alpha, x, y) {
    const X = x.data;
    const Y = y.data;
    for (let i = 0; i < X.length; i++) Y[i]! += alpha * X[i]!;
  },

  decodeRows(source, order, start, target) {
    const cols = source.cols;
    for (let r = 0; r < target.rows; r++) {
      const row = order === undefined ? start + r : order[start + r]!;
      decode(source, row * cols, target.data, r * cols, cols);
    }
  },
};

/** Row-wise softmax, each row's max subtracted so no exponential overflows. */
export function softmaxRows(z: Matrix, out: Matrix): void {
  const Z = z.data;
  const O = out.data;
  const n = z.cols;
  for (let i = 0; i < z.rows; i++) {
    const row = i * n;
    let max = -Infinity;
    for (let j = 0; j < n; j++) max = Math.max(max, Z[row + j]!);
    let sum = 0;
    for (let j = 0; j < n; j++) {
      const e = Math.exp(Z[row + j]! - max);
      O[row + j] = e;
      sum += e;
    }
    for (let j = 0; j < n; j++) O[row + j]! /= sum;
  }
}

function softmaxBackward(a: Matrix, gradA: Matrix, delta: Matrix): void {
  const A = a.data;
  const G = gradA.data;
  const D = delta.data;
  const n = a.cols;
  for (let i = 0; i < a.rows; i++) {
    const row = i * n;
    let dot = 0;
    for (let j = 0; j < n; j++) dot += G[row + j]! * A[row + j]!;
    for (let j = 0; j < n; j++) D[row + j] = A[row + j]! * (G[row + j]! - dot);
  }
}
