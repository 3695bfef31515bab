// Matrix products on float32 row-major matrices in linear memory, 128-bit SIMD, register-blocked
// 4 rows x 8 columns (or 4 x 2 and 1 x 8 dot products); the zeros of sparse inputs are skipped.
// Each kernel computes the rows [i0, i1) of C, so threads can split one product by rows; a row's
// arithmetic does not depend on the split when the split points are multiples of 4.
//   C = alpha * op(A) op(B) + beta * C, with op(A) [m, k], op(B) [k, n], C [m, n].
// Every multiply-add goes through madd (madd.ts): fused in the relaxed-SIMD build only.

import { madd } from './madd';

/** C[i, j] = alpha * sum_p A[i, p] B[j, p] + beta C[i, j]:  A [m, k], B [n, k] (Z = A W^T). */
export function gemmNT(
  a: usize, b: usize, c: usize, m: i32, n: i32, k: i32, alpha: f32, beta: f32, i0: i32, i1: i32,
): void {
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
    s00 = madd(x0, v0, s00);
    s01 = madd(x0, v1, s01);
    s10 = madd(x1, v0, s10);
    s11 = madd(x1, v1, s11);
    s20 = madd(x2, v0, s20);
    s21 = madd(x2, v1, s21);
    s30 = madd(x3, v0, s30);
    s31 = madd(x3, v1, s31);
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
  for (let o: usize = 0; o < k4; o += 16) s = madd(v128.load(x + o), v128.load(y + o), s);
  let r = hsum(s);
  const end = <usize>k << 2;
  for (let o = k4; o < end; o += 4) r += load<f32>(x + o) * load<f32>(y + o);
  put(c, i * n + j, r, alpha, beta);
}

/**
 * C[i, :] = alpha * sum_p A[i, p] B[p, :] + beta C[i, :]:  A [m, k] (or A^T stored [k, m] when
 * transposeA), B [k, n]. Used for dA = Delta W (NN) and dW = Delta^T A (TN). `lists` comes from
 * listNonzeroBlocks(b, k, n, lists): each 8-column block of C sums only over the rows p of B
 * whose 8 floats there are not all zero (blank MNIST pixels in dW = ΔᵀX add nothing), found
 * once for all the row blocks of C.
 */
export function gemmXN(
  a: usize, transposeA: bool, b: usize, c: usize, m: i32, n: i32, k: i32,
  alpha: f32, beta: f32, lists: usize, i0: i32, i1: i32,
): void {
  // A's element (i, p) lives at a + 4 * (i * rowStep + p * colStep).
  const rowStep = transposeA ? 1 : k;
  const colStep = transposeA ? m : 1;
  const listBytes = <usize>(k + 1) << 2;
  let i = i0;
  for (; i + 4 <= i1; i += 4) {
    let j = 0;
    for (; j + 8 <= n; j += 8) {
      const list = lists + <usize>(j >> 3) * listBytes;
      axpy4x8(a, rowStep, colStep, b, c, i, j, n, alpha, beta, list);
    }
    for (let r = i; r < i + 4; r++) axpyTail(a, rowStep, colStep, b, c, r, j, n, k, alpha, beta);
  }
  for (; i < i1; i++) axpyTail(a, rowStep, colStep, b, c, i, 0, n, k, alpha, beta);
}

/**
 * For each 8-column block jb of B [k, n] (n / 8 of them), lists the rows p whose floats
 * B[p, 8jb .. 8jb + 7] are not all zero: at lists + jb (k + 1) 4 bytes, the count, then the
 * rows in increasing order. MNIST images are about 80% zeros, mostly in whole blocks.
 */
export function listNonzeroBlocks(b: usize, k: i32, n: i32, lists: usize): void {
  const blocks = n >> 3;
  const listBytes = <usize>(k + 1) << 2;
  for (let jb = 0; jb < blocks; jb++) store<i32>(lists + <usize>jb * listBytes, 0);
  for (let p = 0; p < k; p++) {
    const row = b + ((<usize>p * <usize>n) << 2);
    for (let jb = 0; jb < blocks; jb++) {
      const o = row + (<usize>jb << 5);
      if (!v128.any_true(v128.or(v128.load(o), v128.load(o, 16)))) continue;
      const list = lists + <usize>jb * listBytes;
      const count = load<i32>(list) + 1;
      store<i32>(list, count);
      store<i32>(list + (<usize>count << 2), p);
    }
  }
}

@inline function finish(p: usize, sum: v128, alpha: v128, beta: f32): void {
  const scaled = f32x4.mul(alpha, sum);
  v128.store(
    p,
    beta == 0 ? scaled : madd(f32x4.splat(beta), v128.load(p), scaled),
  );
}

/**
 * C[i..i+3, j..j+7] = alpha * sum_p A[i.., p] B[p, j..j+7] + beta C, over the rows p in
 * `list` (its count, then the rows): register-blocked, 8 accumulators.
 */
function axpy4x8(
  a: usize, rowStep: i32, colStep: i32, b: usize, c: usize, i: i32, j: i32, n: i32,
  alpha: f32, beta: f32, list: usize,
): void {
  const r1 = <usize>rowStep << 2;
  const pStep = <usize>colStep << 2;
  const a0 = a + ((<usize>i * <usize>rowStep) << 2);
  const b0 = b + (<usize>j << 2);
  const bStep = <usize>n << 2;
  let s00 = f32x4.splat(0), s01 = f32x4.splat(0), s10 = f32x4.splat(0), s11 = f32x4.splat(0);
  let s20 = f32x4.splat(0), s21 = f32x4.splat(0), s30 = f32x4.splat(0), s31 = f32x4.splat(0);
  const end = list + (<usize>load<i32>(list) << 2);
  for (let q = list + 4; q <= end; q += 4) {
    const p = <usize>load<i32>(q);
    const ap = a0 + p * pStep;
    const bp = b0 + p * bStep;
    const v0 = v128.load(bp);
    const v1 = v128.load(bp, 16);
    const x0 = f32x4.splat(load<f32>(ap));
    s00 = madd(x0, v0, s00);
    s01 = madd(x0, v1, s01);
    const x1 = f32x4.splat(load<f32>(ap + r1));
    s10 = madd(x1, v0, s10);
    s11 = madd(x1, v1, s11);
    const x2 = f32x4.splat(load<f32>(ap + 2 * r1));
    s20 = madd(x2, v0, s20);
    s21 = madd(x2, v1, s21);
    const x3 = f32x4.splat(load<f32>(ap + 3 * r1));
    s30 = madd(x3, v0, s30);
    s31 = madd(x3, v1, s31);
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
        v128.store(row + o, madd(al, f32x4.mul(dv, v128.load(x + o)), v128.load(row + o)));
      }
    } else {
      for (let o: usize = 0; o < k4; o += 16) {
        v128.store(row + o, madd(al, f32x4.mul(dv, v128.load(x + o)), v128.load(row + o)));
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

/**
 * C = alpha A B^T + beta C for rows [i0, i1) of sparse A [m, k] (MNIST images are about 80%
 * zeros), B [n, k]: each row of A lists its nonzero 4-float chunks once (in `lists`, scratch for
 * m * (k / 4) offsets; row i uses lists + i k, so threads never share it), then 8 rows of B at a
 * time are dotted with it over those chunks only. Per row the zero chunks cost nothing, where
 * the 4-row kernel can skip a chunk only when it is zero in all 4 rows.
 */
export function gemmNTChunks(
  a: usize, b: usize, c: usize, m: i32, n: i32, k: i32, alpha: f32, beta: f32, lists: usize,
  i0: i32, i1: i32,
): void {
  const stride = <usize>k << 2;
  const k4 = <usize>(k & ~3) << 2;
  const end = <usize>k << 2;
  for (let i = i0; i < i1; i++) {
    const row = a + <usize>i * stride;
    const list = lists + <usize>i * <usize>k;
    let count = 0;
    for (let o: usize = 0; o < k4; o += 16) {
      if (v128.any_true(v128.load(row + o))) {
        store<i32>(list + (<usize>count << 2), <i32>o);
        count++;
      }
    }
    let j = 0;
    for (; j + 8 <= n; j += 8) {
      const b0 = b + <usize>j * stride;
      let s0 = f32x4.splat(0), s1 = f32x4.splat(0), s2 = f32x4.splat(0), s3 = f32x4.splat(0);
      let s4 = f32x4.splat(0), s5 = f32x4.splat(0), s6 = f32x4.splat(0), s7 = f32x4.splat(0);
      for (let q = 0; q < count; q++) {
        const o = <usize>load<i32>(list + (<usize>q << 2));
        const x = v128.load(row + o);
        const w = b0 + o;
        s0 = madd(x, v128.load(w), s0);
        s1 = madd(x, v128.load(w + stride), s1);
        s2 = madd(x, v128.load(w + 2 * stride), s2);
        s3 = madd(x, v128.load(w + 3 * stride), s3);
        s4 = madd(x, v128.load(w + 4 * stride), s4);
        s5 = madd(x, v128.load(w + 5 * stride), s5);
        s6 = madd(x, v128.load(w + 6 * stride), s6);
        s7 = madd(x, v128.load(w + 7 * stride), s7);
      }
      const out = i * n + j;
      put(c, out, dotEnd(s0, row, b0, k4, end), alpha, beta);
      put(c, out + 1, dotEnd(s1, row, b0 + stride, k4, end), alpha, beta);
      put(c, out + 2, dotEnd(s2, row, b0 + 2 * stride, k4, end), alpha, beta);
      put(c, out + 3, dotEnd(s3, row, b0 + 3 * stride, k4, end), alpha, beta);
      put(c, out + 4, dotEnd(s4, row, b0 + 4 * stride, k4, end), alpha, beta);
      put(c, out + 5, dotEnd(s5, row, b0 + 5 * stride, k4, end), alpha, beta);
      put(c, out + 6, dotEnd(s6, row, b0 + 6 * stride, k4, end), alpha, beta);
      put(c, out + 7, dotEnd(s7, row, b0 + 7 * stride, k4, end), alpha, beta);
    }
    for (; j < n; j++) {
      const bj = b + <usize>j * stride;
      let s = f32x4.splat(0);
      for (let q = 0; q < count; q++) {
        const o = <usize>load<i32>(list + (<usize>q << 2));
        s = madd(v128.load(row + o), v128.load(bj + o), s);
      }
      put(c, i * n + j, dotEnd(s, row, bj, k4, end), alpha, beta);
    }
  }
}

/**
 * Ends a dot product as dot4x2 does: the lanes of s summed, then x[o] w[o] added one by one for
 * the bytes o in [from, to) that do not fill a 4-float chunk.
 */
@inline function dotEnd(s: v128, x: usize, w: usize, from: usize, to: usize): f32 {
  let r = hsum(s);
  for (let o = from; o < to; o += 4) r += load<f32>(x + o) * load<f32>(w + o);
  return r;
}
