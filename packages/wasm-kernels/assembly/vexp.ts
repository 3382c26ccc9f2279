// exp on four lanes: 2ⁿ·eʳ with n = round(x·log₂e), r = x − n·ln2 (Cody–Waite split) and the
// Cephes expf polynomial for eʳ (|error| ≲ 2 ulp). Inputs below −87.3 (including −∞) give 0, above 88.72 +∞.

// @ts-ignore: decorator
@inline export function vexp(x: v128): v128 {
  const lo = f32x4.splat(-87.33654);
  const c = f32x4.min(f32x4.max(x, lo), f32x4.splat(88.72283));
  const n = f32x4.nearest(f32x4.mul(c, f32x4.splat(1.44269504)));
  let r = f32x4.sub(c, f32x4.mul(n, f32x4.splat(0.693359375)));
  r = f32x4.sub(r, f32x4.mul(n, f32x4.splat(-2.12194440e-4)));
  let p = f32x4.splat(1.9875691500e-4);
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1.3981999507e-3));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(8.3334519073e-3));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(4.1665795894e-2));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1.6666665459e-1));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(5.0000001201e-1));
  p = f32x4.add(f32x4.add(f32x4.mul(f32x4.mul(p, r), r), r), f32x4.splat(1));
  // 2ⁿ as two factors so n = 128 (x near the top of the range) cannot overflow the exponent field
  const ni = i32x4.trunc_sat_f32x4_s(n);
  const half = i32x4.shr_s(ni, 1);
  const s1 = i32x4.shl(i32x4.add(half, i32x4.splat(127)), 23);
  const s2 = i32x4.shl(i32x4.add(i32x4.sub(ni, half), i32x4.splat(127)), 23);
  const e = f32x4.mul(f32x4.mul(p, s1), s2);
  const under = v128.bitselect(f32x4.splat(0), e, f32x4.lt(x, lo));
  return v128.bitselect(f32x4.splat(Infinity), under, f32x4.gt(x, f32x4.splat(88.72283)));
}

// relaxed_madd where the build enables relaxed SIMD, else mul + add
// @ts-ignore: decorator
@inline function madd(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, c);
  return f32x4.add(f32x4.mul(a, b), c);
}

// exp(x) for x ≤ 0 (inputs minus their row max, as in softmax), −∞ and x < −87.3 giving 0: vexp.ts's Cephes
// polynomial, with n = round(x·log₂e) and 2ⁿ read from the bits of x·log₂e + 1.5·2²³ + 127 and
// pmax for the clamp, so every step is one x86 instruction (wasm's f32x4.max, nearest and
// trunc_sat expand to several, which made the softmax cost more than the scores).
// @ts-ignore: decorator
@inline export function vexpNonPositive(x: v128): v128 {
  const lo = f32x4.splat(-87.33654);
  const magic = f32x4.splat(12583039.0); // 1.5·2²³ + 127: its low mantissa bits are n + 127
  const c = f32x4.pmax(x, lo);
  const t = madd(c, f32x4.splat(1.44269504), magic);
  const n = f32x4.sub(t, magic);
  let r = f32x4.sub(c, f32x4.mul(n, f32x4.splat(0.693359375)));
  r = f32x4.sub(r, f32x4.mul(n, f32x4.splat(-2.12194440e-4)));
  let p = f32x4.splat(1.9875691500e-4);
  p = madd(p, r, f32x4.splat(1.3981999507e-3));
  p = madd(p, r, f32x4.splat(8.3334519073e-3));
  p = madd(p, r, f32x4.splat(4.1665795894e-2));
  p = madd(p, r, f32x4.splat(1.6666665459e-1));
  p = madd(p, r, f32x4.splat(5.0000001201e-1));
  p = f32x4.add(madd(f32x4.mul(p, r), r, r), f32x4.splat(1));
  const e = f32x4.mul(p, i32x4.shl(t, 23)); // (n + 127) << 23 is 2ⁿ
  return v128.bitselect(f32x4.splat(0), e, f32x4.lt(x, lo));
}

