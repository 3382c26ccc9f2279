// Creating tensors: from values, constants, ranges and identity matrices.
import { allocArray, inferDType, toTypedArray } from '../dtype.js';
import type { DType, TypedArray } from '../dtype.js';
import { makeTensor } from '../engine.js';
import { ShapeError, ValueError } from '../errors.js';
import { checkShape, sizeOf } from '../shape.js';
import type { NestedArray, Tensor } from '../tensor.js';

/** Options shared by the creation functions. */
export interface CreateOptions {
  /** Element type; default float32 (bool for nested booleans). */
  dtype?: DType;
  /** Record operations on the result for autograd (float32 only). */
  requiresGrad?: boolean;
}

function finish(t: Tensor, options: CreateOptions | undefined): Tensor {
  if (options?.requiresGrad) t.requiresGrad_(true);
  return t;
}

function flatten(values: NestedArray, shape: number[], out: (number | boolean)[], depth: number): void {
  if (!Array.isArray(values)) {
    if (depth !== shape.length) throw new ShapeError(`tensor: nested arrays are ragged at depth ${depth}`);
    out.push(values);
    return;
  }
  if (depth === shape.length) shape.push(values.length);
  else if (shape[depth] !== values.length) {
    throw new ShapeError(`tensor: nested arrays are ragged: expected length ${shape[depth]} at depth ${depth}, got ${values.length}`);
  }
  for (const v of values) flatten(v, shape, out, depth + 1);
}

/**
 * A tensor from nested arrays, a number, or a flat typed array plus `shape`.
 * @param values nested JavaScript arrays (`[[1, 2], [3, 4]]`), a scalar, or flat values with `shape`
 * @example tensor([[1, 2], [3, 4]]) // float32 [2, 2]
 * @example tensor([0, 2, 1], { dtype: 'int32' })
 * @example tensor(new Float32Array(6), { shape: [2, 3] })
 */
export function tensor(
  values: NestedArray | TypedArray | ArrayLike<number>,
  options: CreateOptions & { shape?: readonly number[] } = {},
): Tensor {
  let flat: ArrayLike<number | boolean>;
  let shape: number[];
  if (typeof values === 'number' || typeof values === 'boolean') {
    flat = [values];
    shape = [];
  } else if (ArrayBuffer.isView(values) || (!Array.isArray(values) && typeof values === 'object')) {
    flat = values;
    shape = options.shape ? checkShape('tensor', options.shape) : [flat.length];
  } else {
    const out: (number | boolean)[] = [];
    shape = [];
    flatten(values, shape, out, 0);
    if (out.length === 0 && shape.length === 0) shape = [0];
    flat = out;
    if (options.shape) shape = checkShape('tensor', options.shape);
  }
  if (sizeOf(shape) !== flat.length) {
    throw new ShapeError(`tensor: shape [${shape.join(',')}] needs ${sizeOf(shape)} values, got ${flat.length}`);
  }
  const dtype =
    options.dtype ??
    (values instanceof Int32Array ? 'int32' : values instanceof Uint8Array ? 'bool' : inferDType(flat[0]));
  for (let i = 0; i < flat.length; i++) {
    const v = flat[i]!;
    if (typeof v !== 'number' && typeof v !== 'boolean') throw new ValueError(`tensor: values must be numbers or booleans, got ${typeof v}`);
  }
  return finish(makeTensor(toTypedArray(flat, dtype), shape, dtype), options);
}

/**
 * A tensor of `shape` filled with `value`.
 * @example full([2, 3], -Infinity)
 */
export function full(shape: readonly number[], value: number | boolean, options: CreateOptions = {}): Tensor {
  return filled('full', shape, value, options);
}

/** `full` under the name of the public function the user called, for its errors. */
function filled(op: string, shape: readonly number[], value: number | boolean, options: CreateOptions): Tensor {
  const s = checkShape(op, shape);
  const dtype = options.dtype ?? (typeof value === 'boolean' ? 'bool' : 'float32');
  const fillValue = toTypedArray([value], dtype, op)[0]!;
  const out = allocArray(dtype, sizeOf(s));
  out.fill(fillValue);
  return finish(makeTensor(out, s, dtype), options);
}

/** Zeros of `shape`. @example zeros([2, 3]) */
export function zeros(shape: readonly number[], options: CreateOptions = {}): Tensor {
  return filled('zeros', shape, 0, options);
}

/** Ones of `shape`. @example ones([3], { dtype: 'int32' }) */
export function ones(shape: readonly number[], options: CreateOptions = {}): Tensor {
  return filled('ones', shape, 1, options);
}

/** Zeros with `x`'s shape and dtype. */
export function zerosLike(x: Tensor, options: CreateOptions = {}): Tensor {
  return filled('zerosLike', x.shape, 0, { dtype: x.dtype, ...options });
}

/** Ones with `x`'s shape and dtype. */
export function onesLike(x: Tensor, options: CreateOptions = {}): Tensor {
  return filled('onesLike', x.shape, 1, { dtype: x.dtype, ...options });
}

/** `value` with `x`'s shape and dtype. */
export function fullLike(x: Tensor, value: number | boolean, options: CreateOptions = {}): Tensor {
  return filled('fullLike', x.shape, value, { dtype: x.dtype, ...options });
}

/**
 * Values from `start` (inclusive) to `end` (exclusive) by `step`, like `torch.arange`.
 * With one argument it counts from 0. The dtype is int32 when all arguments are integers.
 * @example arange(5) // [0,1,2,3,4] int32
 * @example arange(0, 1, 0.25) // [0,0.25,0.5,0.75] float32
 */
export function arange(start: number, end?: number, step = 1, options: CreateOptions = {}): Tensor {
  if (end === undefined) [start, end] = [0, start];
  if (step === 0 || !Number.isFinite(step)) throw new ValueError(`arange: step must be a non-zero finite number, got ${step}`);
  if (!Number.isFinite(start) || !Number.isFinite(end)) throw new ValueError(`arange: start and end must be finite, got ${start} and ${end}`);
  const n = Math.max(0, Math.ceil((end - start) / step));
  checkShape('arange', [n]);
  const dtype = options.dtype ?? ([start, end, step].every(Number.isInteger) ? 'int32' : 'float32');
  const values = Array.from({ length: n }, (_, i) => start + i * step);
  return finish(makeTensor(toTypedArray(values, dtype, 'arange'), [n], dtype), options);
}

/**
 * `steps` evenly spaced values from `start` to `end`, both included (`torch.linspace`).
 * @example linspace(0, 1, 5) // [0, 0.25, 0.5, 0.75, 1]
 */
export function linspace(start: number, end: number, steps: number, options: CreateOptions = {}): Tensor {
  if (!Number.isInteger(steps) || steps < 0) throw new ValueError(`linspace: steps must be a non-negative integer, got ${steps}`);
  checkShape('linspace', [steps]);
  const values = Array.from({ length: steps }, (_, i) => (steps === 1 ? start : start + ((end - start) * i) / (steps - 1)));
  const dtype = options.dtype ?? 'float32';
  return finish(makeTensor(toTypedArray(values, dtype, 'linspace'), [steps], dtype), options);
}

/**
 * The `n × m` identity matrix (`m` defaults to `n`).
 * @example eye(3)
 */
export function eye(n: number, m = n, options: CreateOptions = {}): Tensor {
  checkShape('eye', [n, m]);
  const dtype = options.dtype ?? 'float32';
  const values = new Array<number>(n * m).fill(0);
  for (let i = 0; i < Math.min(n, m); i++) values[i * m + i] = 1;
  return finish(makeTensor(toTypedArray(values, dtype, 'eye'), [n, m], dtype), options);
}
