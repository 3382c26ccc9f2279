// Data movement that attention needs on every call: head split/merge permutes (the last dim stays
// put, so each output row is one contiguous input row copied with a memcpy) and broadcasts that
// do not change the shape. Other cases run the cpu kernel on heap views.
import { sizeOf, stridesOf } from '@qkv/tensor-core';
import type { KernelFunc } from '@qkv/tensor-core';
import type { WasmBackend } from '../backend.js';
import { onCpuViews } from './fallback.js';
import { forEachRow } from '@qkv/tensor-core';

const bytesOf = { float32: 4, int32: 4, bool: 1 } as const;

/** out = permute(x, perm); row copies when perm keeps the last dim last. */
export const transposeKernel: KernelFunc = (args) => {
  const { inputs: [x], attrs, backend } = args;
  const perm = attrs.perm as number[];
  const nd = x!.shape.length;
  if (nd === 0 || perm[nd - 1] !== nd - 1) return onCpuViews('Transpose')(args);
  const wb = backend as WasmBackend;
  const shape = perm.map((p) => x!.shape[p]!);
  const inStrides = stridesOf(x!.shape);
  const el = bytesOf[x!.dtype];
  const out = wb.alloc(sizeOf(shape) * el);
  const heap = new Uint8Array(wb.heap.memory.buffer);
  const src = wb.handleOf(x!).ptr;
  forEachRow(shape, [perm.map((p) => inStrides[p]!)], (o, base, len) => {
    heap.copyWithin(out.ptr + base * el, src + o[0]! * el, src + (o[0]! + len) * el);
  });
  return { handle: out, shape, dtype: x!.dtype };
};

/** out = x broadcast to attrs.shape; a copy when the size does not change. */
export const broadcastToKernel: KernelFunc = (args) => {
  const { inputs: [x], attrs, backend } = args;
  const shape = [...(attrs.shape as number[])];
  const n = sizeOf(shape);
  if (n !== sizeOf(x!.shape)) return onCpuViews('BroadcastTo')(args);
  const wb = backend as WasmBackend;
  const bytes = n * bytesOf[x!.dtype];
  const out = wb.alloc(bytes);
  const src = wb.handleOf(x!).ptr;
  new Uint8Array(wb.heap.memory.buffer).copyWithin(out.ptr, src, src + bytes);
  return { handle: out, shape, dtype: x!.dtype };
};
