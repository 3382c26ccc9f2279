// Small helpers the layers share: creating initialised parameters and asserting input shapes.
import { makeTensor, rand, randn, ShapeError, sizeOf, tidy, ValueError, fmtShape } from '@qkv/tensor-core';
import { initSkipped } from '../init.js';
import type { Generator, Tensor } from '@qkv/tensor-core';
import { Parameter } from '../parameter.js';

/** Zeros in a fresh array, never written, so its pages take no resident memory until replaced (`skipInit`). */
function untouchedZeros(shape: readonly number[]): Tensor {
  return Parameter(makeTensor(new Float32Array(sizeOf(shape)), [...shape], 'float32'));
}

/** A parameter of `shape` drawn from U(−bound, bound) (PyTorch's default for Linear/GRU/LSTM). */
export function uniformParameter(shape: readonly number[], bound: number, generator?: Generator): Tensor {
  if (initSkipped()) return untouchedZeros(shape);
  return Parameter(tidy(() => rand(shape, { generator }).mul(2 * bound).sub(bound))); // no intermediate outlives it
}

/** A parameter of `shape` drawn from N(0, 1). */
export function normalParameter(shape: readonly number[], generator?: Generator): Tensor {
  if (initSkipped()) return untouchedZeros(shape);
  return Parameter(randn(shape, { generator }));
}

/** Throws unless `n` is a positive integer. */
export function assertPositiveInt(op: string, what: string, n: number): void {
  if (!Number.isInteger(n) || n <= 0) throw new ValueError(`${op}: ${what} must be a positive integer, got ${n}`);
}

/** Throws unless the last dim of `x` is `size`. */
export function assertLastDim(op: string, x: Tensor, size: number, what: string): void {
  if (x.ndim === 0 || x.shape[x.ndim - 1] !== size) {
    throw new ShapeError(`${op}: input's last dim must be ${what} = ${size}, got ${fmtShape(x.shape)}`);
  }
}
