// SIMD GEMM: B packed into 8-column panels, a 4×8 register tile (8 v128 accumulators), A read with
// load32_splat through arbitrary strides (so Aᵀ needs no copy). The K loop is deliberately not
// unrolled: larger tiles or unrolling make V8 spill registers (measured on the feasibility probe).

/** Depth block: a 4×KC strip of A and a KC×8 panel of B stay in L1. */
const KC: i32 = 256;
/** Column block: a KC×NC block of packed B stays in L2. */
const NC: i32 = 256;

// relaxed_madd where the build enables relaxed SIMD (fused or not, the engine decides), else mul+add
// @ts-ignore: decorator
@inline function madd(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, c);
  return f32x4.add(f32x4.mul(a, b), c);
}

/**
 * Packs op(B) [K, N] (element (k, n) at b + k·rsB + n·csB, strides in bytes) into panels of 8
 * columns: panel p holds K rows of 8 floats, zero-padded past N. dst needs ⌈N/8⌉·K·8 floats.
 */
export function packB(b: usize, rsB: usize, csB: usize, K: i32, N: i32, dst: usize): void {
  for (let j0 = 0; j0 < N; j0 += 8) {
    const w = min(8, N - j0);
    let col = b + <usize>j0 * csB;
    if (w == 8 && csB == 4) {
      for (let k = 0; k < K; k++) {
        v128.store(dst, v128.load(col));
        v128.store(dst, v128.load(col, 16), 16);
        col += rsB;
        dst += 32;
      }
      continue;
    }
    for (let k = 0; k < K; k++) {
      for (let j = 0; j < 8; j++) {
        store<f32>(dst + (<usize>j << 2), j < w ? load<f32>(col + <usize>j * csB) : 0);
      }
      col += rsB;
      dst += 32;
    }
  }
}

// @ts-ignore: decorator
@inline function extract(v: v128, lane: i32): f32 {
  switch (lane) {
    case 0: return f32x4.extract_lane(v, 0);
    case 1: return f32x4.extract_lane(v, 1);
    case 2: return f32x4.extract_lane(v, 2);
    default: return f32x4.extract_lane(v, 3);
  }
}

// Writes (first block) or adds an accumulator pair to one C row, keeping only `nc` ≤ 8 columns.
// @ts-ignore: decorator
@inline function storeRow(c: usize, lo: v128, hi: v128, nc: i32, first: bool): void {
  if (nc == 8) {
    if (!first) {
      lo = f32x4.add(lo, v128.load(c));
      hi = f32x4.add(hi, v128.load(c, 16));
    }
    v128.store(c, lo);
    v128.store(c, hi, 16);
    return;
  }
  for (let j = 0; j < nc; j++) {
    const v = j < 4 ? extract(lo, j) : extract(hi, j - 4);
    const p = c + (<usize>j << 2);
    store<f32>(p, first ? v : load<f32>(p) + v);
  }
}

/** C[4, nc] (=|+=) A[4, kc]·Bpanel[kc, 8]; A rows rsA bytes apart, columns csA bytes apart. */
function kernel4x8(a: usize, rsA: usize, csA: usize, pb: usize, kc: i32, c: usize, ldc: usize, nc: i32, first: bool): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0), c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0), c30 = f32x4.splat(0), c31 = f32x4.splat(0);
  let a0 = a;
  let a1 = a + rsA;
  let a2 = a1 + rsA;
  let a3 = a2 + rsA;
  for (let p = 0; p < kc; p++) {
    const b0 = v128.load(pb);
    const b1 = v128.load(pb, 16);
    let x = v128.load32_splat(a0);
    c00 = madd(x, b0, c00);
    c01 = madd(x, b1, c01);
    x = v128.load32_splat(a1);
    c10 = madd(x, b0, c10);
    c11 = madd(x, b1, c11);
    x = v128.load32_splat(a2);
    c20 = madd(x, b0, c20);
    c21 = madd(x, b1, c21);
    x = v128.load32_splat(a3);
    c30 = madd(x, b0, c30);
    c31 = madd(x, b1, c31);
    a0 += csA;
    a1 += csA;
    a2 += csA;
    a3 += csA;
    pb += 32;
  }
  storeRow(c, c00, c01, nc, first);
  storeRow(c + ldc, c10, c11, nc, first);
  storeRow(c + 2 * ldc, c20, c21, nc, first);
  storeRow(c + 3 * ldc, c30, c31, nc, first);
}

/** The 1×8 tile for the last M mod 4 rows. */
function kernel1x8(a: usize, csA: usize, pb: usize, kc: i32, c: usize, nc: i32, first: bool): void {
  let c0 = f32x4.splat(0), c1 = f32x4.splat(0);
  for (let p = 0; p < kc; p++) {
    const x = v128.load32_splat(a);
    c0 = madd(x, v128.load(pb), c0);
    c1 = madd(x, v128.load(pb, 16), c1);
    a += csA;
    pb += 32;
  }
  storeRow(c, c0, c1, nc, first);
}

/**
 * C[i0:i1, 0:N] = op(A)[i0:i1, :]·op(B) with op(B) packed by `packB`. Element (i, k) of op(A) is
 * at a + i·rsA + k·csA (bytes); C is row-major with N columns. K ≥ 1. Threads call this on
 * disjoint row ranges of the same packed B.
 */
export function gemmRows(a: usize, rsA: usize, csA: usize, pb: usize, K: i32, N: i32, c: usize, i0: i32, i1: i32): void {
  const ldc = <usize>N << 2;
  const panelBytes = <usize>K << 5;
  for (let jc = 0; jc < N; jc += NC) {
    const jEnd = min(N, jc + NC);
    for (let k0 = 0; k0 < K; k0 += KC) {
      const kc = min(KC, K - k0);
      const first = k0 == 0;
      const aK = <usize>k0 * csA;
      const bK = <usize>k0 << 5;
      let i = i0;
      for (; i + 4 <= i1; i += 4) {
        const ai = a + <usize>i * rsA + aK;
        const ci = c + <usize>i * ldc;
        for (let j = jc; j < jEnd; j += 8) {
          kernel4x8(ai, rsA, csA, pb + <usize>(j >> 3) * panelBytes + bK, kc, ci + (<usize>j << 2), ldc, min(8, N - j), first);
        }
      }
      for (; i < i1; i++) {
        const ai = a + <usize>i * rsA + aK;
        const ci = c + <usize>i * ldc;
        for (let j = jc; j < jEnd; j += 8) {
          kernel1x8(ai, csA, pb + <usize>(j >> 3) * panelBytes + bK, kc, ci + (<usize>j << 2), min(8, N - j), first);
        }
      }
    }
  }
}

/**
 * Rows [r0, r1) of a batch of GEMMs flattened to batch·M rows: batch t reads A at a + t·aBatch,
 * its packed B at pb + t·pbBatch (0 when B is shared) and writes C at c + t·M·N·4. The unit of
 * work a thread receives.
 */
export function gemmBatched(a: usize, rsA: usize, csA: usize, aBatch: usize, pb: usize, pbBatch: usize, K: i32, N: i32, c: usize, M: i32, r0: i32, r1: i32): void {
  if (M <= 0) return;
  const cBatch = <usize>M * <usize>N << 2;
  for (let t = r0 / M; t * M < r1; t++) {
    const i0 = max(r0 - t * M, 0);
    const i1 = min(r1 - t * M, M);
    gemmRows(a + <usize>t * aBatch, rsA, csA, pb + <usize>t * pbBatch, K, N, c + <usize>t * cBatch, i0, i1);
  }
}
