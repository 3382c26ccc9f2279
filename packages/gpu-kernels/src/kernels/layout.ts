// Data movement: transpose, broadcastTo, slice, pad and concat, each one gather per output cell.
import type { KernelFunc } from '@qkv/tensor-core';
import { broadcastStrides, coordNames, lit, offset, strides, unravel } from '../program.js';
import { runProgram, sizeOf } from './util.js';

/** out = permute(x, attrs.perm), materialised. */
export const transposeKernel: KernelFunc<'Transpose'> = ({ inputs: [x], attrs: { perm }, backend }) => {
  const shape = perm.map((p) => x!.shape[p]!);
  const inStrides = strides(x!.shape);
  const body = `${unravel('i', shape, 'c')}\n  return x[${offset(coordNames('c', shape.length), perm.map((p) => inStrides[p]!))}];`;
  return runProgram(backend, { op: 'Transpose', size: sizeOf(shape), args: ['x'], body }, [x!], shape, x!.dtype);
};

/** out = x broadcast to attrs.shape, materialised. */
export const broadcastToKernel: KernelFunc<'BroadcastTo'> = ({ inputs: [x], attrs, backend }) => {
  const shape = [...attrs.shape];
  const body = `${unravel('i', shape, 'c')}\n  return x[${offset(coordNames('c', shape.length), broadcastStrides(x!.shape, shape))}];`;
  return runProgram(backend, { op: 'BroadcastTo', size: sizeOf(shape), args: ['x'], body }, [x!], shape, x!.dtype);
};

/** out = x[begin : begin + size] per dim. */
export const sliceKernel: KernelFunc<'Slice'> = ({ inputs: [x], attrs: { begin, size }, backend }) => {
  const shape = [...size];
  const st = strides(x!.shape);
  const start = begin.reduce((acc, b, d) => acc + b * st[d]!, 0);
  const body = `${unravel('i', shape, 'c')}\n  return x[${start} + ${offset(coordNames('c', shape.length), st)}];`;
  return runProgram(backend, { op: 'Slice', size: sizeOf(shape), args: ['x'], body }, [x!], shape, x!.dtype);
};

/** out = x surrounded by `before`/`after` cells of `attrs.value` per dim. */
export const padKernel: KernelFunc<'Pad'> = ({ inputs: [x], attrs: { before, after, value }, backend }) => {
  const shape = x!.shape.map((s, d) => s + before[d]! + after[d]!);
  const inside = x!.shape.flatMap((s, d) => (before[d] || after[d] ? [`c${d} >= ${before[d]!} && c${d} < ${before[d]! + s}`] : []));
  const src = `x[${offset(x!.shape.map((_, d) => (before[d] ? `(c${d} - ${before[d]})` : `c${d}`)), strides(x!.shape))}]`;
  // a non-finite fill value cannot be a shader literal: it comes in as a one-cell argument
  const fill = Number.isFinite(value) ? lit(value) : 'v[0]';
  const body = `${unravel('i', shape, 'c')}\n  if (${inside.length ? inside.join(' && ') : 'true'}) { return ${src}; }\n  return ${fill};`;
  if (Number.isFinite(value)) return runProgram(backend, { op: 'Pad', size: sizeOf(shape), args: ['x'], body }, [x!], shape, x!.dtype);
  // a non-finite fill value cannot be a shader literal: it comes in as a one-cell argument
  const handle = backend.write(new Float32Array([value]), 'float32');
  const fillInfo = { storage: x!.storage, handle, shape: [1], dtype: 'float32' as const };
  const out = runProgram(backend, { op: 'Pad', size: sizeOf(shape), args: ['x', 'v'], body }, [x!, fillInfo], shape, x!.dtype);
  backend.disposeData(handle); // the kernel holds its own reference until it has been issued
  return out;
};

/** out = concatenation of the inputs along attrs.dim. */
export const concatKernel: KernelFunc<'Concat'> = ({ inputs, attrs: { dim }, backend }) => {
  const first = inputs[0]!;
  const shape = first.shape.map((s, d) => (d === dim ? inputs.reduce((acc, t) => acc + t.shape[dim]!, 0) : s));
  const args = inputs.map((_, j) => `x${j}`);
  const lines = [unravel('i', shape, 'c'), '  let v = 0;'];
  let start = 0;
  inputs.forEach((t, j) => {
    const end = start + t.shape[dim]!;
    const coords = shape.map((_, d) => (d === dim && start ? `(c${d} - ${start})` : `c${d}`));
    const read = `v = x${j}[${offset(coords, strides(t.shape))}];`;
    lines.push(j === 0 ? `  if (c${dim} < ${end}) { ${read} }` : j === inputs.length - 1 ? `  else { ${read} }` : `  else if (c${dim} < ${end}) { ${read} }`);
    start = end;
  });
  lines.push('  return v;');
  return runProgram(backend, { op: 'Concat', size: sizeOf(shape), args, body: lines.join('\n') }, inputs, shape, first.dtype);
};
