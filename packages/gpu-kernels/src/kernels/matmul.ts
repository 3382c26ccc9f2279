// BatchMatMul: [Ba, M, K]·[Bb, K, N] → [max(Ba, Bb), M, N], either operand transposed, a batch of 1
// broadcast. One thread per output cell runs the K-loop, unrolled by 4 (gpu.js exposes no
// workgroup memory, so there is no shared-memory tiling; the unroll is the tiling it allows).
import { dims } from '@qkv/tensor-core';
import type { KernelFunc } from '@qkv/tensor-core';
import { runProgram } from './util.js';

/** Source of C[t, m, n] = Σₖ op(A)[t, m, k]·op(B)[t, k, n] for the given sizes. */
export function matmulBody(o: { ba: number; bb: number; m: number; k: number; n: number; transposeA: boolean; transposeB: boolean }): string {
  const { ba, bb, m, k, n, transposeA, transposeB } = o;
  const aStep = transposeA ? m : 1; // A stored [K, M] when transposed
  const aRow = transposeA ? 1 : k;
  const bStep = transposeB ? 1 : n; // B stored [N, K] when transposed
  const bCol = transposeB ? k : 1;
  const lines = [
    `  const t = Math.floor((i + 0.5) / ${m * n});`,
    `  const mn = i - t * ${m * n};`,
    `  const row = Math.floor((mn + 0.5) / ${n});`,
    `  const col = mn - row * ${n};`,
    `  const aBase = ${ba === 1 ? '' : `t * ${m * k} + `}row * ${aRow};`,
    `  const bBase = ${bb === 1 ? '' : `t * ${k * n} + `}col * ${bCol};`,
    `  let s = 0;`,
  ];
  const k4 = k - (k % 4);
  if (k4 > 0) {
    lines.push(
      `  for (let p = 0; p < ${k4}; p += 4) {`,
      `    const ap = aBase + p * ${aStep};`,
      `    const bp = bBase + p * ${bStep};`,
      `    s += a[ap] * b[bp] + a[ap + ${aStep}] * b[bp + ${bStep}] + a[ap + ${2 * aStep}] * b[bp + ${2 * bStep}] + a[ap + ${3 * aStep}] * b[bp + ${3 * bStep}];`,
      `  }`,
    );
  }
  for (let p = k4; p < k; p++) lines.push(`  s += a[aBase + ${p * aStep}] * b[bBase + ${p * bStep}];`);
  lines.push('  return s;');
  return lines.join('\n');
}

/** [Ba, M, K]·[Bb, K, N] with `attrs.transposeA`/`attrs.transposeB`, as tensor-core's cpu kernel. */
export const batchMatMulKernel: KernelFunc<'BatchMatMul'> = ({ inputs: [a, b], attrs: { transposeA, transposeB }, backend }) => {
  const [ba, a1, a2] = dims(a!, 3, 'batchMatMul', 'B, M, K');
  const [bb, b1, b2] = dims(b!, 3, 'batchMatMul', 'B, K, N');
  const [m, k] = transposeA ? [a2, a1] : [a1, a2];
  const n = transposeB ? b1 : b2;
  const batch = Math.max(ba, bb);
  const body = matmulBody({ ba, bb, m, k, n, transposeA, transposeB });
  return runProgram(backend, { op: 'BatchMatMul', size: batch * m * n, args: ['a', 'b'], body }, [a!, b!], [batch, m, n], 'float32');
};
