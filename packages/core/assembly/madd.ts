// The multiply-add of the matrix products: c + a·b on 4 float32 lanes. The default build rounds
// twice (f32x4.mul, then f32x4.add), the same bits on every engine; the relaxed build
// (scripts/build-wasm.mjs with --enable relaxed-simd) uses f32x4.relaxed_madd, which the engine
// may fuse into one FMA instruction rounded once: faster where FMA is, last bits differ.

/** c + a·b per lane: fused (rounded once) in the relaxed build, else a·b rounded, then added. */
@inline export function madd(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, c);
  return f32x4.add(c, f32x4.mul(a, b));
}
