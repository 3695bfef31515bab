// Matrix products on float32 row-major matrices in linear memory, 128-bit SIMD, register-blocked
// 4 rows x 8 columns (or 4 x 2 dot products). Each kernel computes the rows [i0, i1) of C, so
// threads can split one product by rows; a row's arithmetic does not depend on the split when
// the split points are multiples of 4.
//   C = alpha * op(A) op(B) + beta * C, with op(A) [m, k], op(B) [k, n], C [m, n].

/** C[i, j] = alpha * sum_p A[i, p] B[j, p] + beta C[i, j]:  A [m, k], B [n, k] (Z = A W^T). */
export function gemmNT(
  a: usize, b: usize, c: usize, m: i32, n: i32, k: i32, alpha: f32, beta: f32, i0: i32, i1: i32,
): void {
  if (m == 1) {
    sparseDots(a, b, c, n, k, alpha, beta);
    return;
  }
  let i = i0;
  for (; i + 4 <= i1; i += 4) {
    let j = 0;
    for (; j + 2 <= n; j += 2) dot4x2(a, b, c, i, j, n, k, alpha, beta);
    for (; j < n; j++) for (let r = i; r < i + 4; r++) dot1(a, b, c, r, j, n, k, alpha, beta);
  }
  for (; i < i1; i++) for (let j = 0; j < n; j++) dot1(a, b, c, i, j, n, k, alpha, beta);
}

@inline function hsum(v: v128): f32 {
  return (
    f32x4.extract_lane(v, 0) + f32x4.extract_lane(v, 1) +
    f32x4.extract_lane(v, 2) + f32x4.extract_lane(v, 3)
  );
}

@inline function put(c: usize, index: i32, sum: f32, alpha: f32, beta: f32): void {
  const p = c + (<usize>index << 2);
  store<f32>(p, beta == 0 ? alpha * sum : alpha * sum + beta * load<f32>(p));
}

function dot4x2(
  a: usize, b: usize, c: usize, i: i32, j: i32, n: i32, k: i32, alpha: f32, beta: f32,
): void {
  const stride = <usize>k << 2;
  const a0 = a + <usize>i * stride;
  const a1 = a0 + stride;
  const a2 = a1 + stride;
  const a3 = a2 + stride;
  const b0 = b + <usize>j * stride;
  const b1 = b0 + stride;
  let s00 = f32x4.splat(0), s01 = f32x4.splat(0), s10 = f32x4.splat(0), s11 = f32x4.splat(0);
  let s20 = f32x4.splat(0), s21 = f32x4.splat(0), s30 = f32x4.splat(0), s31 = f32x4.splat(0);
  const k4 = <usize>(k & ~3) << 2;
  for (let o: usize = 0; o < k4; o += 16) {
    const x0 = v128.load(a0 + o);
    const x1 = v128.load(a1 + o);
    const x2 = v128.load(a2 + o);
    const x3 = v128.load(a3 + o);
    // Four zero input chunks add nothing: skip them (blank MNIST pixels in Z = X Wᵀ).
    if (!v128.any_true(v128.or(v128.or(x0, x1), v128.or(x2, x3)))) continue;
    const v0 = v128.load(b0 + o);
    const v1 = v128.load(b1 + o);
    s00 = f32x4.add(s00, f32x4.mul(x0, v0));
    s01 = f32x4.add(s01, f32x4.mul(x0, v1));
    s10 = f32x4.add(s10, f32x4.mul(x1, v0));
    s11 = f32x4.add(s11, f32x4.mul(x1, v1));
    s20 = f32x4.add(s20, f32x4.mul(x2, v0));
    s21 = f32x4.add(s21, f32x4.mul(x2, v1));
    s30 = f32x4.add(s30, f32x4.mul(x3, v0));
    s31 = f32x4.add(s31, f32x4.mul(x3, v1));
  }
  let r00 = hsum(s00), r01 = hsum(s01), r10 = hsum(s10), r11 = hsum(s11);
  let r20 = hsum(s20), r21 = hsum(s21), r30 = hsum(s30), r31 = hsum(s31);
  const end = <usize>k << 2;
  for (let o = k4; o < end; o += 4) {
    const v0 = load<f32>(b0 + o);
    const v1 = load<f32>(b1 + o);
    r00 += load<f32>(a0 + o) * v0;
    r01 += load<f32>(a0 + o) * v1;
    r10 += load<f32>(a1 + o) * v0;
    r11 += load<f32>(a1 + o) * v1;
    r20 += load<f32>(a2 + o) * v0;
    r21 += load<f32>(a2 + o) * v1;
    r30 += load<f32>(a3 + o) * v0;
    r31 += load<f32>(a3 + o) * v1;
  }
  put(c, i * n + j, r00, alpha, beta);
  put(c, i * n + j + 1, r01, alpha, beta);
  put(c, (i + 1) * n + j, r10, alpha, beta);
  put(c, (i + 1) * n + j + 1, r11, alpha, beta);
  put(c, (i + 2) * n + j, r20, alpha, beta);
  put(c, (i + 2) * n + j + 1, r21, alpha, beta);
  put(c, (i + 3) * n + j, r30, alpha, beta);
  put(c, (i + 3) * n + j + 1, r31, alpha, beta);
}

function dot1(
  a: usize, b: usize, c: usize, i: i32, j: i32, n: i32, k: i32, alpha: f32, beta: f32,
): void {
  const x = a + ((<usize>i * <usize>k) << 2);
  const y = b + ((<usize>j * <usize>k) << 2);
  let s = f32x4.splat(0);
  const k4 = <usize>(k & ~3) << 2;
  for (let o: usize = 0; o < k4; o += 16) s = f32x4.add(s, f32x4.mul(v128.load(x + o), v128.load(y + o)));
  let r = hsum(s);
  const end = <usize>k << 2;
  for (let o = k4; o < end; o += 4) r += load<f32>(x + o) * load<f32>(y + o);
  put(c, i * n + j, r, alpha, beta);
}

/**
 * C[i, :] = alpha * sum_p A[i, p] B[p, :] + beta C[i, :]:  A [m, k] (or A^T stored [k, m] when
 * transposeA), B [k, n]. Used for dA = Delta W (NN) and dW = Delta^T A (TN).
 */
export function gemmXN(
  a: usize, transposeA: bool, b: usize, c: usize, m: i32, n: i32, k: i32,
  alpha: f32, beta: f32, i0: i32, i1: i32,
): void {
  // A's element (i, p) lives at a + 4 * (i * rowStep + p * colStep).
  const rowStep = transposeA ? 1 : k;
  const colStep = transposeA ? m : 1;
  let i = i0;
  for (; i + 4 <= i1; i += 4) {
    let j = 0;
    for (; j + 8 <= n; j += 8) axpy4x8(a, rowStep, colStep, b, c, i, j, n, k, alpha, beta);
    for (let r = i; r < i + 4; r++) axpyTail(a, rowStep, colStep, b, c, r, j, n, k, alpha, beta);
  }
  for (; i < i1; i++) axpyTail(a, rowStep, colStep, b, c, i, 0, n, k, alpha, beta);
}

@inline function finish(p: usize, sum: v128, alpha: v128, beta: f32): void {
  const scaled = f32x4.mul(alpha, sum);
  v128.store(
    p,
    beta == 0 ? scaled : f32x4.add(scaled, f32x4.mul(f32x4.splat(beta), v128.load(p))),
  );
}

function axpy4x8(
  a: usize, rowStep: i32, colStep: i32, b: usize, c: usize, i: i32, j: i32, n: i32, k: i32,
  alpha: f32, beta: f32,
): void {
  const r1 = <usize>rowStep << 2;
  const pStep = <usize>colStep << 2;
  let ap = a + ((<usize>i * <usize>rowStep) << 2);
  let bp = b + (<usize>j << 2);
  const bStep = <usize>n << 2;
  let s00 = f32x4.splat(0), s01 = f32x4.splat(0), s10 = f32x4.splat(0), s11 = f32x4.splat(0);
  let s20 = f32x4.splat(0), s21 = f32x4.splat(0), s30 = f32x4.splat(0), s31 = f32x4.splat(0);
  for (let p = 0; p < k; p++) {
    const v0 = v128.load(bp);
    const v1 = v128.load(bp, 16);
    // A zero row segment of B adds nothing: skip it (blank MNIST pixels in dW = ΔᵀX).
    if (!v128.any_true(v128.or(v0, v1))) {
      ap += pStep;
      bp += bStep;
      continue;
    }
    const x0 = f32x4.splat(load<f32>(ap));
    s00 = f32x4.add(s00, f32x4.mul(x0, v0));
    s01 = f32x4.add(s01, f32x4.mul(x0, v1));
    const x1 = f32x4.splat(load<f32>(ap + r1));
    s10 = f32x4.add(s10, f32x4.mul(x1, v0));
    s11 = f32x4.add(s11, f32x4.mul(x1, v1));
    const x2 = f32x4.splat(load<f32>(ap + 2 * r1));
    s20 = f32x4.add(s20, f32x4.mul(x2, v0));
    s21 = f32x4.add(s21, f32x4.mul(x2, v1));
    const x3 = f32x4.splat(load<f32>(ap + 3 * r1));
    s30 = f32x4.add(s30, f32x4.mul(x3, v0));
    s31 = f32x4.add(s31, f32x4.mul(x3, v1));
    ap += pStep;
    bp += bStep;
  }
  const al = f32x4.splat(alpha);
  const c0 = c + ((<usize>i * <usize>n + <usize>j) << 2);
  const rowC = <usize>n << 2;
  finish(c0, s00, al, beta);
  finish(c0 + 16, s01, al, beta);
  finish(c0 + rowC, s10, al, beta);
  finish(c0 + rowC + 16, s11, al, beta);
  finish(c0 + 2 * rowC, s20, al, beta);
  finish(c0 + 2 * rowC + 16, s21, al, beta);
  finish(c0 + 3 * rowC, s30, al, beta);
  finish(c0 + 3 * rowC + 16, s31, al, beta);
}

function axpyTail(
  a: usize, rowStep: i32, colStep: i32, b: usize, c: usize, i: i32, j0: i32, n: i32, k: i32,
  alpha: f32, beta: f32,
): void {
  for (let j = j0; j < n; j++) {
    let sum: f32 = 0;
    for (let p = 0; p < k; p++) {
      sum +=
        load<f32>(a + ((<usize>i * <usize>rowStep + <usize>p * <usize>colStep) << 2)) *
        load<f32>(b + ((<usize>p * <usize>n + <usize>j) << 2));
    }
    put(c, i * n + j, sum, alpha, beta);
  }
}

/**
 * Rank-1 style update for the lecture's per-example SGD: W[i, :] += alpha * delta[i] * x[:] for
 * the rows [i0, i1), skipping rows whose delta is 0 (inactive ReLUs) and the 4-float chunks of
 * x that are all zero (blank pixels): they would add exactly 0. W [m, k].
 */
export function rank1Update(
  w: usize, delta: usize, x: usize, m: i32, k: i32, alpha: f32, i0: i32, i1: i32,
): void {
  const k4 = <usize>(k & ~3) << 2;
  const end = <usize>k << 2;
  const al = f32x4.splat(alpha);
  const count = nonzeroChunks(x, k);
  for (let i = i0; i < i1; i++) {
    const d = load<f32>(delta + (<usize>i << 2));
    if (d == 0) continue;
    const dv = f32x4.splat(d);
    const row = w + ((<usize>i * <usize>k) << 2);
    if (count >= 0) {
      for (let q = 0; q < count; q++) {
        const o = <usize>load<i32>(CHUNKS + (<usize>q << 2));
        v128.store(row + o, f32x4.add(v128.load(row + o), f32x4.mul(al, f32x4.mul(dv, v128.load(x + o)))));
      }
    } else {
      for (let o: usize = 0; o < k4; o += 16) {
        v128.store(row + o, f32x4.add(v128.load(row + o), f32x4.mul(al, f32x4.mul(dv, v128.load(x + o)))));
      }
    }
    for (let o = k4; o < end; o += 4) {
      store<f32>(row + o, load<f32>(row + o) + alpha * (d * load<f32>(x + o)));
    }
  }
}

// Scratch for the offsets of the nonzero 4-float chunks of one input row: bytes 4096..65535
// of page 0 (the thread pool's control block uses bytes 0..2047).
const CHUNKS: usize = 4096;
const MAX_CHUNKS: i32 = (65536 - 4096) >> 2;

/**
 * Lists the byte offsets of the 4-float chunks of x [k] that hold a nonzero, in CHUNKS, and
 * returns how many; -1 when the row is too long for the scratch or mostly nonzero (then the
 * dense kernel is faster). MNIST images are about 80% zeros, in whole chunks near the borders.
 */
function nonzeroChunks(x: usize, k: i32): i32 {
  const chunks = k >> 2;
  if (chunks > MAX_CHUNKS) return -1;
  let count = 0;
  for (let q = 0; q < chunks; q++) {
    const o = <usize>q << 4;
    if (v128.any_true(v128.load(x + o))) {
      store<i32>(CHUNKS + (<usize>count << 2), <i32>o);
      count++;
    }
  }
  return count * 4 > chunks * 3 ? -1 : count;
}

/** z = alpha W x + beta z for one example (m = 1), over the nonzero chunks of x only. */
function sparseDots(x: usize, w: usize, c: usize, n: i32, k: i32, alpha: f32, beta: f32): void {
  const count = nonzeroChunks(x, k);
  if (count < 0) {
    for (let j = 0; j < n; j++) dot1(x, w, c, 0, j, n, k, alpha, beta);
    return;
  }
  const k4 = <usize>(k & ~3) << 2;
  const end = <usize>k << 2;
  for (let j = 0; j < n; j++) {
    const row = w + ((<usize>j * <usize>k) << 2);
    let s = f32x4.splat(0);
    for (let q = 0; q < count; q++) {
      const o = <usize>load<i32>(CHUNKS + (<usize>q << 2));
      s = f32x4.add(s, f32x4.mul(v128.load(x + o), v128.load(row + o)));
    }
    let r = hsum(s);
    for (let o = k4; o < end; o += 4) r += load<f32>(x + o) * load<f32>(row + o);
    put(c, j, r, alpha, beta);
  }
}

/** bt[p, j] = b[j, p]: the transpose of b [n, k] into bt [k, n]. */
export function transpose(b: usize, bt: usize, n: i32, k: i32): void {
  for (let j = 0; j < n; j++) {
    const row = b + ((<usize>j * <usize>k) << 2);
    for (let p = 0; p < k; p++) {
      store<f32>(bt + ((<usize>p * <usize>n + <usize>j) << 2), load<f32>(row + (<usize>p << 2)));
    }
  }
}

/**
 * C[i, :] = sum over the nonzero A[i, p] of A[i, p] * Bt[p, :] for the rows [i0, i1), with
 * Bt = B^T [k, n] precomputed: Z = X W^T for sparse inputs (MNIST images are about 80% zeros),
 * at a cost proportional to the nonzeros. `nz` is scratch for m * k indices (row i uses
 * nz + 4ik, so threads never share it). beta is 0 (C is overwritten), alpha is 1.
 */
export function gemmNTSparse(
  a: usize, bt: usize, c: usize, m: i32, n: i32, k: i32, nz: usize, i0: i32, i1: i32,
): void {
  const n32 = n & ~31;
  const n4 = n & ~3;
  for (let i = i0; i < i1; i++) {
    const row = a + ((<usize>i * <usize>k) << 2);
    const list = nz + ((<usize>i * <usize>k) << 2);
    let count = 0;
    let p = 0;
    for (; p + 4 <= k; p += 4) {
      if (!v128.any_true(v128.load(row + (<usize>p << 2)))) continue; // four zeros
      for (let q = p; q < p + 4; q++) {
        if (load<f32>(row + (<usize>q << 2)) != 0) {
          store<i32>(list + (<usize>count << 2), q);
          count++;
        }
      }
    }
    for (; p < k; p++) {
      if (load<f32>(row + (<usize>p << 2)) != 0) {
        store<i32>(list + (<usize>count << 2), p);
        count++;
      }
    }
    const out = c + ((<usize>i * <usize>n) << 2);
    let j = 0;
    for (; j < n32; j += 32) {
      let s0 = f32x4.splat(0), s1 = f32x4.splat(0), s2 = f32x4.splat(0), s3 = f32x4.splat(0);
      let s4 = f32x4.splat(0), s5 = f32x4.splat(0), s6 = f32x4.splat(0), s7 = f32x4.splat(0);
      for (let q = 0; q < count; q++) {
        const p = load<i32>(list + (<usize>q << 2));
        const x = f32x4.splat(load<f32>(row + (<usize>p << 2)));
        const b = bt + ((<usize>p * <usize>n + <usize>j) << 2);
        s0 = f32x4.add(s0, f32x4.mul(x, v128.load(b)));
        s1 = f32x4.add(s1, f32x4.mul(x, v128.load(b, 16)));
        s2 = f32x4.add(s2, f32x4.mul(x, v128.load(b, 32)));
        s3 = f32x4.add(s3, f32x4.mul(x, v128.load(b, 48)));
        s4 = f32x4.add(s4, f32x4.mul(x, v128.load(b, 64)));
        s5 = f32x4.add(s5, f32x4.mul(x, v128.load(b, 80)));
        s6 = f32x4.add(s6, f32x4.mul(x, v128.load(b, 96)));
        s7 = f32x4.add(s7, f32x4.mul(x, v128.load(b, 112)));
      }
      const o = out + (<usize>j << 2);
      v128.store(o, s0);
      v128.store(o, s1, 16);
      v128.store(o, s2, 32);
      v128.store(o, s3, 48);
      v128.store(o, s4, 64);
      v128.store(o, s5, 80);
      v128.store(o, s6, 96);
      v128.store(o, s7, 112);
    }
    for (; j < n4; j += 4) {
      let s = f32x4.splat(0);
      for (let q = 0; q < count; q++) {
        const p = load<i32>(list + (<usize>q << 2));
        const b = bt + ((<usize>p * <usize>n + <usize>j) << 2);
        s = f32x4.add(s, f32x4.mul(f32x4.splat(load<f32>(row + (<usize>p << 2))), v128.load(b)));
      }
      v128.store(out + (<usize>j << 2), s);
    }
    for (; j < n; j++) {
      let s: f32 = 0;
      for (let q = 0; q < count; q++) {
        const p = load<i32>(list + (<usize>q << 2));
        s += load<f32>(row + (<usize>p << 2)) * load<f32>(bt + ((<usize>p * <usize>n + <usize>j) << 2));
      }
      store<f32>(out + (<usize>j << 2), s);
    }
  }
}
