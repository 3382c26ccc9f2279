// Softmax and log-softmax along one dim in two passes: a per-row log-sum-exp, then the map.
import type { KernelFunc, KernelOutput } from '@qkv/tensor-core';
import type { GpuBackend } from '../backend.js';
import type { GpuHandle } from '../handle.js';
import { around } from './util.js';

/** Returned as the log-sum-exp of a row of −∞: then exp(x − lse) = 0 and x − lse = −∞, as on cpu. */
const ALL_MINUS_INF = 3.0e38;

/** Per-row log-sum-exp, max-shifted: lse = m + log Σ exp(x − m). Rows are (outer, inner) pairs. */
function lseBody(size: number, inner: number): string {
  return [
    `  const o = Math.floor((i + 0.5) / ${inner});`,
    `  const base = o * ${size * inner} + (i - o * ${inner});`,
    `  let m = x[base];`,
    `  for (let k = 1; k < ${size}; k++) { m = Math.max(m, x[base + k * ${inner}]); }`,
    `  if (m < -3.0e38) { return ${ALL_MINUS_INF.toExponential()}; }`,
    `  let s = 0;`,
    `  for (let k = 0; k < ${size}; k++) { s += Math.exp(x[base + k * ${inner}] - m); }`,
    `  return m + Math.log(s);`,
  ].join('\n');
}

/**
 * softmax (or log-softmax) of the [outer, size, inner] cells behind `xh` along the middle axis: a
 * new handle. Shared with FusedAttention, which runs it on its score handle.
 */
export function softmaxHandle(b: GpuBackend, xh: GpuHandle, [outer, size, inner]: readonly [number, number, number], log: boolean): GpuHandle {
  const op = log ? 'LogSoftmax' : 'Softmax';
  const lse = b.run({ op, size: outer * inner, args: ['x'], body: lseBody(size, inner) }, [xh]);
  const row = `Math.floor((i + 0.5) / ${size * inner}) * ${inner} + (i - Math.floor((i + 0.5) / ${inner}) * ${inner})`;
  const map = log ? 'return x[i] - l[r];' : 'return Math.exp(x[i] - l[r]);';
  const handle = b.run({ op, size: outer * size * inner, args: ['x', 'l'], body: `  const r = ${row};\n  ${map}` }, [xh, lse]);
  b.disposeData(lse); // freed once the map has been issued
  return handle;
}

/** softmax(x, dim) = exp(x − lse); logSoftmax = x − lse. A row of only −∞ gives 0 (and −∞). */
export function softmaxKernel<K extends 'Softmax' | 'LogSoftmax'>(log: boolean): KernelFunc<K> {
  return ({ inputs: [x], attrs: { dim }, backend }): KernelOutput => {
    const handle = softmaxHandle(backend as GpuBackend, x!.handle as GpuHandle, around(x!.shape, dim), log);
    return { handle, shape: [...x!.shape], dtype: 'float32' };
  };
}
