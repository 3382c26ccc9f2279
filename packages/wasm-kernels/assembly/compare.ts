// Comparisons and logical and/or/not over float32 (kind 0), int32 (kind 1) and bool (kind 2, one
// byte) rows; op codes are shared with src/kernels/select-codes.ts. Outputs are 0/1 bytes. Rows take
// element increments of 0 (broadcast scalar) or 1 (contiguous) per operand.

// @ts-ignore: decorator
@inline const F32 = 0;
// @ts-ignore: decorator
@inline const I32 = 1;

// @ts-ignore: decorator
@inline const EQUAL = 0;
// @ts-ignore: decorator
@inline const NOT_EQUAL = 1;
// @ts-ignore: decorator
@inline const LESS = 2;
// @ts-ignore: decorator
@inline const LESS_EQUAL = 3;
// @ts-ignore: decorator
@inline const GREATER = 4;
// @ts-ignore: decorator
@inline const GREATER_EQUAL = 5;
// @ts-ignore: decorator
@inline const LOGICAL_AND = 6;

// @ts-ignore: decorator
@inline function cmpF32(op: i32, a: v128, b: v128): v128 {
  switch (op) {
    case EQUAL: return f32x4.eq(a, b);
    case NOT_EQUAL: return f32x4.ne(a, b);
    case LESS: return f32x4.lt(a, b);
    case LESS_EQUAL: return f32x4.le(a, b);
    case GREATER: return f32x4.gt(a, b);
    default: return f32x4.ge(a, b);
  }
}

// @ts-ignore: decorator
@inline function cmpI32(op: i32, a: v128, b: v128): v128 {
  switch (op) {
    case EQUAL: return i32x4.eq(a, b);
    case NOT_EQUAL: return i32x4.ne(a, b);
    case LESS: return i32x4.lt_s(a, b);
    case LESS_EQUAL: return i32x4.le_s(a, b);
    case GREATER: return i32x4.gt_s(a, b);
    default: return i32x4.ge_s(a, b);
  }
}

// Bool bytes compare as unsigned values; and/or take any non-zero byte as true.
// @ts-ignore: decorator
@inline function cmpU8(op: i32, a: v128, b: v128): v128 {
  const zero = i8x16.splat(0);
  switch (op) {
    case EQUAL: return i8x16.eq(a, b);
    case NOT_EQUAL: return i8x16.ne(a, b);
    case LESS: return i8x16.lt_u(a, b);
    case LESS_EQUAL: return i8x16.le_u(a, b);
    case GREATER: return i8x16.gt_u(a, b);
    case GREATER_EQUAL: return i8x16.ge_u(a, b);
    case LOGICAL_AND: return v128.and(i8x16.ne(a, zero), i8x16.ne(b, zero));
    default: return v128.or(i8x16.ne(a, zero), i8x16.ne(b, zero));
  }
}

// @ts-ignore: decorator
@inline function cmpScalar<T>(op: i32, a: T, b: T): u8 {
  switch (op) {
    case EQUAL: return <u8>(a == b);
    case NOT_EQUAL: return <u8>(a != b);
    case LESS: return <u8>(a < b);
    case LESS_EQUAL: return <u8>(a <= b);
    case GREATER: return <u8>(a > b);
    case GREATER_EQUAL: return <u8>(a >= b);
    case LOGICAL_AND: return <u8>(a != 0 && b != 0);
    default: return <u8>(a != 0 || b != 0);
  }
}

/** Four i32x4 lane masks (−1/0) → sixteen 0/1 bytes. */
// @ts-ignore: decorator
@inline function packMasks(m0: v128, m1: v128, m2: v128, m3: v128): v128 {
  const bytes = i8x16.narrow_i16x8_s(i16x8.narrow_i32x4_s(m0, m1), i16x8.narrow_i32x4_s(m2, m3));
  return v128.and(bytes, i8x16.splat(1));
}

// @ts-ignore: decorator
@inline function lanes4(p: usize, inc: i32, splat: v128, k: usize): v128 {
  return inc == 0 ? splat : v128.load(p + (k << 2));
}

/** out[i] = a[i·aInc] op b[i·bInc] as a 0/1 byte, for i < n. */
export function compare(op: i32, kind: i32, a: usize, aInc: i32, b: usize, bInc: i32, out: usize, n: i32): void {
  let i = 0;
  if (kind == F32 || kind == I32) {
    const sa = v128.load32_splat(a);
    const sb = v128.load32_splat(b);
    for (; i + 16 <= n; i += 16) {
      const k = <usize>(i * aInc);
      const l = <usize>(i * bInc);
      let m0: v128, m1: v128, m2: v128, m3: v128;
      if (kind == F32) {
        m0 = cmpF32(op, lanes4(a, aInc, sa, k), lanes4(b, bInc, sb, l));
        m1 = cmpF32(op, lanes4(a, aInc, sa, k + 4), lanes4(b, bInc, sb, l + 4));
        m2 = cmpF32(op, lanes4(a, aInc, sa, k + 8), lanes4(b, bInc, sb, l + 8));
        m3 = cmpF32(op, lanes4(a, aInc, sa, k + 12), lanes4(b, bInc, sb, l + 12));
      } else {
        m0 = cmpI32(op, lanes4(a, aInc, sa, k), lanes4(b, bInc, sb, l));
        m1 = cmpI32(op, lanes4(a, aInc, sa, k + 4), lanes4(b, bInc, sb, l + 4));
        m2 = cmpI32(op, lanes4(a, aInc, sa, k + 8), lanes4(b, bInc, sb, l + 8));
        m3 = cmpI32(op, lanes4(a, aInc, sa, k + 12), lanes4(b, bInc, sb, l + 12));
      }
      v128.store(out + <usize>i, packMasks(m0, m1, m2, m3));
    }
    for (; i < n; i++) {
      const ka = <usize>(i * aInc) << 2;
      const kb = <usize>(i * bInc) << 2;
      const r = kind == F32 ? cmpScalar<f32>(op, load<f32>(a + ka), load<f32>(b + kb)) : cmpScalar<i32>(op, load<i32>(a + ka), load<i32>(b + kb));
      store<u8>(out + <usize>i, r);
    }
    return;
  }
  const sa = v128.load8_splat(a);
  const sb = v128.load8_splat(b);
  const one = i8x16.splat(1);
  for (; i + 16 <= n; i += 16) {
    const va = aInc == 0 ? sa : v128.load(a + <usize>i);
    const vb = bInc == 0 ? sb : v128.load(b + <usize>i);
    v128.store(out + <usize>i, v128.and(cmpU8(op, va, vb), one));
  }
  for (; i < n; i++) store<u8>(out + <usize>i, cmpScalar<u8>(op, load<u8>(a + <usize>(i * aInc)), load<u8>(b + <usize>(i * bInc))));
}

/** out[i] = x[i] ? 0 : 1 over n bool bytes. */
export function logicalNot(x: usize, out: usize, n: i32): void {
  let i = 0;
  const zero = i8x16.splat(0);
  const one = i8x16.splat(1);
  for (; i + 16 <= n; i += 16) v128.store(out + <usize>i, v128.and(i8x16.eq(v128.load(x + <usize>i), zero), one));
  for (; i < n; i++) store<u8>(out + <usize>i, <u8>(load<u8>(x + <usize>i) == 0));
}
