// Comparisons (bool output), logical and/or/not, where and cast for float32, int32 and bool, with
// NumPy broadcasting: dims the operands walk alike are merged first, then one module call per row;
// a single row (same shapes, scalars) is split across threads above a size threshold.
import { broadcastShapes, broadcastStrides, bytesPerElement, sizeOf } from '@qkv/tensor-core';
import type { KernelFunc } from '@qkv/tensor-core';
import type { WasmBackend } from '../backend.js';
import { ALIGN } from './elementwise.js';
import { onCpuViews } from './fallback.js';
import { runSplit, streamWork } from '../runtime/threads.js';
import { broadcastRows, mergeDims } from './rows.js';

/** The increments (0 or 1) of `inputs` broadcast to `shape` when they merge into one row, else null. */
function oneRow(shape: readonly number[], inputs: readonly (readonly number[])[]): number[] | null {
  const m = mergeDims(shape, inputs.map((s) => broadcastStrides(s, shape)));
  if (m.shape.length > 1 || sizeOf(shape) === 0) return null; // nothing to split (broadcastRows skips empty shapes)
  return m.strides.map((s) => s[0] ?? 0);
}
import { compareCodes, kindCodes, LOGICAL_AND } from './select-codes.js';
import type { CompareKernel } from './select-codes.js';

/** a op b → bool for a, b of one dtype (logical ops: bool only; the rest run the cpu kernel on views). */
export function compareKernel(name: CompareKernel): KernelFunc<CompareKernel> {
  const code = compareCodes[name];
  const fallback = onCpuViews(name);
  return (args) => {
    const { inputs: [a, b], backend } = args;
    if (a!.dtype !== b!.dtype || (code >= LOGICAL_AND && a!.dtype !== 'bool')) return fallback(args);
    const wb = backend as WasmBackend;
    const shape = broadcastShapes(name, a!.shape, b!.shape);
    const out = wb.alloc(sizeOf(shape));
    const [ap, bp, el, kind] = [wb.handleOf(a!).ptr, wb.handleOf(b!).ptr, bytesPerElement[a!.dtype], kindCodes[a!.dtype]];
    const inc = oneRow(shape, [a!.shape, b!.shape]);
    if (inc) {
      const [n, flags] = [sizeOf(shape), code | (kind << 8) | (inc[0]! << 16) | (inc[1]! << 17)];
      runSplit(wb.pool, 'compareRange', () => [flags, ap, bp, out.ptr, el], n, ALIGN, streamWork(n), (i0, i1) => wb.exports.compareRange(flags, ap, bp, out.ptr, el, i0, i1));
      return { handle: out, shape, dtype: 'bool' };
    }
    broadcastRows(shape, [a!.shape, b!.shape], (o, base, len, inc) => {
      wb.exports.compare(code, kind, ap + o[0]! * el, inc[0]!, bp + o[1]! * el, inc[1]!, out.ptr + base, len);
    });
    return { handle: out, shape, dtype: 'bool' };
  };
}

/** !x for bool x (other dtypes run the cpu kernel on views: it keeps their dtype). */
export const logicalNotKernel: KernelFunc<'LogicalNot'> = (args) => {
  const { inputs: [x], backend } = args;
  if (x!.dtype !== 'bool') return onCpuViews('LogicalNot')(args);
  const wb = backend as WasmBackend;
  const n = sizeOf(x!.shape);
  const out = wb.alloc(n);
  wb.exports.logicalNot(wb.handleOf(x!).ptr, out.ptr, n);
  return { handle: out, shape: [...x!.shape], dtype: 'bool' };
};

/** where(c, a, b) with three-way broadcasting; the output has a's dtype (the op gives b the same). */
export const whereKernel: KernelFunc<'Where'> = (args) => {
  const { inputs: [c, a, b], backend } = args;
  if (c!.dtype !== 'bool' || a!.dtype !== b!.dtype) return onCpuViews('Where')(args);
  const wb = backend as WasmBackend;
  const shape = broadcastShapes('where', broadcastShapes('where', c!.shape, a!.shape), b!.shape);
  const el = bytesPerElement[a!.dtype];
  const out = wb.alloc(sizeOf(shape) * el);
  const [cp, ap, bp] = [c!, a!, b!].map((t) => wb.handleOf(t).ptr) as [number, number, number];
  const inc = oneRow(shape, [c!.shape, a!.shape, b!.shape]);
  if (inc) {
    const [n, flags] = [sizeOf(shape), el | (inc[0]! << 8) | (inc[1]! << 9) | (inc[2]! << 10)];
    runSplit(wb.pool, 'whereRange', () => [flags, cp, ap, bp, out.ptr], n, ALIGN, streamWork(n), (i0, i1) => wb.exports.whereRange(flags, cp, ap, bp, out.ptr, i0, i1));
    return { handle: out, shape, dtype: a!.dtype };
  }
  broadcastRows(shape, [c!.shape, a!.shape, b!.shape], (o, base, len, inc) => {
    wb.exports.where(el, cp + o[0]!, inc[0]!, ap + o[1]! * el, inc[1]!, bp + o[2]! * el, inc[2]!, out.ptr + base * el, len);
  });
  return { handle: out, shape, dtype: a!.dtype };
};

/** x cast to attrs.dtype (a copy when it is x's own, as `clone` uses it). */
export const castKernel: KernelFunc<'Cast'> = ({ inputs: [x], attrs: { dtype }, backend }) => {
  const wb = backend as WasmBackend;
  const n = sizeOf(x!.shape);
  const out = wb.alloc(n * bytesPerElement[dtype]);
  wb.exports.cast(kindCodes[x!.dtype], kindCodes[dtype], wb.handleOf(x!).ptr, out.ptr, n);
  return { handle: out, shape: [...x!.shape], dtype };
};

/** The kernels of this file by name. */
export const selectKernels: { [K in CompareKernel | 'LogicalNot' | 'Where' | 'Cast']: KernelFunc<K> } = {
  ...(Object.fromEntries((Object.keys(compareCodes) as CompareKernel[]).map((n) => [n, compareKernel(n)])) as Record<CompareKernel, KernelFunc<CompareKernel>>),
  LogicalNot: logicalNotKernel,
  Where: whereKernel,
  Cast: castKernel,
};
