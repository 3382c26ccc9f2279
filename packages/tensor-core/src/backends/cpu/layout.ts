// Data movement on the cpu: transpose, broadcast, slice, pad, concat.
import type { KernelFunc } from '../../backend.js';
import { allocArray } from '../../dtype.js';
import { sizeOf, stridesOf } from '../../shape.js';
import { arr, out } from './backend.js';
import { broadcastStrides, forEachRow } from './strided.js';

/** out = permute(x, perm), materialised. */
export const transposeKernel: KernelFunc<'Transpose'> = ({ inputs: [x], attrs: { perm } }) => {
  const shape = perm.map((p) => x!.shape[p]!);
  const inStrides = stridesOf(x!.shape);
  const permStrides = perm.map((p) => inStrides[p]!);
  const src = arr(x!);
  const dst = allocArray(x!.dtype, src.length);
  forEachRow(shape, [permStrides], (o, base, len, inner) => {
    const off = o[0]!;
    const st = inner[0]!;
    for (let j = 0; j < len; j++) dst[base + j] = src[off + j * st]!;
  });
  return out(dst, shape, x!.dtype);
};

/** out = x broadcast to attrs.shape, materialised. */
export const broadcastToKernel: KernelFunc<'BroadcastTo'> = ({ inputs: [x], attrs }) => {
  const shape = [...attrs.shape];
  const src = arr(x!);
  const dst = allocArray(x!.dtype, sizeOf(shape));
  forEachRow(shape, [broadcastStrides(x!.shape, shape)], (o, base, len, inner) => {
    const off = o[0]!;
    const st = inner[0]!;
    for (let j = 0; j < len; j++) dst[base + j] = src[off + j * st]!;
  });
  return out(dst, shape, x!.dtype);
};

/** out = x[begin : begin + size] per dim. */
export const sliceKernel: KernelFunc<'Slice'> = ({ inputs: [x], attrs: { begin, size } }) => {
  const shape = [...size];
  const strides = stridesOf(x!.shape);
  const start = begin.reduce((acc, b, i) => acc + b * strides[i]!, 0);
  const src = arr(x!);
  const dst = allocArray(x!.dtype, sizeOf(shape));
  forEachRow(shape, [strides], (o, base, len) => {
    const off = start + o[0]!;
    for (let j = 0; j < len; j++) dst[base + j] = src[off + j]!;
  });
  return out(dst, shape, x!.dtype);
};

/** out = x surrounded by `before`/`after` cells of `value` per dim. */
export const padKernel: KernelFunc<'Pad'> = ({ inputs: [x], attrs: { before, after, value } }) => {
  const shape = x!.shape.map((s, i) => s + before[i]! + after[i]!);
  const dst = allocArray(x!.dtype, sizeOf(shape));
  if (value) dst.fill(value);
  const outStrides = stridesOf(shape);
  const start = before.reduce((acc, b, i) => acc + b * outStrides[i]!, 0);
  const src = arr(x!);
  forEachRow(x!.shape, [outStrides], (o, base, len) => {
    const off = start + o[0]!;
    for (let j = 0; j < len; j++) dst[off + j] = src[base + j]!;
  });
  return out(dst, shape, x!.dtype);
};

/** out = concatenation of the inputs along attrs.dim. */
export const concatKernel: KernelFunc<'Concat'> = ({ inputs, attrs: { dim } }) => {
  const first = inputs[0]!;
  const total = inputs.reduce((acc, t) => acc + t.shape[dim]!, 0);
  const shape = first.shape.map((s, i) => (i === dim ? total : s));
  const outer = sizeOf(shape.slice(0, dim));
  const innerOut = sizeOf(shape.slice(dim));
  const dst = allocArray(first.dtype, sizeOf(shape));
  let offset = 0;
  for (const t of inputs) {
    const src = arr(t);
    const chunk = sizeOf(t.shape.slice(dim));
    for (let o = 0; o < outer; o++) dst.set(src.subarray(o * chunk, (o + 1) * chunk), o * innerOut + offset);
    offset += chunk;
  }
  return out(dst, shape, first.dtype);
};
