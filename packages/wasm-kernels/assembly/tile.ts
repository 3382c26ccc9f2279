// The 4×8 register tile that every GEMM here runs on (gemm.ts's packed kernel, attention.ts's
// scores and P·V): C[4, 8] = Astrip[kc, 4]ᵀ·Bpanel[kc, 8] in eight f32x4 accumulators, written once.
// A function returns one value, so the tile leaves its accumulators in the globals t00…t31 below;
// it is inlined, so its loop runs on locals, and the eight global stores happen once per tile.
// Each worker thread has its own instance, hence its own globals.

// relaxed_madd where the build enables relaxed SIMD (fused or not, the engine decides), else mul+add
// @ts-ignore: decorator
@inline export function madd(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, c);
  return f32x4.add(f32x4.mul(a, b), c);
}

/** The tile's accumulators after `tile4x8`: row r, columns 0–3 (tr0) and 4–7 (tr1). */
export let t00: v128 = i32x4(0, 0, 0, 0);
export let t01: v128 = i32x4(0, 0, 0, 0);
export let t10: v128 = i32x4(0, 0, 0, 0);
export let t11: v128 = i32x4(0, 0, 0, 0);
export let t20: v128 = i32x4(0, 0, 0, 0);
export let t21: v128 = i32x4(0, 0, 0, 0);
export let t30: v128 = i32x4(0, 0, 0, 0);
export let t31: v128 = i32x4(0, 0, 0, 0);

/**
 * t = Astrip[kc, 4]ᵀ·Bpanel[kc, 8]: `pa` a packed strip of 4 rows ([kc][4], 16 bytes per depth),
 * `pb` a packed panel of 8 columns ([kc][8], 32 bytes per depth). Sums in depth order.
 */
// @ts-ignore: decorator
@inline export function tile4x8(pa: usize, pb: usize, kc: i32): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0), c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0), c30 = f32x4.splat(0), c31 = f32x4.splat(0);
  for (let p = 0; p < kc; p++) {
    const b0 = v128.load(pb);
    const b1 = v128.load(pb, 16);
    let x = v128.load32_splat(pa);
    c00 = madd(x, b0, c00);
    c01 = madd(x, b1, c01);
    x = v128.load32_splat(pa, 4);
    c10 = madd(x, b0, c10);
    c11 = madd(x, b1, c11);
    x = v128.load32_splat(pa, 8);
    c20 = madd(x, b0, c20);
    c21 = madd(x, b1, c21);
    x = v128.load32_splat(pa, 12);
    c30 = madd(x, b0, c30);
    c31 = madd(x, b1, c31);
    pa += 16;
    pb += 32;
  }
  t00 = c00;
  t01 = c01;
  t10 = c10;
  t11 = c11;
  t20 = c20;
  t21 = c21;
  t30 = c30;
  t31 = c31;
}
