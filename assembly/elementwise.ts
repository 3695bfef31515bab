// Element-wise and row-wise kernels on float32 matrices in linear memory. Activation codes:
// 0 sigmoid, 1 tanh, 2 relu, 3 leakyRelu, 4 linear (the order of ACTIVATION_CODES in wasm.ts).

const LEAKY_SLOPE: f32 = 0.01;

@inline function sigmoid(z: f32): f32 {
  if (z >= 0) return 1 / (1 + Mathf.exp(-z));
  const e = Mathf.exp(z);
  return e / (1 + e);
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

/** a = g(z) per element over length elements; relu and linear with SIMD. */
export function activate(z: usize, a: usize, length: i32, code: i32): void {
  const end = <usize>length << 2;
  let o: usize = 0;
  if (code == 2 || code == 4) {
    const end4 = <usize>(length & ~3) << 2;
    const zero = f32x4.splat(0);
    for (; o < end4; o += 16) {
      const v = v128.load(z + o);
      v128.store(a + o, code == 2 ? f32x4.max(v, zero) : v);
    }
  }
  for (; o < end; o += 4) store<f32>(a + o, g(load<f32>(z + o), code));
}

@inline function g(z: f32, code: i32): f32 {
  switch (code) {
    case 0: return sigmoid(z);
    case 1: return Mathf.tanh(z);
    case 2: return z > 0 ? z : 0;
    case 3: return z > 0 ? z : LEAKY_SLOPE * z;
    default: return z;
  }
}

/** delta = gradA * g'(z) per element (g' from z or a = g(z)); length elements. */
export function activateBackward(
  z: usize, a: usize, gradA: usize, delta: usize, length: i32, code: i32,
): void {
  const end = <usize>length << 2;
  for (let o: usize = 0; o < end; o += 4) {
    const g = load<f32>(gradA + o);
    let d: f32;
    switch (code) {
      case 0: { const s = load<f32>(a + o); d = s * (1 - s); break; }
      case 1: { const t = load<f32>(a + o); d = 1 - t * t; break; }
      case 2: d = load<f32>(z + o) > 0 ? 1 : 0; break;
      case 3: d = load<f32>(z + o) > 0 ? 1 : LEAKY_SLOPE; break;
      default: d = 1;
    }
    store<f32>(delta + o, d * g);
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
