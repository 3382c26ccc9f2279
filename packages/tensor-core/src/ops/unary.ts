// Element-wise functions of one tensor. Float functions promote int/bool inputs to float32.
import type { DType } from '../dtype.js';
import { runKernel } from '../engine.js';
import { DTypeError, ValueError } from '../errors.js';
import type { UnaryKernel } from '../kernel-names.js';
import type { Tensor } from '../tensor.js';
import { assertTensor, castTo } from './util.js';

function floatUnary(kernel: UnaryKernel, op: string, x: Tensor, attrs = {}): Tensor {
  assertTensor(op, 'input', x);
  return runKernel(kernel, [castTo(x, 'float32')], attrs);
}

/** −x (int32 and float32). @example neg(tensor([1, -2])) // [-1, 2] */
export function neg(x: Tensor): Tensor {
  assertTensor('neg', 'input', x);
  if (x.dtype === 'bool') throw new DTypeError('neg: negation is not defined for bool tensors, use logicalNot');
  return runKernel('Neg', [x]);
}
/** eˣ. */
export function exp(x: Tensor): Tensor { return floatUnary('Exp', 'exp', x); }
/** Natural logarithm (−∞ at 0, NaN below, as IEEE). */
export function log(x: Tensor): Tensor { return floatUnary('Log', 'log', x); }
/** √x. */
export function sqrt(x: Tensor): Tensor { return floatUnary('Sqrt', 'sqrt', x); }
/** 1/√x. */
export function rsqrt(x: Tensor): Tensor { return floatUnary('Rsqrt', 'rsqrt', x); }
/** tanh x. */
export function tanh(x: Tensor): Tensor { return floatUnary('Tanh', 'tanh', x); }
/** 1 / (1 + e⁻ˣ), computed without overflow. */
export function sigmoid(x: Tensor): Tensor { return floatUnary('Sigmoid', 'sigmoid', x); }
/** x · sigmoid(x) (SiLU / swish). */
export function silu(x: Tensor): Tensor { return floatUnary('Silu', 'silu', x); }
/** The error function. */
export function erf(x: Tensor): Tensor { return floatUnary('Erf', 'erf', x); }
/** sin x. */
export function sin(x: Tensor): Tensor { return floatUnary('Sin', 'sin', x); }
/** cos x. */
export function cos(x: Tensor): Tensor { return floatUnary('Cos', 'cos', x); }

/**
 * GELU: x·Φ(x) exactly, or with `approximate: 'tanh'` PyTorch's tanh formula
 * 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))).
 * @example gelu(x, 'tanh')
 */
export function gelu(x: Tensor, approximate: 'none' | 'tanh' = 'none'): Tensor {
  if (approximate !== 'none' && approximate !== 'tanh') {
    throw new ValueError(`gelu: approximate must be 'none' or 'tanh', got '${String(approximate)}'`);
  }
  return floatUnary('Gelu', 'gelu', x, { approximate });
}

/** max(x, 0), keeping the dtype. */
export function relu(x: Tensor): Tensor {
  assertTensor('relu', 'input', x);
  if (x.dtype === 'bool') throw new DTypeError('relu: expected float32 or int32, got bool');
  return runKernel('Relu', [x]);
}

/** |x|, keeping the dtype. */
export function abs(x: Tensor): Tensor {
  assertTensor('abs', 'input', x);
  if (x.dtype === 'bool') throw new DTypeError('abs: expected float32 or int32, got bool');
  return runKernel('Abs', [x]);
}

/** −1, 0 or 1, keeping the dtype (no gradient). */
export function sign(x: Tensor): Tensor {
  assertTensor('sign', 'input', x);
  return runKernel('Sign', [castTo(x, x.dtype === 'bool' ? 'int32' : x.dtype)]);
}

/** ⌊x⌋ (float32, no gradient). */
export function floor(x: Tensor): Tensor { return floatUnary('Floor', 'floor', x); }

/** NaN test, bool. */
export function isnan(x: Tensor): Tensor { return floatUnary('IsNan', 'isnan', x); }

/** Logical not, bool. @example logicalNot(mask) */
export function logicalNot(x: Tensor): Tensor {
  assertTensor('logicalNot', 'input', x);
  return runKernel('LogicalNot', [castTo(x, 'bool')]);
}

/**
 * Converts to `dtype` (float→int truncates toward zero; any non-zero → true).
 * @example cast(tensor([1.7, -1.7]), 'int32') // [1, -1]
 */
export function cast(x: Tensor, dtype: DType): Tensor {
  assertTensor('cast', 'input', x);
  if (dtype !== 'float32' && dtype !== 'int32' && dtype !== 'bool') {
    throw new DTypeError(`cast: dtype must be float32, int32 or bool, got ${String(dtype)}`);
  }
  return castTo(x, dtype);
}
