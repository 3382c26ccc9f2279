// Reductions over dims with keepdim, as in PyTorch.
import { runKernel } from '../engine.js';
import { DTypeError, ShapeError, ValueError } from '../errors.js';
import { normalizeDim, normalizeDims, sizeOf } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { assertTensor, castTo } from './util.js';

function reduce(kernel: 'Sum' | 'Max' | 'Min', op: string, x: Tensor, dim: number | readonly number[] | undefined, keepdim: boolean): Tensor {
  assertTensor(op, 'input', x);
  const dims = normalizeDims(op, dim, x.ndim);
  if (kernel !== 'Sum' && dims.some((d) => x.shape[d] === 0)) {
    throw new ShapeError(`${op}: cannot reduce over a zero-size dimension of shape [${x.shape.join(',')}]`);
  }
  return runKernel(kernel, [x], { dims, keepdim });
}

/**
 * Sum over `dim` (all dims when omitted). bool and int32 sum to int32.
 * @example sum(x, -1, true) // [B, T, C] → [B, T, 1]
 */
export function sum(x: Tensor, dim?: number | readonly number[], keepdim = false): Tensor {
  assertTensor('sum', 'input', x);
  return reduce('Sum', 'sum', x.dtype === 'bool' ? castTo(x, 'int32') : x, dim, keepdim);
}

/** Mean over `dim` (float32). @example mean(x, [0, 1]) */
export function mean(x: Tensor, dim?: number | readonly number[], keepdim = false): Tensor {
  assertTensor('mean', 'input', x);
  const dims = normalizeDims('mean', dim, x.ndim);
  const n = sizeOf(dims.map((d) => x.shape[d]!));
  return sum(castTo(x, 'float32'), dims, keepdim).div(n);
}

/** Maximum values over `dim` (PyTorch's `amax`; ties share the gradient equally). */
export function max(x: Tensor, dim?: number | readonly number[], keepdim = false): Tensor {
  return reduce('Max', 'max', x, dim, keepdim);
}

/** Minimum values over `dim` (PyTorch's `amin`). */
export function min(x: Tensor, dim?: number | readonly number[], keepdim = false): Tensor {
  return reduce('Min', 'min', x, dim, keepdim);
}

function argReduce(kernel: 'ArgMax' | 'ArgMin', op: string, x: Tensor, dim: number | undefined, keepdim: boolean): Tensor {
  assertTensor(op, 'input', x);
  if (x.dtype === 'bool') throw new DTypeError(`${op}: expected float32 or int32, got bool`);
  if (x.size === 0) throw new ShapeError(`${op}: cannot take ${op} of an empty tensor`);
  if (dim === undefined) return runKernel(kernel, [x.reshape([-1])], { dim: 0, keepdim: false });
  const d = normalizeDim(op, dim, x.ndim);
  return runKernel(kernel, [x], { dim: d, keepdim });
}

/** Index (int32) of the first maximum along `dim`, or of the flattened tensor. */
export function argmax(x: Tensor, dim?: number, keepdim = false): Tensor {
  return argReduce('ArgMax', 'argmax', x, dim, keepdim);
}

/** Index (int32) of the first minimum along `dim`, or of the flattened tensor. */
export function argmin(x: Tensor, dim?: number, keepdim = false): Tensor {
  return argReduce('ArgMin', 'argmin', x, dim, keepdim);
}

/** Options of `variance` and `std`. */
export interface VarOptions {
  /** Subtracted from the count in the denominator: 1 (default, unbiased) as `torch.var`, 0 for the population. */
  correction?: number;
  keepdim?: boolean;
}

/**
 * Variance over `dim` with Bessel's correction by default (`torch.var`).
 * @example variance(x, -1, { correction: 0, keepdim: true }) // layer norm's biased variance
 */
export function variance(x: Tensor, dim?: number | readonly number[], options: VarOptions = {}): Tensor {
  assertTensor('var', 'input', x);
  const { correction = 1, keepdim = false } = options;
  const dims = normalizeDims('var', dim, x.ndim);
  const n = sizeOf(dims.map((d) => x.shape[d]!));
  if (n - correction <= 0) throw new ValueError(`var: need more than ${correction} elements per reduction, got ${n}`);
  const xf = castTo(x, 'float32');
  const centred = xf.sub(mean(xf, dims, true));
  return sum(centred.mul(centred), dims, keepdim).div(n - correction);
}

/** Standard deviation: √variance. */
export function std(x: Tensor, dim?: number | readonly number[], options: VarOptions = {}): Tensor {
  return variance(x, dim, options).sqrt();
}
