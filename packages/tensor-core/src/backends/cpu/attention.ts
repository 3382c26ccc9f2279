// FusedAttention on the cpu, row by row: the reference every fused backend kernel is tested against.
import type { KernelFunc } from '../../backend.js';
import { sizeOf, trailingDims } from '../../shape.js';
import { f32, out } from './backend.js';
import { batchOffsets, broadcastStrides } from './strided.js';

/**
 * out[n, l] = Σₛ pₛ·v[n, s] with p = softmax(q[n, l]·k[n, s]·scale + mask[n, l, s]) over the keys
 * s (s ≤ l only when causal); a row whose keys are all −∞ gives zeros, as the Softmax kernel.
 * q [..., L, E] · k [..., S, E] · v [..., S, Ev] (· mask broadcastable to [..., L, S]) → [..., L, Ev]
 */
export const fusedAttentionKernel: KernelFunc<'FusedAttention'> = ({ inputs: [q, k, v, mask], attrs: { scale, causal } }) => {
  const batch = q!.shape.slice(0, -2);
  const [L, E] = trailingDims(q!, 2, 'fusedAttention', 'L, E');
  const S = k!.shape[k!.shape.length - 2]!;
  const Ev = v!.shape[v!.shape.length - 1]!;
  const N = sizeOf(batch);
  const [qv, kv, vv] = [f32(q!), f32(k!), f32(v!)];
  const mv = mask ? f32(mask) : null;
  // mask offset of (n, l, s) = maskBase[n] + l·msL + s·msS (0 strides along broadcast dims)
  const ms = mask ? broadcastStrides(mask.shape, [...batch, L, S]) : [];
  const [msL, msS] = [ms[batch.length] ?? 0, ms[batch.length + 1] ?? 0];
  const maskBase = batchOffsets(batch, ms);
  const dst = new Float32Array(N * L * Ev);
  const p = new Float64Array(S);
  const acc = new Float64Array(Ev);
  for (let n = 0; n < N; n++) {
    for (let l = 0; l < L; l++) {
      const qo = (n * L + l) * E;
      const visible = causal ? Math.min(S, l + 1) : S;
      let m = -Infinity;
      for (let s = 0; s < visible; s++) {
        let dot = 0;
        const ko = (n * S + s) * E;
        for (let e = 0; e < E; e++) dot += qv[qo + e]! * kv[ko + e]!;
        p[s] = dot * scale + (mv ? mv[maskBase[n]! + l * msL + s * msS]! : 0);
        m = Math.max(m, p[s]!);
      }
      if (m === -Infinity) continue; // every key hidden: a zero row
      let sum = 0;
      for (let s = 0; s < visible; s++) sum += p[s] = Math.exp(p[s]! - m);
      acc.fill(0);
      for (let s = 0; s < visible; s++) {
        const vo = (n * S + s) * Ev;
        for (let j = 0; j < Ev; j++) acc[j]! += p[s]! * vv[vo + j]!;
      }
      dst.set(acc.map((a) => a / sum), (n * L + l) * Ev);
    }
  }
  return out(dst, [...batch, L, Ev], 'float32');
};
