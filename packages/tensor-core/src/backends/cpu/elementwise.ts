// Element-wise cpu kernels: unary maps, broadcasting binary maps, where, cast.
import type { KernelFunc } from '../../backend.js';
import { allocArray } from '../../dtype.js';
import type { DType } from '../../dtype.js';
import type { BinaryKernel, UnaryKernel } from '../../kernel-names.js';
import { broadcastShapes, sizeOf } from '../../shape.js';
import { arr, out } from './backend.js';
import { broadcastStrides, forEachRow } from './strided.js';

/** erf(x) to ~1e-7 (Abramowitz–Stegun 7.1.26 is too coarse; this is W. J. Cody's rational form via series/continued fraction). */
export function erfScalar(x: number): number {
  const ax = Math.abs(x);
  if (ax < 2.5) {
    // Maclaurin series: erf x = 2/√π Σ (−1)ⁿ x^(2n+1) / (n! (2n+1))
    let term = ax;
    let sum = ax;
    const x2 = ax * ax;
    for (let n = 1; n < 60; n++) {
      term *= -x2 / n;
      const add = term / (2 * n + 1);
      sum += add;
      if (Math.abs(add) < 1e-17 * Math.abs(sum)) break;
    }
    const r = (2 / Math.sqrt(Math.PI)) * sum;
    return x < 0 ? -r : r;
  }
  // erfc continued fraction (Lentz), accurate for |x| ≥ 2.5
  let f = ax;
  let c = ax;
  let d = 0;
  for (let n = 1; n < 200; n++) {
    const an = n / 2;
    d = ax + an * d;
    d = d === 0 ? 1e-300 : 1 / d;
    c = ax + an / c;
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  const erfc = Math.exp(-ax * ax) / (f * Math.sqrt(Math.PI));
  return x < 0 ? erfc - 1 : 1 - erfc;
}

const SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);

function sigmoidScalar(x: number): number {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}

type Map1 = (x: number) => number;
const unaryMaps: Record<Exclude<UnaryKernel, 'Cast' | 'Gelu'>, Map1> = {
  Neg: (x) => -x,
  Exp: Math.exp,
  Log: Math.log,
  Sqrt: Math.sqrt,
  Rsqrt: (x) => 1 / Math.sqrt(x),
  Abs: Math.abs,
  Tanh: Math.tanh,
  Sigmoid: sigmoidScalar,
  Relu: (x) => (x > 0 ? x : Number.isNaN(x) ? x : 0),
  Silu: (x) => x * sigmoidScalar(x),
  Erf: erfScalar,
  Sign: (x) => (x > 0 ? 1 : x < 0 ? -1 : Number.isNaN(x) ? x : 0),
  Sin: Math.sin,
  Cos: Math.cos,
  Floor: Math.floor,
  LogicalNot: (x) => (x ? 0 : 1),
  IsNan: (x) => (Number.isNaN(x) ? 1 : 0),
};

type MapUnary = Exclude<UnaryKernel, 'Cast' | 'Gelu'>;

function unaryKernel(name: MapUnary): KernelFunc<MapUnary> {
  const f = unaryMaps[name];
  return ({ inputs: [x] }) => {
    const src = arr(x!);
    const dtype: DType = name === 'IsNan' ? 'bool' : x!.dtype;
    const dst = allocArray(dtype, src.length);
    for (let i = 0; i < src.length; i++) dst[i] = f(src[i]!);
    return out(dst, [...x!.shape], dtype);
  };
}

/** x converted to `dtype` (a copy when it is x's own, as `clone` uses it); float → int32 truncates. */
export const castKernel: KernelFunc<'Cast'> = ({ inputs: [x], attrs: { dtype } }) => {
  const src = arr(x!);
  const dst = allocArray(dtype, src.length);
  if (dtype === 'bool') for (let i = 0; i < src.length; i++) dst[i] = src[i] !== 0 ? 1 : 0;
  else dst.set(dtype === 'int32' && x!.dtype === 'float32' ? Int32Array.from(src, Math.trunc) : src);
  return out(dst, [...x!.shape], dtype);
};

/** x·Φ(x), or PyTorch's tanh approximation when `approximate` is 'tanh'. */
export const geluKernel: KernelFunc<'Gelu'> = ({ inputs: [x], attrs: { approximate = 'none' } }) => {
  const src = arr(x!);
  const dst = allocArray(x!.dtype, src.length);
  if (approximate === 'tanh') {
    for (let i = 0; i < src.length; i++) {
      const v = src[i]!;
      dst[i] = 0.5 * v * (1 + Math.tanh(SQRT_2_OVER_PI * (v + 0.044715 * v * v * v)));
    }
  } else {
    for (let i = 0; i < src.length; i++) dst[i] = 0.5 * src[i]! * (1 + erfScalar(src[i]! * Math.SQRT1_2));
  }
  return out(dst, [...x!.shape], x!.dtype);
};

type Map2 = (a: number, b: number) => number;
const binaryMaps: Record<BinaryKernel, Map2> = {
  Add: (a, b) => a + b,
  Sub: (a, b) => a - b,
  Mul: (a, b) => a * b,
  Div: (a, b) => a / b,
  Pow: (a, b) => Math.pow(a, b),
  Maximum: (a, b) => (Number.isNaN(a) || Number.isNaN(b) ? NaN : Math.max(a, b)),
  Minimum: (a, b) => (Number.isNaN(a) || Number.isNaN(b) ? NaN : Math.min(a, b)),
  Equal: (a, b) => (a === b ? 1 : 0),
  NotEqual: (a, b) => (a !== b ? 1 : 0),
  Less: (a, b) => (a < b ? 1 : 0),
  LessEqual: (a, b) => (a <= b ? 1 : 0),
  Greater: (a, b) => (a > b ? 1 : 0),
  GreaterEqual: (a, b) => (a >= b ? 1 : 0),
  LogicalAnd: (a, b) => (a && b ? 1 : 0),
  LogicalOr: (a, b) => (a || b ? 1 : 0),
};

const boolOutput = new Set<BinaryKernel>(['Equal', 'NotEqual', 'Less', 'LessEqual', 'Greater', 'GreaterEqual', 'LogicalAnd', 'LogicalOr']);

function binaryKernel(name: BinaryKernel): KernelFunc<BinaryKernel> {
  const f = binaryMaps[name];
  return ({ inputs: [a, b] }) => {
    const shape = broadcastShapes(name, a!.shape, b!.shape);
    const dtype: DType = boolOutput.has(name) ? 'bool' : a!.dtype;
    const av = arr(a!);
    const bv = arr(b!);
    const dst = allocArray(dtype, sizeOf(shape));
    // int32 division and overflow follow JavaScript numbers, then truncate on store (as C does)
    if (av.length === dst.length && bv.length === dst.length) {
      for (let i = 0; i < dst.length; i++) dst[i] = f(av[i]!, bv[i]!);
    } else if (bv.length === 1) {
      const s = bv[0]!;
      for (let i = 0; i < dst.length; i++) dst[i] = f(av[i % av.length]!, s);
    } else {
      const strides = [broadcastStrides(a!.shape, shape), broadcastStrides(b!.shape, shape)];
      forEachRow(shape, strides, (o, base, len, inner) => {
        const [oa, ob] = o as [number, number];
        const [ia, ib] = inner as [number, number];
        for (let j = 0; j < len; j++) dst[base + j] = f(av[oa + j * ia]!, bv[ob + j * ib]!);
      });
    }
    return out(dst, shape, dtype);
  };
}

/** where(c, a, b) with three-way broadcasting. */
export const whereKernel: KernelFunc<'Where'> = ({ inputs: [c, a, b] }) => {
  const shape = broadcastShapes('where', broadcastShapes('where', c!.shape, a!.shape), b!.shape);
  const cv = arr(c!);
  const av = arr(a!);
  const bv = arr(b!);
  const dst = allocArray(a!.dtype, sizeOf(shape));
  const strides = [c!, a!, b!].map((t) => broadcastStrides(t.shape, shape));
  forEachRow(shape, strides, (o, base, len, inner) => {
    const [oc, oa, ob] = o as [number, number, number];
    const [ic, ia, ib] = inner as [number, number, number];
    for (let j = 0; j < len; j++) dst[base + j] = cv[oc + j * ic] ? av[oa + j * ia]! : bv[ob + j * ib]!;
  });
  return out(dst, shape, a!.dtype);
};

/** All element-wise cpu kernels by name. */
export function elementwiseKernels(): { [K in UnaryKernel | BinaryKernel | 'Where']: KernelFunc<K> } {
  const mapped = Object.fromEntries((Object.keys(unaryMaps) as MapUnary[]).map((n) => [n, unaryKernel(n)])) as Record<MapUnary, KernelFunc<MapUnary>>;
  const binary = Object.fromEntries((Object.keys(binaryMaps) as BinaryKernel[]).map((n) => [n, binaryKernel(n)])) as Record<BinaryKernel, KernelFunc<BinaryKernel>>;
  return { ...mapped, Cast: castKernel, Gelu: geluKernel, ...binary, Where: whereKernel };
}
