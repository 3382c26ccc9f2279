// Layer norm without affine parameters over the last `normDims` dims, in two passes: per-row
// mean and 1/√(var + eps), then the map. The affine part is composed by tensor-core's op.
import type { KernelFunc, KernelOutput } from '@qkv/tensor-core';
import type { GpuBackend } from '../backend.js';
import type { GpuHandle } from '../handle.js';
import { lit } from '../program.js';
import { sizeOf } from './util.js';

/** Stats of row r at cells 2r (mean) and 2r + 1 (reciprocal std, biased variance). */
function statsBody(size: number, eps: number): string {
  return [
    `  const row = Math.floor((i + 0.5) / 2);`,
    `  const base = row * ${size};`,
    `  let mean = 0;`,
    `  for (let j = 0; j < ${size}; j++) { mean += x[base + j]; }`,
    `  mean = mean / ${size};`,
    `  if (i - row * 2 < 0.5) { return mean; }`,
    `  let v = 0;`,
    `  for (let j = 0; j < ${size}; j++) { const d = x[base + j] - mean; v += d * d; }`,
    `  return 1 / Math.sqrt(v / ${size} + ${lit(eps)});`,
  ].join('\n');
}

/** x̂ = (x − mean) / √(var + eps) over the last `attrs.normDims` dims. */
export const layerNormKernel: KernelFunc<'LayerNorm'> = ({ inputs: [x], attrs: { normDims, eps }, backend }): KernelOutput => {
  const b = backend as GpuBackend;
  const k = normDims;
  const size = sizeOf(x!.shape.slice(x!.shape.length - k));
  const total = sizeOf(x!.shape);
  const rows = total / size;
  const xh = x!.handle as GpuHandle;
  const stats = b.run({ op: 'LayerNorm', size: 2 * rows, args: ['x'], body: statsBody(size, eps) }, [xh]);
  const body = `  const r = Math.floor((i + 0.5) / ${size});\n  return (x[i] - s[2 * r]) * s[2 * r + 1];`;
  const handle = b.run({ op: 'LayerNorm', size: total, args: ['x', 's'], body }, [xh, stats]);
  b.disposeData(stats); // freed once the map has been issued
  return { handle, shape: [...x!.shape], dtype: 'float32' };
};
