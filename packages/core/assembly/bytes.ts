// Decoding compact data sets: bytes that stand for floats through a 256-entry table (MNIST's
// pixels, byte / 255), converted one batch at a time.

/**
 * dst[k] = table[src[k]] for k < count: src holds count bytes, table 256 float32 values, dst
 * count float32 values. Runs of 16 zero bytes (blank pixels) are written as table[0] four
 * lanes at a time; the others are looked up one by one.
 */
export function decodeBytes(src: usize, table: usize, dst: usize, count: i32): void {
  const zero = f32x4.splat(load<f32>(table));
  const n16 = <usize>(count & ~15);
  const end = <usize>count;
  let k: usize = 0;
  for (; k < n16; k += 16) {
    const out = dst + (k << 2);
    if (!v128.any_true(v128.load(src + k))) {
      v128.store(out, zero);
      v128.store(out, zero, 16);
      v128.store(out, zero, 32);
      v128.store(out, zero, 48);
      continue;
    }
    for (let q: usize = 0; q < 16; q++) {
      store<f32>(out + (q << 2), load<f32>(table + (<usize>load<u8>(src + k + q) << 2)));
    }
  }
  for (; k < end; k++) store<f32>(dst + (k << 2), load<f32>(table + (<usize>load<u8>(src + k) << 2)));
}
