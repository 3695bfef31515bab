// Element-wise and row-wise kernels on float32 matrices in linear memory. Activation codes and
// their parameters p0, p1 come from the table in src/activations/table.ts: 0 sigmoid, 1 tanh,
// 2 relu, 3 leakyRelu (p0 slope), 4 linear, 5 elu (p0 alpha), 6 selu, 7 gelu, 8 softplus,
// 9 swish, 10 hardSigmoid (p0 slope, p1 offset), 11 softsign, 12 mish, 13 geluTanh.
import { erfc } from './erf';

const SELU_ALPHA: f32 = 1.6732632423543772;
const SELU_SCALE: f32 = 1.0507009873554805;
const GELU_TANH_SCALE: f32 = 0.7978845608028654; // sqrt(2/pi)
const GELU_TANH_CUBIC: f32 = 0.044715;
const NORMAL_DENSITY: f64 = 0.3989422804014327; // 1/sqrt(2 pi)

@inline function sigmoid(z: f32): f32 {
  if (z >= 0) return 1 / (1 + Mathf.exp(-z));
  const e = Mathf.exp(z);
  return e / (1 + e);
}

/** tanh(softplus(z)) without overflow or cancellation (see tanhSoftplus in table.ts). */
@inline function tanhSoftplus(z: f32): f32 {
  if (z >= 0) {
    const w = Mathf.exp(-z);
    return (1 + 2 * w) / (1 + 2 * w + 2 * w * w);
  }
  const e = Mathf.exp(z);
  const n = e * (e + 2);
  return n / (n + 2);
}

/** 1 - tanh^2(softplus(z)) without cancellation. */
@inline function sechSquaredSoftplus(z: f32): f32 {
  if (z >= 0) {
    const w = Mathf.exp(-z);
    const d: f32 = 1 + 2 * w + 2 * w * w;
    return (4 * w * w * (1 + w) * (1 + w)) / (d * d);
  }
  const e = Mathf.exp(z);
  const n = e * (e + 2);
  return (4 * (n + 1)) / ((n + 2) * (n + 2));
}

/** z[i, :] += bias[:] for every row of z [m, n]. */
export function addBias(z: usize, bias: usize, m: i32, n: i32): void {
  const n4 = <usize>(n & ~3) << 2;
  const end = <usize>n << 2;
  for (let i = 0; i < m; i++) {
    const row = z + ((<usize>i * <usize>n) << 2);
    let o: usize = 0;
    for (; o < n4; o += 16) v128.store(row + o, f32x4.add(v128.load(row + o), v128.load(bias + o)));
    for (; o < end; o += 4) store<f32>(row + o, load<f32>(row + o) + load<f32>(bias + o));
  }
}

/** a = g(z) per element over length elements; the piecewise-linear ones and softsign with SIMD. */
export function activate(z: usize, a: usize, length: i32, code: i32, p0: f32, p1: f32): void {
  const end = <usize>length << 2;
  let o: usize = 0;
  if (code == 2 || code == 3 || code == 4 || code == 10 || code == 11) {
    const end4 = <usize>(length & ~3) << 2;
    const zero = f32x4.splat(0);
    const one = f32x4.splat(1);
    const first = f32x4.splat(p0);
    const second = f32x4.splat(p1);
    for (; o < end4; o += 16) {
      const v = v128.load(z + o);
      let r: v128;
      if (code == 2) r = f32x4.max(v, zero);
      else if (code == 3) r = v128.bitselect(v, f32x4.mul(first, v), f32x4.gt(v, zero));
      else if (code == 10) r = f32x4.min(one, f32x4.max(zero, f32x4.add(f32x4.mul(first, v), second)));
      else if (code == 11) r = f32x4.div(v, f32x4.add(one, f32x4.abs(v)));
      else r = v;
      v128.store(a + o, r);
    }
  }
  for (; o < end; o += 4) store<f32>(a + o, g(load<f32>(z + o), code, p0, p1));
}

@inline function g(z: f32, code: i32, p0: f32, p1: f32): f32 {
  switch (code) {
    case 0: return sigmoid(z);
    case 1: return Mathf.tanh(z);
    case 2: return z > 0 ? z : 0;
    case 3: return z > 0 ? z : p0 * z;
    case 5: return z > 0 ? z : p0 * Mathf.expm1(z);
    case 6: return SELU_SCALE * (z > 0 ? z : SELU_ALPHA * Mathf.expm1(z));
    case 7: return <f32>(0.5 * <f64>z * erfc(-<f64>z * Math.SQRT1_2));
    case 8: return Mathf.log1p(Mathf.exp(-Mathf.abs(z))) + Mathf.max(z, 0);
    case 9: return z * sigmoid(z);
    case 10: return Mathf.min(1, Mathf.max(0, p0 * z + p1));
    case 11: return z / (1 + Mathf.abs(z));
    case 12: return z * tanhSoftplus(z);
    case 13: return z * sigmoid(2 * GELU_TANH_SCALE * (z + GELU_TANH_CUBIC * z * z * z));
    default: return z;
  }
}

/** g'(z) from z or a = g(z). */
@inline function derivative(z: f32, a: f32, code: i32, p0: f32, p1: f32): f32 {
  switch (code) {
    case 0: return a * (1 - a);
    case 1: return 1 - a * a;
    case 2: return z > 0 ? 1 : 0;
    case 3: return z > 0 ? 1 : p0;
    case 5: return z > 0 ? 1 : p0 * Mathf.exp(z);
    case 6: return SELU_SCALE * (z > 0 ? 1 : SELU_ALPHA * Mathf.exp(z));
    case 7: {
      const x = <f64>z;
      return <f32>(0.5 * erfc(-x * Math.SQRT1_2) + x * NORMAL_DENSITY * Math.exp(-0.5 * x * x));
    }
    case 8: return sigmoid(z);
    case 9: { const s = sigmoid(z); return s + z * s * (1 - s); }
    case 10: { const y = p0 * z + p1; return y > 0 && y < 1 ? p0 : 0; }
    case 11: { const t: f32 = 1 + Mathf.abs(z); return 1 / (t * t); }
    case 12: return tanhSoftplus(z) + z * sechSquaredSoftplus(z) * sigmoid(z);
    case 13: {
      const s = sigmoid(2 * GELU_TANH_SCALE * (z + GELU_TANH_CUBIC * z * z * z));
      const q = s * (1 - s);
      if (q == 0) return s;
      return s + 2 * z * q * GELU_TANH_SCALE * (1 + 3 * GELU_TANH_CUBIC * z * z);
    }
    default: return 1;
  }
}

/** delta = gradA * g'(z) per element (g' from z or a = g(z)); length elements. */
export function activateBackward(
  z: usize, a: usize, gradA: usize, delta: usize, length: i32, code: i32, p0: f32, p1: f32,
): void {
  const end = <usize>length << 2;
  for (let o: usize = 0; o < end; o += 4) {
    const d = derivative(load<f32>(z + o), load<f32>(a + o), code, p0, p1);
    store<f32>(delta + o, d * load<f32>(gradA + o));
  }
}

/** Row-wise softmax of z [m, n] into out, with each row's max subtracted. */
export function softmaxRows(z: usize, out: usize, m: i32, n: i32): void {
  for (let i = 0; i < m; i++) {
    const row = (<usize>i * <usize>n) << 2;
    const end = row + (<usize>n << 2);
    let max = -Infinity as f32;
    for (let o = row; o < end; o += 4) max = Mathf.max(max, load<f32>(z + o));
    let sum: f32 = 0;
    for (let o = row; o < end; o += 4) {
      const e = Mathf.exp(load<f32>(z + o) - max);
      store<f32>(out + o, e);
      sum += e;
    }
    const inverse: f32 = 1 / sum;
    for (let o = row; o < end; o += 4) store<f32>(out + o, load<f32>(out + o) * inverse);
  }
}

/** Softmax Jacobian-vector product per row: delta_i = a_i (g_i - sum_j g_j a_j). */
export function softmaxBackward(a: usize, gradA: usize, delta: usize, m: i32, n: i32): void {
  for (let i = 0; i < m; i++) {
    const row = (<usize>i * <usize>n) << 2;
    const end = row + (<usize>n << 2);
    let dot: f32 = 0;
    for (let o = row; o < end; o += 4) dot += load<f32>(gradA + o) * load<f32>(a + o);
    for (let o = row; o < end; o += 4) {
      store<f32>(delta + o, load<f32>(a + o) * (load<f32>(gradA + o) - dot));
    }
  }
}

/** out[j] = beta * out[j] + alpha * sum_i a[i, j]: column sums of a [m, n]. */
export function sumColumns(a: usize, out: usize, m: i32, n: i32, alpha: f32, beta: f32): void {
  const end = <usize>n << 2;
  for (let o: usize = 0; o < end; o += 4) {
    let sum: f32 = 0;
    for (let i = 0; i < m; i++) sum += load<f32>(a + ((<usize>i * <usize>n) << 2) + o);
    const p = out + o;
    store<f32>(p, beta == 0 ? alpha * sum : alpha * sum + beta * load<f32>(p));
  }
}

/** y += alpha * x over length elements. */
export function axpy(alpha: f32, x: usize, y: usize, length: i32): void {
  const end = <usize>length << 2;
  const end4 = <usize>(length & ~3) << 2;
  const al = f32x4.splat(alpha);
  let o: usize = 0;
  for (; o < end4; o += 16) v128.store(y + o, f32x4.add(v128.load(y + o), f32x4.mul(al, v128.load(x + o))));
  for (; o < end; o += 4) store<f32>(y + o, load<f32>(y + o) + alpha * load<f32>(x + o));
}

/** out = a - b over length elements. */
export function subtract(a: usize, b: usize, out: usize, length: i32): void {
  const end = <usize>length << 2;
  for (let o: usize = 0; o < end; o += 4) store<f32>(out + o, load<f32>(a + o) - load<f32>(b + o));
}
