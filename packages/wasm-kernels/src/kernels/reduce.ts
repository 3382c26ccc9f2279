// Sum/Max/Min over a contiguous run of dims, softmax/log-softmax along a dim, layer norm.
import { sizeOf } from '@qkv/tensor-core';
import type { KernelFunc } from '@qkv/tensor-core';
import type { WasmBackend } from '../backend.js';
import { onCpuViews } from './fallback.js';
import { reduceCodes } from './op-codes.js';
import { around } from '@qkv/tensor-core';
import { runSplit, streamWork } from '../runtime/threads.js';

/** Reduction over `dims` viewed as the middle axis of [outer, R, inner], split across threads; other dim sets run on cpu views. */
export function reduceKernel<K extends keyof typeof reduceCodes>(kind: K): KernelFunc<K> {
  const fallback = onCpuViews(kind);
  return (args) => {
    const { inputs: [x], attrs: { dims: reduced, keepdim }, backend } = args;
    const dims = [...reduced].sort((p, q) => p - q);
    const contiguous = dims.length > 0 && dims.every((d, i) => d === dims[0]! + i);
    if (x!.dtype !== 'float32' || !contiguous) return fallback(args);
    const wb = backend as WasmBackend;
    const d0 = dims[0]!;
    const d1 = dims[dims.length - 1]! + 1;
    const outer = sizeOf(x!.shape.slice(0, d0));
    const R = sizeOf(x!.shape.slice(d0, d1));
    const inner = sizeOf(x!.shape.slice(d1));
    const out = wb.alloc(outer * inner * 4);
    const [code, xp] = [reduceCodes[kind], wb.handleOf(x!).ptr];
    // every output folds its R values in the same order on any split: by outer index when each row
    // reduces to one value (inner = 1), else by columns in fours across every outer index
    const [units, align] = inner === 1 ? [outer, 1] : [inner, 4];
    const params = [code, xp, out.ptr, outer, R, inner] as const;
    runSplit(wb.pool, 'reduceRange', () => params, units, align, streamWork(outer * R * inner), (u0, u1) => wb.exports.reduceRange(...params, u0, u1));
    const keep = x!.shape.map((s, i) => (i >= d0 && i < d1 ? 1 : s));
    const shape = keepdim ? keep : x!.shape.filter((_, i) => i < d0 || i >= d1);
    return { handle: out, shape, dtype: 'float32' };
  };
}

/** softmax (log = false) or log-softmax along attrs.dim, slices split across threads. */
export function softmaxKernel<K extends 'Softmax' | 'LogSoftmax'>(log: boolean): KernelFunc<K> {
  return ({ inputs: [x], attrs: { dim }, backend }) => {
    const wb = backend as WasmBackend;
    const [outer, size, inner] = around(x!.shape, dim);
    const out = wb.alloc(outer * size * inner * 4);
    const [xp, flag] = [wb.handleOf(x!).ptr, log ? 1 : 0];
    // slices are independent: split by outer index, each thread computing exactly what one would
    const local = (o0: number, o1: number): void => wb.exports.softmaxRange(xp, out.ptr, size, inner, flag, o0, o1);
    runSplit(wb.pool, 'softmaxRange', () => [xp, out.ptr, size, inner, flag], outer, 4, outer * size * inner * 4, local);
    return { handle: out, shape: [...x!.shape], dtype: 'float32' };
  };
}

/** x̂ = (x − mean) / √(var + eps) over the last attrs.normDims dims, rows split across threads. */
export const layerNormKernel: KernelFunc<'LayerNorm'> = ({ inputs: [x], attrs: { normDims, eps }, backend }) => {
  const wb = backend as WasmBackend;
  const size = sizeOf(x!.shape.slice(x!.shape.length - normDims));
  const n = sizeOf(x!.shape);
  const out = wb.alloc(n * 4);
  if (size === 0) return { handle: out, shape: [...x!.shape], dtype: 'float32' };
  const xp = wb.handleOf(x!).ptr;
  const epsBits = new Int32Array(Float32Array.of(eps).buffer)[0]!; // the pool passes integers
  const local = (r0: number, r1: number): void => wb.exports.layerNormRange(xp, out.ptr, size, epsBits, r0, r1);
  runSplit(wb.pool, 'layerNormRange', () => [xp, out.ptr, size, epsBits], n / size, 4, n * 3, local);
  return { handle: out, shape: [...x!.shape], dtype: 'float32' };
};
