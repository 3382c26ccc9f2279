// SIMD GEMM: B packed into 8-column panels, A packed into 4-row strips (so Aᵀ costs nothing extra
// and the tile reads A with constant offsets from one pointer), a 4×8 register tile of 8 v128
// accumulators, A broadcast with load32_splat. The K loop is deliberately not unrolled: larger
// tiles or unrolling make V8 spill registers (measured on the feasibility probe).
import { madd, t00, t01, t10, t11, t20, t21, t30, t31, tile4x8 } from './tile';

/**
 * Depth block: a 4×KC strip of A (8 KB) and a KC×8 panel of B (16 KB) stay in a 48 KB L1. 512
 * measured 1.5–3 % faster than 256 at 512³ and 1024³ (in turns, both builds), 1024 no better.
 */
const KC: i32 = 512;
/** Column block: a KC×NC block of packed B stays in L2. */
const NC: i32 = 256;


// Packed operands are stored depth block by depth block ([K/KC][panel or strip][kc][8 or 4]) so
// the data one tile reads for one depth block is contiguous; strided blocks aliased in cache and
// halved the speed once K > KC.

// @ts-ignore: decorator
@inline function blockOffset(k: i32, K: i32, lanes: i32, count: i32, index: i32): usize {
  const k0 = k & ~(KC - 1);
  const kc = min(KC, K - k0);
  return (<usize>k0 * <usize>count + <usize>index * <usize>kc + <usize>(k - k0)) * <usize>lanes << 2;
}

/**
 * Packs panels [p0, p1) of op(B) [K, N] (element (k, n) at b + k·rsB + n·csB, strides in bytes) into
 * panels of 8 columns, zero-padded past N, depth-blocked; all of dst holds ⌈N/8⌉·K·8 floats. Each
 * panel's bytes are its own, so threads pack disjoint ranges.
 */
export function packBPanels(b: usize, rsB: usize, csB: usize, K: i32, N: i32, dst: usize, p0: i32, p1: i32): void {
  const panels = (N + 7) >> 3;
  if (csB == 4) {
    // B row-major: 8 depths at a time across the whole panel range, so every read walks along rows and
    // every write fills 256 contiguous bytes. Walking one panel down all K rows instead strides N·4
    // bytes per read, which maps into few cache sets and missed to L3 (1.67 ms for 2048×512, now 0.6–0.7)
    const full = min(p1, N >> 3);
    const k8 = K & ~7;
    for (let k = 0; k < k8; k += 8) {
      const row = b + <usize>k * rsB;
      for (let p = p0; p < full; p++) {
        const d = dst + blockOffset(k, K, 8, panels, p);
        const src = row + (<usize>p << 5);
        for (let r: usize = 0; r < 8; r++) {
          v128.store(d + (r << 5), v128.load(src + r * rsB));
          v128.store(d + (r << 5), v128.load(src + r * rsB, 16), 16);
        }
      }
    }
    for (let k = k8; k < K; k++) {
      for (let p = p0; p < full; p++) {
        const d = dst + blockOffset(k, K, 8, panels, p);
        const src = b + <usize>k * rsB + (<usize>p << 5);
        v128.store(d, v128.load(src));
        v128.store(d, v128.load(src, 16), 16);
      }
    }
    p0 = max(p0, full); // a last, partial panel (N not a multiple of 8) goes the general way below
  }
  for (let p = p0; p < p1; p++) {
    const j0 = p << 3;
    const w = min(8, N - j0);
    const col = b + <usize>j0 * csB;
    let k = 0;
    if (w == 8 && rsB == 4) {
      // Bᵀ stored row-major (a Linear layer's weight): 4×4 transposes of 4 depths × 4 columns
      for (; k + 4 <= K; k += 4) {
        const d = dst + blockOffset(k, K, 8, panels, p);
        const src = col + (<usize>k << 2);
        transpose4(src, csB, d, 32);
        transpose4(src + 4 * csB, csB, d + 16, 32);
      }
    }
    for (; k < K; k++) {
      const d = dst + blockOffset(k, K, 8, panels, p);
      const src = col + <usize>k * rsB;
      if (w == 8 && csB == 4) {
        v128.store(d, v128.load(src));
        v128.store(d, v128.load(src, 16), 16);
      } else {
        for (let j = 0; j < 8; j++) store<f32>(d + (<usize>j << 2), j < w ? load<f32>(src + <usize>j * csB) : 0);
      }
    }
  }
}

/**
 * Reads 4 vectors of 4 floats (vector r at src + r·srcStride) and writes their transpose: vector
 * c (lane r = element c of source vector r) at dst + c·dstStride. Packs row-major 4×4 blocks into
 * depth-major panels and strips with SIMD loads instead of 16 scalar ones.
 */
// @ts-ignore: decorator
@inline function transpose4(src: usize, srcStride: usize, dst: usize, dstStride: usize): void {
  const v0 = v128.load(src);
  const v1 = v128.load(src + srcStride);
  const v2 = v128.load(src + 2 * srcStride);
  const v3 = v128.load(src + 3 * srcStride);
  const t0 = v128.shuffle<f32>(v0, v1, 0, 4, 1, 5);
  const t1 = v128.shuffle<f32>(v0, v1, 2, 6, 3, 7);
  const t2 = v128.shuffle<f32>(v2, v3, 0, 4, 1, 5);
  const t3 = v128.shuffle<f32>(v2, v3, 2, 6, 3, 7);
  v128.store(dst, v128.shuffle<f32>(t0, t2, 0, 1, 4, 5));
  v128.store(dst + dstStride, v128.shuffle<f32>(t0, t2, 2, 3, 6, 7));
  v128.store(dst + 2 * dstStride, v128.shuffle<f32>(t1, t3, 0, 1, 4, 5));
  v128.store(dst + 3 * dstStride, v128.shuffle<f32>(t1, t3, 2, 3, 6, 7));
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

/**
 * Packs strips [s0, s1) of op(A) [M, K] (element (i, k) at a + i·rsA + k·csA, strides in bytes) into
 * strips of 4 rows (4 floats per depth k), zero-padded past M, depth-blocked; all of dst holds
 * ⌈M/4⌉·K·4 floats. Each strip's bytes are its own, so threads pack disjoint ranges.
 */
export function packAStrips(a: usize, rsA: usize, csA: usize, M: i32, K: i32, dst: usize, s0: i32, s1: i32): void {
  const strips = (M + 3) >> 2;
  if (rsA == 4) {
    // A stored transposed ([K, M], a weight gradient's dYᵀ): 8 depths at a time across the strip
    // range, reading along rows of the stored matrix, as packBPanels does for a row-major B
    const full = min(s1, M >> 2);
    const k8 = K & ~7;
    for (let k = 0; k < K; k += 8) {
      const depths = k < k8 ? 8 : K - k;
      const row = a + <usize>k * csA;
      for (let s = s0; s < full; s++) {
        const d = dst + blockOffset(k, K, 4, strips, s);
        const src = row + (<usize>s << 4);
        for (let r = 0; r < depths; r++) v128.store(d + (<usize>r << 4), v128.load(src + <usize>r * csA));
      }
    }
    s0 = max(s0, full); // a last, partial strip (M not a multiple of 4) goes the general way below
  }
  for (let s = s0; s < s1; s++) {
    const i0 = s << 2;
    const h = min(4, M - i0);
    const row = a + <usize>i0 * rsA;
    let k = 0;
    if (h == 4 && csA == 4) {
      // A stored row-major: 4×4 transposes of 4 rows × 4 depths
      for (; k + 4 <= K; k += 4) transpose4(row + (<usize>k << 2), rsA, dst + blockOffset(k, K, 4, strips, s), 16);
    }
    for (; k < K; k++) {
      const d = dst + blockOffset(k, K, 4, strips, s);
      const col = row + <usize>k * csA;
      if (h == 4 && rsA == 4) v128.store(d, v128.load(col));
      else for (let r = 0; r < 4; r++) store<f32>(d + (<usize>r << 2), r < h ? load<f32>(col + <usize>r * rsA) : 0);
    }
  }
}

// Writes (first depth block) or adds an accumulator pair to one C row, keeping `nc` ≤ 8 columns.
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

/** C[mr, nc] (=|+=) Astrip[kc, 4]ᵀ·Bpanel[kc, 8] for mr ≤ 4 rows and nc ≤ 8 columns. */
function kernel4x8(pa: usize, pb: usize, kc: i32, c: usize, ldc: usize, mr: i32, nc: i32, first: bool): void {
  tile4x8(pa, pb, kc);
  storeRow(c, t00, t01, nc, first);
  if (mr > 1) storeRow(c + ldc, t10, t11, nc, first);
  if (mr > 2) storeRow(c + 2 * ldc, t20, t21, nc, first);
  if (mr > 3) storeRow(c + 3 * ldc, t30, t31, nc, first);
}

/**
 * kernel4x8 reading op(A) in place instead of from a packed strip: row r of the tile at pointer
 * `ar`, each advancing `step` bytes per depth. Costs three more adds per depth than the packed
 * kernel, and saves packing A, which dominates when B has few columns (attention's P·V).
 */
function kernel4x8Rows(a0: usize, a1: usize, a2: usize, a3: usize, step: usize, pb: usize, kc: i32, c: usize, ldc: usize, mr: i32, nc: i32, first: bool): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0), c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0), c30 = f32x4.splat(0), c31 = f32x4.splat(0);
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
    a0 += step;
    a1 += step;
    a2 += step;
    a3 += step;
    pb += 32;
  }
  storeRow(c, c00, c01, nc, first);
  if (mr > 1) storeRow(c + ldc, c10, c11, nc, first);
  if (mr > 2) storeRow(c + 2 * ldc, c20, c21, nc, first);
  if (mr > 3) storeRow(c + 3 * ldc, c30, c31, nc, first);
}

/**
 * C[i0:i1, n0:n1] = op(A)[i0:i1, :]·B[:, n0:n1], B packed by `packBPanels`, C row-major with N columns;
 * i0 is a multiple of 4, n0 of 8, K ≥ 1. op(A) is either packed by `packAStrips` (rs = 0: `a` holds the
 * strips of all M rows) or read in place, element (i, k) at a + i·rs + k·cs bytes; then rows past
 * M in the last strip repeat its last row (never read past A) and their results are not stored.
 * Threads call this on disjoint row ranges, or (few rows) disjoint column ranges.
 */
function gemmRows(a: usize, rs: usize, cs: usize, pb: usize, M: i32, K: i32, N: i32, c: usize, i0: i32, i1: i32, n0: i32, n1: i32): void {
  const ldc = <usize>N << 2;
  const strips = <usize>((M + 3) >> 2);
  const panels = <usize>((N + 7) >> 3);
  i1 = min(i1, M);
  for (let jc = n0; jc < n1; jc += NC) {
    const jEnd = min(n1, jc + NC);
    for (let k0 = 0; k0 < K; k0 += KC) {
      const kc = min(KC, K - k0);
      const first = k0 == 0;
      const aBlock = a + (<usize>k0 * strips << 4);
      const bBlock = pb + (<usize>k0 * panels << 5);
      for (let i = i0; i < i1; i += 4) {
        const mr = min(4, i1 - i);
        const ci = c + <usize>i * ldc;
        if (rs == 0) {
          const ai = aBlock + (<usize>(i >> 2) * <usize>kc << 4);
          for (let j = jc; j < jEnd; j += 8) kernel4x8(ai, bBlock + (<usize>(j >> 3) * <usize>kc << 5), kc, ci + (<usize>j << 2), ldc, mr, min(8, N - j), first);
          continue;
        }
        const a0 = a + <usize>i * rs + <usize>k0 * cs;
        const a1 = mr > 1 ? a0 + rs : a0;
        const a2 = mr > 2 ? a0 + 2 * rs : a1;
        const a3 = mr > 3 ? a0 + 3 * rs : a2;
        for (let j = jc; j < jEnd; j += 8) kernel4x8Rows(a0, a1, a2, a3, cs, bBlock + (<usize>(j >> 3) * <usize>kc << 5), kc, ci + (<usize>j << 2), ldc, mr, min(8, N - j), first);
      }
    }
  }
}

/**
 * Rows [r0, r1) of a batch of GEMMs flattened to batch·Mp rows, Mp = M rounded up to 4 (so every
 * range starts on a strip): batch t reads A at a + t·aBatch (packed when rs = 0, see gemmRows),
 * packed B at pb + t·pbBatch (0 when B is shared) and writes C at c + t·M·N·4.
 */
function batchedRows(a: usize, aBatch: usize, rs: usize, cs: usize, pb: usize, pbBatch: usize, M: i32, K: i32, N: i32, c: usize, r0: i32, r1: i32): void {
  if (M <= 0) return;
  const Mp = (M + 3) & ~3;
  const cBatch = <usize>M * <usize>N << 2;
  for (let t = r0 / Mp; t * Mp < r1; t++) {
    const i0 = max(r0 - t * Mp, 0);
    const i1 = min(r1 - t * Mp, Mp);
    gemmRows(a + <usize>t * aBatch, rs, cs, pb + <usize>t * pbBatch, M, K, N, c + <usize>t * cBatch, i0, i1, 0, N);
  }
}

/** Rows [r0, r1) of batched GEMMs over A packed by `packAStrips` (see batchedRows): the unit of work a thread receives. */
export function gemmBatched(pa: usize, paBatch: usize, pb: usize, pbBatch: usize, M: i32, K: i32, N: i32, c: usize, r0: i32, r1: i32): void {
  batchedRows(pa, paBatch, 0, 0, pb, pbBatch, M, K, N, c, r0, r1);
}

/**
 * Column panels [p0, p1) (8 columns each) of one GEMM over all its M rows, A packed by `packAStrips`:
 * how threads split a GEMM with too few rows to split (one-token decoding, M = 1). Each thread
 * reads its own share of B's panels, the bulk of the memory traffic at M = 1.
 */
export function gemmColumns(pa: usize, pb: usize, M: i32, K: i32, N: i32, c: usize, p0: i32, p1: i32): void {
  gemmRows(pa, 0, 0, pb, M, K, N, c, 0, M, p0 << 3, min(N, p1 << 3));
}

/**
 * gemmBatched with op(A) read in place (unpacked) from `a`: `mode` bit 0 says A is stored
 * transposed ([K, M] per batch, so op(A)(i, k) at i·4 + k·M·4), bit 1 that one A serves every batch.
 */
export function gemmBatchedInPlaceA(a: usize, mode: i32, pb: usize, pbBatch: usize, M: i32, K: i32, N: i32, c: usize, r0: i32, r1: i32): void {
  const transposed = (mode & 1) != 0;
  const aBatch: usize = (mode & 2) != 0 ? 0 : <usize>M * <usize>K << 2;
  batchedRows(a, aBatch, transposed ? 4 : <usize>K << 2, transposed ? <usize>M << 2 : 4, pb, pbBatch, M, K, N, c, r0, r1);
}
