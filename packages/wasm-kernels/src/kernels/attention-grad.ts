// FusedAttentionGrad on the heap (assembly/attention-grad.ts): heads split across threads, so no two
// threads write the same dK/dV rows; each packs its heads' K and V once (Kᵀ and Vᵀ panels for the
// scores and dP, K in column panels for dQ), then goes through their blocks of 4 query rows. With
// fewer heads than threads, rows are split instead and each thread keeps its own dK, dV sums.
import { sizeOf, trailingDims } from '@qkv/tensor-core';
import type { KernelFunc } from '@qkv/tensor-core';
import type { WasmBackend } from '../backend.js';
import { runItems, runRows } from '../runtime/threads.js';
import { binaryCodes } from './op-codes.js';
import { maskLayout } from './attention.js';
import { onCpuViews } from './fallback.js';

/**
 * Fewer heads than threads: query rows split across threads (K and V packed already), each adding
 * dK, dV into its own sums (thread 0 into the output), which are then added up in thread order. The
 * result depends on the number of threads in the last bits (the sums' order), never on timing.
 */
function byRows(wb: WasmBackend, o: { params: number; scratch: number; scratchBytes: number; rows: number; dk: number; dkSize: number; dvSize: number; macs: number }): void {
  const x = wb.exports;
  const extra = (wb.pool?.size ?? 1) - 1;
  const size = o.dkSize + o.dvSize; // dK then dV, in the output and in each thread's sums
  const sums = wb.heap.alloc(extra * size * 4);
  try {
    new Float32Array(wb.heap.memory.buffer, o.dk, size).fill(0);
    new Float32Array(wb.heap.memory.buffer, sums, extra * size).fill(0);
    const dkOf = (t: number): number => (t === 0 ? o.dk : sums + (t - 1) * size * 4);
    const dvOf = (t: number): number => dkOf(t) + o.dkSize * 4;
    const local = (r0: number, r1: number): void => x.attentionGradRows(o.params, o.scratch, dkOf(0), dvOf(0), r0, r1);
    runRows(wb.pool, 'attentionGradRows', (t) => [o.params, o.scratch + t * o.scratchBytes, dkOf(t), dvOf(t)], o.rows, o.macs, local);
    for (let t = 1; t <= extra; t++) x.binary(binaryCodes.Add!, o.dk, 1, dkOf(t), 1, o.dk, size);
  } finally {
    wb.heap.free(sums, extra * size * 4);
  }
}

/** Slots of the parameter block, in assembly/attention-grad.ts's order. */
const FIELDS = ['q', 'kT', 'vT', 'kC', 'mask', 'maskOffsets', 'msL', 'msS', 'causal', 'L', 'S', 'E', 'Ev', 'scale', 'o', 'dy', 'dq', 'dk', 'dv', 'kTBytes', 'vTBytes', 'kCBytes', 'k', 'v'] as const;
type Params = Record<(typeof FIELDS)[number], number>;

const onCpu = onCpuViews('FusedAttentionGrad');

/**
 * dq, dk, dv of softmax(scale·q·kᵀ + mask)·v from the forward output `o` and its gradient `dy`,
 * recomputing the weights one block of 4 query rows at a time (no [..., L, S] matrix).
 * q [..., L, E] · k [..., S, E] · v [..., S, Ev] · o, dy [..., L, Ev] (· mask broadcastable to
 * [..., L, S]) → [N·L·E + N·S·E + N·S·Ev], N the product of the batch dims: dq, dk, dv flattened.
 */
export const fusedAttentionGradKernel: KernelFunc<'FusedAttentionGrad'> = (args) => {
  const { inputs: [q, k, v, o, dy, mask], attrs: { scale, causal }, backend } = args;
  const wb = backend as WasmBackend;
  const x = wb.exports;
  const batch = q!.shape.slice(0, -2);
  const [L, E] = trailingDims(q!, 2, 'fusedAttentionGrad', 'L, E');
  const [S, Ev] = trailingDims(v!, 2, 'fusedAttentionGrad', 'S, Ev');
  const N = sizeOf(batch);
  if (N * L * S * E * Ev === 0) return onCpu(args); // empty or dimensionless: nothing to speed up
  const out = wb.alloc(N * (L * E + S * E + S * Ev) * 4);
  const kTBytes = Math.ceil(S / 8) * E * 32;
  const vTBytes = Math.ceil(S / 8) * Ev * 32;
  const kCBytes = Math.ceil(E / 8) * S * 32;
  const threads = wb.pool?.size ?? 1;
  const scratchBytes = Math.ceil(((E + Ev) * 16 + Math.ceil(S / 8) * 256 + Math.max(E, Ev) * 16) / 64) * 64; // a cache line apart
  const sizes = [N * kTBytes, N * vTBytes, N * kCBytes, FIELDS.length * 4, N * 4, threads * scratchBytes];
  const blocks = sizes.map((bytes) => wb.heap.alloc(bytes)) as [number, number, number, number, number, number];
  const [kT, vT, kC, params, offsets, scratch] = blocks;
  try {
    const [qPtr, kPtr, vPtr, oPtr, dyPtr] = [q, k, v, o, dy].map((t) => wb.handleOf(t!).ptr) as [number, number, number, number, number];
    const layout = mask ? maskLayout(mask, batch, L, S) : { offsets: [], msL: 0, msS: 0 };
    const p: Params = {
      q: qPtr, kT, vT, kC, mask: mask ? wb.handleOf(mask).ptr : 0, maskOffsets: offsets, msL: layout.msL, msS: layout.msS,
      causal: causal ? 1 : 0, L, S, E, Ev, scale: 0, o: oPtr, dy: dyPtr,
      dq: out.ptr, dk: out.ptr + N * L * E * 4, dv: out.ptr + N * (L * E + S * E) * 4, kTBytes, vTBytes, kCBytes, k: kPtr, v: vPtr,
    };
    // views after every allocation: growing the memory detaches earlier ones
    const i32 = new Int32Array(wb.heap.memory.buffer);
    i32.set(FIELDS.map((f) => p[f]), params >>> 2); // >>>: heap addresses reach 4 GiB, past int32
    new Float32Array(wb.heap.memory.buffer)[(params >>> 2) + FIELDS.indexOf('scale')] = scale;
    i32.set(layout.offsets, offsets >>> 2);
    const macs = N * L * S * (3 * E + 2 * Ev);
    if (threads > N) {
      for (let n = 0; n < N; n++) {
        x.attentionPackK(kPtr + n * S * E * 4, S, E, kT + n * kTBytes);
        x.attentionPackK(vPtr + n * S * Ev * 4, S, Ev, vT + n * vTBytes);
        x.attentionPackV(kPtr + n * S * E * 4, S, E, kC + n * kCBytes);
      }
      byRows(wb, { params, scratch, scratchBytes, rows: N * Math.ceil(L / 4) * 4, dk: p.dk, dkSize: N * S * E, dvSize: N * S * Ev, macs });
    } else {
      const local = (n0: number, n1: number): void => x.attentionGradHeads(params, scratch, n0, n1);
      runItems(wb.pool, 'attentionGradHeads', (t) => [params, scratch + t * scratchBytes], N, macs, local);
    }
  } finally {
    blocks.forEach((ptr, i) => wb.heap.free(ptr, sizes[i]!));
  }
  return { handle: out, shape: [N * (L * E + S * E + S * Ev)], dtype: 'float32' };
};
