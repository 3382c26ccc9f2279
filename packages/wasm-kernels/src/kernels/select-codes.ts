// Codes and signatures of the module's compare/where/cast, gather, copy and attention exports
// (assembly/compare.ts, select.ts, gather.ts, copy.ts, attention.ts use the same numbers). Pointers are byte offsets.
import type { DType } from '@qkv/tensor-core';
import type { BinaryKernel } from './op-codes.js';

/** Element kinds: float32 0, int32 1, bool 2 (one byte). */
export const kindCodes: Record<DType, number> = { float32: 0, int32: 1, bool: 2 };

/** A binary kernel with a bool output. */
export type CompareKernel = Extract<BinaryKernel, 'Equal' | 'NotEqual' | 'Less' | 'LessEqual' | 'Greater' | 'GreaterEqual' | 'LogicalAnd' | 'LogicalOr'>;

/** Comparison and logical kernels by op code; codes from LogicalAnd on take bool inputs only. */
export const compareCodes: Record<CompareKernel, number> = {
  Equal: 0, NotEqual: 1, Less: 2, LessEqual: 3, Greater: 4, GreaterEqual: 5, LogicalAnd: 6, LogicalOr: 7,
};
/** First code of the logical (bool-only) ops. */
export const LOGICAL_AND = 6;

/** The exports this file describes. */
export interface SelectExports {
  /** out[i] = a[i·aInc] op b[i·bInc] as a 0/1 byte; increments 0 or 1. */
  compare(op: number, kind: number, a: number, aInc: number, b: number, bInc: number, out: number, n: number): void;
  /** out[i] = !x[i] over bool bytes. */
  logicalNot(x: number, out: number, n: number): void;
  /** out[i] = c[i·cInc] ? a[i·aInc] : b[i·bInc]; elements of elBytes (4 or 1). */
  where(elBytes: number, c: number, cInc: number, a: number, aInc: number, b: number, bInc: number, out: number, n: number): void;
  /** Elements [i0, i1) of `compare`; `code` = op | kind << 8 | aInc << 16 | bInc << 17, `el` the operands' bytes. */
  compareRange(code: number, a: number, b: number, out: number, el: number, i0: number, i1: number): void;
  /** Elements [i0, i1) of `where`; `code` = elBytes | cInc << 8 | aInc << 9 | bInc << 10. */
  whereRange(code: number, c: number, a: number, b: number, out: number, i0: number, i1: number): void;
  /** out = x cast between kinds, as the cpu kernel casts. */
  cast(from: number, to: number, x: number, out: number, n: number): void;
  /** out[o, j, i] = x[o, index[o, j, i], i]; returns the position of the first bad index or −1. */
  gather(el: number, x: number, index: number, out: number, outer: number, size: number, J: number, inner: number): number;
  /** out[o, index[o, j, i], i] += src[o, j, i]; returns the position of the first bad index or −1. */
  scatterAdd(kind: number, out: number, index: number, src: number, outer: number, size: number, J: number, inner: number): number;
  /** out[o, k, :] = x[o, index[k], :]; returns the position of the first bad index or −1. */
  indexSelect(x: number, index: number, K: number, out: number, outer: number, size: number, rowBytes: number): number;
  /** out[o, index[k], :] += src[o, k, :]; returns the position of the first bad index or −1. */
  indexAdd(kind: number, out: number, index: number, K: number, src: number, outer: number, size: number, inner: number): number;
  /** A 4-d strided copy of el-byte elements (strides in elements). */
  copyStrided(
    src: number, dst: number, el: number,
    n0: number, n1: number, n2: number, n3: number,
    s0: number, s1: number, s2: number, s3: number,
    d0: number, d1: number, d2: number, d3: number,
  ): void;
  /** dst[i] = bits for n elements of el bytes. */
  fill(dst: number, n: number, bits: number, el: number): void;
}

/** The module's attention exports. Pointers are byte offsets. */
export interface AttentionExports {
  /** Packs K [S, E] as Kᵀ in 8-key panels [⌈S/8⌉][E][8]. */
  attentionPackK(k: number, S: number, E: number, dst: number): void;
  /** Packs V [S, Ev] in 8-column panels [⌈Ev/8⌉][S][8]. */
  attentionPackV(v: number, S: number, Ev: number, dst: number): void;
  /** Query rows [r0, r1) of N·⌈L/4⌉·4 (parameter block at `params`, this thread's `scratch`). */
  attentionRows(params: number, scratch: number, r0: number, r1: number): void;
  /** Bytes of scratch one thread needs for attentionRows (independent of L and S). */
  attentionScratchBytes(E: number, Ev: number): number;
  /** Heads [n0, n1) of the backward (parameter block at `params`, this thread's `scratch`). */
  attentionGradHeads(params: number, scratch: number, n0: number, n1: number): void;
  /** Query rows [r0, r1) of N·⌈L/4⌉·4 of the backward, dK and dV added into this thread's sums at dk, dv. */
  attentionGradRows(params: number, scratch: number, dk: number, dv: number, r0: number, r1: number): void;
  /** Elements [i0, i1) of one Adam step (parameter block at `params`, see assembly/optim.ts). */
  adamRange(params: number, i0: number, i1: number): void;
}
