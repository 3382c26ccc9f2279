// The functions the AssemblyScript module exports (assembly/index.ts). Pointers are byte offsets.
import type { AttentionExports, SelectExports } from '../kernels/select-codes.js';

/** Typed view of the module's exports. */
export interface KernelExports extends SelectExports, AttentionExports {
  heapBase(): number;
  /** Packs panels [p0, p1) of op(B) [K, N] into 8-column panels at `dst` (strides in bytes). */
  packBPanels(b: number, rsB: number, csB: number, K: number, N: number, dst: number, p0: number, p1: number): void;
  /** Column panels [p0, p1) of one GEMM over all M rows (A packed). */
  gemmColumns(pa: number, pb: number, M: number, K: number, N: number, c: number, p0: number, p1: number): void;
  /** Packs strips [s0, s1) of op(A) [M, K] into strips of 4 rows at `dst` (strides in bytes). */
  packAStrips(a: number, rsA: number, csA: number, M: number, K: number, dst: number, s0: number, s1: number): void;
  /** out = op(x) elementwise, op code from op-codes.ts. */
  unary(op: number, x: number, out: number, n: number): void;
  /** out[i] = a[i·aInc] op b[i·bInc], increments 0 or 1. */
  binary(op: number, a: number, aInc: number, b: number, bInc: number, out: number, n: number): void;
  /** Sum (0), max (1) or min (2) over the middle axis of [outer, R, inner], for outer indices (inner = 1) or columns [u0, u1). */
  reduceRange(op: number, x: number, out: number, outer: number, R: number, inner: number, u0: number, u1: number): void;
  /** Softmax or log-softmax over the middle axis of [outer, size, inner]. */
  softmax(x: number, out: number, outer: number, size: number, inner: number, log: number): void;
  /** Row-wise (x − mean)/√(var + eps). */
  layerNorm(x: number, out: number, rows: number, size: number, eps: number): void;
  /** Elements [i0, i1) of `unary` (assembly/ranges.ts: the thread pool's entry points). */
  unaryRange(op: number, x: number, out: number, i0: number, i1: number): void;
  /** Elements [i0, i1) of `binary`; `code` = op | aInc << 8 | bInc << 9. */
  binaryRange(code: number, a: number, b: number, out: number, i0: number, i1: number): void;
  /** Rows [r0, r1) of out[r, :len] = a[r·aRow + i·aInc] op b[r·bRow + i·bInc]; `code` as binaryRange. */
  binaryGrid(code: number, a: number, aRow: number, b: number, bRow: number, out: number, len: number, r0: number, r1: number): void;
  /** Outer slices [o0, o1) of `softmax` (log 0 or 1). */
  softmaxRange(x: number, out: number, size: number, inner: number, log: number, o0: number, o1: number): void;
  /** Rows [r0, r1) of `layerNorm`, eps as its float32 bits. */
  layerNormRange(x: number, out: number, size: number, epsBits: number, r0: number, r1: number): void;
  /** Rows [r0, r1) of batch·⌈M/4⌉·4 rows of batched GEMMs over packed A and B (assembly/gemm.ts). */
  gemmBatched(pa: number, paBatch: number, pb: number, pbBatch: number, M: number, K: number, N: number, c: number, r0: number, r1: number): void;
  /** gemmBatched reading op(A) in place: mode bit 0 = A stored transposed, bit 1 = one A for every batch. */
  gemmBatchedInPlaceA(a: number, mode: number, pb: number, pbBatch: number, M: number, K: number, N: number, c: number, r0: number, r1: number): void;
}

/** The declared maximum of the module's memory, in 64 KiB pages (scripts/build-wasm.mjs). */
export const MAX_PAGES = 65536;
/** The declared initial size, in pages. */
export const INITIAL_PAGES = 16;
