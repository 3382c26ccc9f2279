// The gradient of FusedAttention. The kernel never keeps the weights, so they are recomputed: by the
// FusedAttentionGrad kernel where the backend has one (a block of rows at a time, no [L, S]
// matrix), else with public ops (the softmax gradient between two matmul gradients), which is also
// the path for a mask that needs its own gradient, as that gradient is [..., L, S].
import type { GradFunc, GradContext } from '../autograd/tape.js';
import { activeBackend, getKernel, runKernel } from '../engine.js';
import type { Tensor } from '../tensor.js';
import { narrow } from '../ops/shape-ops.js';
import type { FusedKernel, NonDifferentiableKernel } from '../kernel-names.js';
import { where } from '../ops/binary.js';
import { causalKeep } from '../ops/mask.js';
import { batchMatMul } from '../ops/matmul.js';
import { sumToShape } from '../ops/util.js';
import { sizeOf, trailingDims } from '../shape.js';

/** Gradients of the fused kernels. */
export const fusedGradients = {
  // P = softmax(c·q·kᵀ + M): dv = Pᵀ·dy, dZ = P ⊙ (dy·vᵀ − Σₛ P ⊙ dy·vᵀ), dq = c·dZ·k, dk = c·dZᵀ·q, dM = dZ
  FusedAttention: (dy, ctx) => {
    const { inputs: [q, k, v, mask], attrs: { scale, causal }, needs } = ctx;
    if (!(mask && needs[3]) && getKernel('FusedAttentionGrad', activeBackend().name)) return fusedBackward(dy, ctx);
    const batch = q!.shape.slice(0, -2);
    const N = sizeOf(batch);
    const [L, E] = trailingDims(q!, 2, 'fusedAttention', 'L, E');
    const [S, Ev] = trailingDims(v!, 2, 'fusedAttention', 'S, Ev');
    const [q3, k3, v3, dy3] = [q!.reshape([N, L, E]), k!.reshape([N, S, E]), v!.reshape([N, S, Ev]), dy.reshape([N, L, Ev])];
    let z = batchMatMul(q3, k3, false, true).mul(scale); // [N, L, S]
    if (mask) z = z.reshape([...batch, L, S]).add(mask).reshape([N, L, S]);
    if (causal) z = where(causalKeep(L, S).keep, z, -Infinity); // key s ≤ query l
    const p = z.softmax(-1);
    const dv = needs[2] ? batchMatMul(p, dy3, true, false).reshape(v!.shape) : null;
    const dp = batchMatMul(dy3, v3, false, true); // [N, L, S]
    const dz = p.mul(dp.sub(dp.mul(p).sum(-1, true)));
    const dq = needs[0] ? batchMatMul(dz, k3).mul(scale).reshape(q!.shape) : null;
    const dk = needs[1] ? batchMatMul(dz, q3, true, false).mul(scale).reshape(k!.shape) : null;
    if (!mask) return [dq, dk, dv];
    return [dq, dk, dv, needs[3] ? sumToShape(dz.reshape([...batch, L, S]), mask.shape) : null];
  },
} satisfies { [K in Exclude<FusedKernel, NonDifferentiableKernel>]: GradFunc<K> };

/** dq, dk, dv from one FusedAttentionGrad call (its output is the three flattened one after another). */
function fusedBackward(dy: Tensor, { inputs: [q, k, v, mask], output, attrs, needs }: GradContext<'FusedAttention'>): (Tensor | null)[] {
  const g = runKernel('FusedAttentionGrad', mask ? [q!, k!, v!, output, dy, mask] : [q!, k!, v!, output, dy], attrs); // [|q| + |k| + |v|]
  const dq = needs[0] ? narrow(g, 0, 0, q!.size).reshape(q!.shape) : null;
  const dk = needs[1] ? narrow(g, 0, q!.size, k!.size).reshape(k!.shape) : null;
  const dv = needs[2] ? narrow(g, 0, q!.size + k!.size, v!.size).reshape(v!.shape) : null;
  g.dispose();
  return mask ? [dq, dk, dv, null] : [dq, dk, dv];
}
