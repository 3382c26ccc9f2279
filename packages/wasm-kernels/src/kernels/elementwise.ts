// Element-wise kernels: SIMD unary maps and broadcasting binary maps over heap rows, split across
// the thread pool above a size threshold (by ranges of elements, or by rows of a broadcast grid).
import { broadcastShapes, broadcastStrides, sizeOf } from '@qkv/tensor-core';
import type { KernelFunc } from '@qkv/tensor-core';
import type { WasmBackend } from '../backend.js';
import { binaryCodes, GELU_TANH, unaryCodes } from './op-codes.js';
import type { BinaryKernel, UnaryKernel } from './op-codes.js';
import { runSplit, streamWork } from '../runtime/threads.js';
import { broadcastRows, mergeDims } from './rows.js';

/** Elements per range of a split element-wise job: whole 16-element SIMD groups (a cache line), so a split computes what one thread does. */
export const ALIGN = 16;

/** Unary maps that evaluate a polynomial or a series per element (compute-bound, unlike the rest). */
const TRANSCENDENTAL: ReadonlySet<UnaryKernel> = new Set(['Exp', 'Log', 'Tanh', 'Sigmoid', 'Gelu', 'Silu', 'Erf', 'Sin', 'Cos']);

/** The unary kernels with a module op code (Cast is a select kernel). */
export type CodedUnary = Exclude<UnaryKernel, 'Cast'>;

/** out = op(x) for a float32 x. */
export function unaryKernel(name: CodedUnary): KernelFunc<CodedUnary> {
  return ({ inputs: [x], attrs, backend }) => {
    const wb = backend as WasmBackend;
    // attrs is Gelu's { approximate } or no attributes at all
    const code = name === 'Gelu' && attrs.approximate === 'tanh' ? GELU_TANH : unaryCodes[name]!;
    const n = sizeOf(x!.shape);
    const out = wb.alloc(n * 4);
    const xp = wb.handleOf(x!).ptr;
    // a polynomial per element (exp, tanh, erf, …): worth the workers from ~64 k elements; a plain
    // map (ReLU, Neg, Sqrt, …) is memory-bound and pays for them only from ~512 k
    const work = TRANSCENDENTAL.has(name) ? n * 4 : streamWork(n);
    runSplit(wb.pool, 'unaryRange', () => [code, xp, out.ptr], n, ALIGN, work, (i0, i1) => wb.exports.unaryRange(code, xp, out.ptr, i0, i1));
    return { handle: out, shape: [...x!.shape], dtype: 'float32' };
  };
}

/**
 * out = a op b for float32 a, b with NumPy broadcasting. Dims are merged first: one row (same
 * shapes, a scalar) is split by elements, a grid of rows (a bias, a per-row scale) by rows, both
 * across threads; anything else is one module call per output row.
 */
export function binaryKernel(name: BinaryKernel): KernelFunc<BinaryKernel> {
  const code = binaryCodes[name]!;
  return ({ inputs: [a, b], backend }) => {
    const wb = backend as WasmBackend;
    const shape = broadcastShapes(name, a!.shape, b!.shape);
    const n = sizeOf(shape);
    const out = wb.alloc(n * 4);
    const ap = wb.handleOf(a!).ptr;
    const bp = wb.handleOf(b!).ptr;
    const m = mergeDims(shape, [a!.shape, b!.shape].map((s) => broadcastStrides(s, shape)));
    const [sa, sb] = m.strides as [number[], number[]];
    const last = m.shape.length - 1;
    // innermost strides are 1 (walked) or 0 (broadcast); a scalar output has no dims at all
    const inc = (s: number[]): number => (last >= 0 ? s[last]! : 0);
    const flags = code | (inc(sa) << 8) | (inc(sb) << 9);
    if (n === 0) return { handle: out, shape, dtype: 'float32' };
    if (m.shape.length <= 1) {
      const len = m.shape[0] ?? 1;
      runSplit(wb.pool, 'binaryRange', () => [flags, ap, bp, out.ptr], len, ALIGN, name === 'Pow' ? len * 4 : streamWork(len), (i0, i1) => wb.exports.binaryRange(flags, ap, bp, out.ptr, i0, i1));
      return { handle: out, shape, dtype: 'float32' };
    }
    if (m.shape.length === 2) {
      const [rows, len] = m.shape as [number, number];
      const args = [flags, ap, sa[0]!, bp, sb[0]!, out.ptr, len];
      runSplit(wb.pool, 'binaryGrid', () => args, rows, 1, name === 'Pow' ? n * 4 : streamWork(n), (r0, r1) => wb.exports.binaryGrid(flags, ap, sa[0]!, bp, sb[0]!, out.ptr, len, r0, r1));
      return { handle: out, shape, dtype: 'float32' };
    }
    broadcastRows(shape, [a!.shape, b!.shape], (o, base, len, inc) => {
      wb.exports.binary(code, ap + o[0]! * 4, inc[0]!, bp + o[1]! * 4, inc[1]!, out.ptr + base * 4, len);
    });
    return { handle: out, shape, dtype: 'float32' };
  };
}
