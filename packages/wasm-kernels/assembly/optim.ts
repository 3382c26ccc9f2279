// One Adam/AdamW step over elements [i0, i1) of a parameter (tensor-core's AdamStep): a single pass
// that reads p, g, m, v, writes the new m and v in place and the new parameter to `out`. Every
// operation rounds as the element-wise kernels Adam is otherwise composed of (Mul and Div flush
// subnormal results to 0, as elementwise.ts's do), so the fused and composed steps agree bit for bit.
import { flushSubnormal, flushSubnormals } from './elementwise';

// Slots of the parameter block (i32 pointers, then f32 scalars), written by src/kernels/adam.ts.
// @ts-ignore: decorator
@inline const P = 0;
// @ts-ignore: decorator
@inline const G = 1;
// @ts-ignore: decorator
@inline const M = 2;
// @ts-ignore: decorator
@inline const V = 3;
// @ts-ignore: decorator
@inline const OUT = 4;
// @ts-ignore: decorator
@inline const MODE = 5; // 0: no weight decay, 1: decoupled (p·decay), 2: added to the gradient (g + p·decay)
// @ts-ignore: decorator
@inline const DECAY = 6;
// @ts-ignore: decorator
@inline const C1 = 7; // 1 − β₁
// @ts-ignore: decorator
@inline const B2 = 8;
// @ts-ignore: decorator
@inline const C2 = 9; // 1 − β₂
// @ts-ignore: decorator
@inline const SQB2 = 10; // √(1 − β₂ᵗ)
// @ts-ignore: decorator
@inline const EPS = 11;
// @ts-ignore: decorator
@inline const STEP = 12; // lr / (1 − β₁ᵗ)

// @ts-ignore: decorator
@inline function ptr(params: usize, i: i32): usize {
  return <usize>load<i32>(params + (<usize>i << 2));
}
// @ts-ignore: decorator
@inline function scalar(params: usize, i: i32): f32 {
  return load<f32>(params + (<usize>i << 2));
}

/** Elements [i0, i1) of one Adam step; i0 a multiple of 4 (threads split on multiples of 16). */
export function adamRange(params: usize, i0: i32, i1: i32): void {
  const p = ptr(params, P);
  const g = ptr(params, G);
  const m = ptr(params, M);
  const v = ptr(params, V);
  const out = ptr(params, OUT);
  const mode = load<i32>(params + (<usize>MODE << 2));
  const decay = scalar(params, DECAY);
  const c1 = scalar(params, C1);
  const b2 = scalar(params, B2);
  const c2 = scalar(params, C2);
  const sqb2 = scalar(params, SQB2);
  const eps = scalar(params, EPS);
  const step = scalar(params, STEP);
  const vDecay = f32x4.splat(decay);
  const vc1 = f32x4.splat(c1);
  const vb2 = f32x4.splat(b2);
  const vc2 = f32x4.splat(c2);
  const vsq = f32x4.splat(sqb2);
  const veps = f32x4.splat(eps);
  const vstep = f32x4.splat(step);
  let i = i0;
  for (; i + 4 <= i1; i += 4) {
    const at = <usize>i << 2;
    let pi = v128.load(p + at);
    let gi = v128.load(g + at);
    if (mode == 1) pi = flushSubnormals(f32x4.mul(pi, vDecay));
    else if (mode == 2) gi = f32x4.add(gi, flushSubnormals(f32x4.mul(pi, vDecay)));
    const m0 = v128.load(m + at);
    const mi = f32x4.add(m0, flushSubnormals(f32x4.mul(f32x4.sub(gi, m0), vc1)));
    const vi = f32x4.add(flushSubnormals(f32x4.mul(v128.load(v + at), vb2)), flushSubnormals(f32x4.mul(flushSubnormals(f32x4.mul(gi, gi)), vc2)));
    v128.store(m + at, mi);
    v128.store(v + at, vi);
    const denom = f32x4.add(flushSubnormals(f32x4.div(f32x4.sqrt(vi), vsq)), veps);
    v128.store(out + at, f32x4.sub(pi, flushSubnormals(f32x4.mul(flushSubnormals(f32x4.div(mi, denom)), vstep))));
  }
  for (; i < i1; i++) {
    const at = <usize>i << 2;
    let pi = load<f32>(p + at);
    let gi = load<f32>(g + at);
    if (mode == 1) pi = flushSubnormal(pi * decay);
    else if (mode == 2) gi = gi + flushSubnormal(pi * decay);
    const m0 = load<f32>(m + at);
    const mi = m0 + flushSubnormal((gi - m0) * c1);
    const vi = flushSubnormal(load<f32>(v + at) * b2) + flushSubnormal(flushSubnormal(gi * gi) * c2);
    store<f32>(m + at, mi);
    store<f32>(v + at, vi);
    const denom = flushSubnormal(Mathf.sqrt(vi) / sqb2) + eps;
    store<f32>(out + at, pi - flushSubnormal(flushSubnormal(mi / denom) * step));
  }
}
