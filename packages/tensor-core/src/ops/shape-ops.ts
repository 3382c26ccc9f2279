// Shape manipulation: views, transposes, broadcasting, joining and slicing.
import { runKernel } from '../engine.js';
import { DTypeError, IndexError, ShapeError, ValueError, fmtShape } from '../errors.js';
import { inferReshape, normalizeDim, shapesEqual } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { arange } from './creation.js';
import { assertTensor, castTo } from './util.js';
import { promoteTypes } from '../dtype.js';

/**
 * A tensor with the same data in a new shape (one dim may be −1). Shares storage (no copy).
 * @example reshape(x, [B, T, H, -1])
 */
export function reshape(x: Tensor, shape: readonly number[]): Tensor {
  assertTensor('reshape', 'input', x);
  const s = inferReshape('reshape', x.shape, shape);
  if (shapesEqual(s, x.shape)) return x;
  return runKernel('Reshape', [x], { shape: s });
}

/** Flattens dims `startDim..endDim` into one. @example flatten(x, 1) // [B, C, H, W] → [B, C·H·W] */
export function flatten(x: Tensor, startDim = 0, endDim = -1): Tensor {
  assertTensor('flatten', 'input', x);
  if (x.ndim === 0) return reshape(x, [1]);
  const s = normalizeDim('flatten', startDim, x.ndim);
  const e = normalizeDim('flatten', endDim, x.ndim);
  if (s > e) throw new IndexError(`flatten: startDim ${startDim} must not come after endDim ${endDim}`);
  return reshape(x, [...x.shape.slice(0, s), -1, ...x.shape.slice(e + 1)]);
}

/**
 * Reorders dims (`torch.permute`); the result is a contiguous copy.
 * @example permute(x, [0, 2, 1, 3]) // [B, T, H, D] → [B, H, T, D]
 */
export function permute(x: Tensor, dims: readonly number[]): Tensor {
  assertTensor('permute', 'input', x);
  if (dims.length !== x.ndim) throw new ShapeError(`permute: expected ${x.ndim} dims for shape ${fmtShape(x.shape)}, got [${dims.join(',')}]`);
  const perm = dims.map((d) => normalizeDim('permute', d, x.ndim));
  if (new Set(perm).size !== perm.length) throw new IndexError(`permute: dims must be a permutation, got [${dims.join(',')}]`);
  if (perm.every((d, i) => d === i)) return x;
  return runKernel('Transpose', [x], { perm });
}

/** Swaps two dims. @example transpose(k, -2, -1) */
export function transpose(x: Tensor, dim0: number, dim1: number): Tensor {
  assertTensor('transpose', 'input', x);
  const a = normalizeDim('transpose', dim0, x.ndim);
  const b = normalizeDim('transpose', dim1, x.ndim);
  const perm = x.shape.map((_, i) => (i === a ? b : i === b ? a : i));
  return permute(x, perm);
}

/** Transpose of a matrix (a 0-d or 1-d tensor is returned as is). */
export function t(x: Tensor): Tensor {
  assertTensor('t', 'input', x);
  if (x.ndim > 2) throw new ShapeError(`t: expects a tensor with ≤ 2 dims, got ${fmtShape(x.shape)}; use transpose`);
  return x.ndim < 2 ? x : transpose(x, 0, 1);
}

/** Removes size-1 dims (all of them, or just `dim`, which is kept if not 1 as PyTorch does). */
export function squeeze(x: Tensor, dim?: number): Tensor {
  assertTensor('squeeze', 'input', x);
  if (dim === undefined) return reshape(x, x.shape.filter((d) => d !== 1));
  const d = normalizeDim('squeeze', dim, x.ndim);
  if (x.shape[d] !== 1) return x;
  return reshape(x, x.shape.filter((_, i) => i !== d));
}

/** Inserts a size-1 dim at `dim` (−1 appends). @example unsqueeze(mask, 1) // [N, S] → [N, 1, S] */
export function unsqueeze(x: Tensor, dim: number): Tensor {
  assertTensor('unsqueeze', 'input', x);
  const d = normalizeDim('unsqueeze', dim, x.ndim + 1);
  const shape = [...x.shape];
  shape.splice(d, 0, 1);
  return reshape(x, shape);
}

/**
 * Broadcasts to `shape` (−1 keeps a dim), materialising the copy (`Tensor.expand`).
 * @example expand(bias, [B, T, C])
 */
export function expand(x: Tensor, shape: readonly number[]): Tensor {
  assertTensor('expand', 'input', x);
  if (shape.length < x.ndim) throw new ShapeError(`expand: target ${fmtShape(shape)} has fewer dims than input ${fmtShape(x.shape)}`);
  const lead = shape.length - x.ndim;
  const target = shape.map((d, i) => (d === -1 ? (i < lead ? NaN : x.shape[i - lead]!) : d));
  target.forEach((d, i) => {
    const src = i < lead ? 1 : x.shape[i - lead]!;
    if (Number.isNaN(d) || (src !== d && src !== 1) || d < 0) {
      throw new ShapeError(`expand: cannot expand ${fmtShape(x.shape)} to ${fmtShape(shape)}`);
    }
  });
  if (shapesEqual(target, x.shape)) return x;
  return runKernel('BroadcastTo', [x], { shape: target });
}

/** Alias of `expand` with NumPy's name. */
export function broadcastTo(x: Tensor, shape: readonly number[]): Tensor {
  return expand(x, shape);
}

/**
 * Concatenates along `dim`; all other dims must match. Dtypes promote.
 * @example cat([a, b], -1)
 */
export function cat(tensors: readonly Tensor[], dim = 0): Tensor {
  if (!Array.isArray(tensors) || tensors.length === 0) throw new ValueError('cat: expected a non-empty list of tensors');
  tensors.forEach((x, i) => assertTensor('cat', `tensors[${i}]`, x));
  const first = tensors[0]!;
  const d = normalizeDim('cat', dim, first.ndim);
  const dtype = tensors.reduce((acc, x) => promoteTypes(acc, x.dtype), first.dtype);
  tensors.forEach((x, i) => {
    if (x.ndim !== first.ndim || x.shape.some((s: number, j: number) => j !== d && s !== first.shape[j])) {
      throw new ShapeError(`cat: tensors[${i}] has shape ${fmtShape(x.shape)}, expected ${fmtShape(first.shape.map((s: number, j: number) => (j === d ? -1 : s)))} (any size at dim ${d})`);
    }
  });
  if (tensors.length === 1) return castTo(first, dtype);
  return runKernel('Concat', tensors.map((x) => castTo(x, dtype)), { dim: d });
}

/** Stacks equal-shape tensors along a new dim. @example stack([x, y]) // 2 × [3] → [2, 3] */
export function stack(tensors: readonly Tensor[], dim = 0): Tensor {
  if (!Array.isArray(tensors) || tensors.length === 0) throw new ValueError('stack: expected a non-empty list of tensors');
  const first = tensors[0]!;
  tensors.forEach((x, i) => {
    assertTensor('stack', `tensors[${i}]`, x);
    if (!shapesEqual(x.shape, first.shape)) throw new ShapeError(`stack: tensors[${i}] has shape ${fmtShape(x.shape)}, expected ${fmtShape(first.shape)}`);
  });
  const d = normalizeDim('stack', dim, first.ndim + 1);
  return cat(tensors.map((x) => unsqueeze(x, d)), d);
}

/**
 * `length` positions of `dim` starting at `start` (a copy; gradient pads back).
 * @example narrow(x, 1, 0, 3) // first three time steps
 */
export function narrow(x: Tensor, dim: number, start: number, length: number): Tensor {
  assertTensor('narrow', 'input', x);
  const d = normalizeDim('narrow', dim, x.ndim);
  const size = x.shape[d]!;
  const s = start < 0 ? start + size : start;
  if (!Number.isInteger(s) || !Number.isInteger(length) || s < 0 || length < 0 || s + length > size) {
    throw new IndexError(`narrow: start ${start} + length ${length} exceeds dimension ${d} of size ${size}`);
  }
  if (s === 0 && length === size) return x;
  const begin = x.shape.map((_, i) => (i === d ? s : 0));
  const sizes = x.shape.map((n, i) => (i === d ? length : n));
  return runKernel('Slice', [x], { begin, size: sizes });
}

/**
 * Python-style slice `x[..., start:end:step, ...]` on `dim` (negative and omitted bounds as in Python).
 * @example slice(x, -1, null, null, 2) // every other column
 */
export function slice(x: Tensor, dim: number, start?: number | null, end?: number | null, step = 1): Tensor {
  assertTensor('slice', 'input', x);
  const d = normalizeDim('slice', dim, x.ndim);
  if (!Number.isInteger(step) || step <= 0) throw new ValueError(`slice: step must be a positive integer, got ${step}`);
  const n = x.shape[d]!;
  const clampIdx = (v: number) => Math.min(Math.max(v < 0 ? v + n : v, 0), n);
  const s = start == null ? 0 : clampIdx(start);
  const e = end == null ? n : clampIdx(end);
  const len = Math.max(0, e - s);
  if (step === 1) return narrow(x, d, s, len);
  return x.indexSelect(d, arange(s, s + len, step));
}

/** Indexes one position of `dim` and removes that dim (`x[:, i]`). */
export function select(x: Tensor, dim: number, index: number): Tensor {
  assertTensor('select', 'input', x);
  const d = normalizeDim('select', dim, x.ndim);
  const n = x.shape[d]!;
  if (!Number.isInteger(index) || index < -n || index >= n) throw new IndexError(`select: index ${index} is out of range for dim ${d} of size ${n}`);
  return squeeze(narrow(x, d, index < 0 ? index + n : index, 1), d);
}

/**
 * Splits into pieces of `splitSize` (the last may be smaller) or of the given sizes (`torch.split`).
 * @example split(qkv, embedDim, -1) // [q, k, v]
 */
export function split(x: Tensor, splitSizeOrSections: number | readonly number[], dim = 0): Tensor[] {
  assertTensor('split', 'input', x);
  const d = normalizeDim('split', dim, x.ndim);
  const n = x.shape[d]!;
  let sizes: number[];
  if (typeof splitSizeOrSections === 'number') {
    if (!Number.isInteger(splitSizeOrSections) || splitSizeOrSections <= 0) throw new ValueError(`split: split size must be a positive integer, got ${splitSizeOrSections}`);
    sizes = [];
    for (let i = 0; i < n; i += splitSizeOrSections) sizes.push(Math.min(splitSizeOrSections, n - i));
  } else {
    sizes = [...splitSizeOrSections];
    const total = sizes.reduce((a, b) => a + b, 0);
    if (total !== n) throw new ShapeError(`split: sections [${sizes.join(',')}] sum to ${total}, expected dim ${d} size ${n}`);
  }
  let offset = 0;
  return sizes.map((len) => {
    const piece = narrow(x, d, offset, len);
    offset += len;
    return piece;
  });
}

/** Splits into `chunks` nearly equal pieces (`torch.chunk`). */
export function chunk(x: Tensor, chunks: number, dim = 0): Tensor[] {
  assertTensor('chunk', 'input', x);
  if (!Number.isInteger(chunks) || chunks <= 0) throw new ValueError(`chunk: chunks must be a positive integer, got ${chunks}`);
  const n = x.shape[normalizeDim('chunk', dim, x.ndim)]!;
  return split(x, Math.max(1, Math.ceil(n / chunks)), dim);
}

/**
 * Pads with a constant, `pad` listing (before, after) pairs starting from the LAST dim, as
 * `F.pad` does. @example pad(x, [0, 1]) // one zero column on the right
 */
export function pad(x: Tensor, padding: readonly number[], value = 0): Tensor {
  assertTensor('pad', 'input', x);
  if (padding.length % 2 !== 0 || padding.length / 2 > x.ndim) {
    throw new ShapeError(`pad: padding length must be even and ≤ 2·ndim (${2 * x.ndim}), got ${padding.length}`);
  }
  if (padding.some((p) => !Number.isInteger(p) || p < 0)) throw new ValueError(`pad: padding must be non-negative integers, got [${padding.join(',')}]`);
  if (x.dtype === 'bool' && value !== 0 && value !== 1) throw new DTypeError('pad: a bool tensor pads with 0 or 1');
  const before = x.shape.map(() => 0);
  const after = x.shape.map(() => 0);
  for (let i = 0; i < padding.length / 2; i++) {
    before[x.ndim - 1 - i] = padding[2 * i]!;
    after[x.ndim - 1 - i] = padding[2 * i + 1]!;
  }
  return runKernel('Pad', [x], { before, after, value });
}
