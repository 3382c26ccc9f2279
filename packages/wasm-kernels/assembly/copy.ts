// Strided copies and fills for slice, pad, concat, transpose and broadcast (src/kernels/copy.ts
// merges dims first, so most calls are a few long rows).

/** Copies `bytes` bytes; short rows (a head's 32 floats) in v128 steps, which beat a memory.copy call. */
// @ts-ignore: decorator
@inline function copyRow(pd: usize, ps: usize, bytes: usize): void {
  if (bytes >= 1024) {
    memory.copy(pd, ps, bytes);
    return;
  }
  let k: usize = 0;
  for (; k + 16 <= bytes; k += 16) v128.store(pd + k, v128.load(ps + k));
  for (; k + 4 <= bytes; k += 4) store<u32>(pd + k, load<u32>(ps + k));
  for (; k < bytes; k++) store<u8>(pd + k, load<u8>(ps + k));
}

/**
 * dst[i0,i1,i2,i3] = src[i0,i1,i2,i3] over [n0, n1, n2, n3] elements of `el` bytes (4 or 1); the
 * strides s* (source) and d* (destination) are in elements. A last dim contiguous on both sides is
 * copied as rows.
 */
export function copyStrided(
  src: usize, dst: usize, el: i32,
  n0: i32, n1: i32, n2: i32, n3: i32,
  s0: i32, s1: i32, s2: i32, s3: i32,
  d0: i32, d1: i32, d2: i32, d3: i32,
): void {
  const e = <usize>el;
  const rows = s3 == 1 && d3 == 1;
  const rowBytes = <usize>n3 * e;
  for (let i0 = 0; i0 < n0; i0++) {
    for (let i1 = 0; i1 < n1; i1++) {
      for (let i2 = 0; i2 < n2; i2++) {
        const ps = src + <usize>(i0 * s0 + i1 * s1 + i2 * s2) * e;
        const pd = dst + <usize>(i0 * d0 + i1 * d1 + i2 * d2) * e;
        if (rows) copyRow(pd, ps, rowBytes);
        else if (el == 4) for (let i3 = 0; i3 < n3; i3++) store<u32>(pd + (<usize>(i3 * d3) << 2), load<u32>(ps + (<usize>(i3 * s3) << 2)));
        else for (let i3 = 0; i3 < n3; i3++) store<u8>(pd + <usize>(i3 * d3), load<u8>(ps + <usize>(i3 * s3)));
      }
    }
  }
}

/** dst[i] = `bits` for i < n elements of `el` bytes (4: the value's 32 bits; 1: its low byte). */
export function fill(dst: usize, n: i32, bits: i32, el: i32): void {
  if (el == 1) {
    memory.fill(dst, <u8>bits, <usize>n);
    return;
  }
  const v = i32x4.splat(bits);
  let i = 0;
  for (; i + 4 <= n; i += 4) v128.store(dst + (<usize>i << 2), v);
  for (; i < n; i++) store<i32>(dst + (<usize>i << 2), bits);
}
