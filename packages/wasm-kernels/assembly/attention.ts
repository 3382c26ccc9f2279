// Fused scaled-dot-product attention, flash-attention style: for one block of 4 query rows at a
// time and one tile of TILE keys at a time, the [4, TILE] scores (tile.ts's 4×8 register tile over
// packed Kᵀ panels), mask, an online softmax (running max and sum, earlier output rescaled) and
// P·V (the same tile over packed V panels), so a thread's scratch is the same for any S and no
// [L, S] matrix ever exists. Scores are stored transposed, [TILE][4], which is at once the
// softmax's layout (one v128 holds a key's score for the 4 rows, so max, exp and sum are vertical)
// and P·V's packed-A layout (load32_splat of row r at s·16 + r·4).
//
// Legend: N heads (flattened batch) · L queries · S keys · E query/key dim · Ev value dim.
import { t00, t01, t10, t11, t20, t21, t30, t31, tile4x8 } from './tile';
import { vexpNonPositive as expNonPositive } from './vexp';

// Fields of the parameter block (i32 slots; SCALE is an f32), written by src/kernels/attention.ts.
// @ts-ignore: decorator
@inline const Q = 0; // q [N, L, E]
// @ts-ignore: decorator
@inline const KP = 1; // K packed by attentionPackK, KB bytes per head
// @ts-ignore: decorator
@inline const VP = 2; // V packed by attentionPackV, VB bytes per head
// @ts-ignore: decorator
@inline const MASK = 3; // additive mask, 0 for none; element (n, l, s) at MASK + OFFS[n] + l·MSL + s·MSS
// @ts-ignore: decorator
@inline const OFFS = 4; // i32 byte offset of head n's mask
// @ts-ignore: decorator
@inline const MSL = 5;
// @ts-ignore: decorator
@inline const MSS = 6; // 4 (contiguous keys) or 0 (broadcast over keys); anything else works, slower
// @ts-ignore: decorator
@inline const CAUSAL = 7; // 1: key s is hidden from query l when s > l
// @ts-ignore: decorator
@inline const LEN_L = 8;
// @ts-ignore: decorator
@inline const LEN_S = 9;
// @ts-ignore: decorator
@inline const DIM_E = 10;
// @ts-ignore: decorator
@inline const DIM_EV = 11;
// @ts-ignore: decorator
@inline const SCALE = 12;
// @ts-ignore: decorator
@inline const OUT = 13; // out [N, L, Ev]
// @ts-ignore: decorator
@inline const KB = 14;
// @ts-ignore: decorator
@inline const VB = 15;

// @ts-ignore: decorator
@inline function field(params: usize, i: i32): i32 {
  return load<i32>(params + (<usize>i << 2));
}

/** Packs K [S, E] (contiguous rows) as Kᵀ in 8-key panels [⌈S/8⌉][E][8], zero past S. */
export function attentionPackK(k: usize, S: i32, E: i32, dst: usize): void {
  const panels = (S + 7) >> 3;
  for (let p = 0; p < panels; p++) {
    const s0 = p << 3;
    const w = min(8, S - s0);
    const panel = dst + (<usize>p * <usize>E << 5);
    for (let j = 0; j < 8; j++) {
      const src = k + (<usize>(s0 + j) * <usize>E << 2);
      const d = panel + (<usize>j << 2);
      if (j < w) for (let e = 0; e < E; e++) store<f32>(d + (<usize>e << 5), load<f32>(src + (<usize>e << 2)));
      else for (let e = 0; e < E; e++) store<f32>(d + (<usize>e << 5), 0);
    }
  }
}

/** Packs V [S, Ev] (contiguous rows) in 8-column panels [⌈Ev/8⌉][S][8], zero past Ev. */
export function attentionPackV(v: usize, S: i32, Ev: i32, dst: usize): void {
  const panels = (Ev + 7) >> 3;
  for (let p = 0; p < panels; p++) {
    const j0 = p << 3;
    const w = min(8, Ev - j0);
    const panel = dst + (<usize>p * <usize>S << 5);
    for (let s = 0; s < S; s++) {
      const src = v + ((<usize>s * <usize>Ev + <usize>j0) << 2);
      const d = panel + (<usize>s << 5);
      if (w == 8) {
        v128.store(d, v128.load(src));
        v128.store(d, v128.load(src, 16), 16);
      } else {
        for (let j = 0; j < 8; j++) store<f32>(d + (<usize>j << 2), j < w ? load<f32>(src + (<usize>j << 2)) : 0);
      }
    }
  }
}

// Stores rows r0..r3 (4 keys each) transposed: key j's 4 row values at dst + j·16.
// @ts-ignore: decorator
@inline function storeTransposed(dst: usize, r0: v128, r1: v128, r2: v128, r3: v128): void {
  const t0 = f32x4.shuffle(r0, r1, 0, 4, 1, 5);
  const t1 = f32x4.shuffle(r2, r3, 0, 4, 1, 5);
  const t2 = f32x4.shuffle(r0, r1, 2, 6, 3, 7);
  const t3 = f32x4.shuffle(r2, r3, 2, 6, 3, 7);
  v128.store(dst, f32x4.shuffle(t0, t1, 0, 1, 4, 5));
  v128.store(dst, f32x4.shuffle(t0, t1, 2, 3, 6, 7), 16);
  v128.store(dst, f32x4.shuffle(t2, t3, 0, 1, 4, 5), 32);
  v128.store(dst, f32x4.shuffle(t2, t3, 2, 3, 6, 7), 48);
}

// The mask of 8 keys of one row as two vectors (msS = 4: two loads; msS = 0: one splat).
// @ts-ignore: decorator
@inline function maskLo(m: usize, msS: i32): v128 {
  return msS == 0 ? v128.load32_splat(m) : v128.load(m);
}
// @ts-ignore: decorator
@inline function maskHi(m: usize, msS: i32): v128 {
  return msS == 0 ? v128.load32_splat(m) : v128.load(m, 16);
}

/**
 * Scores of query rows l0…l0+3 against keys [0, 8·panels) into ps ([S][4], transposed): the
 * packed q strip qs ([E][4], scale folded in) times each Kᵀ panel, plus the mask rows (mRow +
 * r·msL; 0 for none). Keys past S hold junk that nobody reads.
 */
export function scoreBlock(qs: usize, kp: usize, E: i32, panels: i32, S: i32, ps: usize, mRow: usize, msL: usize, msS: i32, mr: i32): void {
  const fast = msS == 0 || msS == 4;
  for (let p = 0; p < panels; p++) {
    tile4x8(qs, kp + (<usize>p * <usize>E << 5), E);
    let c00 = t00, c01 = t01, c10 = t10, c11 = t11, c20 = t20, c21 = t21, c30 = t30, c31 = t31;
    const s0 = p << 3;
    const full = s0 + 8 <= S;
    if (mRow != 0 && fast && full) {
      // rows past mr read row 0's mask: in bounds, and their results are never stored
      const m = mRow + <usize>s0 * <usize>msS;
      c00 = f32x4.add(c00, maskLo(m, msS));
      c01 = f32x4.add(c01, maskHi(m, msS));
      const m1 = mr > 1 ? m + msL : m;
      c10 = f32x4.add(c10, maskLo(m1, msS));
      c11 = f32x4.add(c11, maskHi(m1, msS));
      const m2 = mr > 2 ? m + 2 * msL : m;
      c20 = f32x4.add(c20, maskLo(m2, msS));
      c21 = f32x4.add(c21, maskHi(m2, msS));
      const m3 = mr > 3 ? m + 3 * msL : m;
      c30 = f32x4.add(c30, maskLo(m3, msS));
      c31 = f32x4.add(c31, maskHi(m3, msS));
    }
    const d = ps + (<usize>s0 << 4);
    storeTransposed(d, c00, c10, c20, c30);
    storeTransposed(d + 64, c01, c11, c21, c31);
    if (mRow != 0 && !(fast && full)) {
      for (let s = s0; s < min(S, s0 + 8); s++) {
        for (let r = 0; r < mr; r++) {
          const at = ps + (<usize>s << 4) + (<usize>r << 2);
          store<f32>(at, load<f32>(at) + load<f32>(mRow + <usize>r * msL + <usize>s * <usize>msS));
        }
      }
    }
  }
}

/**
 * Softmax over the keys of the 4 rows in ps ([Sv][4]) without the final division: leaves
 * exp(z − max) in ps and returns 1/Σ per row, 0 for a row whose keys are all −∞.
 */
export function softmaxBlock(ps: usize, Sv: i32): v128 {
  const zero = f32x4.splat(0);
  let vm = rowMax(ps, Sv, f32x4.splat(-Infinity));
  vm = v128.bitselect(zero, vm, f32x4.eq(vm, f32x4.splat(-Infinity))); // then every exp is 0
  const sum = expSum(ps, Sv, vm);
  return v128.bitselect(zero, f32x4.div(f32x4.splat(1), sum), f32x4.eq(sum, zero));
}

/** The running max m and the max over the n keys of ps ([n][4]), per row. */
// @ts-ignore: decorator
@inline function rowMax(ps: usize, n: i32, m: v128): v128 {
  for (let s = 0; s < n; s++) m = f32x4.pmax(m, v128.load(ps + (<usize>s << 4)));
  return m;
}

/** Replaces the n keys of ps ([n][4]) by exp(z − sub) per row; returns their sums. */
// @ts-ignore: decorator
@inline function expSum(ps: usize, n: i32, sub: v128): v128 {
  let sum = f32x4.splat(0);
  for (let s = 0; s < n; s++) {
    const at = ps + (<usize>s << 4);
    const e = expNonPositive(f32x4.sub(v128.load(at), sub));
    v128.store(at, e);
    sum = f32x4.add(sum, e);
  }
  return sum;
}

// @ts-ignore: decorator
@inline function lane(v: v128, i: i32): f32 {
  switch (i) {
    case 0: return f32x4.extract_lane(v, 0);
    case 1: return f32x4.extract_lane(v, 1);
    case 2: return f32x4.extract_lane(v, 2);
    default: return f32x4.extract_lane(v, 3);
  }
}

// Writes one accumulator pair, times `scale`, to an output row, keeping nc ≤ 8 columns.
// @ts-ignore: decorator
@inline export function storeOut(o: usize, lo: v128, hi: v128, scale: f32, nc: i32): void {
  const s = f32x4.splat(scale);
  lo = f32x4.mul(lo, s);
  hi = f32x4.mul(hi, s);
  if (nc == 8) {
    v128.store(o, lo);
    v128.store(o, hi, 16);
    return;
  }
  for (let j = 0; j < nc; j++) store<f32>(o + (<usize>j << 2), j < 4 ? lane(lo, j) : lane(hi, j - 4));
}

/** qs ([E][4]) = q rows l0…l0+mr−1 (row stride E) times scale, zero rows past mr. */
export function packQ(q: usize, E: i32, mr: i32, scale: f32, qs: usize): void {
  for (let e = 0; e < E; e++) {
    const src = q + (<usize>e << 2);
    const d = qs + (<usize>e << 4);
    for (let r = 0; r < 4; r++) store<f32>(d + (<usize>r << 2), r < mr ? load<f32>(src + <usize>r * (<usize>E << 2)) * scale : 0);
  }
}

/** Keys per tile of the online softmax: the block's scores for one tile, [TILE][4], stay in L1. */
// @ts-ignore: decorator
@inline export const TILE = 128;

/**
 * The block's running output rows acc ([4][Evp], Evp = Ev rounded up to 8) times alpha per row, plus
 * P·V over one tile of nt keys: P = ps ([nt][4]), V's 8-column panels of S rows starting at key t0
 * (vt = the first panel at key t0).
 */
function accumulateTile(ps: usize, nt: i32, vt: usize, S: i32, Evp: i32, alpha: v128, acc: usize): void {
  const a0 = f32x4.splat(f32x4.extract_lane(alpha, 0));
  const a1 = f32x4.splat(f32x4.extract_lane(alpha, 1));
  const a2 = f32x4.splat(f32x4.extract_lane(alpha, 2));
  const a3 = f32x4.splat(f32x4.extract_lane(alpha, 3));
  const ld = <usize>Evp << 2;
  for (let j = 0; j < Evp; j += 8) {
    tile4x8(ps, vt + (<usize>(j >> 3) * <usize>S << 5), nt);
    const o = acc + (<usize>j << 2);
    v128.store(o, f32x4.add(f32x4.mul(v128.load(o), a0), t00));
    v128.store(o, f32x4.add(f32x4.mul(v128.load(o, 16), a0), t01), 16);
    v128.store(o + ld, f32x4.add(f32x4.mul(v128.load(o + ld), a1), t10));
    v128.store(o + ld, f32x4.add(f32x4.mul(v128.load(o + ld, 16), a1), t11), 16);
    v128.store(o + 2 * ld, f32x4.add(f32x4.mul(v128.load(o + 2 * ld), a2), t20));
    v128.store(o + 2 * ld, f32x4.add(f32x4.mul(v128.load(o + 2 * ld, 16), a2), t21), 16);
    v128.store(o + 3 * ld, f32x4.add(f32x4.mul(v128.load(o + 3 * ld), a3), t30));
    v128.store(o + 3 * ld, f32x4.add(f32x4.mul(v128.load(o + 3 * ld, 16), a3), t31), 16);
  }
}

/**
 * Rows [r0, r1) of N·Lp query rows, Lp = L rounded up to 4 (so every range starts on a block):
 * out[n, l] = softmax(scale·q[n, l]·kᵀ + mask[n, l])·v for each block of 4 rows, by an online
 * softmax over tiles of TILE keys (flash attention): per tile the scores, their running row max m,
 * exp(z − m), the running sum ℓ, and acc·exp(m_old − m) + P·V; out = acc / ℓ at the end (0 for a
 * row whose keys are all −∞). With S ≤ TILE the result equals the one-pass softmax bit for bit.
 * `params` is the parameter block (fields above); `scratch` holds attentionScratchBytes(E, Ev)
 * bytes for this thread alone, whatever S is. Threads call it on disjoint row ranges.
 */
export function attentionRows(params: usize, scratch: usize, r0: i32, r1: i32): void {
  const L = field(params, LEN_L);
  const S = field(params, LEN_S);
  const E = field(params, DIM_E);
  const Ev = field(params, DIM_EV);
  const scale = load<f32>(params + (<usize>SCALE << 2));
  const causal = field(params, CAUSAL) != 0;
  const mask = <usize>field(params, MASK);
  const msL = <usize>field(params, MSL);
  const msS = field(params, MSS);
  const Lp = (L + 3) & ~3;
  const Evp = (Ev + 7) & ~7;
  const qs = scratch;
  const ps = scratch + (<usize>E << 4);
  const acc = ps + (<usize>TILE << 4);
  const ldo = <usize>Ev << 2;
  const ld = <usize>Evp << 2;
  const zero = f32x4.splat(0);
  const ninf = f32x4.splat(-Infinity);
  for (let r = r0; r < r1; r += 4) {
    const n = r / Lp;
    const l0 = r - n * Lp;
    const mr = min(4, L - l0);
    const Sv = causal ? min(S, l0 + mr) : S;
    const row = <usize>n * <usize>L + <usize>l0;
    packQ(<usize>field(params, Q) + (row * <usize>E << 2), E, mr, scale, qs);
    const mRow: usize = mask == 0 ? 0 : mask + <usize>load<i32>(<usize>field(params, OFFS) + (<usize>n << 2)) + <usize>l0 * msL;
    const kp = <usize>field(params, KP) + <usize>n * <usize>field(params, KB);
    const vp = <usize>field(params, VP) + <usize>n * <usize>field(params, VB);
    memory.fill(acc, 0, <usize>Evp << 4);
    let m = ninf;
    let l = zero;
    for (let t0 = 0; t0 < Sv; t0 += TILE) {
      const nt = min(TILE, Sv - t0);
      // the tile's keys are those of K's panels from t0 / 8 on (t0 is a multiple of 8)
      scoreBlock(qs, kp + (<usize>(t0 >> 3) * <usize>E << 5), E, (nt + 7) >> 3, S - t0, ps, mRow == 0 ? 0 : mRow + <usize>t0 * <usize>msS, msL, msS, mr);
      if (causal) {
        // key s is hidden from row l0 + rr when s > l0 + rr (only the block's diagonal tile has such keys)
        for (let s = max(t0, l0 + 1); s < t0 + nt; s++) {
          for (let rr = 0; rr < 4; rr++) if (s > l0 + rr) store<f32>(ps + (<usize>(s - t0) << 4) + (<usize>rr << 2), -Infinity);
        }
      }
      const mNew = rowMax(ps, nt, m);
      const sub = v128.bitselect(zero, mNew, f32x4.eq(mNew, ninf)); // all −∞ so far: every exp is 0
      const alpha = expNonPositive(f32x4.sub(m, sub)); // 0 on the first tile (m = −∞)
      l = f32x4.add(f32x4.mul(l, alpha), expSum(ps, nt, sub));
      m = mNew;
      accumulateTile(ps, nt, vp + (<usize>t0 << 5), S, Evp, alpha, acc);
    }
    const rinv = v128.bitselect(zero, f32x4.div(f32x4.splat(1), l), f32x4.eq(l, zero));
    const out = <usize>field(params, OUT) + (row * <usize>Ev << 2);
    for (let rr = 0; rr < mr; rr++) {
      const a = acc + <usize>rr * ld;
      const o = out + <usize>rr * ldo;
      const s = lane(rinv, rr);
      for (let j = 0; j < Ev; j += 8) storeOut(o + (<usize>j << 2), v128.load(a + (<usize>j << 2)), v128.load(a + (<usize>j << 2), 16), s, min(8, Ev - j));
    }
  }
}

/** Bytes of scratch one thread needs for attentionRows: the q strip, one tile of scores, the output rows. */
export function attentionScratchBytes(E: i32, Ev: i32): i32 {
  return (E << 4) + (TILE << 4) + (((Ev + 7) & ~7) << 4);
}
