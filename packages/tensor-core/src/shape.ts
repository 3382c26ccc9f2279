// Shape arithmetic: sizes, strides, dims, broadcasting.
import { IndexError, ShapeError, fmtShape } from './errors.js';

/** Number of elements of a shape (1 for a scalar `[]`). */
export function sizeOf(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** Row-major strides of a contiguous shape. */
export function stridesOf(shape: readonly number[]): number[] {
  const strides = new Array<number>(shape.length);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = s;
    s *= shape[i]!;
  }
  return strides;
}

/** Resolves a possibly negative dim against `ndim`, as PyTorch does (`-1` is the last). */
export function normalizeDim(op: string, dim: number, ndim: number): number {
  const lo = ndim === 0 ? -1 : -ndim;
  const hi = ndim === 0 ? 0 : ndim - 1;
  if (!Number.isInteger(dim) || dim < lo || dim > hi) {
    throw new IndexError(`${op}: dim must be in [${lo}, ${hi}] for a ${ndim}-d tensor, got ${dim}`);
  }
  return dim < 0 ? dim + Math.max(ndim, 1) : dim;
}

/** Resolves a list of dims (or all dims when undefined), sorted and unique. */
export function normalizeDims(op: string, dims: number | readonly number[] | undefined, ndim: number): number[] {
  if (dims === undefined) return Array.from({ length: ndim }, (_, i) => i);
  const list = typeof dims === 'number' ? [dims] : dims;
  const out = [...new Set(list.map((d) => normalizeDim(op, d, ndim)))].sort((a, b) => a - b);
  if (out.length !== list.length) throw new IndexError(`${op}: dims must be unique, got [${list.join(',')}]`);
  return out;
}

/** Broadcast two shapes with NumPy/PyTorch rules, or throw naming the op. */
export function broadcastShapes(op: string, a: readonly number[], b: readonly number[]): number[] {
  const n = Math.max(a.length, b.length);
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    const da = a[a.length - n + i] ?? 1;
    const db = b[b.length - n + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1) {
      throw new ShapeError(`${op}: shapes ${fmtShape(a)} and ${fmtShape(b)} cannot be broadcast (dim ${i - n}: ${da} vs ${db})`);
    }
    out[i] = da === 1 ? db : da;
  }
  return out;
}

/** True when two shapes are equal. */
export function shapesEqual(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/** The most elements one tensor may have: what one JavaScript typed array can index. */
export const MAX_TENSOR_SIZE = 2 ** 31 - 1;

/**
 * Validates a shape given by the user: non-negative integers, and no more elements than one
 * tensor can hold (a clear error naming `op` rather than a raw RangeError from the allocation).
 * @example checkShape('zeros', [2 ** 40]) // ShapeError: zeros: shape [1099511627776] has 1099511627776 elements, …
 */
export function checkShape(op: string, shape: readonly number[]): number[] {
  for (const d of shape) {
    if (!Number.isInteger(d) || d < 0) throw new ShapeError(`${op}: shape must be non-negative integers, got ${fmtShape(shape)}`);
  }
  const n = sizeOf(shape);
  if (n > MAX_TENSOR_SIZE) throw new ShapeError(`${op}: shape ${fmtShape(shape)} has ${n} elements, more than the ${MAX_TENSOR_SIZE} one tensor can hold`);
  return [...shape];
}

/**
 * Resolves a reshape target with at most one `-1`, checking the element count.
 * @example inferReshape('view', [2, 6], [3, -1]) // [3, 4]
 */
export function inferReshape(op: string, from: readonly number[], to: readonly number[]): number[] {
  const size = sizeOf(from);
  const free = to.filter((d) => d === -1).length;
  if (free > 1) throw new ShapeError(`${op}: only one dimension can be -1, got ${fmtShape(to)}`);
  const known = to.reduce((p, d) => (d === -1 ? p : p * d), 1);
  if (free === 1 && known === 0) {
    // as PyTorch: with another dim 0, any size fits the -1
    throw new ShapeError(`${op}: cannot reshape a tensor of ${size} elements into shape ${fmtShape(to)}: the -1 dimension is ambiguous when another dimension is 0`);
  }
  const out = to.map((d) => {
    if (d === -1) return known === 0 ? 0 : size / known;
    if (!Number.isInteger(d) || d < 0) throw new ShapeError(`${op}: invalid shape ${fmtShape(to)}`);
    return d;
  });
  if (sizeOf(out) !== size || !out.every(Number.isInteger)) {
    throw new ShapeError(`${op}: shape ${fmtShape(to)} is invalid for input of size ${size} (shape ${fmtShape(from)})`);
  }
  return out;
}

type Dims<N extends number, Acc extends number[] = []> = Acc['length'] extends N ? Acc : Dims<N, [...Acc, number]>;

/**
 * Checks a shape's rank and returns it as a typed tuple, so shapes are destructured through a check
 * instead of a cast: `const [B, T, C] = dims(x, 3, 'Block.forward', 'B, T, C')`.
 * Throws `ShapeError` naming `where` (the public function the caller is in), the expected rank and
 * the legend, and the shape it got: `Block.forward: expected a 3-d tensor [B, T, C], got [2,5]`.
 * @param x anything with a `shape` (a Tensor, TensorInfo, or a plain shape holder)
 * @param rank the number of dims expected (1 to 6)
 * @param where the public function named in the error
 * @param legend optional letters for the message, e.g. `'B, T, C'`
 * @example
 * const [B, T, E] = dims(x, 3, 'CausalSelfAttention.forward', 'B, T, E');
 */
export function dims<N extends 1 | 2 | 3 | 4 | 5 | 6>(x: { readonly shape: readonly number[] }, rank: N, where: string, legend?: string): Dims<N> {
  if (x.shape.length !== rank) {
    const want = legend === undefined ? '' : ` [${legend}]`;
    throw new ShapeError(`${where}: expected a ${rank}-d tensor${want}, got ${fmtShape(x.shape)}`);
  }
  return [...x.shape] as Dims<N>;
}

/**
 * The last `n` dims of a shape of rank ≥ `n`, as a typed tuple after the check (batch dims in front
 * are free): `const [L, E] = trailingDims(q, 2, 'fusedAttention', 'L, E')`.
 * Throws `ShapeError`: `fusedAttention: expected at least 2 dims [..., L, E], got [5]`.
 */
export function trailingDims<N extends 1 | 2 | 3>(x: { readonly shape: readonly number[] }, n: N, where: string, legend?: string): Dims<N> {
  if (x.shape.length < n) {
    const want = legend === undefined ? '' : ` [..., ${legend}]`;
    throw new ShapeError(`${where}: expected at least ${n} dims${want}, got ${fmtShape(x.shape)}`);
  }
  return x.shape.slice(x.shape.length - n) as Dims<N>;
}
