// Data movement that attention needs on every call: head split/merge permutes and broadcasts, for
// every dtype, as strided copies in the module (dims that both sides walk contiguously are merged,
// so a [B,T,H,D] → [B,H,T,D] permute is B·H·T rows of D elements in one call).
import { broadcastStrides, bytesPerElement, sizeOf, stridesOf } from '@qkv/tensor-core';
import type { KernelFunc } from '@qkv/tensor-core';
import type { WasmBackend } from '../backend.js';
import { stridedCopy } from './copy.js';

/** out = permute(x, perm), materialised. */
export const transposeKernel: KernelFunc<'Transpose'> = ({ inputs: [x], attrs: { perm }, backend }) => {
  const wb = backend as WasmBackend;
  const shape = perm.map((p) => x!.shape[p]!);
  const inStrides = stridesOf(x!.shape);
  const out = wb.alloc(sizeOf(shape) * bytesPerElement[x!.dtype]);
  stridedCopy(wb, x!.dtype, shape, wb.handleOf(x!).ptr, perm.map((p) => inStrides[p]!), out.ptr, stridesOf(shape));
  return { handle: out, shape, dtype: x!.dtype };
};

/** out = x broadcast to attrs.shape, materialised. */
export const broadcastToKernel: KernelFunc<'BroadcastTo'> = ({ inputs: [x], attrs, backend }) => {
  const wb = backend as WasmBackend;
  const shape = [...attrs.shape];
  const out = wb.alloc(sizeOf(shape) * bytesPerElement[x!.dtype]);
  stridedCopy(wb, x!.dtype, shape, wb.handleOf(x!).ptr, broadcastStrides(x!.shape, shape), out.ptr, stridesOf(shape));
  return { handle: out, shape, dtype: x!.dtype };
};
