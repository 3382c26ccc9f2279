// Gather/scatter and index_select/index_add on the cpu. Indices were range-checked by the ops.
import type { KernelFunc } from '../../backend.js';
import { allocArray } from '../../dtype.js';
import { sizeOf, stridesOf } from '../../shape.js';
import { arr, out } from './backend.js';
import { around } from './strided.js';

/** Visits every element of `shape`, giving its flat index and its multi-index. */
function forEachIndex(shape: readonly number[], fn: (flat: number, idx: number[]) => void): void {
  const n = sizeOf(shape);
  const idx = new Array<number>(shape.length).fill(0);
  for (let f = 0; f < n; f++) {
    fn(f, idx);
    for (let d = shape.length - 1; d >= 0; d--) {
      if (++idx[d]! < shape[d]!) break;
      idx[d] = 0;
    }
  }
}

/** out[idx] = x[idx with idx[dim] := index[idx]] (output has index's shape). */
export const gatherKernel: KernelFunc<'Gather'> = ({ inputs: [x, index], attrs: { dim } }) => {
  const xs = stridesOf(x!.shape);
  const src = arr(x!);
  const ind = arr(index!);
  const dst = allocArray(x!.dtype, ind.length);
  forEachIndex(index!.shape, (f, idx) => {
    let off = 0;
    for (let d = 0; d < idx.length; d++) off += (d === dim ? ind[f]! : idx[d]!) * xs[d]!;
    dst[f] = src[off]!;
  });
  return out(dst, [...index!.shape], x!.dtype);
};

/** out = copy of x; out[idx with idx[dim] := index[idx]] += src[idx] over index's shape. */
export const scatterAddKernel: KernelFunc<'ScatterAdd'> = ({ inputs: [x, index, srcT], attrs: { dim } }) => {
  const xs = stridesOf(x!.shape);
  const ss = stridesOf(srcT!.shape);
  const dst = arr(x!).slice();
  const ind = arr(index!);
  const src = arr(srcT!);
  forEachIndex(index!.shape, (f, idx) => {
    let off = 0;
    let soff = 0;
    for (let d = 0; d < idx.length; d++) {
      off += (d === dim ? ind[f]! : idx[d]!) * xs[d]!;
      soff += idx[d]! * ss[d]!;
    }
    dst[off]! += src[soff]!;
  });
  return out(dst, [...x!.shape], x!.dtype);
};

/** out = x with dim `dim` replaced by the slices at `index` (1-d). */
export const indexSelectKernel: KernelFunc<'IndexSelect'> = ({ inputs: [x, index], attrs: { dim } }) => {
  const [outer, size, inner] = around(x!.shape, dim);
  const ind = arr(index!);
  const src = arr(x!);
  const dst = allocArray(x!.dtype, outer * ind.length * inner);
  for (let o = 0; o < outer; o++) {
    for (let k = 0; k < ind.length; k++) {
      const from = (o * size + ind[k]!) * inner;
      dst.set(src.subarray(from, from + inner), (o * ind.length + k) * inner);
    }
  }
  return out(dst, x!.shape.map((s, i) => (i === dim ? ind.length : s)), x!.dtype);
};

/** out = copy of x; out[..., index[k], ...] += src[..., k, ...] along dim. */
export const indexAddKernel: KernelFunc<'IndexAdd'> = ({ inputs: [x, index, srcT], attrs: { dim } }) => {
  const [outer, size, inner] = around(x!.shape, dim);
  const ind = arr(index!);
  const src = arr(srcT!);
  const dst = arr(x!).slice();
  for (let o = 0; o < outer; o++) {
    for (let k = 0; k < ind.length; k++) {
      const to = (o * size + ind[k]!) * inner;
      const from = (o * ind.length + k) * inner;
      for (let j = 0; j < inner; j++) dst[to + j]! += src[from + j]!;
    }
  }
  return out(dst, [...x!.shape], x!.dtype);
};
