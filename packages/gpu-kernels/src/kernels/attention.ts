// FusedAttention in three programs: masked, scaled scores; the softmax of Softmax; the weighted
// sum as a batched matmul. gpu.js has no workgroup memory to fuse them into one pass, but the
// scores stay on the device and the kernel never reads back.
import { trailingDims } from '@qkv/tensor-core';
import type { KernelFunc, KernelOutput, TensorInfo } from '@qkv/tensor-core';
import type { GpuBackend } from '../backend.js';
import type { GpuHandle } from '../handle.js';
import { broadcastStrides, coordNames, lit, offset, unravel } from '../program.js';
import { matmulBody } from './matmul.js';
import { softmaxHandle } from './softmax.js';
import { sizeOf } from './util.js';

/** Below the softmax's −3e38 "every key hidden" threshold, so a causally hidden key weighs 0. */
const HIDDEN = -3.4e38;

/** Source of z[n, l, s] = scale·q[n, l]·k[n, s] + mask (read at broadcast offsets), HIDDEN for s > l when causal. */
function scoresBody(o: { N: number; L: number; S: number; E: number; scale: number; causal: boolean; mask: TensorInfo | undefined; batch: readonly number[] }): string {
  const { L, S, E, mask, batch } = o;
  const full = [...batch, L, S];
  const lines = [
    `  const n = Math.floor((i + 0.5) / ${L * S});`,
    `  const ls = i - n * ${L * S};`,
    `  const l = Math.floor((ls + 0.5) / ${S});`,
    `  const s = ls - l * ${S};`,
  ];
  if (o.causal) lines.push(`  if (s > l) { return ${lit(HIDDEN)}; }`);
  lines.push(`  const qb = n * ${L * E} + l * ${E};`, `  const kb = n * ${S * E} + s * ${E};`, '  let d = 0;');
  if (E > 0) lines.push(`  for (let e = 0; e < ${E}; e++) { d += q[qb + e] * k[kb + e]; }`);
  let maskTerm = '';
  if (mask && sizeOf(mask.shape) === sizeOf(full)) maskTerm = ' + m[i]';
  else if (mask) {
    lines.push(unravel('i', full, 'c'));
    maskTerm = ` + m[${offset(coordNames('c', full.length), broadcastStrides(mask.shape, full))}]`;
  }
  lines.push(`  return d * ${lit(o.scale)}${maskTerm};`);
  return lines.join('\n');
}

/** q [..., L, E] · k [..., S, E] · v [..., S, Ev] (· additive mask) → [..., L, Ev], as tensor-core's cpu kernel. */
export const fusedAttentionKernel: KernelFunc<'FusedAttention'> = ({ inputs: [q, k, v, mask], attrs: { scale, causal }, backend }): KernelOutput => {
  const b = backend as GpuBackend;
  const batch = q!.shape.slice(0, -2);
  const [L, E] = trailingDims(q!, 2, 'fusedAttention', 'L, E');
  const [S, Ev] = trailingDims(v!, 2, 'fusedAttention', 'S, Ev');
  const N = sizeOf(batch);
  const shape = [...batch, L, Ev];
  if (S === 0) return { handle: b.write(new Float32Array(N * L * Ev)), shape, dtype: 'float32' }; // no keys: zero rows
  const handles = [q, k, mask].flatMap((t) => (t ? [t.handle as GpuHandle] : []));
  const body = scoresBody({ N, L, S, E, scale, causal, mask, batch });
  const scores = b.run({ op: 'FusedAttention', size: N * L * S, args: mask ? ['q', 'k', 'm'] : ['q', 'k'], body }, handles);
  const weights = softmaxHandle(b, scores, [N * L, S, 1], false);
  b.disposeData(scores);
  const sum = matmulBody({ ba: N, bb: N, m: L, k: S, n: Ev, transposeA: false, transposeB: false });
  const handle = b.run({ op: 'FusedAttention', size: N * L * Ev, args: ['a', 'b'], body: sum }, [weights, v!.handle as GpuHandle]);
  b.disposeData(weights);
  return { handle, shape, dtype: 'float32' };
};
