// The backward of fused attention, flash-attention-2 style: for one block of 4 query rows at a
// time, recompute the scores and the softmax (as attention.ts's forward does), then
// dP = dY·Vᵀ, D = rowsum(dY ⊙ O), dS = P ⊙ (dP − D)·scale, and
//   dQ rows = dS·K                 (the 4×8 tile over K in column panels, written once),
//   dK += dSᵀ·Q,  dV += Pᵀ·dY      (rank-4 updates of the head's dK, dV rows).
// Only one block of scores (and one of dP) exists per thread; a thread owns whole heads, so no two
// threads write the same dK/dV row and the sums are in the same order for any number of threads.
//
// Legend: N heads (flattened batch) · L queries · S keys · E query/key dim · Ev value dim.
import { t00, t01, t10, t11, t20, t21, t30, t31, tile4x8, madd } from './tile';
import { attentionPackK, attentionPackV, packQ, scoreBlock, softmaxBlock, storeOut } from './attention';

// Fields of the parameter block (i32 slots; SCALE is an f32), written by src/kernels/attention-grad.ts.
// @ts-ignore: decorator
@inline const Q = 0; // q [N, L, E]
// @ts-ignore: decorator
@inline const KT = 1; // K packed by attentionPackK (Kᵀ panels), KTB bytes per head
// @ts-ignore: decorator
@inline const VT = 2; // V packed by attentionPackK (Vᵀ panels), VTB bytes per head
// @ts-ignore: decorator
@inline const KC = 3; // K packed by attentionPackV (column panels), KCB bytes per head
// @ts-ignore: decorator
@inline const MASK = 4; // as attention.ts: element (n, l, s) at MASK + OFFS[n] + l·MSL + s·MSS
// @ts-ignore: decorator
@inline const OFFS = 5;
// @ts-ignore: decorator
@inline const MSL = 6;
// @ts-ignore: decorator
@inline const MSS = 7;
// @ts-ignore: decorator
@inline const CAUSAL = 8;
// @ts-ignore: decorator
@inline const LEN_L = 9;
// @ts-ignore: decorator
@inline const LEN_S = 10;
// @ts-ignore: decorator
@inline const DIM_E = 11;
// @ts-ignore: decorator
@inline const DIM_EV = 12;
// @ts-ignore: decorator
@inline const SCALE = 13;
// @ts-ignore: decorator
@inline const O = 14; // forward output [N, L, Ev]
// @ts-ignore: decorator
@inline const DY = 15; // its gradient [N, L, Ev]
// @ts-ignore: decorator
@inline const DQ = 16; // [N, L, E]
// @ts-ignore: decorator
@inline const DK = 17; // [N, S, E]
// @ts-ignore: decorator
@inline const DV = 18; // [N, S, Ev]
// @ts-ignore: decorator
@inline const KTB = 19;
// @ts-ignore: decorator
@inline const VTB = 20;
// @ts-ignore: decorator
@inline const KCB = 21;
// @ts-ignore: decorator
@inline const K = 22; // k [N, S, E], packed into KT and KC by the thread that owns the head
// @ts-ignore: decorator
@inline const V = 23; // v [N, S, Ev], packed into VT likewise

// @ts-ignore: decorator
@inline function field(params: usize, i: i32): i32 {
  return load<i32>(params + (<usize>i << 2));
}

/** `mr` rows (stride `cols`) at `src`, or a zero-padded copy of 4 rows in `pad` when mr < 4. */
function fourRows(src: usize, cols: i32, mr: i32, pad: usize): usize {
  if (mr == 4) return src;
  const bytes = <usize>cols << 2;
  memory.fill(pad, 0, bytes << 2);
  memory.copy(pad, src, bytes * <usize>mr);
  return pad;
}

/**
 * dst[s, :] += Σᵣ coef[s][r]·rows[r, :] for keys s < Sv: coef is [Sv][4] (one v128 per key),
 * rows [4, cols] row-major, dst [Sv, cols] row-major.
 */
function rank4Update(dst: usize, cols: i32, coef: usize, Sv: i32, rows: usize): void {
  const ld = <usize>cols << 2;
  const cols4 = cols & ~3;
  for (let s = 0; s < Sv; s++) {
    const c = v128.load(coef + (<usize>s << 4));
    const c0 = f32x4.splat(f32x4.extract_lane(c, 0));
    const c1 = f32x4.splat(f32x4.extract_lane(c, 1));
    const c2 = f32x4.splat(f32x4.extract_lane(c, 2));
    const c3 = f32x4.splat(f32x4.extract_lane(c, 3));
    const d = dst + <usize>s * ld;
    let e = 0;
    for (; e < cols4; e += 4) {
      const at = <usize>e << 2;
      let acc = v128.load(d + at);
      acc = madd(c0, v128.load(rows + at), acc);
      acc = madd(c1, v128.load(rows + ld + at), acc);
      acc = madd(c2, v128.load(rows + 2 * ld + at), acc);
      acc = madd(c3, v128.load(rows + 3 * ld + at), acc);
      v128.store(d + at, acc);
    }
    for (; e < cols; e++) {
      const at = <usize>e << 2;
      let acc = load<f32>(d + at);
      acc += f32x4.extract_lane(c, 0) * load<f32>(rows + at);
      acc += f32x4.extract_lane(c, 1) * load<f32>(rows + ld + at);
      acc += f32x4.extract_lane(c, 2) * load<f32>(rows + 2 * ld + at);
      acc += f32x4.extract_lane(c, 3) * load<f32>(rows + 3 * ld + at);
      store<f32>(d + at, acc);
    }
  }
}

/** D = rowsum(dY ⊙ O) of rows 0…mr−1 (stride Ev), 0 in the lanes past mr. */
function rowDots(dy: usize, o: usize, Ev: i32, mr: i32): v128 {
  let d = f32x4.splat(0);
  for (let r = 0; r < mr; r++) {
    let acc: f32 = 0;
    const at = <usize>r * (<usize>Ev << 2);
    for (let j = 0; j < Ev; j++) acc += load<f32>(dy + at + (<usize>j << 2)) * load<f32>(o + at + (<usize>j << 2));
    d = f32x4.replace_lane(d, 0, r == 0 ? acc : f32x4.extract_lane(d, 0));
    d = f32x4.replace_lane(d, 1, r == 1 ? acc : f32x4.extract_lane(d, 1));
    d = f32x4.replace_lane(d, 2, r == 2 ? acc : f32x4.extract_lane(d, 2));
    d = f32x4.replace_lane(d, 3, r == 3 ? acc : f32x4.extract_lane(d, 3));
  }
  return d;
}

/** Lanes 0…mr−1 all ones, the rest zero. */
// @ts-ignore: decorator
@inline function laneMask(mr: i32): v128 {
  return i32x4.lt_s(i32x4(0, 1, 2, 3), i32x4.splat(mr));
}

/** One block of 4 query rows of head n (see the file comment); `scratch` as attentionGradHeads. */
function gradBlock(params: usize, scratch: usize, n: i32, l0: i32, dkAll: usize, dvAll: usize): void {
  const L = field(params, LEN_L);
  const S = field(params, LEN_S);
  const E = field(params, DIM_E);
  const Ev = field(params, DIM_EV);
  const scale = load<f32>(params + (<usize>SCALE << 2));
  const causal = field(params, CAUSAL) != 0;
  const mask = <usize>field(params, MASK);
  const msL = <usize>field(params, MSL);
  const panelsS = (S + 7) >> 3;
  const qs = scratch; // [E][4]
  const ys = qs + (<usize>E << 4); // [Ev][4]
  const ps = ys + (<usize>Ev << 4); // [8·panelsS][4]
  const dps = ps + (<usize>panelsS << 7); // [8·panelsS][4]
  const pad = dps + (<usize>panelsS << 7); // [4, max(E, Ev)]
  const mr = min(4, L - l0);
  const Sv = causal ? min(S, l0 + mr) : S;
  const panels = (Sv + 7) >> 3;
  const row = <usize>n * <usize>L + <usize>l0;
  const q = <usize>field(params, Q) + (row * <usize>E << 2);
  const dy = <usize>field(params, DY) + (row * <usize>Ev << 2);
  // P: scores, mask, causal hiding and softmax exactly as the forward
  packQ(q, E, mr, scale, qs);
  const mRow: usize = mask == 0 ? 0 : mask + <usize>load<i32>(<usize>field(params, OFFS) + (<usize>n << 2)) + <usize>l0 * msL;
  scoreBlock(qs, <usize>field(params, KT) + <usize>n * <usize>field(params, KTB), E, panels, S, ps, mRow, msL, field(params, MSS), mr);
  if (causal) {
    for (let s = l0 + 1; s < Sv; s++) {
      for (let rr = 0; rr < 4; rr++) if (s > l0 + rr) store<f32>(ps + (<usize>s << 4) + (<usize>rr << 2), -Infinity);
    }
  }
  const rinv = v128.and(softmaxBlock(ps, Sv), laneMask(mr)); // rows past mr get P = 0
  // dP = dY·Vᵀ, then P and dS = P ⊙ (dP − D)·scale in place of the scores and dP
  packQ(dy, Ev, mr, 1, ys);
  scoreBlock(ys, <usize>field(params, VT) + <usize>n * <usize>field(params, VTB), Ev, panels, S, dps, 0, 0, 0, mr);
  const D = rowDots(dy, <usize>field(params, O) + (row * <usize>Ev << 2), Ev, mr);
  const vs = f32x4.splat(scale);
  for (let s = 0; s < Sv; s++) {
    const at = <usize>s << 4;
    const p = f32x4.mul(v128.load(ps + at), rinv);
    v128.store(ps + at, p);
    v128.store(dps + at, f32x4.mul(f32x4.mul(p, f32x4.sub(v128.load(dps + at), D)), vs));
  }
  // dQ rows = dS·K
  const kc = <usize>field(params, KC) + <usize>n * <usize>field(params, KCB);
  const dq = <usize>field(params, DQ) + (row * <usize>E << 2);
  const ldq = <usize>E << 2;
  for (let j = 0; j < E; j += 8) {
    tile4x8(dps, kc + (<usize>(j >> 3) * <usize>S << 5), Sv);
    const nc = min(8, E - j);
    const o = dq + (<usize>j << 2);
    storeOut(o, t00, t01, 1, nc);
    if (mr > 1) storeOut(o + ldq, t10, t11, 1, nc);
    if (mr > 2) storeOut(o + 2 * ldq, t20, t21, 1, nc);
    if (mr > 3) storeOut(o + 3 * ldq, t30, t31, 1, nc);
  }
  // dK += dSᵀ·Q, dV += Pᵀ·dY
  rank4Update(dkAll + (<usize>n * <usize>S * <usize>E << 2), E, dps, Sv, fourRows(q, E, mr, pad));
  rank4Update(dvAll + (<usize>n * <usize>S * <usize>Ev << 2), Ev, ps, Sv, fourRows(dy, Ev, mr, pad));
}

/**
 * Heads [n0, n1) of the backward: dQ, dK, dV of each (fields above; K and V packed and dK, dV
 * zeroed here).
 * `scratch` holds (E + Ev)·16 + ⌈S/8⌉·256 + max(E, Ev)·16 bytes for this thread alone. Threads
 * call it on disjoint head ranges.
 */
export function attentionGradHeads(params: usize, scratch: usize, n0: i32, n1: i32): void {
  const L = field(params, LEN_L);
  const S = field(params, LEN_S);
  const E = field(params, DIM_E);
  const Ev = field(params, DIM_EV);
  for (let n = n0; n < n1; n++) {
    const k = <usize>field(params, K) + (<usize>n * <usize>S * <usize>E << 2);
    attentionPackK(k, S, E, <usize>field(params, KT) + <usize>n * <usize>field(params, KTB));
    attentionPackK(<usize>field(params, V) + (<usize>n * <usize>S * <usize>Ev << 2), S, Ev, <usize>field(params, VT) + <usize>n * <usize>field(params, VTB));
    attentionPackV(k, S, E, <usize>field(params, KC) + <usize>n * <usize>field(params, KCB));
    memory.fill(<usize>field(params, DK) + (<usize>n * <usize>S * <usize>E << 2), 0, <usize>S * <usize>E << 2);
    memory.fill(<usize>field(params, DV) + (<usize>n * <usize>S * <usize>Ev << 2), 0, <usize>S * <usize>Ev << 2);
    for (let l0 = 0; l0 < L; l0 += 4) gradBlock(params, scratch, n, l0, <usize>field(params, DK), <usize>field(params, DV));
  }
}

/**
 * Rows [r0, r1) of N·Lp query rows (Lp = L rounded up to 4), for fewer heads than threads: K and V
 * already packed, dQ rows written in place, dK and dV added into this thread's own [N, S, E] and
 * [N, S, Ev] sums at dkAll, dvAll (zeroed by the caller, which adds the threads' sums up after).
 */
export function attentionGradRows(params: usize, scratch: usize, dkAll: usize, dvAll: usize, r0: i32, r1: i32): void {
  const Lp = (field(params, LEN_L) + 3) & ~3;
  for (let r = r0; r < r1; r += 4) {
    const n = r / Lp;
    gradBlock(params, scratch, n, r - n * Lp, dkAll, dvAll);
  }
}
