// Entry points for the thread pool (src/runtime/threads.ts): each runs one thread's range of an
// element-wise map, a comparison, a where, a broadcast grid, softmax rows or layer-norm rows by calling the one-thread
// kernel on that range, so a split job computes exactly what one thread would (ranges of elements
// start on multiples of 16, so the SIMD body and the scalar tail see the same elements).
import { compare } from './compare';
import { binary, unary } from './elementwise';
import { where } from './select';
import { layerNorm, softmax } from './reduce';

/** Elements [i0, i1) of unary(op, x, out, ·). */
export function unaryRange(op: i32, x: usize, out: usize, i0: i32, i1: i32): void {
  const at = <usize>i0 << 2;
  unary(op, x + at, out + at, i1 - i0);
}

/** Elements [i0, i1) of binary(code & 0xff, …); bits 8 and 9 of `code` are aInc and bInc (0 or 1). */
export function binaryRange(code: i32, a: usize, b: usize, out: usize, i0: i32, i1: i32): void {
  const aInc = (code >> 8) & 1;
  const bInc = (code >> 9) & 1;
  const at = <usize>i0 << 2;
  binary(code & 0xff, a + (aInc == 0 ? 0 : at), aInc, b + (bInc == 0 ? 0 : at), bInc, out + at, i1 - i0);
}

/**
 * Rows [r0, r1) of a broadcast grid: out[r, :len] = a[r·aRow + i·aInc] op b[r·bRow + i·bInc]
 * (`code` as binaryRange; row strides in elements).
 */
export function binaryGrid(code: i32, a: usize, aRow: i32, b: usize, bRow: i32, out: usize, len: i32, r0: i32, r1: i32): void {
  const aInc = (code >> 8) & 1;
  const bInc = (code >> 9) & 1;
  for (let r = r0; r < r1; r++) {
    binary(code & 0xff, a + (<usize>r * <usize>aRow << 2), aInc, b + (<usize>r * <usize>bRow << 2), bInc, out + (<usize>r * <usize>len << 2), len);
  }
}

/** Outer slices [o0, o1) of softmax(x, out, ·, size, inner, log). */
export function softmaxRange(x: usize, out: usize, size: i32, inner: i32, log: i32, o0: i32, o1: i32): void {
  const at = <usize>o0 * <usize>size * <usize>inner << 2;
  softmax(x + at, out + at, o1 - o0, size, inner, log != 0);
}

/** Rows [r0, r1) of layerNorm(x, out, ·, size, eps), eps as its f32 bits (the pool passes integers). */
export function layerNormRange(x: usize, out: usize, size: i32, epsBits: i32, r0: i32, r1: i32): void {
  const at = <usize>r0 * <usize>size << 2;
  layerNorm(x + at, out + at, r1 - r0, size, reinterpret<f32>(epsBits));
}

/**
 * Elements [i0, i1) of compare(code & 0xff, kind, …): `code` bits 8–15 are the operands' kind, bits
 * 16 and 17 aInc and bInc; `el` is their element size in bytes (the output is one byte each).
 */
export function compareRange(code: i32, a: usize, b: usize, out: usize, el: i32, i0: i32, i1: i32): void {
  const aInc = (code >> 16) & 1;
  const bInc = (code >> 17) & 1;
  const at = <usize>i0 * <usize>el;
  compare(code & 0xff, (code >> 8) & 0xff, a + (aInc == 0 ? 0 : at), aInc, b + (bInc == 0 ? 0 : at), bInc, out + <usize>i0, i1 - i0);
}

/** Elements [i0, i1) of where(code & 0xff, …): `code` bits 8, 9 and 10 are cInc, aInc and bInc. */
export function whereRange(code: i32, c: usize, a: usize, b: usize, out: usize, i0: i32, i1: i32): void {
  const el = code & 0xff;
  const cInc = (code >> 8) & 1;
  const aInc = (code >> 9) & 1;
  const bInc = (code >> 10) & 1;
  const at = <usize>i0 * <usize>el;
  where(el, c + (cInc == 0 ? 0 : <usize>i0), cInc, a + (aInc == 0 ? 0 : at), aInc, b + (bInc == 0 ? 0 : at), bInc, out + at, i1 - i0);
}
