// Reductions, arg-reductions, softmax and layer norm on the cpu.
import type { KernelFunc, KernelTable, TensorInfo } from '../../backend.js';
import { allocArray } from '../../dtype.js';
import { sizeOf } from '../../shape.js';
import { arr, f32, out } from './backend.js';
import { around, broadcastStrides, forEachRow } from './strided.js';

function reducedShapes(x: TensorInfo, dims: readonly number[]): { keep: number[]; squeezed: number[] } {
  const keep = x.shape.map((s, i) => (dims.includes(i) ? 1 : s));
  const squeezed = x.shape.filter((_, i) => !dims.includes(i));
  return { keep, squeezed };
}

function reduceKernel<K extends 'Sum' | 'Max' | 'Min'>(kind: K): KernelFunc<K> {
  return ({ inputs: [x], attrs: { dims, keepdim } }) => {
    const { keep, squeezed } = reducedShapes(x!, dims);
    const src = arr(x!);
    const n = sizeOf(keep);
    const acc = new Float64Array(n).fill(kind === 'Sum' ? 0 : kind === 'Max' ? -Infinity : Infinity);
    const strides = [broadcastStrides(keep, x!.shape)];
    forEachRow(x!.shape, strides, (o, base, len, inner) => {
      const oo = o[0]!;
      const io = inner[0]!;
      if (kind === 'Sum') for (let j = 0; j < len; j++) acc[oo + j * io]! += src[base + j]!;
      else if (kind === 'Max') {
        for (let j = 0; j < len; j++) {
          const v = src[base + j]!;
          const k = oo + j * io;
          if (v > acc[k]! || Number.isNaN(v)) acc[k] = v;
        }
      } else {
        for (let j = 0; j < len; j++) {
          const v = src[base + j]!;
          const k = oo + j * io;
          if (v < acc[k]! || Number.isNaN(v)) acc[k] = v;
        }
      }
    });
    const dst = allocArray(x!.dtype, n);
    dst.set(acc);
    return out(dst, keepdim ? keep : squeezed, x!.dtype);
  };
}


function argKernel<K extends 'ArgMax' | 'ArgMin'>(kind: K): KernelFunc<K> {
  return ({ inputs: [x], attrs: { dim, keepdim } }) => {
    const [outer, size, inner] = around(x!.shape, dim);
    const src = arr(x!);
    const dst = new Int32Array(outer * inner);
    for (let o = 0; o < outer; o++) {
      for (let i = 0; i < inner; i++) {
        const base = o * size * inner + i;
        let best = src[base]!;
        let bestK = 0;
        for (let k = 1; k < size && !Number.isNaN(best); k++) {
          const v = src[base + k * inner]!;
          if (Number.isNaN(v) || (kind === 'ArgMax' ? v > best : v < best)) [best, bestK] = [v, k];
        }
        dst[o * inner + i] = bestK;
      }
    }
    const shape = x!.shape.flatMap((s, i) => (i === dim ? (keepdim ? [1] : []) : [s]));
    return out(dst, shape, 'int32');
  };
}

function softmaxKernel<K extends 'Softmax' | 'LogSoftmax'>(log: boolean): KernelFunc<K> {
  return ({ inputs: [x], attrs: { dim } }) => {
    const [outer, size, inner] = around(x!.shape, dim);
    const src = f32(x!);
    const dst = new Float32Array(src.length);
    for (let o = 0; o < outer; o++) {
      for (let i = 0; i < inner; i++) {
        const base = o * size * inner + i;
        let m = -Infinity;
        for (let k = 0; k < size; k++) m = Math.max(m, src[base + k * inner]!);
        if (m === -Infinity) {
          // every entry is −∞: softmax gives zeros, log-softmax −∞ (PyTorch: NaN)
          for (let k = 0; k < size; k++) dst[base + k * inner] = log ? -Infinity : 0;
          continue;
        }
        let s = 0;
        for (let k = 0; k < size; k++) s += Math.exp(src[base + k * inner]! - m);
        if (log) {
          const lse = m + Math.log(s);
          for (let k = 0; k < size; k++) dst[base + k * inner] = src[base + k * inner]! - lse;
        } else {
          for (let k = 0; k < size; k++) dst[base + k * inner] = Math.exp(src[base + k * inner]! - m) / s;
        }
      }
    }
    return out(dst, [...x!.shape], 'float32');
  };
}

/** x̂ = (x − mean) / √(var + eps) over the last `normDims` dims (biased variance). */
export const layerNormKernel: KernelFunc<'LayerNorm'> = ({ inputs: [x], attrs: { normDims: k, eps } }) => {
  const size = sizeOf(x!.shape.slice(x!.shape.length - k));
  const src = f32(x!);
  const dst = new Float32Array(src.length);
  for (let base = 0; base < src.length; base += size) {
    let mean = 0;
    for (let j = 0; j < size; j++) mean += src[base + j]!;
    mean /= size;
    let v = 0;
    for (let j = 0; j < size; j++) {
      const d = src[base + j]! - mean;
      v += d * d;
    }
    const r = 1 / Math.sqrt(v / size + eps);
    for (let j = 0; j < size; j++) dst[base + j] = (src[base + j]! - mean) * r;
  }
  return out(dst, [...x!.shape], 'float32');
};

/** All reduction-like cpu kernels. */
export function reduceKernels() {
  return {
    Sum: reduceKernel('Sum'),
    Max: reduceKernel('Max'),
    Min: reduceKernel('Min'),
    ArgMax: argKernel('ArgMax'),
    ArgMin: argKernel('ArgMin'),
    Softmax: softmaxKernel<'Softmax'>(false),
    LogSoftmax: softmaxKernel<'LogSoftmax'>(true),
    LayerNorm: layerNormKernel,
  } satisfies KernelTable;
}
