import type { FloatArray, Matrix } from '../tensor/matrix.js';
import type { GradientSink, Parameter } from './layer.js';

/**
 * Writes the batch-mean gradients of a per-unit scale γ and shift β into their sinks
 * (`target ← beta·target + scale·∂L/∂θ`): ∂L/∂γⱼ = (1/B) Σᵢ gᵢⱼ x̂ᵢⱼ and ∂L/∂βⱼ = (1/B) Σᵢ gᵢⱼ,
 * with g = ∂ℓ/∂y per example [B, n] and x̂ the normalised input [B, n].
 */
export function writeScaleShiftGradients(
  g: Matrix,
  xhat: Matrix,
  gammaSink: GradientSink | null,
  betaSink: GradientSink | null,
): void {
  const { rows, cols } = g;
  const G = g.data;
  const X = xhat.data;
  for (let j = 0; j < cols; j++) {
    let sumGX = 0;
    let sumG = 0;
    for (let i = 0; i < rows; i++) {
      const gij = G[i * cols + j]!;
      sumGX += gij * X[i * cols + j]!;
      sumG += gij;
    }
    write(gammaSink, j, sumGX / rows);
    write(betaSink, j, sumG / rows);
  }
}

function write(sink: GradientSink | null, j: number, gradient: number): void {
  if (sink === null) return;
  const T: FloatArray = sink.target.data;
  T[j] = sink.beta === 1 ? T[j]! + sink.scale * gradient : sink.scale * gradient;
}

/** Fills an array of ones (γ's and the moving variance's start). */
export function ones(m: Matrix): Matrix {
  m.data.fill(1);
  return m;
}

/** The trainable per-unit scale γ and shift β of a normalisation layer, as `parameters()` lists them. */
export function scaleShiftParameters(gamma: Matrix, beta: Matrix): Parameter[] {
  return [
    { name: 'gamma', value: gamma, trainable: true, penalized: false },
    { name: 'beta', value: beta, trainable: true, penalized: false },
  ];
}
