// Element-wise kernels: SIMD unary maps and broadcasting binary maps over heap rows.
import { broadcastShapes, sizeOf } from '@qkv/tensor-core';
import type { KernelFunc } from '@qkv/tensor-core';
import type { WasmBackend } from '../backend.js';
import { binaryCodes, GELU_TANH, unaryCodes } from './op-codes.js';
import type { BinaryKernel, UnaryKernel } from './op-codes.js';
import { broadcastRows } from './rows.js';

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
    wb.exports.unary(code, wb.handleOf(x!).ptr, out.ptr, n);
    return { handle: out, shape: [...x!.shape], dtype: 'float32' };
  };
}

/** out = a op b for float32 a, b with NumPy broadcasting; one module call per output row. */
export function binaryKernel(name: BinaryKernel): KernelFunc<BinaryKernel> {
  const code = binaryCodes[name]!;
  return ({ inputs: [a, b], backend }) => {
    const wb = backend as WasmBackend;
    const shape = broadcastShapes(name, a!.shape, b!.shape);
    const n = sizeOf(shape);
    const out = wb.alloc(n * 4);
    const ap = wb.handleOf(a!).ptr;
    const bp = wb.handleOf(b!).ptr;
    // same-shape and scalar operands merge into one row: one module call
    broadcastRows(shape, [a!.shape, b!.shape], (o, base, len, inc) => {
      wb.exports.binary(code, ap + o[0]! * 4, inc[0]!, bp + o[1]! * 4, inc[1]!, out.ptr + base * 4, len);
    });
    return { handle: out, shape, dtype: 'float32' };
  };
}
