// where(c, a, b) and dtype casts. Kinds: 0 float32, 1 int32, 2 bool (one byte, as in
// src/kernels/select-codes.ts). Rows take element increments of 0 (broadcast scalar) or 1 per operand.

/** out[i] = c[i·cInc] ? a[i·aInc] : b[i·bInc] for i < n; elements of 4 bytes (float32, int32) or 1 (bool). */
export function where(elBytes: i32, c: usize, cInc: i32, a: usize, aInc: i32, b: usize, bInc: i32, out: usize, n: i32): void {
  let i = 0;
  const zero = i32x4.splat(0);
  const cTrue = load<u8>(c) != 0;
  if (elBytes == 4) {
    const sa = v128.load32_splat(a);
    const sb = v128.load32_splat(b);
    const sc = i32x4.splat(cTrue ? -1 : 0);
    for (; i + 4 <= n; i += 4) {
      // four condition bytes widened to four lane masks
      const m = cInc == 0 ? sc : i32x4.ne(i32x4.extend_low_i16x8_u(i16x8.extend_low_i8x16_u(v128.load32_zero(c + <usize>i))), zero);
      const off = <usize>i << 2;
      const va = aInc == 0 ? sa : v128.load(a + off);
      const vb = bInc == 0 ? sb : v128.load(b + off);
      v128.store(out + off, v128.bitselect(va, vb, m));
    }
    for (; i < n; i++) {
      const take = load<u8>(c + <usize>(i * cInc)) != 0;
      store<u32>(out + (<usize>i << 2), take ? load<u32>(a + (<usize>(i * aInc) << 2)) : load<u32>(b + (<usize>(i * bInc) << 2)));
    }
    return;
  }
  const sa = v128.load8_splat(a);
  const sb = v128.load8_splat(b);
  const sc = i8x16.splat(cTrue ? -1 : 0);
  for (; i + 16 <= n; i += 16) {
    const m = cInc == 0 ? sc : i8x16.ne(v128.load(c + <usize>i), zero);
    const va = aInc == 0 ? sa : v128.load(a + <usize>i);
    const vb = bInc == 0 ? sb : v128.load(b + <usize>i);
    v128.store(out + <usize>i, v128.bitselect(va, vb, m));
  }
  for (; i < n; i++) {
    const take = load<u8>(c + <usize>(i * cInc)) != 0;
    store<u8>(out + <usize>i, take ? load<u8>(a + <usize>(i * aInc)) : load<u8>(b + <usize>(i * bInc)));
  }
}

// @ts-ignore: decorator
@inline const F32 = 0;
// @ts-ignore: decorator
@inline const I32 = 1;
// @ts-ignore: decorator
@inline const BOOL = 2;

/** JavaScript's ToInt32(Math.trunc(x)) (what storing into an Int32Array does): modulo 2³², NaN and ±∞ → 0. */
function toInt32(x: f32): i32 {
  const ax = Mathf.abs(x);
  if (ax < 2147483648) return <i32>x;
  // |x| ≥ 2⁵⁵ is a multiple of 2³² (its ulp is), so it wraps to 0, as do NaN and ±∞
  if (!(ax < 36028797018963968)) return 0;
  return <i32><i64>x;
}

/** out = x cast from kind `from` to kind `to` (n elements): truncation toward zero, bool = (x ≠ 0). */
export function cast(from: i32, to: i32, x: usize, out: usize, n: i32): void {
  const el: usize = from == BOOL ? 1 : 4;
  if (from == to) {
    memory.copy(out, x, <usize>n * el);
    return;
  }
  let i = 0;
  if (to == BOOL) {
    // x !== 0: NaN counts as true, −0 as false
    for (; i < n; i++) store<u8>(out + <usize>i, from == F32 ? <u8>(load<f32>(x + (<usize>i << 2)) != 0) : <u8>(load<i32>(x + (<usize>i << 2)) != 0));
    return;
  }
  if (from == BOOL) {
    for (; i < n; i++) {
      const v = load<u8>(x + <usize>i);
      if (to == F32) store<f32>(out + (<usize>i << 2), <f32>v);
      else store<i32>(out + (<usize>i << 2), <i32>v);
    }
    return;
  }
  if (from == I32) {
    for (; i + 4 <= n; i += 4) v128.store(out + (<usize>i << 2), f32x4.convert_i32x4_s(v128.load(x + (<usize>i << 2))));
    for (; i < n; i++) store<f32>(out + (<usize>i << 2), <f32>load<i32>(x + (<usize>i << 2)));
    return;
  }
  const limit = f32x4.splat(2147483648);
  for (; i + 4 <= n; i += 4) {
    const v = v128.load(x + (<usize>i << 2));
    if (i32x4.all_true(f32x4.lt(f32x4.abs(v), limit))) {
      v128.store(out + (<usize>i << 2), i32x4.trunc_sat_f32x4_s(v));
    } else {
      for (let j = i; j < i + 4; j++) store<i32>(out + (<usize>j << 2), toInt32(load<f32>(x + (<usize>j << 2))));
    }
  }
  for (; i < n; i++) store<i32>(out + (<usize>i << 2), toInt32(load<f32>(x + (<usize>i << 2))));
}
