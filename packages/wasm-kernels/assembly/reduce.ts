import { vexpNonPositive } from './vexp';
import { flushSubnormal, flushSubnormals } from './elementwise';

// Reductions over the middle axis of [outer, R, inner], softmax along it, and row layer norm.

// @ts-ignore: decorator
@inline const SUM = 0;
// @ts-ignore: decorator
@inline const MAX = 1;

// @ts-ignore: decorator
@inline function combine(op: i32, a: v128, b: v128): v128 {
  return op == SUM ? f32x4.add(a, b) : op == MAX ? f32x4.max(a, b) : f32x4.min(a, b);
}

// @ts-ignore: decorator
@inline function combine1(op: i32, a: f32, b: f32): f32 {
  return op == SUM ? a + b : op == MAX ? max<f32>(a, b) : min<f32>(a, b);
}

/** Columns of a block that reduceRange keeps in registers while it walks down the rows. */
// @ts-ignore: decorator
@inline const BLOCK = 32;

/**
 * out[o, i] = reduce_r x[o, r, i] with op 0 sum, 1 max, 2 min (R = 0 gives 0, −∞, +∞), for units
 * [u0, u1): with inner = 1 a unit is one outer index; otherwise one column i (u0 a multiple of 4),
 * over every outer index. Each output folds its R values in order r = 0, 1, …, so a split into
 * units gives the bits of the whole call. Columns go in blocks of 32 walked row by row: reading a
 * column of 4 down R rows instead strides inner·4 bytes, into few cache sets.
 */
export function reduceRange(op: i32, x: usize, out: usize, outer: i32, R: i32, inner: i32, u0: i32, u1: i32): void {
  const init: f32 = op == SUM ? 0 : op == MAX ? -Infinity : Infinity;
  const vinit = f32x4.splat(init);
  if (inner == 1) {
    for (let o = u0; o < u1; o++) {
      const src = x + (<usize>o * <usize>R << 2);
      let acc0 = vinit, acc1 = vinit;
      let r = 0;
      for (; r + 8 <= R; r += 8) {
        acc0 = combine(op, acc0, v128.load(src + (<usize>r << 2)));
        acc1 = combine(op, acc1, v128.load(src + (<usize>r << 2), 16));
      }
      const v = combine(op, acc0, acc1);
      let s = combine1(op, combine1(op, f32x4.extract_lane(v, 0), f32x4.extract_lane(v, 1)), combine1(op, f32x4.extract_lane(v, 2), f32x4.extract_lane(v, 3)));
      for (; r < R; r++) s = combine1(op, s, load<f32>(src + (<usize>r << 2)));
      store<f32>(out + (<usize>o << 2), s);
    }
    return;
  }
  const rowBytes = <usize>inner << 2;
  const vEnd = min(u1, inner & ~3);
  for (let o = 0; o < outer; o++) {
    const src = x + <usize>o * <usize>R * rowBytes;
    const dst = out + <usize>o * rowBytes;
    let i = u0;
    for (; i + BLOCK <= vEnd; i += BLOCK) {
      let a0 = vinit, a1 = vinit, a2 = vinit, a3 = vinit, a4 = vinit, a5 = vinit, a6 = vinit, a7 = vinit;
      let p = src + (<usize>i << 2);
      for (let r = 0; r < R; r++) {
        a0 = combine(op, a0, v128.load(p));
        a1 = combine(op, a1, v128.load(p, 16));
        a2 = combine(op, a2, v128.load(p, 32));
        a3 = combine(op, a3, v128.load(p, 48));
        a4 = combine(op, a4, v128.load(p, 64));
        a5 = combine(op, a5, v128.load(p, 80));
        a6 = combine(op, a6, v128.load(p, 96));
        a7 = combine(op, a7, v128.load(p, 112));
        p += rowBytes;
      }
      const d = dst + (<usize>i << 2);
      v128.store(d, a0);
      v128.store(d, a1, 16);
      v128.store(d, a2, 32);
      v128.store(d, a3, 48);
      v128.store(d, a4, 64);
      v128.store(d, a5, 80);
      v128.store(d, a6, 96);
      v128.store(d, a7, 112);
    }
    for (; i < vEnd; i += 4) {
      let acc = vinit;
      let p = src + (<usize>i << 2);
      for (let r = 0; r < R; r++) {
        acc = combine(op, acc, v128.load(p));
        p += rowBytes;
      }
      v128.store(dst + (<usize>i << 2), acc);
    }
    for (; i < u1; i++) {
      let acc = init;
      let p = src + (<usize>i << 2);
      for (let r = 0; r < R; r++) {
        acc = combine1(op, acc, load<f32>(p));
        p += rowBytes;
      }
      store<f32>(dst + (<usize>i << 2), acc);
    }
  }
}

/**
 * Softmax (log = false) or log-softmax along the middle axis of [outer, size, inner]. A slice
 * that is entirely −∞ gives zeros (softmax) or −∞ (log-softmax), as the cpu reference does.
 */
export function softmax(x: usize, out: usize, outer: i32, size: i32, inner: i32, log: bool): void {
  if (inner == 1) {
    for (let o = 0; o < outer; o++) softmaxRow(x + (<usize>o * <usize>size << 2), out + (<usize>o * <usize>size << 2), size, log);
    return;
  }
  const step = <usize>inner << 2;
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const src = x + ((<usize>o * <usize>size * <usize>inner + <usize>i) << 2);
      const dst = out + (src - x);
      let m: f32 = -Infinity;
      for (let k = 0; k < size; k++) m = max<f32>(m, load<f32>(src + <usize>k * step));
      if (m == -Infinity) {
        for (let k = 0; k < size; k++) store<f32>(dst + <usize>k * step, log ? -Infinity : 0);
        continue;
      }
      let s: f64 = 0;
      for (let k = 0; k < size; k++) {
        const e = Mathf.exp(load<f32>(src + <usize>k * step) - m);
        s += e;
        if (!log) store<f32>(dst + <usize>k * step, e);
      }
      if (log) {
        const lse = m + <f32>Math.log(s);
        for (let k = 0; k < size; k++) store<f32>(dst + <usize>k * step, load<f32>(src + <usize>k * step) - lse);
      } else {
        const r = <f32>(1.0 / s);
        for (let k = 0; k < size; k++) store<f32>(dst + <usize>k * step, flushSubnormal(load<f32>(dst + <usize>k * step) * r));
      }
    }
  }
}

// @ts-ignore: decorator
@inline function hsum(v: v128): f32 {
  return f32x4.extract_lane(v, 0) + f32x4.extract_lane(v, 1) + f32x4.extract_lane(v, 2) + f32x4.extract_lane(v, 3);
}

/** out[r, :] = (x[r, :] − mean) / √(var + eps) per row of `size` (biased variance). */
export function layerNorm(x: usize, out: usize, rows: i32, size: i32, eps: f32): void {
  const rowBytes = <usize>size << 2;
  for (let r = 0; r < rows; r++) {
    const src = x + <usize>r * rowBytes;
    const dst = out + <usize>r * rowBytes;
    let acc = f32x4.splat(0);
    let j = 0;
    for (; j + 4 <= size; j += 4) acc = f32x4.add(acc, v128.load(src + (<usize>j << 2)));
    let sum = hsum(acc);
    for (; j < size; j++) sum += load<f32>(src + (<usize>j << 2));
    const mean = sum / <f32>size;
    const vm = f32x4.splat(mean);
    acc = f32x4.splat(0);
    j = 0;
    for (; j + 4 <= size; j += 4) {
      const d = f32x4.sub(v128.load(src + (<usize>j << 2)), vm);
      acc = f32x4.add(acc, f32x4.mul(d, d));
    }
    let ss = hsum(acc);
    for (; j < size; j++) {
      const d = load<f32>(src + (<usize>j << 2)) - mean;
      ss += d * d;
    }
    const rstd: f32 = <f32>1 / Mathf.sqrt(ss / <f32>size + eps);
    const vr = f32x4.splat(rstd);
    j = 0;
    for (; j + 4 <= size; j += 4) {
      v128.store(dst + (<usize>j << 2), f32x4.mul(f32x4.sub(v128.load(src + (<usize>j << 2)), vm), vr));
    }
    for (; j < size; j++) store<f32>(dst + (<usize>j << 2), (load<f32>(src + (<usize>j << 2)) - mean) * rstd);
  }
}

/** Softmax of one contiguous row with SIMD max, exp and scale passes. */
function softmaxRow(src: usize, dst: usize, size: i32, log: bool): void {
  let vm = f32x4.splat(-Infinity);
  let j = 0;
  // pmax is one instruction (f32x4.max expands to several for NaN and ±0); a NaN still reaches every output through x − m
  for (; j + 4 <= size; j += 4) vm = f32x4.pmax(vm, v128.load(src + (<usize>j << 2)));
  let m = max<f32>(max<f32>(f32x4.extract_lane(vm, 0), f32x4.extract_lane(vm, 1)), max<f32>(f32x4.extract_lane(vm, 2), f32x4.extract_lane(vm, 3)));
  for (; j < size; j++) m = max<f32>(m, load<f32>(src + (<usize>j << 2)));
  if (m == -Infinity) {
    // every key masked (−∞) gives zeros; a row pmax saw only NaNs in stays NaN, as with the cpu kernel
    let nan = false;
    for (j = 0; j < size; j++) nan = nan || isNaN<f32>(load<f32>(src + (<usize>j << 2)));
    for (j = 0; j < size; j++) store<f32>(dst + (<usize>j << 2), nan ? NaN : log ? -Infinity : 0);
    return;
  }
  vm = f32x4.splat(m);
  let vs = f32x4.splat(0);
  for (j = 0; j + 4 <= size; j += 4) {
    const e = vexpNonPositive(f32x4.sub(v128.load(src + (<usize>j << 2)), vm)); // ≤ 0: the cheap exp
    vs = f32x4.add(vs, e);
    if (!log) v128.store(dst + (<usize>j << 2), e);
  }
  let s = <f64>hsum(vs);
  for (; j < size; j++) {
    const e = Mathf.exp(load<f32>(src + (<usize>j << 2)) - m);
    s += e;
    if (!log) store<f32>(dst + (<usize>j << 2), e);
  }
  if (log) {
    const lse = f32x4.splat(m + <f32>Math.log(s));
    for (j = 0; j + 4 <= size; j += 4) v128.store(dst + (<usize>j << 2), f32x4.sub(v128.load(src + (<usize>j << 2)), lse));
    for (; j < size; j++) store<f32>(dst + (<usize>j << 2), load<f32>(src + (<usize>j << 2)) - f32x4.extract_lane(lse, 0));
    return;
  }
  const vr = f32x4.splat(<f32>(1.0 / s));
  // weights below 2⁻¹²⁶ become 0 (see flushSubnormals): a GEMM over them would run 10× slower
  for (j = 0; j + 4 <= size; j += 4) v128.store(dst + (<usize>j << 2), flushSubnormals(f32x4.mul(v128.load(dst + (<usize>j << 2)), vr)));
  for (; j < size; j++) store<f32>(dst + (<usize>j << 2), flushSubnormal(load<f32>(dst + (<usize>j << 2)) * f32x4.extract_lane(vr, 0)));
}
