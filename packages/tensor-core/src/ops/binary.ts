// Element-wise functions of two tensors with NumPy/PyTorch broadcasting and type promotion.
import { runKernel } from '../engine.js';
import { DTypeError, ShapeError, ValueError } from '../errors.js';
import type { BinaryKernel } from '../kernel-names.js';
import { broadcastShapes } from '../shape.js';
import type { Tensor } from '../tensor.js';
import type { TensorLike } from '../tensor.js';
import { assertTensor, castTo, promotePair, scalarTensor } from './util.js';

function binary(kernel: BinaryKernel, op: string, a: TensorLike, b: TensorLike): Tensor {
  const [ta, tb] = promotePair(op, a, b);
  broadcastShapes(op, ta.shape, tb.shape);
  return runKernel(kernel, [ta, tb]);
}

function arithmetic(kernel: BinaryKernel, op: string, a: TensorLike, b: TensorLike): Tensor {
  let [ta, tb] = promotePair(op, a, b);
  if (ta.dtype === 'bool') [ta, tb] = [castTo(ta, 'int32'), castTo(tb, 'int32')];
  broadcastShapes(op, ta.shape, tb.shape);
  return runKernel(kernel, [ta, tb]);
}

/** a + b. @example add(x, 1) */
export function add(a: TensorLike, b: TensorLike): Tensor { return arithmetic('Add', 'add', a, b); }
/** a − b. */
export function sub(a: TensorLike, b: TensorLike): Tensor { return arithmetic('Sub', 'sub', a, b); }
/** a · b (element-wise). */
export function mul(a: TensorLike, b: TensorLike): Tensor { return arithmetic('Mul', 'mul', a, b); }
/** a / b, true division: integers give float32 (PyTorch's `torch.div`). */
export function div(a: TensorLike, b: TensorLike): Tensor {
  const [ta, tb] = promotePair('div', a, b);
  return arithmetic('Div', 'div', castTo(ta, 'float32'), castTo(tb, 'float32'));
}
/** aᵇ (float32). @example pow(x, 2) */
export function pow(a: TensorLike, b: TensorLike): Tensor {
  const [ta, tb] = promotePair('pow', a, b);
  return arithmetic('Pow', 'pow', castTo(ta, 'float32'), castTo(tb, 'float32'));
}
/** Element-wise maximum (NaN propagates). */
export function maximum(a: TensorLike, b: TensorLike): Tensor { return arithmetic('Maximum', 'maximum', a, b); }
/** Element-wise minimum (NaN propagates). */
export function minimum(a: TensorLike, b: TensorLike): Tensor { return arithmetic('Minimum', 'minimum', a, b); }

/** a == b → bool. */
export function eq(a: TensorLike, b: TensorLike): Tensor { return binary('Equal', 'eq', a, b); }
/** a != b → bool. */
export function ne(a: TensorLike, b: TensorLike): Tensor { return binary('NotEqual', 'ne', a, b); }
/** a < b → bool. */
export function lt(a: TensorLike, b: TensorLike): Tensor { return binary('Less', 'lt', a, b); }
/** a ≤ b → bool. */
export function le(a: TensorLike, b: TensorLike): Tensor { return binary('LessEqual', 'le', a, b); }
/** a > b → bool. */
export function gt(a: TensorLike, b: TensorLike): Tensor { return binary('Greater', 'gt', a, b); }
/** a ≥ b → bool. */
export function ge(a: TensorLike, b: TensorLike): Tensor { return binary('GreaterEqual', 'ge', a, b); }
/** a ∧ b → bool (non-zero is true). */
export function logicalAnd(a: TensorLike, b: TensorLike): Tensor {
  const [ta, tb] = promotePair('logicalAnd', a, b);
  return binary('LogicalAnd', 'logicalAnd', castTo(ta, 'bool'), castTo(tb, 'bool'));
}
/** a ∨ b → bool. */
export function logicalOr(a: TensorLike, b: TensorLike): Tensor {
  const [ta, tb] = promotePair('logicalOr', a, b);
  return binary('LogicalOr', 'logicalOr', castTo(ta, 'bool'), castTo(tb, 'bool'));
}

/**
 * `condition ? a : b` element-wise, all three broadcast together (`torch.where`).
 * @param condition bool tensor
 * @example where(mask, x, 0)
 */
export function where(condition: Tensor, a: TensorLike, b: TensorLike): Tensor {
  assertTensor('where', 'condition', condition);
  if (condition.dtype !== 'bool') throw new DTypeError(`where: condition must be bool, got ${condition.dtype}`);
  const [ta, tb] = promotePair('where', a, b);
  broadcastShapes('where', broadcastShapes('where', condition.shape, ta.shape), tb.shape);
  return runKernel('Where', [condition, ta, tb]);
}

/**
 * Fills `value` where `mask` is true (`Tensor.masked_fill`); `mask` broadcasts to `x`'s shape.
 * @example scores.maskedFill(paddingMask, -Infinity)
 */
export function maskedFill(x: Tensor, mask: Tensor, value: number): Tensor {
  assertTensor('maskedFill', 'input', x);
  assertTensor('maskedFill', 'mask', mask);
  if (mask.dtype !== 'bool') throw new DTypeError(`maskedFill: mask must be bool, got ${mask.dtype}`);
  const out = broadcastShapes('maskedFill', x.shape, mask.shape);
  if (out.length !== x.ndim || out.some((d, i) => d !== x.shape[i])) {
    throw new ShapeError(`maskedFill: mask of shape [${mask.shape.join(',')}] must broadcast to the input's shape [${x.shape.join(',')}]`);
  }
  return runKernel('Where', [mask, scalarTensor(value, x.dtype), x]);
}

/**
 * Clamps into [min, max]; either bound may be omitted (`torch.clamp`).
 * @example clamp(x, 0, 1)
 */
export function clamp(x: Tensor, min?: number | null, max?: number | null): Tensor {
  assertTensor('clamp', 'input', x);
  if (min == null && max == null) throw new ValueError('clamp: at least one of min and max must be given');
  if (min != null && max != null && min > max) throw new ValueError(`clamp: min must be ≤ max, got ${min} > ${max}`);
  let out = x;
  if (min != null) out = maximum(out, min);
  if (max != null) out = minimum(out, max);
  return out;
}

