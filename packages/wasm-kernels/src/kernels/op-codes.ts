// Op codes of the module's `unary`, `binary` and `reduce` exports (assembly/*.ts use the same numbers).
import type { binaryKernels, unaryKernels } from '@qkv/tensor-core';

/** A unary kernel name. */
export type UnaryKernel = (typeof unaryKernels)[number];
/** A binary kernel name. */
export type BinaryKernel = (typeof binaryKernels)[number];

/** Unary float32 kernels the module implements, by op code. Gelu's tanh form is code 10. */
export const unaryCodes: Partial<Record<UnaryKernel, number>> = {
  Neg: 0, Exp: 1, Log: 2, Sqrt: 3, Rsqrt: 4, Abs: 5, Tanh: 6, Sigmoid: 7, Relu: 8, Gelu: 9, Silu: 11, Erf: 12, Sin: 13, Cos: 14,
};
/** Code of Gelu with `approximate: 'tanh'`. */
export const GELU_TANH = 10;

/** Binary float32 kernels the module implements, by op code. */
export const binaryCodes: Partial<Record<BinaryKernel, number>> = {
  Add: 0, Sub: 1, Mul: 2, Div: 3, Pow: 4, Maximum: 5, Minimum: 6,
};

/** Reductions by op code. */
export const reduceCodes = { Sum: 0, Max: 1, Min: 2 } as const;
