// Slice, pad and concat as strided heap copies in the module, for every dtype. Dims that both sides
// walk contiguously are merged first, so a slice of the last dim of [B, T, 3E] is one call of B·T rows.
import { bytesPerElement, sizeOf, stridesOf } from '@qkv/tensor-core';
import type { DType, KernelFunc, KernelTable } from '@qkv/tensor-core';
import type { WasmBackend } from '../backend.js';
import { onCpuViews } from './fallback.js';
import { mergeDims } from './rows.js';

/**
 * Copies the elements of `shape` from byte address `src` (element strides `srcStrides`) to `dst`
 * (`dstStrides`); dims beyond the module's four are walked here.
 */
export function stridedCopy(wb: WasmBackend, dtype: DType, shape: readonly number[], src: number, srcStrides: readonly number[], dst: number, dstStrides: readonly number[]): void {
  if (sizeOf(shape) === 0) return;
  const el = bytesPerElement[dtype];
  const m = mergeDims(shape, [srcStrides, dstStrides]);
  const pad = Math.max(0, 4 - m.shape.length);
  const n = [...Array<number>(pad).fill(1), ...m.shape];
  const s = [...Array<number>(pad).fill(0), ...m.strides[0]!];
  const d = [...Array<number>(pad).fill(0), ...m.strides[1]!];
  const lead = n.length - 4;
  const ex = wb.exports;
  const walk = (dim: number, ps: number, pd: number): void => {
    if (dim === lead) {
      ex.copyStrided(ps, pd, el, n[lead]!, n[lead + 1]!, n[lead + 2]!, n[lead + 3]!, s[lead]!, s[lead + 1]!, s[lead + 2]!, s[lead + 3]!, d[lead]!, d[lead + 1]!, d[lead + 2]!, d[lead + 3]!);
      return;
    }
    for (let i = 0; i < n[dim]!; i++) walk(dim + 1, ps + i * s[dim]! * el, pd + i * d[dim]! * el);
  };
  walk(0, src, dst);
}

/** out = x[begin : begin + size] per dim. */
export const sliceKernel: KernelFunc<'Slice'> = ({ inputs: [x], attrs: { begin, size }, backend }) => {
  const wb = backend as WasmBackend;
  const shape = [...size];
  const strides = stridesOf(x!.shape);
  const start = begin.reduce((acc, b, i) => acc + b * strides[i]!, 0);
  const el = bytesPerElement[x!.dtype];
  const out = wb.alloc(sizeOf(shape) * el);
  stridedCopy(wb, x!.dtype, shape, wb.handleOf(x!).ptr + start * el, strides, out.ptr, stridesOf(shape));
  return { handle: out, shape, dtype: x!.dtype };
};

/** The bits `value` has once stored as one element of `dtype` (what a typed array's fill stores). */
function elementBits(value: number, dtype: DType): number {
  if (dtype === 'float32') return new Int32Array(Float32Array.of(value).buffer)[0]!;
  return dtype === 'int32' ? Int32Array.of(value)[0]! : Uint8Array.of(value)[0]!;
}

/** out = x surrounded by `before`/`after` cells of `value` per dim (a falsy value, NaN included, pads 0 as on cpu). */
export const padKernel: KernelFunc<'Pad'> = ({ inputs: [x], attrs: { before, after, value }, backend }) => {
  const wb = backend as WasmBackend;
  const shape = x!.shape.map((s, i) => s + before[i]! + after[i]!);
  const el = bytesPerElement[x!.dtype];
  const n = sizeOf(shape);
  const out = wb.alloc(n * el);
  wb.exports.fill(out.ptr, n, value ? elementBits(value, x!.dtype) : 0, el);
  const outStrides = stridesOf(shape);
  const start = before.reduce((acc, b, i) => acc + b * outStrides[i]!, 0);
  stridedCopy(wb, x!.dtype, x!.shape, wb.handleOf(x!).ptr, stridesOf(x!.shape), out.ptr + start * el, outStrides);
  return { handle: out, shape, dtype: x!.dtype };
};

/** out = the inputs concatenated along attrs.dim (one dtype; mixed ones run the cpu kernel on views). */
export const concatKernel: KernelFunc<'Concat'> = (args) => {
  const { inputs, attrs, backend } = args;
  const first = inputs[0]!;
  if (inputs.some((t) => t.dtype !== first.dtype)) return onCpuViews('Concat')(args);
  const wb = backend as WasmBackend;
  const { dim } = attrs;
  const shape = first.shape.map((s, i) => (i === dim ? inputs.reduce((acc, t) => acc + t.shape[dim]!, 0) : s));
  const el = bytesPerElement[first.dtype];
  const out = wb.alloc(sizeOf(shape) * el);
  const outStrides = stridesOf(shape);
  let offset = 0;
  for (const t of inputs) {
    stridedCopy(wb, t.dtype, t.shape, wb.handleOf(t).ptr, stridesOf(t.shape), out.ptr + offset * outStrides[dim]! * el, outStrides);
    offset += t.shape[dim]!;
  }
  return { handle: out, shape, dtype: first.dtype };
};

/** The kernels of this file by name. */
export const copyKernels = { Slice: sliceKernel, Pad: padKernel, Concat: concatKernel } satisfies KernelTable;
