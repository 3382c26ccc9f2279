import { vexp } from './vexp';

// Element-wise float32 kernels. Op codes are shared with src/kernels/op-codes.ts; binary rows take
// element increments of 0 (broadcast scalar) or 1 (contiguous) per operand.

// @ts-ignore: decorator
@inline const NEG = 0;
// @ts-ignore: decorator
@inline const EXP = 1;
// @ts-ignore: decorator
@inline const LOG = 2;
// @ts-ignore: decorator
@inline const SQRT = 3;
// @ts-ignore: decorator
@inline const RSQRT = 4;
// @ts-ignore: decorator
@inline const ABS = 5;
// @ts-ignore: decorator
@inline const TANH = 6;
// @ts-ignore: decorator
@inline const SIGMOID = 7;
// @ts-ignore: decorator
@inline const RELU = 8;
// @ts-ignore: decorator
@inline const GELU = 9;
// @ts-ignore: decorator
@inline const GELU_TANH = 10;
// @ts-ignore: decorator
@inline const SILU = 11;
// @ts-ignore: decorator
@inline const ERF = 12;
// @ts-ignore: decorator
@inline const SIN = 13;
// @ts-ignore: decorator
@inline const COS = 14;

/** erf via the Numerical Recipes erfc Chebyshev fit (fractional error < 1.2e-7), in f64. */
export function erf64(x: f64): f64 {
  const z = Math.abs(x);
  const t = 1.0 / (1.0 + 0.5 * z);
  const poly = -1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277))))))));
  const erfc = t * Math.exp(-z * z + poly);
  return x >= 0 ? 1.0 - erfc : erfc - 1.0;
}

// @ts-ignore: decorator
@inline function sigmoid(x: f32): f32 {
  if (x >= 0) return 1 / (1 + Mathf.exp(-x));
  const e = Mathf.exp(x);
  return e / (1 + e);
}

const SQRT_2_OVER_PI: f32 = 0.7978845608028654;

function unaryScalar(op: i32, x: f32): f32 {
  switch (op) {
    case EXP: return Mathf.exp(x);
    case LOG: return Mathf.log(x);
    case TANH: return Mathf.tanh(x);
    case SIGMOID: return sigmoid(x);
    case GELU: return <f32>(0.5 * <f64>x * (1.0 + erf64(<f64>x * Math.SQRT1_2)));
    case GELU_TANH: return 0.5 * x * (1 + Mathf.tanh(SQRT_2_OVER_PI * (x + 0.044715 * x * x * x)));
    case SILU: return x * sigmoid(x);
    case ERF: return <f32>erf64(<f64>x);
    case SIN: return Mathf.sin(x);
    case COS: return Mathf.cos(x);
    default: return x;
  }
}

/** out[i] = op(x[i]) for i < n. */
export function unary(op: i32, x: usize, out: usize, n: i32): void {
  let i = 0;
  if (op <= RELU && op != EXP && op != LOG && op != TANH && op != SIGMOID) {
    const zero = f32x4.splat(0);
    const one = f32x4.splat(1);
    for (; i + 4 <= n; i += 4) {
      const v = v128.load(x + (<usize>i << 2));
      let r: v128;
      if (op == NEG) r = f32x4.neg(v);
      else if (op == SQRT) r = f32x4.sqrt(v);
      else if (op == RSQRT) r = f32x4.div(one, f32x4.sqrt(v));
      else if (op == ABS) r = f32x4.abs(v);
      else r = f32x4.max(v, zero);
      v128.store(out + (<usize>i << 2), r);
    }
    for (; i < n; i++) {
      const v = load<f32>(x + (<usize>i << 2));
      let r: f32;
      if (op == NEG) r = -v;
      else if (op == SQRT) r = Mathf.sqrt(v);
      else if (op == RSQRT) r = 1 / Mathf.sqrt(v);
      else if (op == ABS) r = Mathf.abs(v);
      else r = max<f32>(v, 0);
      store<f32>(out + (<usize>i << 2), r);
    }
    return;
  }
  if (op == EXP) {
    for (; i + 4 <= n; i += 4) v128.store(out + (<usize>i << 2), vexp(v128.load(x + (<usize>i << 2))));
  }
  for (; i < n; i++) store<f32>(out + (<usize>i << 2), unaryScalar(op, load<f32>(x + (<usize>i << 2))));
}

// @ts-ignore: decorator
@inline const ADD = 0;
// @ts-ignore: decorator
@inline const SUB = 1;
// @ts-ignore: decorator
@inline const MUL = 2;
// @ts-ignore: decorator
@inline const DIV = 3;
// @ts-ignore: decorator
@inline const POW = 4;
// @ts-ignore: decorator
@inline const MAXIMUM = 5;
// @ts-ignore: decorator
@inline const MINIMUM = 6;

/**
 * Subnormal lanes (0 < |x| < 2⁻¹²⁶) become 0. x86 computes on subnormals through microcode, about
 * 100× slower, and WebAssembly cannot set the FTZ/DAZ flags that native libraries set: one layer's
 * softmax gradient with 7 % subnormals made its two attention GEMMs 10× slower. Mul, Div and
 * Softmax, the ops whose results underflow, flush them, so no kernel downstream meets any.
 */
// @ts-ignore: decorator
@inline export function flushSubnormals(x: v128): v128 {
  return v128.andnot(x, f32x4.lt(f32x4.abs(x), f32x4.splat(1.17549435e-38))); // NaN compares false: kept
}

/** Scalar flushSubnormals. */
// @ts-ignore: decorator
@inline export function flushSubnormal(x: f32): f32 {
  return Mathf.abs(x) < 1.17549435e-38 ? 0 : x;
}

// @ts-ignore: decorator
@inline function binaryVec(op: i32, a: v128, b: v128): v128 {
  switch (op) {
    case ADD: return f32x4.add(a, b);
    case SUB: return f32x4.sub(a, b);
    case MUL: return flushSubnormals(f32x4.mul(a, b));
    case DIV: return flushSubnormals(f32x4.div(a, b));
    case MAXIMUM: return f32x4.max(a, b);
    default: return f32x4.min(a, b);
  }
}

// @ts-ignore: decorator
@inline function binaryScalar(op: i32, a: f32, b: f32): f32 {
  switch (op) {
    case ADD: return a + b;
    case SUB: return a - b;
    case MUL: return flushSubnormal(a * b);
    case DIV: return flushSubnormal(a / b);
    case POW: return <f32>Math.pow(<f64>a, <f64>b);
    case MAXIMUM: return max<f32>(a, b);
    default: return min<f32>(a, b);
  }
}

/** out[i] = a[i·aInc] op b[i·bInc] for i < n; aInc, bInc ∈ {0, 1}. */
export function binary(op: i32, a: usize, aInc: i32, b: usize, bInc: i32, out: usize, n: i32): void {
  let i = 0;
  if (op != POW) {
    const sa = aInc == 0 ? v128.load32_splat(a) : f32x4.splat(0);
    const sb = bInc == 0 ? v128.load32_splat(b) : f32x4.splat(0);
    for (; i + 4 <= n; i += 4) {
      const off = <usize>i << 2;
      const va = aInc == 0 ? sa : v128.load(a + off);
      const vb = bInc == 0 ? sb : v128.load(b + off);
      v128.store(out + off, binaryVec(op, va, vb));
    }
  }
  for (; i < n; i++) {
    const x = load<f32>(a + (<usize>(i * aInc) << 2));
    const y = load<f32>(b + (<usize>(i * bInc) << 2));
    store<f32>(out + (<usize>i << 2), binaryScalar(op, x, y));
  }
}
