// FusedAttention on the heap (assembly/attention.ts): K and V of every head packed once, then
// blocks of 4 query rows — scores, mask, online softmax, P·V, one tile of keys at a time — split
// across threads by (head, row block), each thread with its own scratch of a size that does not
// depend on L or S.
import { batchOffsets, broadcastStrides, sizeOf, trailingDims } from '@qkv/tensor-core';
import type { KernelFunc, TensorInfo } from '@qkv/tensor-core';
import type { WasmBackend } from '../backend.js';
import { runRows } from '../runtime/threads.js';

/** Slots of the parameter block, in assembly/attention.ts's order. */
const FIELDS = ['q', 'kPacked', 'vPacked', 'mask', 'maskOffsets', 'msL', 'msS', 'causal', 'L', 'S', 'E', 'Ev', 'scale', 'out', 'kBytes', 'vBytes'] as const;
type Params = Record<(typeof FIELDS)[number], number>;

/** The byte offset of each flattened batch index of the mask, its L and S byte strides. */
export function maskLayout(mask: TensorInfo, batch: readonly number[], L: number, S: number): { offsets: number[]; msL: number; msS: number } {
  const st = broadcastStrides(mask.shape, [...batch, L, S]).map((s) => s * 4);
  return { offsets: batchOffsets(batch, st), msL: st[batch.length]!, msS: st[batch.length + 1]! };
}

/**
 * softmax(scale·q·kᵀ + mask)·v per head without the [..., L, S] weights.
 * q [..., L, E] · k [..., S, E] · v [..., S, Ev] (· mask broadcastable to [..., L, S]) → [..., L, Ev]
 */
export const fusedAttentionKernel: KernelFunc<'FusedAttention'> = ({ inputs: [q, k, v, mask], attrs: { scale, causal }, backend }) => {
  const wb = backend as WasmBackend;
  const x = wb.exports;
  const batch = q!.shape.slice(0, -2);
  const [L, E] = trailingDims(q!, 2, 'fusedAttention', 'L, E');
  const [S, Ev] = trailingDims(v!, 2, 'fusedAttention', 'S, Ev');
  const N = sizeOf(batch);
  const shape = [...batch, L, Ev];
  const out = wb.alloc(N * L * Ev * 4);
  if (N * L * Ev === 0) return { handle: out, shape, dtype: 'float32' };
  if (S === 0) {
    wb.view(out, 'float32', N * L * Ev).fill(0); // no keys: zero rows, as a fully masked row
    return { handle: out, shape, dtype: 'float32' };
  }
  const kBytes = Math.ceil(S / 8) * E * 32;
  const vBytes = Math.ceil(Ev / 8) * S * 32;
  const threads = wb.pool?.size ?? 1;
  const scratchBytes = Math.ceil(x.attentionScratchBytes(E, Ev) / 64) * 64; // a cache line apart
  const blocks = [N * kBytes, N * vBytes, FIELDS.length * 4, N * 4, threads * scratchBytes];
  const [kp, vp, params, offsets, scratch] = blocks.map((bytes) => wb.heap.alloc(bytes)) as [number, number, number, number, number];
  try {
    const [qPtr, kPtr, vPtr] = [q, k, v].map((t) => wb.handleOf(t!).ptr) as [number, number, number];
    for (let n = 0; n < N; n++) {
      x.attentionPackK(kPtr + n * S * E * 4, S, E, kp + n * kBytes);
      x.attentionPackV(vPtr + n * S * Ev * 4, S, Ev, vp + n * vBytes);
    }
    const layout = mask ? maskLayout(mask, batch, L, S) : { offsets: [], msL: 0, msS: 0 };
    const p: Params = {
      q: qPtr, kPacked: kp, vPacked: vp, mask: mask ? wb.handleOf(mask).ptr : 0, maskOffsets: offsets, msL: layout.msL, msS: layout.msS,
      causal: causal ? 1 : 0, L, S, E, Ev, scale: 0, out: out.ptr, kBytes, vBytes,
    };
    // views after every allocation: growing the memory detaches earlier ones
    const i32 = new Int32Array(wb.heap.memory.buffer);
    i32.set(FIELDS.map((f) => p[f]), params >>> 2); // >>>: heap addresses reach 4 GiB, past int32
    new Float32Array(wb.heap.memory.buffer)[(params >>> 2) + FIELDS.indexOf('scale')] = scale;
    i32.set(layout.offsets, offsets >>> 2);
    const rows = N * Math.ceil(L / 4) * 4;
    const local = (r0: number, r1: number): void => x.attentionRows(params, scratch, r0, r1);
    runRows(wb.pool, 'attentionRows', (t) => [params, scratch + t * scratchBytes], rows, N * L * S * (E + Ev), local);
  } finally {
    blocks.forEach((bytes, i) => wb.heap.free([kp, vp, params, offsets, scratch][i]!, bytes));
  }
  return { handle: out, shape, dtype: 'float32' };
};
