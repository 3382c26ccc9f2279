// BatchMatMul on the SIMD GEMM: op(A) is packed into 4-row strips (or read in place when op(B) has
// few columns) and op(B) into 8-column panels once per distinct batch, then strips of the flattened
// batch are split across threads.
import { dims } from '@qkv/tensor-core';
import type { KernelFunc } from '@qkv/tensor-core';
import type { WasmBackend } from '../backend.js';
import { THREAD_MIN_MACS, runRows, runSplit, streamWork } from '../runtime/threads.js';

/**
 * Up to this many columns of op(B), op(A) is read in place instead of packed into strips: with at
 * most 4 panels of B each strip would be read at most 4 times, fewer than packing costs (measured
 * on attention's P·V, [128, 384, 384]·[128, 384, 16]: see the package README).
 */
export const IN_PLACE_A_MAX_N = 32;

/**
 * [Ba, M, K]·[Bb, K, N] → [max(Ba,Bb), M, N], with transposeA ([Ba, K, M]) and transposeB
 * ([Bb, N, K]); a batch of 1 broadcasts. With Bb = 1 and no transposeA the batch folds into the
 * rows (one GEMM, one packed B), the usual Linear-layer case.
 */
export const batchMatMulKernel: KernelFunc<'BatchMatMul'> = ({ inputs: [a, b], attrs: { transposeA: tA, transposeB: tB }, backend }) => {
  const wb = backend as WasmBackend;
  const [ba, a1, a2] = dims(a!, 3, 'batchMatMul', 'B, M, K');
  const [bb, b1, b2] = dims(b!, 3, 'batchMatMul', 'B, K, N');
  const [m, k] = tA ? [a2, a1] : [a1, a2];
  const n = tB ? b1 : b2;
  const batch = Math.max(ba, bb);
  const shape = [batch, m, n];
  const out = wb.alloc(batch * m * n * 4);
  if (batch * m * n === 0) return { handle: out, shape, dtype: 'float32' };
  if (k === 0) {
    wb.view(out, 'float32', batch * m * n).fill(0);
    return { handle: out, shape, dtype: 'float32' };
  }
  const aPtr = wb.handleOf(a!).ptr;
  const bPtr = wb.handleOf(b!).ptr;
  // byte strides of op(A) (i, p) and op(B) (p, j)
  const [rsA, csA] = tA ? [4, m * 4] : [k * 4, 4];
  const [rsB, csB] = tB ? [4, k * 4] : [n * 4, 4];
  // with a shared B and plain A, the batch folds into the rows: one GEMM of batch·M rows
  const fold = bb === 1 && !tA;
  const rowsA = fold ? batch * m : m;
  const packsB = bb === 1 ? 1 : bb;
  const bBytes = Math.ceil(n / 8) * k * 32;
  // a shared B seen before with this layout (a weight, reused across calls) keeps its packed panels
  const cached = packsB === 1 ? wb.packCache.lookup(wb.handleOf(b!), `${tB ? 'T' : 'N'}${k}x${n}`, bBytes) : null;
  const pb = cached?.ptr ?? wb.heap.alloc(packsB * bBytes);
  const rows = (fold ? 1 : batch) * Math.ceil(rowsA / 4) * 4;
  // few panels of B: each strip of A would be read only ⌈N/8⌉ times, fewer than packing it costs
  const inPlace = n <= IN_PLACE_A_MAX_N;
  const packsA = inPlace ? 0 : fold || ba === 1 ? 1 : ba;
  const aBytes = Math.ceil(rowsA / 4) * k * 16;
  const pa = packsA > 0 ? wb.heap.alloc(packsA * aBytes) : 0;
  try {
    // packing is a strided copy: split across the pool by strips / panels when large (a weight is
    // packed afresh every training step, as the optimizer gives it new storage)
    for (let t = 0; t < packsA; t++) {
      const [src, dst] = [aPtr + t * m * k * 4, pa + t * aBytes];
      runSplit(wb.pool, 'packAStrips', () => [src, rsA, csA, rowsA, k, dst], Math.ceil(rowsA / 4), 1, streamWork(rowsA * k), (s0, s1) => wb.exports.packAStrips(src, rsA, csA, rowsA, k, dst, s0, s1));
    }
    for (let t = 0; t < (cached?.filled ? 0 : packsB); t++) {
      const [src, dst] = [bPtr + t * k * n * 4, pb + t * bBytes];
      runSplit(wb.pool, 'packBPanels', () => [src, rsB, csB, k, n, dst], Math.ceil(n / 8), 1, streamWork(k * n), (p0, p1) => wb.exports.packBPanels(src, rsB, csB, k, n, dst, p0, p1));
    }
    if (!inPlace && packsA === 1 && packsB === 1 && rows < 8) {
      // too few rows to split (decoding one token): threads take ranges of B's column panels instead.
      // Reading B is the cost, so from 2²⁰ multiply-adds (measured at one row, 2 threads against 1:
      // 768×768 0.109 → 0.119 ms, slower; 768×2304 0.32 → 0.22 ms; 768×50257 6.6 → 4.1 ms), whether
      // or not the workers still spin: the lower warm threshold sent GPT-2 small's 768×768 GEMMs to
      // the pool and made its cached decoding on 2 threads slower (1.61 → 1.74 s for 32 tokens)
      const cols = [pa, pb, rowsA, k, n, out.ptr] as const;
      runSplit(wb.pool, 'gemmColumns', () => cols, Math.ceil(n / 8), 1, (rowsA * n * k) / 4, (p0, p1) => wb.exports.gemmColumns(...cols, p0, p1), THREAD_MIN_MACS);
      return { handle: out, shape, dtype: 'float32' };
    }
    const kernel = inPlace ? 'gemmBatchedInPlaceA' : 'gemmBatched';
    // in place: A itself and its layout (bit 0 transposed, bit 1 one A for every batch); else the packed strips and their batch stride
    const [a0, a1] = inPlace ? [aPtr, (tA ? 1 : 0) | (fold || ba === 1 ? 2 : 0)] : [pa, packsA === 1 ? 0 : aBytes];
    const args = [a0, a1, pb, packsB === 1 ? 0 : bBytes, rowsA, k, n, out.ptr] as const;
    const local = (r0: number, r1: number): void => wb.exports[kernel](...args, r0, r1);
    runRows(wb.pool, kernel, () => args, rows, rows * n * k, local);
  } finally {
    if (!cached) wb.heap.free(pb, packsB * bBytes);
    if (packsA > 0) wb.heap.free(pa, packsA * aBytes);
  }
  return { handle: out, shape, dtype: 'float32' };
};
