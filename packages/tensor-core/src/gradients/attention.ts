// The gradient of FusedAttention. The kernel never keeps the weights, so they are recomputed here
// with public ops; the rest is the softmax gradient between two matmul gradients.
import type { GradFunc } from '../autograd/tape.js';
import type { FusedKernel } from '../kernel-names.js';
import { where } from '../ops/binary.js';
import { arange } from '../ops/creation.js';
import { batchMatMul } from '../ops/matmul.js';
import { sumToShape } from '../ops/util.js';
import { sizeOf, trailingDims } from '../shape.js';

/** Gradients of the fused kernels. */
export const fusedGradients = {
  // P = softmax(c·q·kᵀ + M): dv = Pᵀ·dy, dZ = P ⊙ (dy·vᵀ − Σₛ P ⊙ dy·vᵀ), dq = c·dZ·k, dk = c·dZᵀ·q, dM = dZ
  FusedAttention: (dy, { inputs: [q, k, v, mask], attrs: { scale, causal }, needs }) => {
    const batch = q!.shape.slice(0, -2);
    const N = sizeOf(batch);
    const [L, E] = trailingDims(q!, 2, 'fusedAttention', 'L, E');
    const [S, Ev] = trailingDims(v!, 2, 'fusedAttention', 'S, Ev');
    const [q3, k3, v3, dy3] = [q!.reshape([N, L, E]), k!.reshape([N, S, E]), v!.reshape([N, S, Ev]), dy.reshape([N, L, Ev])];
    let z = batchMatMul(q3, k3, false, true).mul(scale); // [N, L, S]
    if (mask) z = z.reshape([...batch, L, S]).add(mask).reshape([N, L, S]);
    if (causal) z = where(arange(S).unsqueeze(0).le(arange(L).unsqueeze(1)), z, -Infinity); // key s ≤ query l
    const p = z.softmax(-1);
    const dv = needs[2] ? batchMatMul(p, dy3, true, false).reshape(v!.shape) : null;
    const dp = batchMatMul(dy3, v3, false, true); // [N, L, S]
    const dz = p.mul(dp.sub(dp.mul(p).sum(-1, true)));
    const dq = needs[0] ? batchMatMul(dz, k3).mul(scale).reshape(q!.shape) : null;
    const dk = needs[1] ? batchMatMul(dz, q3, true, false).mul(scale).reshape(k!.shape) : null;
    if (!mask) return [dq, dk, dv];
    return [dq, dk, dv, needs[3] ? sumToShape(dz.reshape([...batch, L, S]), mask.shape) : null];
  },
} satisfies { [K in FusedKernel]: GradFunc<K> };
