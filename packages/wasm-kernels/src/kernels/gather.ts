// Gather/scatter-add and index_select/index_add (embedding lookups and their gradients) on the heap.
// The module checks every index before using it; a bad one throws the op's IndexError, as the op's
// own range check does, instead of reading outside the tensor.
import { around, bytesPerElement, IndexError, sizeOf } from '@qkv/tensor-core';
import type { KernelFunc, KernelName, TensorInfo } from '@qkv/tensor-core';
import type { WasmBackend, WasmHandle } from '../backend.js';
import { onCpuViews } from './fallback.js';
import { kindCodes } from './select-codes.js';

type IndexKernel = Extract<KernelName, 'Gather' | 'ScatterAdd' | 'IndexSelect' | 'IndexAdd'>;
const opNames: Record<IndexKernel, string> = { Gather: 'gather', ScatterAdd: 'scatterAdd', IndexSelect: 'indexSelect', IndexAdd: 'indexAdd' };

/** Throws `op: index v is out of range …` when the module reported a bad index at `bad`, freeing `out`. */
function checked(wb: WasmBackend, name: IndexKernel, bad: number, index: TensorInfo, out: WasmHandle, dim: number, size: number): WasmHandle {
  if (bad < 0) return out;
  const v = wb.view(wb.handleOf(index), 'int32', sizeOf(index.shape))[bad];
  wb.disposeData(out);
  throw new IndexError(`${opNames[name]}: index ${v} is out of range for dim ${dim} of size ${size}`);
}

/** A new block holding a copy of x. */
function copyOf(wb: WasmBackend, x: TensorInfo): WasmHandle {
  const bytes = sizeOf(x.shape) * bytesPerElement[x.dtype];
  const out = wb.alloc(bytes);
  const src = wb.handleOf(x).ptr;
  new Uint8Array(wb.heap.memory.buffer).copyWithin(out.ptr, src, src + bytes);
  return out;
}

/** True when `index` matches x's shape except at `dim` (the case gather/scatter-add run natively). */
function alignedExceptDim(x: TensorInfo, index: TensorInfo, dim: number): boolean {
  return index.dtype === 'int32' && index.shape.length === x.shape.length && index.shape.every((s, i) => i === dim || s === x.shape[i]);
}

/** out[…, j, …] = x[…, index[…, j, …], …] along attrs.dim (x as [outer, size, inner], index as [outer, J, inner]). */
export const gatherKernel: KernelFunc<'Gather'> = (args) => {
  const { inputs: [x, index], attrs: { dim }, backend } = args;
  if (!alignedExceptDim(x!, index!, dim)) return onCpuViews('Gather')(args);
  const wb = backend as WasmBackend;
  const [outer, size, inner] = around(x!.shape, dim);
  const J = index!.shape[dim]!;
  const el = bytesPerElement[x!.dtype];
  const out = wb.alloc(outer * J * inner * el);
  const bad = wb.exports.gather(el, wb.handleOf(x!).ptr, wb.handleOf(index!).ptr, out.ptr, outer, size, J, inner);
  return { handle: checked(wb, 'Gather', bad, index!, out, dim, size), shape: [...index!.shape], dtype: x!.dtype };
};

/** out = x; out[…, index[…, j, …], …] += src[…, j, …] for float32 and int32, src shaped like index. */
export const scatterAddKernel: KernelFunc<'ScatterAdd'> = (args) => {
  const { inputs: [x, index, src], attrs: { dim }, backend } = args;
  const sameShape = src!.shape.length === index!.shape.length && src!.shape.every((s, i) => s === index!.shape[i]);
  if (x!.dtype === 'bool' || src!.dtype !== x!.dtype || !sameShape || !alignedExceptDim(x!, index!, dim)) return onCpuViews('ScatterAdd')(args);
  const wb = backend as WasmBackend;
  const [outer, size, inner] = around(x!.shape, dim);
  const out = copyOf(wb, x!);
  const bad = wb.exports.scatterAdd(kindCodes[x!.dtype], out.ptr, wb.handleOf(index!).ptr, wb.handleOf(src!).ptr, outer, size, index!.shape[dim]!, inner);
  return { handle: checked(wb, 'ScatterAdd', bad, index!, out, dim, size), shape: [...x!.shape], dtype: x!.dtype };
};

/** x with dim `dim` replaced by the slices at the 1-d `index` (embedding lookups: rows of a table). */
export const indexSelectKernel: KernelFunc<'IndexSelect'> = (args) => {
  const { inputs: [x, index], attrs: { dim }, backend } = args;
  if (index!.dtype !== 'int32') return onCpuViews('IndexSelect')(args);
  const wb = backend as WasmBackend;
  const [outer, size, inner] = around(x!.shape, dim);
  const K = sizeOf(index!.shape);
  const el = bytesPerElement[x!.dtype];
  const out = wb.alloc(outer * K * inner * el);
  const bad = wb.exports.indexSelect(wb.handleOf(x!).ptr, wb.handleOf(index!).ptr, K, out.ptr, outer, size, inner * el);
  return { handle: checked(wb, 'IndexSelect', bad, index!, out, dim, size), shape: x!.shape.map((s, i) => (i === dim ? K : s)), dtype: x!.dtype };
};

/** out = x; out[…, index[k], …] += src[…, k, …] along dim, float32 and int32 (embedding gradients). */
export const indexAddKernel: KernelFunc<'IndexAdd'> = (args) => {
  const { inputs: [x, index, src], attrs: { dim }, backend } = args;
  const [outer, size, inner] = around(x!.shape, dim);
  const fits = sizeOf(src!.shape) === outer * sizeOf(index!.shape) * inner;
  if (x!.dtype === 'bool' || src!.dtype !== x!.dtype || index!.dtype !== 'int32' || !fits) return onCpuViews('IndexAdd')(args);
  const wb = backend as WasmBackend;
  const out = copyOf(wb, x!);
  const bad = wb.exports.indexAdd(kindCodes[x!.dtype], out.ptr, wb.handleOf(index!).ptr, sizeOf(index!.shape), wb.handleOf(src!).ptr, outer, size, inner);
  return { handle: checked(wb, 'IndexAdd', bad, index!, out, dim, size), shape: [...x!.shape], dtype: x!.dtype };
};

/** The kernels of this file by name. */
export const indexKernels: { [K in IndexKernel]: KernelFunc<K> } = {
  Gather: gatherKernel,
  ScatterAdd: scatterAddKernel,
  IndexSelect: indexSelectKernel,
  IndexAdd: indexAddKernel,
};
