// Helpers shared by the ops: scalars to tensors, reducing a broadcast gradient, nesting values.
import { allocArray, promoteTypes, scalarDType } from '../dtype.js';
import type { DType, TypedArray } from '../dtype.js';
import { makeTensor, noGrad, runKernel } from '../engine.js';
import { DTypeError, ShapeError, ValueError, fmtShape } from '../errors.js';
import { shapesEqual, sizeOf } from '../shape.js';
import { Tensor } from '../tensor.js';
import type { NestedArray, TensorLike } from '../tensor.js';

/** Throws unless `x` is a Tensor (catches plain arrays passed by mistake). */
export function assertTensor(op: string, name: string, x: unknown): asserts x is Tensor {
  if (!(x instanceof Tensor)) throw new ValueError(`${op}: ${name} must be a Tensor, got ${x === null ? 'null' : typeof x}`);
}

/** A scalar tensor of `dtype`. */
export function scalarTensor(value: number | boolean, dtype: DType): Tensor {
  const arr = allocArray(dtype, 1);
  arr[0] = typeof value === 'boolean' ? (value ? 1 : 0) : dtype === 'int32' ? Math.trunc(value) : dtype === 'bool' ? (value ? 1 : 0) : value;
  return makeTensor(arr, [], dtype);
}

/**
 * Two operands as tensors of their promoted dtype (PyTorch's type promotion; a JS number adapts
 * to the tensor beside it).
 */
export function promotePair(op: string, a: TensorLike, b: TensorLike): [Tensor, Tensor] {
  if (!(a instanceof Tensor) && !(b instanceof Tensor)) {
    // two JS numbers (torch.where(mask, 0.0, -inf)): integers stay int32, otherwise float32
    const dtype = typeof a === 'boolean' && typeof b === 'boolean' ? 'bool' : Number.isInteger(a) && Number.isInteger(b) ? 'int32' : 'float32';
    return [scalarTensor(a, dtype), scalarTensor(b, dtype)];
  }
  const ta = a instanceof Tensor ? a : scalarTensor(a, scalarDType(a, (b as Tensor).dtype));
  const tb = b instanceof Tensor ? b : scalarTensor(b, scalarDType(b, ta.dtype));
  const dtype = promoteTypes(ta.dtype, tb.dtype);
  return [castTo(ta, dtype), castTo(tb, dtype)];
}

/** Casts only when needed. */
export function castTo(x: Tensor, dtype: DType): Tensor {
  return x.dtype === dtype ? x : runKernel('Cast', [x], { dtype });
}

/** Sums a broadcast gradient back to `shape` (the reduction that broadcasting implies). */
export function sumToShape(dy: Tensor, shape: readonly number[]): Tensor {
  if (shapesEqual(dy.shape, shape)) return dy;
  const lead = dy.ndim - shape.length;
  const dims: number[] = [];
  for (let i = 0; i < dy.ndim; i++) {
    if (i < lead || (shape[i - lead] === 1 && dy.shape[i] !== 1)) dims.push(i);
  }
  let out = dims.length > 0 ? runKernel('Sum', [dy], { dims, keepdim: true }) : dy;
  if (!shapesEqual(out.shape, shape)) out = runKernel('Reshape', [out], { shape: [...shape] });
  return out;
}

/** Accepts `f(2, 3)` and `f([2, 3])`. */
export function shapeArgs(args: number[] | [number[]]): number[] {
  return Array.isArray(args[0]) ? [...args[0]] : (args as number[]);
}

/** Turns flat values into nested arrays of `shape`. */
export function nest(values: TypedArray, shape: readonly number[], dtype: DType): NestedArray {
  const conv = (v: number): number | boolean => (dtype === 'bool' ? v !== 0 : v);
  if (shape.length === 0) return conv(values[0]!);
  const build = (offset: number, dim: number): NestedArray[] => {
    const n = shape[dim]!;
    const inner = sizeOf(shape.slice(dim + 1));
    const out: NestedArray[] = new Array<NestedArray>(n);
    for (let i = 0; i < n; i++) {
      out[i] = dim === shape.length - 1 ? conv(values[offset + i]!) : build(offset + i * inner, dim + 1);
    }
    return out;
  };
  return build(0, 0);
}

/** The single value of a one-element tensor. */
export function item(x: Tensor): number {
  if (x.size !== 1) throw new ShapeError(`item: only one-element tensors can be converted to a number, got shape ${fmtShape(x.shape)}`);
  return x.dataSync()[0]!;
}

/** Checks that `value` can replace `target`'s data in place. */
export function assertAssignable(target: Tensor, value: Tensor): void {
  value.assertAlive('assign');
  if (!shapesEqual(target.shape, value.shape)) {
    throw new ShapeError(`assign: value must have shape ${fmtShape(target.shape)}, got ${fmtShape(value.shape)}`);
  }
  if (target.dtype !== value.dtype) throw new DTypeError(`assign: value must be ${target.dtype}, got ${value.dtype}`);
  if (target.storage.backend !== value.storage.backend) {
    throw new ValueError(`assign: value lives on '${value.backend}', target on '${target.backend}'`);
  }
}

/** Turns autograd tracking on or off for a leaf float tensor. */
export function setRequiresGrad(x: Tensor, flag: boolean): void {
  if (flag && x.dtype !== 'float32') throw new DTypeError(`requiresGrad_: only float32 tensors can require gradients, got ${x.dtype}`);
  if (!x.isLeaf && !flag) throw new ValueError('requiresGrad_: cannot turn off requiresGrad on a non-leaf tensor; use detach()');
  x.requiresGrad = flag;
}

/** A tensor sharing `x`'s storage, outside the autograd graph. */
export function detach(x: Tensor): Tensor {
  return noGrad(() => runKernel('Reshape', [x], { shape: [...x.shape] }));
}

/** A copy with its own storage; recorded by autograd (the gradient passes through unchanged). */
export function clone(x: Tensor): Tensor {
  return runKernel('Cast', [x], { dtype: x.dtype });
}
