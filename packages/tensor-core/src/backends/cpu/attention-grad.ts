// FusedAttentionGrad on the cpu, row by row in float64: the reference for every fused backward.
// It recomputes each row's weights from q and k (nothing of the forward but its output is kept).
import type { KernelFunc } from '../../backend.js';
import { sizeOf, trailingDims } from '../../shape.js';
import { f32, out } from './backend.js';
import { batchOffsets, broadcastStrides } from './strided.js';

/**
 * dq, dk, dv of out = softmax(scale·q·kᵀ + mask)·v, given the forward output `o` and its gradient
 * `dy`, one query row at a time: p = the row's weights, dp = dy·vᵀ, D = dy·o, dz = p ⊙ (dp − D),
 * dq = scale·dz·k, dk += scale·dzᵀ·q, dv += pᵀ·dy. A row whose keys are all hidden adds nothing.
 * q [N…, L, E] · k [N…, S, E] · v [N…, S, Ev] · o, dy [N…, L, Ev] (· mask broadcastable to
 * [N…, L, S]) → [N·L·E + N·S·E + N·S·Ev]: dq, dk, dv flattened one after another.
 */
export const fusedAttentionGradKernel: KernelFunc<'FusedAttentionGrad'> = ({ inputs: [q, k, v, o, dy, mask], attrs: { scale, causal } }) => {
  const batch = q!.shape.slice(0, -2);
  const [L, E] = trailingDims(q!, 2, 'fusedAttentionGrad', 'L, E');
  const [S, Ev] = trailingDims(v!, 2, 'fusedAttentionGrad', 'S, Ev');
  const N = sizeOf(batch);
  const [qv, kv, vv, ov, dyv] = [f32(q!), f32(k!), f32(v!), f32(o!), f32(dy!)];
  const mv = mask ? f32(mask) : null;
  const ms = mask ? broadcastStrides(mask.shape, [...batch, L, S]) : [];
  const [msL, msS] = [ms[batch.length] ?? 0, ms[batch.length + 1] ?? 0];
  const maskBase = batchOffsets(batch, ms);
  const dst = new Float32Array(N * (L * E + S * E + S * Ev));
  const [dqAt, dkAt, dvAt] = [0, N * L * E, N * L * E + N * S * E];
  const dk = new Float64Array(S * E);
  const dv = new Float64Array(S * Ev);
  const p = new Float64Array(S);
  const dq = new Float64Array(E);
  for (let n = 0; n < N; n++) {
    dk.fill(0);
    dv.fill(0);
    for (let l = 0; l < L; l++) {
      const [qo, yo] = [(n * L + l) * E, (n * L + l) * Ev];
      const visible = causal ? Math.min(S, l + 1) : S;
      let m = -Infinity;
      for (let s = 0; s < visible; s++) {
        let dot = 0;
        const ko = (n * S + s) * E;
        for (let e = 0; e < E; e++) dot += qv[qo + e]! * kv[ko + e]!;
        p[s] = dot * scale + (mv ? mv[maskBase[n]! + l * msL + s * msS]! : 0);
        m = Math.max(m, p[s]!);
      }
      if (m === -Infinity) continue; // every key hidden: zero weights, zero gradients
      let sum = 0;
      for (let s = 0; s < visible; s++) sum += p[s] = Math.exp(p[s]! - m);
      let D = 0;
      for (let j = 0; j < Ev; j++) D += dyv[yo + j]! * ov[yo + j]!;
      dq.fill(0);
      for (let s = 0; s < visible; s++) {
        const ps = p[s]! / sum;
        const [vo, dvo] = [(n * S + s) * Ev, s * Ev];
        let dp = 0;
        for (let j = 0; j < Ev; j++) {
          const g = dyv[yo + j]!;
          dp += g * vv[vo + j]!;
          dv[dvo + j]! += ps * g;
        }
        const dz = ps * (dp - D) * scale;
        const [ko, dko] = [(n * S + s) * E, s * E];
        for (let e = 0; e < E; e++) {
          dq[e]! += dz * kv[ko + e]!;
          dk[dko + e]! += dz * qv[qo + e]!;
        }
      }
      dst.set(dq, dqAt + qo);
    }
    dst.set(dk, dkAt + n * S * E);
    dst.set(dv, dvAt + n * S * Ev);
  }
  return out(dst, [dst.length], 'float32');
};
